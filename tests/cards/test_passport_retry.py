"""Passport reads that need a second look: a zone the detector cut short, a passport small in the photo."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from certscan.cards.base import ScanInput
from certscan.cards.passport import parse
from certscan.checks.repair import plain_chars
from certscan.ocr.recognize import Recognition
from certscan.ocr.types import Line, Page
from tests.cards.pages import line, scan
from tests.cards.test_passport import LINE0, LINE1, VIZ


class _Engine:
    """Pages in the order ``read`` is called (the first for the whole photo), region reads as ``halves``."""

    def __init__(self, pages: list[Page], halves: Sequence[str] = ()) -> None:
        self.pages = pages
        self.halves = list(halves)
        self.read_shapes: list[tuple[int, ...]] = []
        self.asked: list[int] = []

    def read(self, image: np.ndarray, det_max_side: int | None = None) -> Page:
        self.read_shapes.append(image.shape)
        return self.pages[len(self.read_shapes) - 1]

    def read_regions(self, image: np.ndarray, page: Page, quads: Sequence[np.ndarray]) -> list[Recognition]:
        self.asked.append(len(quads))
        return [Recognition(text, 0.99, plain_chars(text)) for text in self.halves[: len(quads)]]


def _scan(engine: _Engine, size: int = 10) -> ScanInput:
    return ScanInput(card="passport", image=np.zeros((size, size, 3), np.uint8), engine=engine)  # type: ignore[arg-type]


def _page(lines: list[Line]) -> Page:
    return Page(width=1000, height=700, lines=lines)


def test_a_zone_the_detector_cut_short_is_read_again_over_its_full_width() -> None:
    # 20 characters over 410 px: a pitch of 20.5 px, so the 44-character lines end near x = 950.
    pieces = [line(LINE0[:20], 50, 560, 460, 590), line(LINE1[:15], 50, 610, 357, 640)]
    engine = _Engine([_page([*VIZ, *pieces])], [LINE0[:22], LINE0[22:], LINE1[:22], LINE1[22:]])
    result = parse(_scan(engine))
    assert engine.asked == [4]
    assert (result.fields["line0"], result.fields["line1"]) == (LINE0, LINE1)
    assert result.extra["mrzValid"] is True


def test_a_zone_read_in_full_is_not_widened() -> None:
    pieces = [line(LINE0, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)]
    engine = _Engine([_page([*VIZ, *pieces])])
    assert parse(_scan(engine)).fields["line1"] == LINE1 and engine.asked == []


def _small_passport(mrz_lines: list[Line]) -> Page:
    """A passport in the top-left tenth of a 1000 px photo (page coordinates are the photo's)."""
    viz = [line("Surname", 10, 10, 40, 14), line("ERIKSSON", 10, 15, 50, 20),
           line("ANNA MARIA", 10, 25, 60, 30)]
    return Page(width=1000, height=1000, lines=[*viz, *mrz_lines])


def test_a_small_passport_without_a_readable_mrz_is_read_again_from_a_crop() -> None:
    first = _small_passport([line("P<UT0ERIK", 10, 80, 40, 84)])  # garbage where the MRZ is
    closer = _page([*VIZ, line(LINE0, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)])
    engine = _Engine([first, closer])
    result = parse(_scan(engine, size=1000))
    assert len(engine.read_shapes) == 2 and engine.read_shapes[1][0] < 200  # the crop, not the photo
    assert engine.read_shapes[1][:2] == (170, 134)  # the 113 x 89 px crop, small: shown enlarged 1.5x
    assert (result.fields["line0"], result.fields["line1"]) == (LINE0, LINE1)


def test_a_value_the_closer_read_missed_is_taken_from_the_first_read() -> None:
    first = _small_passport([line("P<UT0ERIK", 10, 80, 40, 84), line("Date of issue", 10, 40, 50, 44),
                             line("16 APR 2002", 10, 45, 50, 50)])  # ten years before the expiry
    closer = _page([*VIZ, line(LINE0, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)])
    result = parse(_scan(_Engine([first, closer]), size=1000))
    assert result.fields["line1"] == LINE1 and result.fields["issueDate"] == "2002-04-16"


def test_a_crop_that_still_shows_no_mrz_is_read_turned_by_180() -> None:
    first = _small_passport([line("9999299999999", 10, 80, 60, 84)])
    nothing = _page([line("ssaoq", 50, 60, 200, 90)])
    turned = _page([*VIZ, line(LINE0, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)])
    engine = _Engine([first, nothing, turned])
    result = parse(_scan(engine, size=1000))
    assert len(engine.read_shapes) == 3 and result.fields["line1"] == LINE1


def test_a_passport_filling_the_photo_is_not_read_twice() -> None:
    engine = _Engine([_page([*VIZ, line("P<UT0ERIK", 50, 560, 300, 590)])])
    parse(_scan(engine, size=1000))
    assert len(engine.read_shapes) == 1


def test_a_small_photo_filled_by_the_passport_is_read_again_enlarged() -> None:
    # 600 px: the zone's low-resolution text fell below the detector's threshold at this size
    viz = [line("Surname", 40, 40, 200, 60), line("PASS", 500, 400, 560, 440)]
    first = Page(width=600, height=600, lines=viz)
    enlarged = _page([*VIZ, line(LINE0, 50, 560, 950, 590), line(LINE1, 50, 610, 950, 640)])
    engine = _Engine([first, enlarged])
    result = parse(_scan(engine, size=600))
    assert engine.read_shapes[1][:2] == (900, 900) and result.fields["line1"] == LINE1  # 1.5x at most


def test_without_mrz_expiry_the_two_other_printed_dates_are_issue_then_expiry() -> None:
    lines = [line("Dte f bh", 400, 100, 500, 120), line("12 AUG 1974", 400, 125, 520, 150),
             line("Dteuf", 400, 160, 520, 180), line("16 APR 2022", 400, 185, 560, 210),
             line("Daefm", 400, 220, 520, 240), line("15 APR 2032", 400, 245, 560, 270)]
    f = parse(scan("passport", lines)).fields
    assert (f["issueDate"], f["expireDate"], f["expireDay"]) == ("2022-04-16", "2032-04-15", "04-15")
    assert f["birthDate"] == "1974-08-12"


def test_english_captions_two_letters_off_and_an_authority_without_its_caption() -> None:
    lines = [line("Placc of fbirth", 400, 100, 520, 120), line("HAMBURG", 400, 125, 520, 150),
             line("Authority", 700, 40, 800, 60), line("Place of issue", 700, 200, 820, 220),
             line("MINISTRY OF FOREIGN AFFAIRS", 400, 300, 700, 330)]
    f = parse(scan("passport", lines)).fields
    assert (f["birthPlace"], f["birthPlaceRaw"]) == ("HAMBURG", "HAMBURG")
    assert f["authority"] == "MINISTRY OF FOREIGN AFFAIRS"  # the caption alone is not the value
    assert parse(scan("passport", lines[:2])).fields["authority"] == ""


def test_a_nationality_read_with_a_digit_is_the_issuing_state_it_agrees_with() -> None:
    bad = LINE1[:10] + "U7O" + LINE1[13:]  # T read as 7: nationality check digits cannot see it
    f = parse(scan("passport", [*VIZ, line(LINE0, 50, 560, 950, 590), line(bad, 50, 610, 950, 640)])).fields
    assert f["srcCountry"] == "UTO"
    german = "P<D<<MUELLER<<ANNA".ljust(44, "<")
    line1 = "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"
    f = parse(scan("passport", [line(german, 50, 560, 950, 590), line(line1, 50, 610, 950, 640),
                                line("DEU", 400, 100, 440, 120)])).fields
    assert f["srcCountry"] == "D"  # a code as printed stays


def test_a_printed_number_both_check_digits_confirm_replaces_an_unlike_read() -> None:
    misread = "L8A8C02C3" + LINE1[9:]  # 9→A, 9→C: not look-alikes, yet every check digit still passes
    lines = [*VIZ, line(LINE0, 50, 560, 950, 590), line(misread, 50, 610, 950, 640)]
    assert parse(scan("passport", lines)).extra["passportNumber"] == "L898902C3"
    unconfirmed = "L8A8C02C3" + LINE1[9:43] + "5"  # the composite no longer agrees: the read stands
    lines = [*VIZ, line(LINE0, 50, 560, 950, 590), line(unconfirmed, 50, 610, 950, 640)]
    assert parse(scan("passport", lines)).extra["passportNumber"] == "L8A8C02C3"


def test_a_line_2_that_lost_a_character_is_realigned_when_one_insertion_passes_every_check() -> None:
    from certscan.cards.mrz_fields import realigned_line2

    short = LINE1[:16] + LINE1[17:]
    lost = short[:40] + "<" + short[40:]  # a birth-date digit lost, the filler run padded the line
    assert realigned_line2(lost) == LINE1
    extra = LINE1[:3] + "8" + LINE1[3:40] + LINE1[41:]  # one character too many in the number
    assert realigned_line2(extra) == LINE1
    assert realigned_line2(LINE1) is None  # nothing to realign
    f = parse(scan("passport", [*VIZ, line(LINE0, 50, 560, 950, 590), line(lost, 50, 610, 950, 640)])).fields
    assert (f["line1"], f["birthDate"]) == (LINE1, "1974-08-12")


def test_chinese_places_and_authority_settled_by_their_known_spellings() -> None:
    lines = [
        line("姓/Surname", 400, 100, 520, 125), line("王WANG", 400, 130, 520, 160),
        line("名/Given names", 400, 170, 560, 195), line("欣燕XINYAN", 400, 200, 600, 230),
        line("陕西", 640, 270, 700, 300), line("SHAANNXI", 710, 270, 820, 300),  # two boxes, one place
        line("新篷 XUNJIANG", 400, 340, 600, 370),
        line("国家移民督理局", 400, 410, 600, 440),
    ]
    f = parse(scan("passport", lines)).fields
    assert (f["birthPlace"], f["birthPlaceRaw"]) == ("陕西", "SHAANXI")
    assert (f["issuePlace"], f["issuePlaceRaw"]) == ("新疆", "XINJIANG")
    assert f["authority"] == "国家移民管理局"
    lines[6] = line("老春 SICHUN", 400, 340, 600, 370)  # a name, not 四川 one letter off
    assert parse(scan("passport", lines)).fields["issuePlace"] == ""


def test_a_place_of_birth_whose_caption_is_garbled_is_the_value_under_the_birth_date() -> None:
    lines = [line("Date of birth", 400, 100, 520, 115), line("24 SEP 1977", 400, 120, 540, 145),
             line("3maFms", 400, 150, 470, 162), line("AICHI", 400, 165, 470, 188),
             line("11 MAR 2017", 400, 200, 540, 225),
             line("P<JPNTANAKA<<SOTA".ljust(44, "<"), 50, 560, 950, 590),
             line("L4SFHK6905JPN7709243M2703109<<<<<<<<<<<<<<<4", 50, 610, 950, 640)]
    assert parse(scan("passport", lines)).fields["birthPlace"] == "AICHI"
    lines[3] = line("F", 400, 165, 420, 188)  # the sex, not a place
    assert parse(scan("passport", lines)).fields["birthPlace"] == ""


def test_a_printed_birth_date_with_a_digit_misread_is_still_the_birth_date() -> None:
    # the MRZ says 1977-09-24, the print reads 1979: still the birth date, so the one other date is
    # the issue date and the value under it the place of birth
    lines = [line("24 SEP 1979", 400, 120, 540, 145), line("AICHI", 400, 165, 470, 188),
             line("11 MAR 2017", 400, 200, 540, 225),
             line("P<JPNTANAKA<<SOTA".ljust(44, "<"), 50, 560, 950, 590),
             line("L4SFHK6905JPN7709243M2703109<<<<<<<<<<<<<<<4", 50, 610, 950, 640)]
    f = parse(scan("passport", lines)).fields
    assert (f["birthPlace"], f["issueDate"]) == ("AICHI", "2017-03-11")


def test_a_nationality_that_is_no_state_code_is_the_issuing_state_near_it() -> None:
    line1 = "RT1CP67HH9ANS5502277M3507212<<<<<<<<<<<<<<<4"  # CAN read ANS: no check digit covers it
    lines = [line("CAN", 560, 65, 600, 90), line("P<CANWILSON<<LIAM".ljust(44, "<"), 50, 560, 950, 590),
             line(line1, 50, 610, 950, 640)]
    assert parse(scan("passport", lines)).fields["srcCountry"] == "CAN"
    lines[2] = line(line1.replace("ANS", "GBD"), 50, 610, 950, 640)  # a code of its own: kept
    assert parse(scan("passport", lines)).fields["srcCountry"] == "GBD"


def test_names_the_first_read_printed_confirm_the_closer_reads_names_line() -> None:
    # the closer crop's read lost the printed names; its names line, confirmed by the first read's
    # print, is not read again (the halves would add a letter where a filler goes)
    first = _small_passport([line("P<UT0ERIK", 10, 80, 40, 84)])
    closer = _page([line("PASSPORT", 60, 40, 300, 80), line(LINE0, 50, 560, 950, 590),
                    line(LINE1, 50, 610, 950, 640)])
    engine = _Engine([first, closer], ["P<UTOERIKSSONS<<ANNA<MA", "RIA<<<<<<<<<<<<<<<<<<<<"])
    result = parse(_scan(engine, size=1000))
    assert engine.asked == [] and result.fields["line0"] == LINE0


def test_a_place_of_birth_under_a_birth_date_too_garbled_to_parse() -> None:
    lines = [line("24 SE 177", 400, 120, 540, 145), line("AICHI", 400, 165, 470, 188),  # 24 SEP 1977
             line("11 MAR 2017", 400, 200, 540, 225),
             line("P<JPNTANAKA<<SOTA".ljust(44, "<"), 50, 560, 950, 590),
             line("L4SFHK6905JPN7709243M2703109<<<<<<<<<<<<<<<4", 50, 610, 950, 640)]
    assert parse(scan("passport", lines)).fields["birthPlace"] == "AICHI"
    lines[0] = line("24 MA 177", 400, 120, 540, 145)  # not the birth date's month
    assert parse(scan("passport", lines)).fields["birthPlace"] == ""
