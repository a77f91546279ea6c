from __future__ import annotations

from certscan.cards.mrz_read import fit_length, mrz_date
from certscan.cards.passport import parse, printed_date
from certscan.checks.repair import plain_chars
from tests.cards.pages import line, scan

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


def test_o_zero_swaps_that_cancel_in_the_check_sum() -> None:
    from certscan.cards.mrz_read import _fix_field, _validator

    # O (24) at weights 3 and 7 adds 240 ≡ 0: both readings pass, so the field's make-up decides.
    chars = plain_chars("EBMPNED0FLMM0<2")
    assert _fix_field(chars, _validator("personal", 14), False, by_majority=True) == ("EBMPNEDOFLMMO<2", True)
    number = plain_chars("EG25126468")  # G (16) and 6 are one apart by 10: the read stands
    assert _fix_field(number, _validator("number", 9), False) == ("EG25126468", False)
