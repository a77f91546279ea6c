from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from certscan.cards.base import ScanInput
from certscan.cards.mrz_fields import mrz_date
from certscan.cards.mrz_read import fit_length
from certscan.cards.passport import closed_initialism, issue_year_by_expiry, parse, printed_date
from certscan.checks.repair import plain_chars
from certscan.ocr.recognize import Recognition
from certscan.ocr.types import Line, Page
from tests.cards.pages import CountingEngine, FixedEngine, line, scan

# ICAO Doc 9303 part 4 specimen.
LINE0 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
LINE1 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_mrz_fields_with_short_filler_runs_and_lookalikes() -> None:
    ocr0 = LINE0.replace("<<<<<<<<<<<<<<<<<<<", "<<<<<<<<<<")  # CTC merged repeated fillers
    ocr1 = LINE1.replace("7408122", "74O8I22")  # O/I for 0/1 in the birth date
    lines = [line("PASSPORT", 60, 40, 300, 80), line(ocr0, 50, 560, 950, 590), line(ocr1, 50, 610, 950, 640)]
    result = parse(scan("passport", lines))
    f = result.fields
    assert f["line0"] == LINE0 and f["line1"] == LINE1
    assert (f["surname"], f["givenName"], f["name"]) == ("ERIKSSON", "ANNA MARIA", "ERIKSSON ANNA MARIA")
    assert (f["birthDate"], f["expireDate"], f["birthDay"]) == ("1974-08-12", "2012-04-15", "08-12")
    assert (f["srcCountry"], f["personId"], f["type"]) == ("UTO", "ZE184226B", "P")
    assert result.extra["passportNumber"] == "L898902C3" and result.extra["mrzValid"] is True


def test_chinese_visual_zone() -> None:
    lines = [
        line("姓/Surname", 400, 100, 520, 125), line("王WANG", 400, 130, 520, 160),
        line("名/Given names", 400, 170, 560, 195), line("欣燕XINYAN", 400, 200, 600, 230),
        line("出生地点/Place of birth", 640, 240, 860, 265), line("广西GUANGXI", 640, 270, 820, 300),
        line("签发地点/Place of issue", 400, 310, 620, 335), line("广西 GUANGXI", 400, 340, 600, 370),
        line("签发日期/Date of issue", 840, 310, 1060, 335), line("10 12月/DEC 2018", 840, 340, 1060, 370),
        line("签发机关/Authority", 400, 380, 560, 405), line("国家移民管理局", 400, 410, 600, 440),
    ]
    f = parse(scan("passport", lines)).fields
    assert (f["cnName"], f["cnNameRaw"]) == ("王欣燕", "WANG XINYAN")
    assert (f["birthPlace"], f["birthPlaceRaw"], f["issuePlace"]) == ("广西", "GUANGXI", "广西")
    assert (f["issueDate"], f["authority"]) == ("2018-12-10", "国家移民管理局")


def test_printed_dates() -> None:
    assert printed_date("15 3月/MAR 2019") == "2019-03-15"
    assert printed_date("01 JAN 76") == "2076-01-01" or printed_date("01 JAN 76") == ""
    assert printed_date("01.01.1911") == "1911-01-01"
    assert printed_date("no date") == ""


def test_mrz_century_rules() -> None:
    assert mrz_date("110101", future=False) in ("2011-01-01",)
    import datetime as dt
    assert mrz_date("110101", future=False, not_after=dt.date(2007, 7, 4)) == "1911-01-01"
    assert mrz_date("281209", future=True) == "2028-12-09"


def test_fit_length_stretches_fillers() -> None:
    chars = fit_length(plain_chars("P<UTOA<<B<<<"), protect=5)
    assert len(chars) == 44 and "".join(c.best for c in chars).startswith("P<UTOA<<B<<<<")


def test_a_short_names_line_is_padded_at_its_end() -> None:
    # the detector cut the names line after XIAO<: stretching its longest filler run (the << between the
    # names) would push XIAO out of the line
    from certscan.cards.mrz_read import read_rows

    rows = [[line("P<CHNMA<<XIAO<", 100, 600, 300, 625)],
            [line("E687690815CHN6908016F2501017AEEFCNJFDNNCL<04", 100, 630, 700, 655)]]
    read = read_rows(rows)
    assert read is not None and read.valid
    assert read.line0 == "P<CHNMA<<XIAO".ljust(44, "<")


