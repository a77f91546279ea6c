"""The MRZ read against the visual zone's print: line 1's separator and state, the nationality."""

from __future__ import annotations

from certscan.cards.mrz_read import MrzRead
from certscan.cards.passport_crosscheck import (
    names_confirmed,
    repair_chinese_names,
    repair_nationality,
    repair_separator,
)

# ICAO Doc 9303 part 4 specimen.
ICAO_LINE0 = "P<UTOERIKSSON<<ANNA<MARIA".ljust(44, "<")
ICAO_LINE1 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
PRINTED = {"ERIKSSON", "ANNAMARIA", "UTO"}
LINE1 = "E123456782CHN8505028F2708045<<<<<<<<<<<<<<04"


def test_names_confirmed_by_the_printed_surname_and_given_names() -> None:
    assert names_confirmed(MrzRead(line0=ICAO_LINE0, line1=ICAO_LINE1), PRINTED)
    assert not names_confirmed(MrzRead(line0=ICAO_LINE0, line1=ICAO_LINE1), {"ERIKSSON", "UTO"})


def test_a_single_filler_where_the_printed_surname_ends_is_the_separator() -> None:
    read = MrzRead(line0="P<UTOERIKSSON<ANNA<MARIA".ljust(44, "<"), line1=ICAO_LINE1)
    repair_separator(read, PRINTED)
    assert read.line0 == ICAO_LINE0


def test_a_nationality_read_with_a_digit_is_the_issuing_state() -> None:
    read = MrzRead(line0=ICAO_LINE0, line1=ICAO_LINE1.replace("UTO", "UT0"))
    repair_nationality(read, PRINTED)
    assert read.line1 == ICAO_LINE1


def test_an_issuing_state_read_as_no_code_on_a_clean_chinese_line() -> None:
    read = MrzRead(line0="P<HNULUO<<BO".ljust(44, "<"), line1=LINE1)
    repair_chinese_names(read, {"LUO", "BO"})
    assert read.line0 == "P<CHNLUO<<BO".ljust(44, "<")


def test_letters_in_a_chinese_passport_numbers_digits_are_the_digits_that_pass() -> None:
    from certscan.cards.mrz_read import MrzRead
    from certscan.cards.passport_crosscheck import chinese_number_digits
    from certscan.checks import mrz

    right = "EJ88061301CHN1912157F2807029EPJOILNNHOME<<00"
    read_as = "EJSS" + right[4:]  # S weighs as 8 in the check sum: every check passes as read
    read = MrzRead(line0="", line1=read_as, checks=mrz.td3_checks(read_as))
    chinese_number_digits(read)
    assert read.line1 == right and read.valid
    foreign = read_as.replace("CHN", "UTO")  # another state's numbers may hold letters
    read = MrzRead(line0="", line1=foreign, checks=mrz.td3_checks(foreign))
    chinese_number_digits(read)
    assert read.line1 == foreign


def test_a_names_line_piece_too_short_to_look_like_an_mrz_confirms_no_names() -> None:
    from certscan.cards.passport_crosscheck import latin_runs
    from certscan.ocr.types import Page
    from tests.cards.pages import line

    # the detector cut line 1 after ZI (ZIWEN): its piece must not confirm the given name ZI
    page = Page(width=900, height=660, lines=[line("子文ZIWEN", 294, 192, 400, 209),
                                              line("P<CHNZHOU<<ZI", 148, 386, 400, 401)])
    assert latin_runs(page) == {"ZIWEN"}
