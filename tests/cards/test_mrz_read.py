"""Line 2 of the MRZ: the optional data's padding and the sex, which no check digit covers."""

from __future__ import annotations

from certscan.cards.mrz_read import _fix_field, _validator, find_mrz_rows, read_rows
from certscan.checks.repair import plain_chars
from certscan.ocr.types import CharCandidates, Page
from tests.cards.pages import line

# ICAO Doc 9303 part 4 specimen.
LINE0 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
LINE1 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def _line2(chars: list[CharCandidates]) -> str:
    text = "".join(c.best for c in chars)
    rows = [[line(LINE0, 50, 560, 950, 590)], [line(text, 50, 610, 950, 640, chars)]]
    read = read_rows(rows)
    assert read is not None
    return read.line1


def test_fillers_read_as_k_after_the_optional_data_are_fillers() -> None:
    # K weighs 20, a filler 0: the check digits pass either way, the padding rule decides
    assert _line2(plain_chars(LINE1.replace("B<<<<<", "B<KK<<"))) == LINE1
    # L weighs 21: the check digit fails on the read and passes once it is a filler
    assert _line2(plain_chars(LINE1.replace("B<<<<<", "B<<L<<"))) == LINE1


def test_optional_data_without_a_filler_is_left_as_read() -> None:
    kept = LINE1.replace("ZE184226B<<<<<1", "ZE184226BKKKKK1")  # no filler to start the padding
    assert _line2(plain_chars(kept)) == kept


def test_the_sex_comes_from_its_closed_set() -> None:
    chars = plain_chars(LINE1)
    chars[20] = CharCandidates(chars=("W", "F"), probs=(0.55, 0.4))  # the recogniser's second choice
    assert _line2(chars) == LINE1
    chars[20] = CharCandidates(chars=("P",), probs=(0.6,))  # no alternative: the look-alike
    assert _line2(chars) == LINE1


CN_LINE1 = "E955632712CHN8603175F3208070IDIAEIKKJMFCH<20"


def test_the_likeliest_repair_wins_over_a_letters_typed_number() -> None:
    # E read as L (33 % E): typed as letters (5 -> S, 6 -> G, ...) the number passes with L -> I (2 %)
    chars = plain_chars(CN_LINE1[:10])
    chars[0] = CharCandidates(chars=("L", "E", "C", "1", "I"), probs=(0.45, 0.33, 0.06, 0.03, 0.02))
    assert _fix_field(chars, _validator("number"), digits_only=False) == ("E955632712", True)


def test_a_names_line_without_fillers_above_line_2_is_found() -> None:
    names = "PKCHNDENGKKMEIJIAESKSKKS"  # every filler read as a letter: not MRZ-like on its own
    lines = [line("PASSPORT", 60, 40, 300, 80), line(names, 50, 560, 600, 590),
             line(CN_LINE1, 50, 610, 950, 640)]
    page = Page(width=1000, height=700, lines=lines)
    rows = find_mrz_rows(page)
    assert [[ln.text for ln in row] for row in rows] == [[names], [CN_LINE1]]


def test_a_tall_line_2_box_overlapping_the_names_line_is_split_from_it() -> None:
    # the short names line's box and line 2's tall one overlap by more than half: one row for group_rows
    names = "P<CHNQIU<<MEIYAN<<<"
    lines = [line(names, 50, 560, 500, 600), line(CN_LINE1, 50, 578, 950, 660)]
    page = Page(width=1000, height=700, lines=lines)
    rows = find_mrz_rows(page)
    assert [[ln.text for ln in row] for row in rows] == [[names], [CN_LINE1]]


def test_optional_data_of_letters_is_repaired_as_letters_only() -> None:
    # a Chinese passport's coded number read with 1 for I: as letters two repairs pass (no decision);
    # keeping the digits, D -> P passed by chance (1P1AE1KKJMECH) and was taken before
    chars = plain_chars("1D1AE1KKJMECH<2")
    chars[1] = CharCandidates(chars=("D", "0", "P"), probs=(0.82, 0.09, 0.03))
    chars[10] = CharCandidates(chars=("E", "F", "L"), probs=(0.87, 0.07, 0.01))
    text, _ = _fix_field(chars, _validator("personal"), digits_only=False, by_majority=True)
    assert text != "1P1AE1KKJMECH<2"
