"""Finding the MRZ rows on a page: a names line read without fillers, a tall line-2 box."""

from __future__ import annotations

from certscan.cards.mrz_read import find_mrz_rows
from certscan.ocr.types import Page
from tests.cards.pages import line

CN_LINE1 = "E955632712CHN8603175F3208070IDIAEIKKJMFCH<20"


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