def test_a_digit_no_letter_looks_like_in_the_names_is_a_filler() -> None:
    from certscan.cards.mrz_read import read_rows

    rows = [[line("P<FRATHOMAS<<HUGO<4<", 100, 600, 300, 625)],
            [line("E687690815CHN6908016F2501017AEEFCNJFDNNCL<04", 100, 630, 700, 655)]]
    read = read_rows(rows)
    assert read is not None and read.line0 == "P<FRATHOMAS<<HUGO".ljust(44, "<")


def test_o_zero_swaps_that_cancel_in_the_check_sum() -> None:
    from certscan.cards.mrz_fields import field_validator, fix_field

    # O (24) at weights 3 and 7 adds 240 ≡ 0: both readings pass, so the field's make-up decides.
    chars = plain_chars("EBMPNED0FLMM0<2")
    assert fix_field(chars, field_validator("personal"), False, by_majority=True) == ("EBMPNEDOFLMMO<2", True)
    number = plain_chars("EG25126468")  # G (16) and 6 are one apart by 10: the read stands
    assert fix_field(number, field_validator("number"), False) == ("EG25126468", False)


class _RereadEngine(FixedEngine):
    """A fixed page whose regions re-read as ``halves`` (in order), recording what was asked."""

    def __init__(self, page: Page, halves: list[str]) -> None:
        super().__init__(page)
        self.halves = halves
        self.asked: list[int] = []

    def read_regions(self, image: np.ndarray, page: Page, quads: Sequence[np.ndarray]) -> list[Recognition]:
        self.asked.append(len(quads))
        return [Recognition(text, 0.99, plain_chars(text)) for text in self.halves[: len(quads)]]


def _passport_scan(lines: list[Line], halves: list[str]) -> tuple[ScanInput, _RereadEngine]:
    engine = _RereadEngine(Page(width=1000, height=700, lines=lines), halves)
    return ScanInput(card="passport", image=np.zeros((10, 10, 3), np.uint8), engine=engine), engine


VIZ = [line("Surname", 400, 100, 500, 120), line("ERIKSSON", 400, 125, 520, 150),
       line("Given names", 400, 160, 520, 180), line("ANNA MARIA", 400, 185, 560, 210),
       line("Passport No.", 700, 40, 820, 60), line("L898902C3", 700, 65, 830, 90),
       line("UTO", 560, 65, 600, 90)]


def test_an_mrz_the_visual_zone_confirms_is_read_once() -> None:
    mrz_lines = [line(LINE0, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)]
    scan_input, engine = _passport_scan([*VIZ, *mrz_lines], [])
    f = parse(scan_input).fields
    assert engine.asked == [] and (f["line0"], f["line1"]) == (LINE0, LINE1)


def test_only_the_rows_that_need_it_are_read_again() -> None:
    garbled0 = "P<UTOERIKSSON<<ANA<<<<<<<<<<<"  # given names the visual zone does not print
    bad1 = LINE1[:19] + "7" + LINE1[20:]  # the birth date's check digit misread, no alternatives
    halves = [LINE0[:22], LINE0[22:], LINE1[:22], LINE1[22:]]
    rows = [line(garbled0, 50, 560, 950, 590), line(bad1, 50, 610, 950, 640)]
    scan_input, engine = _passport_scan([*VIZ, *rows], halves)
    f = parse(scan_input).fields
    assert engine.asked == [4] and (f["line0"], f["line1"]) == (LINE0, LINE1)
    rows = [line(LINE0, 50, 560, 950, 590), line(bad1, 50, 610, 950, 640)]
    scan_input, engine = _passport_scan([*VIZ, *rows], [LINE1[:22], LINE1[22:]])
    f = parse(scan_input).fields
    assert engine.asked == [2] and f["line1"] == LINE1


def test_a_number_swap_the_check_sum_cannot_see_follows_the_printed_number() -> None:
    swapped = "LB9B902C3" + LINE1[9:]  # B/8 twice: the same check digit, the same composite
    lines = [*VIZ, line(LINE0, 50, 560, 950, 590), line(swapped, 50, 610, 950, 640)]
    result = parse(scan("passport", lines))
    assert result.fields["line1"] == LINE1
    assert result.extra["passportNumber"] == "L898902C3"


def test_a_line_2_without_its_filler_run_is_still_the_mrz() -> None:
    cut = LINE1[:28]  # the detector missed the filler run and the last digits
    f = parse(scan("passport", [line(LINE0, 50, 560, 950, 590), line(cut, 50, 610, 560, 640)])).fields
    assert (f["birthDate"], f["expireDate"], f["srcCountry"]) == ("1974-08-12", "2012-04-15", "UTO")


