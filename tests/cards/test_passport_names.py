"""The names line rebuilt on the printed names when only its fillers (and a letter or two) were damaged."""

from __future__ import annotations

from certscan.cards.mrz_read import MrzRead, mrz_like
from certscan.cards.passport import parse
from certscan.cards.passport_names import rebuild_names
from tests.cards.pages import line, scan

LINE1 = "E123456782CHN8001014F3001019<<<<<<<<<<<<<<08"
VIZ = [line("王WANG", 400, 130, 520, 160), line("芳诗", 400, 200, 460, 230),
       line("FANGSHI", 470, 200, 600, 230), line("SICHUAN", 640, 270, 760, 300)]


def _read(line0: str) -> MrzRead:
    return MrzRead(line0=line0.ljust(44, "<")[:44], line1=LINE1)


def test_fillers_read_as_letters_are_fillers_again() -> None:
    damaged = "P<CHNWANGC<FANGSHICCCSCCCCSCCCSCCCSCCCCSSCSS"
    rebuilt = rebuild_names(_read(damaged), ["WANG", "FANGSHI", "SICHUAN"], "CHN")
    assert rebuilt == "P<CHNWANG<<FANGSHI".ljust(44, "<")
    mrz_rows = [line(damaged, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)]
    f = parse(scan("passport", [*VIZ, *mrz_rows])).fields
    assert (f["line0"], f["surname"], f["givenName"]) == (rebuilt, "WANG", "FANGSHI")


def test_a_state_and_names_that_lost_letters_and_a_filler() -> None:
    rebuilt = rebuild_names(_read("P<HNHU<HAOHI"), ["CHN", "HU", "CHAOHAI", "HUNAN"], "CHN")
    assert rebuilt == "P<CHNHU<<CHAOHAI".ljust(44, "<")


def test_a_letter_read_as_another_letter_is_not_taken_from_the_print() -> None:
    # the print's read may be the wrong one (FANGSH1 → FANGSHL): a letter for a letter is no filler damage
    assert rebuild_names(_read("P<CHNWANG<<FANGSHI"), ["WANG", "FANGSHL"], "CHN") is None
    # letters where fillers would go that are no filler look-alikes (MARIA) are names, not damage
    assert rebuild_names(_read("P<UTOERIKSSON<<ANNA<MARIA"), ["ERIKSSON", "ANNA"], "UTO") is None


def test_given_names_printed_apart_are_not_cut_off() -> None:
    # ALEX is made of filler look-alikes, but it is printed: a name, not damage
    assert rebuild_names(_read("P<FRAMARTIN<<ANNA<ALEX"), ["MARTIN", "ANNA", "ALEX"], "FRA") is None


def test_a_mixed_case_authority_is_no_mrz_row() -> None:
    authority = "ExitEntryAdministrationMinistry ofPublic Security"
    assert not mrz_like(authority) and mrz_like("P<CHNZHU<<JIAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<")
    lines = [line("朱ZHU", 400, 130, 520, 160), line("健JIAN", 400, 200, 520, 230),
             line(authority, 400, 480, 900, 510), line("P<CHNZHU<<JIAN<", 50, 560, 400, 590),
             line(LINE1, 50, 610, 950, 640)]
    f = parse(scan("passport", lines)).fields
    assert (f["surname"], f["givenName"], f["type"]) == ("ZHU", "JIAN", "P")


def test_a_surname_the_print_lost_is_kept_as_the_zone_reads_it() -> None:
    damaged = "P<CHNSHEN<CYAOJING<<<AGG<4AA<SA<S<4<G"
    lines = [line("YAOJING", 470, 200, 600, 230), line(damaged.ljust(44, "<"), 50, 560, 950, 590),
             line(LINE1, 50, 610, 950, 640)]
    f = parse(scan("passport", lines)).fields
    assert (f["line0"], f["name"]) == ("P<CHNSHEN<<YAOJING".ljust(44, "<"), "SHEN YAOJING")


def test_a_one_stroke_character_read_as_a_dash_beside_its_pinyin() -> None:
    lines = [line("曹", 400, 130, 430, 160), line("CAO", 440, 130, 520, 160),
             line("飞-FEIYI", 400, 200, 560, 230), line("P<CHNCAO<<FEIYI".ljust(44, "<"), 50, 560, 950, 590),
             line(LINE1, 50, 610, 950, 640)]
    assert parse(scan("passport", lines)).fields["cnName"] == "曹飞一"


def test_an_authority_known_by_its_english_name_when_the_chinese_is_unread() -> None:
    lines = [line("朱ZHU", 400, 130, 520, 160), line("健JIAN", 400, 200, 520, 230),
             line("ExitEntryAdminstrationMinstry ofPublle Security", 400, 480, 900, 510),
             line("P<CHNZHU<<JIAN".ljust(44, "<"), 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)]
    assert parse(scan("passport", lines)).fields["authority"] == "公安部出入境管理局"


