from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from certscan.cards.base import ScanInput
from certscan.cards.idcard import ethnic_group, parse_back, parse_front
from certscan.checks.idnumber import check_char
from certscan.checks.repair import plain_chars
from certscan.ocr.recognize import Recognition
from certscan.ocr.types import CharCandidates, Page
from tests.cards.pages import FixedEngine, line, scan

FIRST17 = "11010519900307123"
NUMBER = FIRST17 + check_char(FIRST17)


def front_lines(number_chars: list[CharCandidates] | None = None, name_label: str = "姓名") -> list:
    number_text = "".join(c.best for c in number_chars) if number_chars else NUMBER
    return [
        line(name_label, 60, 60, 110, 85), line("张明华", 160, 56, 250, 88),
        line("性别", 60, 130, 110, 155), line("男", 160, 126, 190, 158), line("民族汉", 300, 126, 420, 158),
        line("出生", 60, 200, 110, 225), line("1990年3月7日", 160, 196, 360, 228),
        line("住址北京市朝阳区建国路88号", 60, 266, 500, 298), line("院3号楼2单元501室", 160, 306, 420, 338),
        line("公民身份号码", 60, 440, 230, 465), line(number_text, 300, 434, 760, 472, number_chars),
    ]


def test_front_fields_from_labels_and_rows() -> None:
    result = parse_front(scan("id-card-front", front_lines()))
    f = result.fields
    assert (f["name"], f["nationality"], f["number"], f["birth"]) == ("张明华", "汉", NUMBER, "1990-03-07")
    assert f["address"] == "北京市朝阳区建国路88号院3号楼2单元501室"
    assert f["numberValid"] is True and f["type"] == "front"
    assert result.extra["sex"] == "男"
    assert f["authority"] == "" and f["startDate"] == ""


def test_misread_label_and_repaired_number() -> None:
    bad = NUMBER[:16] + ("1" if NUMBER[16] != "1" else "2") + NUMBER[17]
    chars = plain_chars(bad)
    chars[16] = CharCandidates(chars=(bad[16], NUMBER[16]), probs=(0.5, 0.45))
    f = parse_front(scan("id-card-front", front_lines(chars, name_label="娃名"))).fields
    assert f["name"] == "张明华"
    assert f["number"] == NUMBER and f["numberValid"] is True


def test_unrepairable_number_is_returned_as_read_and_invalid() -> None:
    bad = NUMBER[:16] + ("1" if NUMBER[16] != "1" else "2") + NUMBER[17]
    f = parse_front(scan("id-card-front", front_lines(plain_chars(bad)))).fields
    assert f["number"] == bad and f["numberValid"] is False
    assert f["birth"] == "1990-03-07"  # the printed date


def test_back_side_dates_and_long_term() -> None:
    lines = [line("中华人民共和国", 200, 40, 600, 80), line("居民身份证", 180, 100, 640, 160),
             line("签发机关", 100, 400, 220, 430), line("北京市公安局朝阳分局", 260, 398, 600, 432),
             line("有效期限", 100, 470, 220, 500), line("2015.06.01-长期", 260, 468, 560, 502)]
    f = parse_back(scan("id-card-back", lines)).fields
    assert (f["authority"], f["startDate"], f["endDate"], f["type"]) == (
        "北京市公安局朝阳分局", "2015-06-01", "Long-term", "back")
    lines[-1] = line("2015.06.01-2035.06.01", 260, 468, 600, 502)
    f = parse_back(scan("id-card-back", lines)).fields
    assert (f["startDate"], f["endDate"]) == ("2015-06-01", "2035-06-01")


def test_ethnic_group_suffix() -> None:
    assert ethnic_group("民族汉") == "汉"
    assert ethnic_group("民旅蒙古") == "蒙古"
    assert ethnic_group("维吾尔") == "维吾尔"


