from __future__ import annotations

from certscan.cards.passport import parse
from certscan.cards.passport_pinyin import readings, repair_by_pinyin, spells
from certscan.ocr.types import CharCandidates
from tests.cards.pages import line, scan


def test_readings_polyphones_and_u_umlaut() -> None:
    assert {"CENG", "ZENG"} <= readings("曾")
    assert {"LV", "LU", "LYU"} <= readings("吕")
    assert readings("A") == frozenset()


def test_spells() -> None:
    assert spells("丹洁", "DANJIE")
    assert not spells("丹活", "DANJIE")
    assert spells("曾", "ZENG") and spells("吕", "LYU")
    assert spells("西安", "XIAN") and not spells("西", "XIAN")


def test_repair_from_alternatives() -> None:
    alts = [["丹"], ["活", "洁", "沽"]]
    assert repair_by_pinyin("丹活", alts, "DANJIE") == "丹洁"
    # already spelled: kept
    assert repair_by_pinyin("丹洁", [["丹"], ["洁", "活"]], "DANJIE") == "丹洁"
    # two alternatives spell it (洁, 杰): ambiguous, kept as read
    assert repair_by_pinyin("丹活", [["丹"], ["活", "洁", "杰"]], "DANJIE") == "丹活"
    # no alternative spells it: kept
    assert repair_by_pinyin("丹活", [["丹"], ["活", "沽"]], "DANJIE") == "丹活"


def _cands(text: str, alts: dict[int, tuple[str, ...]]) -> list[CharCandidates]:
    out = []
    for i, ch in enumerate(text):
        more = alts.get(i, ())
        out.append(CharCandidates(chars=(ch, *more), probs=(0.6, *(0.3 / (k + 1) for k in range(len(more))))))
    return out


LINE0 = "P<CHNZHOU<<DANJIE<<<<<<<<<<<<<<<<<<<<<<<<<<<"
LINE1 = "E123456782CHN8505028F2708045<<<<<<<<<<<<<<04"


def test_parse_repairs_cn_name_by_pinyin() -> None:
    given = "丹活DANJIE"
    lines = [
        line("姓/Surname", 400, 100, 520, 125), line("周ZHOU", 400, 130, 520, 160),
        line("名/Given names", 400, 170, 560, 195),
        line(given, 400, 200, 600, 230, chars=_cands(given, {1: ("沽", "洁")})),
        line(LINE0, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640),
    ]
    f = parse(scan("passport", lines)).fields
    assert f["givenName"] == "DANJIE"
    assert f["cnName"] == "周丹洁"


def test_pinyin_names_of_a_line_whose_fillers_read_as_letters() -> None:
    from certscan.cards.mrz_fields import FILLER_READS
    from certscan.cards.passport_pinyin import pinyin_names
    assert pinyin_names("JIASSKAIXUANSSSSSSSESSSKS<SKSS", {"JIA"}, FILLER_READS) == ("JIA", "KAIXUAN")
    # the longest pinyin given name (MEIJI + A... would leave the A to the fillers)
    assert pinyin_names("DENGKKMEIJIAESKSKKS<<<<<<<<<<", {"DENG"}, FILLER_READS) == ("DENG", "MEIJIA")
    assert pinyin_names("DENGKKMEIJIAESKSKKS<<<<<<<<<<", set(), FILLER_READS) is None  # surname unprinted


def test_parse_rebuilds_a_chinese_names_line_by_pinyin() -> None:
    names = "PKCHNYUK<ZI<<<<<<<<<<<L<<<L<<<<<<<L<<<"
    lines = [
        line("姓/Surname", 400, 100, 520, 125), line("余YU", 400, 130, 520, 160),
        line("名/Given names", 400, 170, 560, 195), line("子", 400, 200, 440, 230),
        line("男M", 400, 245, 460, 275),
        line(names, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640),
    ]
    f = parse(scan("passport", lines)).fields
    assert f["line0"] == "P<CHNYU<<ZI".ljust(44, "<")
    assert (f["surname"], f["givenName"], f["cnName"]) == ("YU", "ZI", "余子")  # 子 spells ZI, not 男M


