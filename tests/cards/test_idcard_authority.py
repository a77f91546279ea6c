"""签发机关 snapped onto the bureaus the division table allows, and the validity row's lost separators."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from certscan.cards.authority import bureaus, snap_bureau
from certscan.cards.idcard import parse_back
from certscan.cards.idcard_back import validity_text
from certscan.cards.text import find_dates
from certscan.checks.repair import plain_chars
from certscan.ocr.types import CharCandidates
from tests.cards.pages import line, scan


def unsure(text: str, at: int, *alternatives: str) -> list[CharCandidates]:
    """``text`` read with certainty except at ``at``, where the recogniser also scored ``alternatives``."""
    chars = plain_chars(text)
    chars[at] = CharCandidates(chars=(text[at], *alternatives), probs=(0.45, *[0.05] * len(alternatives)))
    return chars


def test_the_vocabulary_names_county_bureaus_and_district_branches_both_ways() -> None:
    names = set(bureaus())
    assert {"射阳县公安局", "和龙市公安局", "湖州市公安局南浔区分局", "北京市公安局朝阳区分局",
            "北京市公安局朝阳分局", "上海市公安局浦东新区分局", "上海市公安局浦东分局"} <= names


def test_a_district_belongs_to_the_city_read() -> None:
    # 南湖区 is Jiaxing's: under 湖州市 the one district a character away is 南浔区
    assert snap_bureau("湖州市公安局南湖区分局") == "湖州市公安局南浔区分局"
    assert snap_bureau("大间币公安局城区分局") == "大同市公安局城区分局"  # the city told by its district


def test_a_misread_bureau_word() -> None:
    assert snap_bureau("和龙市公安商") == "和龙市公安局"


def test_the_recognisers_alternatives_break_a_tie() -> None:
    # 扎赉特旗 and 扎鲁特旗 are both one character from the read: only the alternatives tell them apart
    assert snap_bureau("扎资特旗公安局") == "扎资特旗公安局"
    assert snap_bureau("扎资特旗公安局", unsure("扎资特旗公安局", 1, "费", "赉")) == "扎赉特旗公安局"


def test_listed_and_unlisted_well_read_bureaus_are_kept() -> None:
    for name in ("北京市公安局朝阳分局", "射阳县公安局", "苏州市公安局工业园区分局", "宁县公安局"):
        assert snap_bureau(name) == name
    assert snap_bureau("阳离县公安局") == "阳离县公安局"  # several counties one character away


def test_a_misread_first_character_is_snapped_before_it_is_cut_as_a_stray_prefix() -> None:
    read = "签发机关雕宁县公安局"
    lines = [line("居民身份证", 180, 100, 640, 160),
             line(read, 100, 400, 600, 432, unsure(read, 4, "唯", "睢")),
             line("有效期限2025.04.25-2045.04.25", 100, 470, 600, 502)]
    f = parse_back(scan("id-card-back", lines)).fields
    assert (f["authority"], f["startDate"], f["endDate"]) == ("睢宁县公安局", "2025-04-25", "2045-04-25")


def test_validity_separators_lost_by_the_read() -> None:
    assert find_dates(validity_text("2011.1210-长期"), long_term=True) == ["2011-12-10", "Long-term"]
    assert find_dates(validity_text("2022.01.07-204201.07"), long_term=True) == ["2022-01-07", "2042-01-07"]
    assert find_dates(validity_text("20180707长"), long_term=True) == ["2018-07-07", "Long-term"]
    assert find_dates(validity_text("2018.07.07-2038.07.07"), long_term=True) == ["2018-07-07", "2038-07-07"]


def test_a_caption_missing_a_character_is_cut_before_the_bureau_is_snapped() -> None:
    # 签发机关 read without 签 and misread (要机美): no caption match_label finds; the rest is snapped
    read = "要机美销宁布依族销族自治县公安局"
    lines = [line("居民身份证", 180, 100, 640, 160), line(read, 100, 400, 600, 432),
             line("有效期限2025.04.25-2045.04.25", 100, 470, 600, 502)]
    assert parse_back(scan("id-card-back", lines)).fields["authority"] == "镇宁布依族苗族自治县公安局"


def test_a_bureau_missing_a_rare_character_is_read_again_without_its_caption() -> None:
    # the recogniser drops 沅 after the caption at full confidence (陵县 is no listed county), and reads it
    # when the value is cut out alone
    from certscan.cards.idcard_back import authority_alone
    from certscan.ocr.recognize import Recognition

    def reads(*texts: str) -> Callable[[Sequence[np.ndarray]], list[Recognition]]:
        def read(quads: Sequence[np.ndarray]) -> list[Recognition]:
            assert len(quads) == 4 and all(q[:, 0].min() >= 60 + 3 * 40 for q in quads)  # past 签发机
            return [Recognition(t, 0.9, plain_chars(t)) for t in texts]
        return read

    row = [line("签发机关陵县公安局", 60, 400, 420, 440)]
    assert "陵县公安局" not in bureaus() and "沅陵县公安局" in bureaus()
    again = reads("陵县公安局", "沅陵县公安局", "", "关沅陵县公安局")
    assert authority_alone("陵县公安局", row, again) == "沅陵县公安局"
    # reads naming two listed bureaus, or none: the first read stands
    assert authority_alone("陵县公安局", row, reads("沅陵县公安局", "江陵县公安局", "", "")) == "陵县公安局"
    assert authority_alone("陵县公安局", row, reads("陵县公安局", "", "", "")) == "陵县公安局"
    # a listed bureau is not read again; one far from the first read is not taken
    assert authority_alone("沅陵县公安局", row, reads("江陵县公安局", "", "", "")) == "沅陵县公安局"
    assert authority_alone("陵县公安局", row, reads("上海市公安局浦东分局", "", "", "")) == "陵县公安局"


def test_a_colon_read_for_a_dot_and_a_caption_less_long_term_row() -> None:
    assert validity_text("2014:05.152019.0516") == "2014.05.15-2019.05.16"
    assert validity_text("2014.07:2-长期") == "2014.07:2-长期"  # a day that lost a digit stays no date
    # neither caption read, the start date cut short: the row still says the card is valid for life
    lines = [line("中华人民共和国", 300, 80, 700, 130), line("居民身份证", 280, 150, 760, 230),
             line("发机关万载县公安局", 200, 420, 600, 460), line("2014.07:2-长期", 200, 480, 600, 520)]
    f = parse_back(scan("id-card-back", lines)).fields
    assert (f["startDate"], f["endDate"]) == ("", "Long-term")


def test_start_and_end_dates_agree_on_their_month_and_day() -> None:
    from certscan.cards.idcard_back import same_day_of_year

    def row(start_day: CharCandidates, end_day: CharCandidates) -> list:
        chars = [*plain_chars("2014.05.1"), start_day, *plain_chars("-2019.05.1"), end_day]
        return [line("".join(c.best for c in chars), 200, 480, 600, 520, chars)]

    five = CharCandidates(chars=("5", "6"), probs=(0.72, 0.05))
    six = CharCandidates(chars=("6", "0"), probs=(0.53, 0.37))
    # 16 is the one day both reads can be (5 offered 6; 6 offered 0, not 5)
    assert same_day_of_year("2014-05-15", "2019-05-16", row(five, six)) == ("2014-05-16", "2019-05-16")
    sure = CharCandidates(chars=("5",), probs=(0.99,))
    assert same_day_of_year("2014-05-15", "2019-05-16", row(sure, six)) == ("2014-05-15", "2019-05-16")
    both = CharCandidates(chars=("6", "5"), probs=(0.53, 0.37))  # 15 and 16 both fit: nothing is chosen
    assert same_day_of_year("2014-05-15", "2019-05-16", row(five, both)) == ("2014-05-15", "2019-05-16")
    # years no validity term apart, or a card valid for life: as read
    assert same_day_of_year("2014-05-15", "2020-05-16", row(five, six)) == ("2014-05-15", "2020-05-16")
    assert same_day_of_year("2014-05-15", "Long-term", row(five, six)) == ("2014-05-15", "Long-term")
    caption = line("签发机关万载县公安局", 200, 420, 600, 460)
    f = parse_back(scan("id-card-back", [caption, *row(five, six)])).fields
    assert (f["startDate"], f["endDate"]) == ("2014-05-16", "2019-05-16")


def test_a_character_several_bureaus_differ_by_is_read_again_in_small_crops() -> None:
    # 陵县公安局: 鄢 lost before 陵 (鄢陵, 沅陵, 茶陵… are all listed); crops a character or two wide,
    # just left of where 陵 was read, name it or score it
    from certscan.cards.authority import one_character_choices
    from certscan.cards.idcard_back import authority_by_glyph
    from certscan.ocr.recognize import Recognition

    choices = one_character_choices("陵县公安局")[(0, True)]
    assert {"鄢", "沅", "茶"} <= set(choices) and choices["鄢"] == "鄢陵县公安局"
    assert set(one_character_choices("韶关市公安局淡江区分局")[(6, False)]) == {"曲", "武", "浈"}
    row = [line("签发机关陵县公安局", 60, 400, 420, 440)]  # 40 px a character: 陵 read at x = 220
    seen: list[np.ndarray] = []

    def reads(*per_crop: tuple[str, ...]) -> Callable[[Sequence[np.ndarray]], list[Recognition]]:
        def read(quads: Sequence[np.ndarray]) -> list[Recognition]:
            seen.extend(quads)
            out = [Recognition("", 0.0)] * len(quads)
            for k, alternatives in enumerate(per_crop):
                chars = [CharCandidates(chars=alternatives, probs=(0.6, *[0.1] * (len(alternatives) - 1)))]
                out[k] = Recognition(alternatives[0], 0.6, chars)
            return out
        return read

    assert authority_by_glyph("陵县公安局", row, reads(("焉", "鄢"), ("鄢", "部"), ("阝",))) == "鄢陵县公安局"
    assert seen and all(q[:, 0].min() >= 160 and q[:, 0].max() <= 280 for q in seen)  # around 关 | 陵
    # two choices scored alike, or none: the read stands; a listed bureau is not read again
    assert authority_by_glyph("陵县公安局", row, reads(("沅",), ("鄢",))) == "陵县公安局"
    assert authority_by_glyph("陵县公安局", row, reads(("焉",), ("阝",))) == "陵县公安局"
    assert authority_by_glyph("沅陵县公安局", row, reads(("鄢",))) == "沅陵县公安局"


def test_start_and_end_years_a_validity_term_apart() -> None:
    from certscan.cards.idcard_back import years_a_term_apart

    def row(start_year: str, start_digit: CharCandidates, end_year: str) -> list:
        chars = [*plain_chars(start_year[:2]), start_digit, *plain_chars(start_year[3] + ".11.06-"),
                 *plain_chars(end_year + ".11.06")]
        return [line("".join(c.best for c in chars), 200, 480, 600, 520, chars)]

    offered = CharCandidates(chars=("2", "1", "3"), probs=(0.72, 0.22, 0.03))
    # 2028 / 2023 are no term apart; 1 offered for the start's 2 makes them five years apart
    assert years_a_term_apart("2028-11-06", "2023-11-06", row("2028", offered, "2023")) == (
        "2018-11-06", "2023-11-06")
    sure = CharCandidates(chars=("2",), probs=(0.99,))
    assert years_a_term_apart("2028-11-06", "2023-11-06", row("2028", sure, "2023")) == (
        "2028-11-06", "2023-11-06")  # nothing offered: left as read
    assert years_a_term_apart("2018-11-06", "2023-11-06", row("2018", sure, "2023")) == (
        "2018-11-06", "2023-11-06")  # a term apart already


def test_a_day_read_one_digit_short_takes_the_other_dates() -> None:
    from certscan.cards.idcard_back import day_with_lost_repeat

    # 11 read as one 1 (a repeat merged): the card is valid to the day
    assert day_with_lost_repeat("2007-04-11", "2012-04-01", "2007.04.11-2012.04.1") == (
        "2007-04-11", "2012-04-11")
    assert day_with_lost_repeat("2007-04-01", "2012-04-11", "2007.04.1-2012.04.11") == (
        "2007-04-11", "2012-04-11")
    # a day read whole, or years no term apart: left as read
    assert day_with_lost_repeat("2007-04-11", "2012-04-01", "2007.04.11-2012.04.01") == (
        "2007-04-11", "2012-04-01")
    assert day_with_lost_repeat("2007-04-11", "2013-04-01", "2007.04.11-2013.04.1") == (
        "2007-04-11", "2013-04-01")
    lines = [line("签发机关北京市公安局朝阳分局", 100, 400, 500, 430),
             line("有效期限2007.04.11-2012.04.1", 100, 470, 500, 500)]
    f = parse_back(scan("id-card-back", lines)).fields
    assert (f["startDate"], f["endDate"]) == ("2007-04-11", "2012-04-11")