def test_back_side_caption_misreads_and_partial_validity() -> None:
    lines = [line("中华人民共和国", 150, 60, 310, 100), line("签发机美射阳县公安局", 120, 210, 330, 235),
             line("有效期限2016.11.04长期", 120, 240, 330, 262)]
    f = parse_back(scan("id-card-back", lines)).fields
    assert (f["authority"], f["startDate"], f["endDate"]) == ("射阳县公安局", "2016-11-04", "Long-term")
    lines = [line("家务平阳县公安局", 80, 190, 220, 215), line(".14-2029.05.14", 80, 220, 230, 240)]
    f = parse_back(scan("id-card-back", lines)).fields
    assert (f["authority"], f["startDate"], f["endDate"]) == ("平阳县公安局", "", "2029-05-14")
    lines = [line("有效期量2018.09.282023.09.28", 80, 220, 260, 240)]  # the dash between the dates lost
    f = parse_back(scan("id-card-back", lines)).fields
    assert (f["startDate"], f["endDate"]) == ("2018-09-28", "2023-09-28")


def test_authority_place_names_one_character_off_the_division_table() -> None:
    from certscan.cards.idcard_back import corrected_authority

    assert corrected_authority("社丹江市公安局西安区分局") == "牡丹江市公安局西安区分局"
    assert corrected_authority("射阳县公安局") == "射阳县公安局"
    assert corrected_authority("阳离县公安局") == "阳离县公安局"  # several listed names fit: left as read


def test_address_division_names_follow_the_number_region() -> None:
    from certscan.cards.idcard import address_with_region_names

    # 320213: 江苏省 无锡市 梁溪区
    assert address_with_region_names("江苏省无铜市梁溪区新华路1号", "320213") == "江苏省无锡市梁溪区新华路1号"
    assert address_with_region_names("江苏省无锡市梁溪区新华路1号", "320213") == "江苏省无锡市梁溪区新华路1号"
    # a division suffix is never changed, and an address elsewhere is left alone
    assert address_with_region_names("江苏省无锡市梁溪县新华路1号", "320213") == "江苏省无锡市梁溪县新华路1号"
    assert address_with_region_names("北京市朝阳区新华路1号", "320213") == "北京市朝阳区新华路1号"


def test_a_name_merged_with_its_label_read_one_character_wrong() -> None:
    lines = front_lines()
    lines[:2] = [line("姓者张明华", 60, 58, 250, 88)]
    assert parse_front(scan("id-card-front", lines)).fields["name"] == "张明华"
    lines[0] = line("姓张明华", 60, 58, 250, 88)  # the caption's 名 lost: 张 is a surname, not 名 misread
    assert parse_front(scan("id-card-front", lines)).fields["name"] == "张明华"


def test_an_unlisted_one_character_group_takes_the_listed_alternative() -> None:
    from certscan.cards.idcard import listed_group_from_alternatives

    chars = [*plain_chars("民族"), CharCandidates(chars=("鑫", "畲", "禽"), probs=(0.37, 0.19, 0.06))]
    row = [line("民族鑫", 300, 126, 420, 158, chars)]
    assert listed_group_from_alternatives(row, "鑫") == "畲"
    assert listed_group_from_alternatives([line("民族汉", 300, 126, 420, 158)], "汉") == "汉"
    # no alternative: left as read
    assert listed_group_from_alternatives([line("民族鑫", 300, 126, 420, 158)], "鑫") == "鑫"
    # two characters, none a group: the caption's 民 misread (美) and 汉 read 次, offered as 汉
    chars = [*plain_chars("美"), CharCandidates(chars=("次", "汉", "饮"), probs=(0.25, 0.2, 0.1))]
    assert listed_group_from_alternatives([line("美次", 300, 126, 420, 158, chars)], "美次") == "汉"


class _BandEngine(FixedEngine):
    """Reads ``text`` for a region covering the box (x0, y0, x1, y1), nothing elsewhere."""

    def __init__(self, page: Page, text: str, box: tuple[float, float, float, float]) -> None:
        super().__init__(page)
        self.text, self.box, self.asked = text, box, 0

    def read_regions(self, image: np.ndarray, page: Page, quads: Sequence[np.ndarray]) -> list[Recognition]:
        self.asked += len(quads)
        x0, y0, x1, y1 = self.box
        covers = [q[:, 0].min() <= x0 and q[:, 0].max() >= x1 and q[:, 1].min() <= y0 and q[:, 1].max() >= y1
                  for q in quads]
        return [Recognition(self.text if c else "", 0.9, plain_chars(self.text if c else "")) for c in covers]