def test_parse_writes_line_1_from_the_printed_names_when_unread() -> None:
    lines = [
        line("王", 400, 130, 430, 160), line("WANG", 440, 128, 520, 160),
        line("红晶", 400, 170, 460, 200), line("HONGJING", 470, 168, 600, 200),
        line("出生地点/Place of birth", 640, 170, 860, 195),
        line("云南", 640, 200, 700, 230), line("YUNNAN", 710, 198, 800, 230),
        line(LINE1, 50, 610, 950, 640),
    ]
    f = parse(scan("passport", lines)).fields
    assert f["line0"] == "P<CHNWANG<<HONGJING".ljust(44, "<")
    assert (f["surname"], f["givenName"], f["cnName"], f["type"]) == ("WANG", "HONGJING", "王红晶", "P")
    assert f["birthPlace"] == "云南"


def test_a_speck_read_as_a_character_is_dropped_when_the_rest_spells_the_pinyin() -> None:
    assert repair_by_pinyin("小亮峰", [["小"], ["亮"], ["峰"]], "LIANGFENG") == "亮峰"
    assert repair_by_pinyin("亮亮", [["亮"], ["亮"]], "LIANG") == "亮亮"  # two characters stay


def test_a_province_latin_two_letters_off_beside_its_chinese() -> None:
    from certscan.cards.passport_viz import _province
    assert _province("陕西SHAANOO") == ("陕西", "SHAANXI")
    assert _province("山西 SHAANXI") == ("山西", "SHAANXI")  # another province's exact name: as read


def test_a_surname_row_with_a_speck_keeps_one_character() -> None:
    assert repair_by_pinyin("孙小", [["孙"], ["小"]], "SUN", keep=1) == "孙"
    assert repair_by_pinyin("孙小", [["孙"], ["小"]], "SUN") == "孙小"  # a given name keeps two


def test_names_line_state_lost_with_the_surname_letters_is_chn() -> None:
    line0 = "P<HNUO<<BO".ljust(44, "<")  # C and L lost: state HNU, surname UO
    lines = [
        line("罗LUO", 400, 130, 520, 160), line("波BO", 400, 200, 520, 230),
        line(line0, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640),
    ]
    f = parse(scan("passport", lines)).fields
    assert f["line0"] == "P<CHNLUO<<BO".ljust(44, "<") and f["cnName"] == "罗波"


def test_a_chinese_names_line_whose_state_lost_or_gained_a_letter() -> None:
    from certscan.cards.passport_pinyin import chn_state_realigned

    fixed = "P<CHNXIE<<XIUJIA".ljust(44, "<")
    assert chn_state_realigned("P<HNXIE<<XIUJIA".ljust(44, "<")) == fixed  # C lost: IE<<XIUJIA
    assert chn_state_realigned("P<CCHNXIE<<XIUJIA".ljust(44, "<")) == fixed  # a C doubled
    # a clean line, a state read with a letter for another (the names then are no shift), other states
    assert chn_state_realigned(fixed) is None
    assert chn_state_realigned("P<CHMXIE<<XIUJIA".ljust(44, "<")) is None
    assert chn_state_realigned("P<UTOERIKSSON<<ANNA".ljust(44, "<")) is None
    lines = [line("谢XIE", 400, 130, 520, 160), line("P<HNXIE<<XIUJIA".ljust(44, "<"), 50, 560, 950, 590),
             line("E123456782CHN8001014F3001019<<<<<<<<<<<<<<08", 50, 610, 950, 640)]
    f = parse(scan("passport", lines)).fields
    assert (f["line0"], f["surname"], f["givenName"]) == (fixed, "XIE", "XIUJIA")


def test_of_two_separator_readings_the_given_name_a_printed_word_spells_wins() -> None:
    from certscan.cards.mrz_fields import FILLER_READS
    from certscan.cards.passport_pinyin import pinyin_names
    names = "LIUCCHUACHAOCCCCCSSSG<<<<<<<<<<<<<<<<<<"  # CC|HUACHAO and C|CHUACHAO both pinyin
    assert pinyin_names(names, {"LIU", "RUACHAO"}, FILLER_READS) == ("LIU", "HUACHAO")  # print one off
    assert pinyin_names(names, {"LIU"}, FILLER_READS) == ("LIU", "CHUACHAO")  # no print: the longer