def test_a_header_that_lost_its_filler_and_a_letter_is_rebuilt_whole() -> None:
    # <HNHE: P and C lost, the names one place left
    rebuilt = rebuild_names(_read("<HNHE<<YU"), ["CHN", "HE", "YU"], "CHN")
    assert rebuilt == "P<CHNHE<<YU".ljust(44, "<")
    # given names lost entirely: HE<<YU and HE<<HE fit as well, so neither (nor HE alone)
    assert rebuild_names(_read("<HNHE"), ["CHN", "HE", "YU"], "CHN") is None


def test_a_given_name_one_letter_from_a_province_is_no_place() -> None:
    line1 = "E915913642CHN9203310F3205208<<<<<<<<<<<<<<02"
    lines = [line("薛XUE", 400, 130, 520, 160), line("丽琳", 400, 200, 460, 230),
             line("LILIN", 470, 200, 560, 230), line("山东 SHANDONG", 640, 270, 820, 300),
             line("山东 SHANDONG", 400, 340, 600, 370),
             line("P<CHNXUE<<LILIN".ljust(44, "<"), 50, 560, 950, 590), line(line1, 50, 610, 950, 640)]
    f = parse(scan("passport", lines)).fields
    assert (f["birthPlace"], f["issuePlace"]) == ("山东", "山东")


def test_an_authority_read_garbled_is_the_name_sharing_its_characters_in_its_years() -> None:
    def authority(garbled: str, issued: str) -> str:
        lines = [line("朱ZHU", 400, 130, 520, 160), line("健JIAN", 400, 200, 520, 230),
                 line("签发日期/Date of issue", 700, 300, 900, 320), line(issued, 700, 325, 900, 350),
                 line(garbled, 400, 480, 600, 510), line("P<CHNZHU<<JIAN".ljust(44, "<"), 50, 560, 950, 590),
                 line(LINE1, 50, 610, 950, 640)]
        return str(parse(scan("passport", lines)).fields["authority"])

    assert authority("公禁出人##", "21 2月/FEB 2016") == "公安部出入境管理局"
    assert authority("公禁出人##", "21 2月/FEB 2021") == ""  # not in its years: the date refutes it
    assert authority("中华人民共和国", "21 2月/FEB 2021") == ""  # the title is no authority


def test_a_chinese_names_line_read_whole_does_not_follow_a_misread_print() -> None:
    # the print's read doubled a letter (XINLINNG) or took in a word beside it (NINGZHI MR): neither is
    # pinyin, so neither is a letter the zone lost; the clean pinyin line stays
    for given, printed in (("XINLING", "XINLINNG"), ("NINGZHI", "NINGZHI MR")):
        zone = f"P<CHNFENG<<{given}".ljust(44, "<")
        lines = [line("冯FENG", 400, 130, 520, 160), line("欣玲", 400, 200, 460, 230),
                 line(printed, 470, 200, 640, 230), line(zone, 50, 560, 950, 590),
                 line(LINE1, 50, 610, 950, 640)]
        f = parse(scan("passport", lines)).fields
        assert (f["line0"], f["givenName"], f["name"]) == (zone, given, f"FENG {given}")
    # a name the zone read short of a letter still takes it from the print (both are pinyin)
    lines = [line("冯FENG", 400, 130, 520, 160), line("欣玲", 400, 200, 460, 230),
             line("XINLING", 470, 200, 640, 230), line("P<CHNFENG<<XINLIN", 50, 560, 950, 590),
             line(LINE1, 50, 610, 950, 640)]
    assert parse(scan("passport", lines)).fields["givenName"] == "XINLING"


def test_a_given_name_whose_characters_were_not_boxed_is_read_again_with_its_pinyin() -> None:
    import numpy as np

    from certscan.cards.base import ScanInput
    from certscan.checks.repair import plain_chars
    from certscan.ocr.recognize import Recognition
    from certscan.ocr.types import Page
    from tests.cards.pages import FixedEngine

    class ReadingEngine(FixedEngine):
        def __init__(self, page: Page, text: str) -> None:
            super().__init__(page)
            self.text, self.quads = text, 0

        def read_regions(self, image: np.ndarray, page: Page, quads: list[np.ndarray]) -> list[Recognition]:
            self.quads += len(quads)
            # from the names' column to XIAO's end
            assert all(q[:, 0].min() < 400 and q[:, 0].max() >= 520 for q in quads)
            return [Recognition(self.text, 0.9, plain_chars(self.text)) for _ in quads]

    zone = [line("P<CHNMA<<XIAO".ljust(44, "<"), 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)]
    viz = [line("马MA", 395, 130, 470, 160), line("XIAO", 430, 200, 520, 230),
           line("女F", 395, 270, 450, 300)]

    def cn_name(lines: list, text: str) -> str:
        page = Page(width=1000, height=700, lines=lines)
        engine = ReadingEngine(page, text)
        return str(parse(ScanInput(card="passport", image=np.zeros((10, 10, 3), np.uint8), engine=engine))
                   .fields["cnName"])

    assert cn_name([*viz, *zone], "小XIAO") == "马小"
    assert cn_name([*viz, *zone], "少XIAO") == "马"  # characters that do not spell XIAO are not taken
    # no pinyin printed for the given name: the sex row under the surname is no name row
    assert cn_name([viz[0], viz[2], *zone], "小XIAO") == "马"