def _front_without_group(text: str) -> tuple[ScanInput, _BandEngine]:
    lines = [ln for ln in front_lines() if ln.text != "民族汉"]
    engine = _BandEngine(Page(width=1000, height=700, lines=lines), text, (300, 126, 420, 158))
    return ScanInput(card="id-card-front", image=np.zeros((10, 10, 3), np.uint8), engine=engine), engine


def test_an_undetected_group_is_read_where_the_card_prints_it() -> None:
    scan_input, engine = _front_without_group("民族汉")
    assert parse_front(scan_input).fields["nationality"] == "汉" and engine.asked == 1
    scan_input, engine = _front_without_group("民族")  # nothing listed read there: nothing invented
    assert parse_front(scan_input).fields["nationality"] == ""
    assert parse_front(scan("id-card-front", front_lines())).fields["nationality"] == "汉"


def test_the_captions_tail_is_no_group() -> None:
    assert ethnic_group("族") == "" and ethnic_group("民族") == "" and ethnic_group("民族汉") == "汉"


def test_a_two_character_name_gets_the_third_the_detector_left_outside_its_box() -> None:
    from certscan.cards.idcard_name import name_with_lost_tail

    def reader(text: str, confidence: float = 0.9) -> Callable[[Sequence[np.ndarray]], list[Recognition]]:
        def read(quads: Sequence[np.ndarray]) -> list[Recognition]:
            assert quads[0][:, 0].max() > 250  # widened right of the box
            chars = [CharCandidates(chars=(c,), probs=(confidence,)) for c in text]
            return [Recognition(text, confidence, chars)]
        return read

    box = line("张明", 160, 56, 250, 88)
    assert name_with_lost_tail("张明", box, reader("张明华")) == "张明华"
    assert name_with_lost_tail("张明", box, reader("张明")) == "张明"  # a two-character name stays
    assert name_with_lost_tail("张明", box, reader("张明华", 0.3)) == "张明"  # an unsure tail is no name
    assert name_with_lost_tail("张明", box, reader("张明12")) == "张明"  # nor a speck or two


def test_an_address_line_starting_like_a_labels_tail_keeps_it() -> None:
    lines = [ln if ln.text != "院3号楼2单元501室" else line("名苑3号楼2单元501室", 160, 306, 420, 338)
             for ln in front_lines()]
    f = parse_front(scan("id-card-front", lines)).fields
    assert f["address"] == "北京市朝阳区建国路88号名苑3号楼2单元501室"
    # 姓 unread, its 名 merged with the name in the label column: 名 is the label's
    lines = [ln for ln in front_lines() if ln.text not in ("姓名", "张明华")]
    lines.append(line("名张明华", 85, 56, 250, 88))
    assert parse_front(scan("id-card-front", lines)).fields["name"] == "张明华"


def test_an_address_outside_the_numbers_region_still_gets_listed_division_names() -> None:
    # the number is a Beijing one; the holder lives in Hebei: the county's misread character is repaired
    # from the division table all the same
    moved = line("住址河北省保定市涿卅市双塔街道8号", 60, 266, 500, 298)
    kept = [ln for ln in front_lines() if ln.text != "院3号楼2单元501室"]
    lines = [moved if ln.text.startswith("住址") else ln for ln in kept]
    assert parse_front(scan("id-card-front", lines)).fields["address"] == "河北省保定市涿州市双塔街道8号"