def test_given_names_the_mrz_read_lost_come_from_the_row_under_the_surname() -> None:
    line0 = "P<CHNWANG<<" + "<" * 33
    line1 = "E123456782CHN8001014F3001019<<<<<<<<<<<<<<08"
    lines = [
        line("姓/Surname", 400, 100, 520, 125), line("王WANG", 400, 130, 520, 160),
        line("名/Given names", 400, 170, 560, 195),
        line("欣燕", 400, 200, 460, 230), line("XINYAN", 470, 200, 600, 230),
        line("性别/Sex", 400, 240, 480, 265), line("女/F", 400, 270, 460, 300),
        line(line0, 50, 560, 950, 590), line(line1, 50, 610, 950, 640),
    ]
    f = parse(scan("passport", lines)).fields
    assert (f["cnName"], f["givenName"], f["name"]) == ("王欣燕", "XINYAN", "WANG XINYAN")
    assert f["line0"] == "P<CHNWANG<<XINYAN".ljust(44, "<")


def test_printed_dates_with_a_day_ending_in_zero_and_o_read_as_zero() -> None:
    assert printed_date("10MAR2023") == "2023-03-10"
    assert printed_date("1111月/N0V2024") == "2024-11-11"
    assert printed_date("150CT2019") == "2019-10-15"
    assert printed_date("02.9月/SEP2021") == "2021-09-02"  # a speck after the day
    assert printed_date("12.03.2020") == "2020-03-12"
    assert printed_date("069月/5EP2024") == "2024-09-06"  # a garbled abbreviation beside the month's number
    assert printed_date("06 5EP 2024") == ""  # and no number: no month
    assert printed_date("212月/F82016") == "2016-02-21"  # a two-character abbreviation before the year
    assert printed_date("10 12月 1998") == "1998-12-10"  # no abbreviation: the year is not cut


def test_an_issuing_state_that_lost_a_letter_is_realigned_on_the_printed_names() -> None:
    shifted = "P<TOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<<"  # U dropped: every name one place left
    lines = [*VIZ, line(shifted, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)]
    assert parse(scan("passport", lines)).fields["line0"] == LINE0


def test_a_given_name_spelled_like_the_surname_is_read_from_its_own_row() -> None:
    line0 = "P<CHNLI<<LI".ljust(44, "<")
    line1 = "E123456782CHN8001014F3001019<<<<<<<<<<<<<<08"
    lines = [line("李LI", 400, 130, 520, 160), line("丽LI", 400, 200, 520, 230),
             line(line0, 50, 560, 950, 590), line(line1, 50, 610, 950, 640)]
    assert parse(scan("passport", lines)).fields["cnName"] == "李丽"


def test_a_names_line_the_detector_missed_is_read_above_line_2_when_the_print_confirms_it() -> None:
    scan_input, engine = _passport_scan([*VIZ, line(LINE1, 50, 610, 950, 640)], [LINE0[:22], LINE0[22:]])
    assert parse(scan_input).fields["line0"] == LINE0 and engine.asked == [2]
    scan_input, engine = _passport_scan([line(LINE1, 50, 610, 950, 640)], [LINE0[:22], LINE0[22:]])
    assert parse(scan_input).fields["line0"] == ""  # nothing printed confirms it: not taken


def test_a_single_filler_between_surname_and_given_names_is_the_separator() -> None:
    merged = "P<UTOERIKSSON<ANNA<MARIA".ljust(44, "<")
    lines = [*VIZ, line(merged, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)]
    f = parse(scan("passport", lines)).fields
    assert (f["line0"], f["surname"], f["givenName"]) == (LINE0, "ERIKSSON", "ANNA MARIA")


def test_an_mrz_passing_every_check_is_not_read_again_for_its_names() -> None:
    # The visual zone prints no names to confirm line 1; the passport is small in a large photo (a
    # crop around it would be read): the page is still read once.
    numbers_only = [ln for ln in VIZ if ln.text not in ("ERIKSSON", "ANNA MARIA")]
    mrz_lines = [line(LINE0, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)]
    engine = CountingEngine(Page(width=1000, height=700, lines=[*numbers_only, *mrz_lines]))
    scan_input = ScanInput(card="passport", image=np.zeros((1400, 2000, 3), np.uint8), engine=engine)
    f = parse(scan_input).fields
    assert len(engine.images) == 1 and (f["line0"], f["line1"]) == (LINE0, LINE1)