def test_the_name_tail_band_reaches_past_the_box_for_a_tall_character() -> None:
    # 鑫 printed after 周振 is read as nothing in a band as tall as the name's box; a fifth of its height
    # above and below lets the recogniser see the whole character. The tight band still comes first: a
    # tall one can take in the row above and lose a tail the tight one reads (李雨敏).
    from certscan.cards.idcard_name import name_with_lost_tail

    def reads(*texts: str) -> Callable[[Sequence[np.ndarray]], list[Recognition]]:
        def read(quads: Sequence[np.ndarray]) -> list[Recognition]:
            assert len(quads) == 2 and quads[0][:, 1].min() > quads[1][:, 1].min()  # tight, then tall
            assert quads[1][:, 1].min() <= 40 and quads[1][:, 1].max() >= 110
            return [Recognition(t, 0.9, [CharCandidates(chars=(c,), probs=(0.8,)) for c in t]) for t in texts]
        return read

    box = line("周振", 160, 50, 250, 100)
    assert name_with_lost_tail("周振", box, reads("周振", "周振鑫")) == "周振鑫"
    assert name_with_lost_tail("周振", box, reads("周振敏", "周振")) == "周振敏"
    assert name_with_lost_tail("周振", box, reads("周振", "周振")) == "周振"


def test_a_number_read_without_one_of_a_doubled_digit() -> None:
    from certscan.cards.idcard import with_doubled_digit

    read = NUMBER[:10] + NUMBER[11:]  # 19900307: the 00 read as one 0
    assert len(read) == 17 and with_doubled_digit(read) == NUMBER
    f = parse_front(scan("id-card-front", front_lines(plain_chars(read)))).fields
    assert f["number"] == NUMBER and f["numberValid"] is True
    assert with_doubled_digit("12345678901234567") == ""  # no doubling passes: nothing is invented


def test_a_surname_read_as_a_look_alike_takes_the_recognisers_common_surname() -> None:
    from certscan.cards.idcard_name import surname_from_alternatives

    def name_line(first: CharCandidates) -> list:
        return [line("姓名消丽", 60, 56, 250, 88, [*plain_chars("姓名"), first, *plain_chars("丽")])]

    unsure = CharCandidates(chars=("消", "肖", "俏"), probs=(0.8, 0.16, 0.02))
    assert surname_from_alternatives("消丽", name_line(unsure)) == "肖丽"
    # read surely, or with no common surname scored enough: a rarer surname stays as read
    sure = CharCandidates(chars=("消", "肖"), probs=(0.95, 0.04))
    assert surname_from_alternatives("消丽", name_line(sure)) == "消丽"
    faint = CharCandidates(chars=("消", "肖"), probs=(0.8, 0.05))
    assert surname_from_alternatives("消丽", name_line(faint)) == "消丽"
    listed = CharCandidates(chars=("刘", "划"), probs=(0.6, 0.3))
    assert surname_from_alternatives("刘丽", name_line(listed)) == "刘丽"
    lines = [ln for ln in front_lines() if ln.text not in ("姓名", "张明华")] + name_line(unsure)
    assert parse_front(scan("id-card-front", lines)).fields["name"] == "肖丽"


def test_a_surname_left_at_the_boxs_edge_is_read_again() -> None:
    from certscan.cards.idcard_name import name_with_lost_head

    def reads(*texts: str) -> Callable[[Sequence[np.ndarray]], list[Recognition]]:
        def read(quads: Sequence[np.ndarray]) -> list[Recognition]:
            assert len(quads) == 4 and all(q[:, 0].min() < 160 for q in quads)  # reaching left of the box
            return [Recognition(t, 0.9, plain_chars(t)) for t in texts]
        return read

    box = [line("建轩", 160, 56, 250, 88)]
    assert name_with_lost_head("建轩", box, reads("郭建轩", "郭建轩", "彩建轩", "建轩")) == "郭建轩"
    assert name_with_lost_head("建轩", box, reads("郭建轩", "李建轩", "", "")) == "建轩"  # two surnames
    assert name_with_lost_head("建轩", box, reads("彩建轩", "建轩", "", "")) == "建轩"  # no common surname
    assert name_with_lost_head("张建轩", box, reads("郭张建轩", "", "", "")) == "张建轩"  # has its surname