def test_a_names_line_re_read_with_its_frame_broken_keeps_the_page_read() -> None:
    viz = [ln for ln in VIZ if ln.text != "ERIKSSON"] + [line("ERIKSON", 400, 125, 520, 150)]  # misprinted
    rows = [line(LINE0, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)]
    # the halves read the fillers after the names as letters: no P, no ``<<``, but more letters
    halves = ["F<UTOERIKSSONK<ANNA<MAR", "IAKKS<<<<<<<<<<<<<<<<<<"]
    scan_input, engine = _passport_scan([*viz, *rows], halves)
    f = parse(scan_input).fields
    assert engine.asked == [2] and f["line0"] == LINE0


def test_a_dotted_initialism_that_lost_its_last_dot_gets_it_back() -> None:
    assert closed_initialism("CALIFORNIA U.S.A") == "CALIFORNIA U.S.A."
    assert closed_initialism("NEW YORK U.S.A.") == "NEW YORK U.S.A."
    assert closed_initialism("PARIS") == closed_initialism("PARIS") == "PARIS"


def test_line_2_the_detector_missed_is_read_under_a_names_line_cut_short() -> None:
    names_start = line(LINE0[:22], 50, 560, 501, 590)  # 22 characters at a 20.5 px pitch, no line 2
    garbage = ["ceceeeeeee", "eeeecece"]
    # the names band, then line 2's band one, 1.4 and 1.8 line heights under it
    halves = [LINE0[:22], LINE0[22:], *garbage, LINE1[:22], LINE1[22:], *garbage]
    scan_input, engine = _passport_scan([*VIZ, names_start], halves)
    result = parse(scan_input)
    assert engine.asked == [8] and (result.fields["line0"], result.fields["line1"]) == (LINE0, LINE1)
    assert result.extra["mrzValid"] is True
    scan_input, engine = _passport_scan([*VIZ, names_start], [LINE0[:22], LINE0[22:], *garbage * 3])
    assert parse(scan_input).fields["line1"] == ""  # no band under it passes the check digits: no MRZ


def test_a_printed_pinyin_with_a_letter_too_many_does_not_replace_the_name_its_characters_spell() -> None:
    line0 = "P<CHNWANG<<XINYAN".ljust(44, "<")
    line1 = "E123456782CHN8001014F3001019<<<<<<<<<<<<<<08"
    lines = [line("姓/Surname", 400, 100, 520, 125), line("王WUANG", 400, 130, 520, 160),  # W read as WU
             line("名/Given names", 400, 170, 560, 195), line("欣燕XINYAN", 400, 200, 600, 230),
             line(line0, 50, 560, 950, 590), line(line1, 50, 610, 950, 640)]
    f = parse(scan("passport", lines)).fields
    assert (f["surname"], f["line0"], f["cnName"], f["cnNameRaw"]) == ("WANG", line0, "王欣燕", "WANG XINYAN")


def test_an_issue_date_with_its_year_misread_takes_the_year_its_validity_gives() -> None:
    # 2929 is after the expiry: five years before it (to the day before) is 2020, ten is 2015
    assert issue_year_by_expiry("2929-08-25", "2025-08-24", "2018-10-19") == "2020-08-25"
    assert issue_year_by_expiry("2020-08-25", "2025-08-24", "2018-10-19") == "2020-08-25"  # plausible
    assert issue_year_by_expiry("1985-02-08", "2028-09-30", "1985-02-10") == "1985-02-08"  # no year fits


def test_a_names_line_read_above_line_2_with_a_printed_surname_is_kept_for_the_names_repairs() -> None:
    line1 = "E123456782CHN8001014F3001019<<<<<<<<<<<<<<08"
    names = "P<CHNLIUCCHUACHAOCCCC"  # fillers read as C: only the surname is printed (the given misread)
    viz = [line("刘LIU", 400, 130, 520, 160), line("华超RUACHAO", 400, 200, 600, 230)]
    halves = [names, "C" * 23]
    scan_input, _ = _passport_scan([*viz, line(line1, 50, 610, 950, 640)], halves)
    f = parse(scan_input).fields
    expected = "P<CHNLIU<<HUACHAO".ljust(44, "<")
    assert (f["line0"], f["surname"], f["givenName"]) == (expected, "LIU", "HUACHAO")
    scan_input, _ = _passport_scan([line(line1, 50, 610, 950, 640)], halves)
    assert parse(scan_input).fields["line0"] == ""  # nothing printed: not taken
