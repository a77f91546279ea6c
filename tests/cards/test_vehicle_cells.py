"""The vehicle licence front's date cells read again as one strip beside their caption when the page
read held no whole date there (the seal cut the value's box)."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np

from certscan.cards import vehicle_cells
from certscan.cards import vehicle_license as parser
from certscan.ocr.types import Line, Page
from tests.cards import pages


def line(text: str, x0: float, y0: float, x1: float) -> Line:
    return pages.line(text, x0, y0, x1, y0 + 30)


def reader(text: str, quads: list[np.ndarray]) -> Any:
    def read(qs: Sequence[np.ndarray]) -> list[SimpleNamespace]:
        quads.extend(qs)
        return [SimpleNamespace(text=text, confidence=0.9, chars=[])]
    return read


def cut_page() -> Page:
    return Page(width=880, height=600, lines=[
        line("注册日期", 58, 483, 150), line("2008", 207, 478, 280),
        line("发证日期", 468, 482, 561), line("2023-07-15", 592, 479, 745),
    ])


def test_a_date_cut_by_the_seal_is_read_again_beside_its_caption() -> None:
    page, quads = cut_page(), []
    fields = {"registerDate": "", "issueDate": "2023-07-15"}
    parser._reread_dates(page, fields, reader("2008-05-28", quads))
    assert fields == {"registerDate": "2008-05-28", "issueDate": "2023-07-15"}
    assert len(quads) == 1  # the issue date's cell was whole: not read again
    strip = quads[0]
    assert 150 <= strip[:, 0].min() < 170 and strip[:, 0].max() > 207 + 150  # right of the caption
    assert strip[:, 1].min() < 483 and strip[:, 1].max() > 513


def test_a_reread_date_counts_only_whole() -> None:
    page, quads = cut_page(), []
    fields = {"registerDate": "", "issueDate": "2023-07-15"}
    parser._reread_dates(page, fields, reader("2015-02-1]", quads))  # a digit lost: no date
    assert fields["registerDate"] == ""
    assert vehicle_cells.whole_date("[2015-02-11发证") == "2015-02-11"
    assert vehicle_cells.whole_date("2015-13-11") == ""
    parser._reread_dates(page, fields, None)  # no region reader (a test double engine)
    assert fields["registerDate"] == ""


def test_a_date_never_comes_from_past_the_other_caption_read_with_a_slip() -> None:
    page = Page(width=880, height=600, lines=[
        line("注册日期", 58, 483, 150), line("N220410", 207, 478, 330),
        line("发诚日期", 468, 482, 561), line("2025-10-27", 592, 479, 745),
    ])
    assert parser._date(page, "注册日期") == ""


def test_the_back_s_seats_the_detector_missed_are_read_beside_their_caption() -> None:
    from certscan.cards import vehicle_license_back as back
    from certscan.cards.vehicle_license import find_caption

    page = Page(width=880, height=600,
                lines=[line("核定载人数", 59, 137, 187), line("总质量2001kg", 459, 135, 655)])
    hit = find_caption(page, "核定载人数", back.BACK_LABELS)
    quads: list[np.ndarray] = []
    assert vehicle_cells.reread_seats(page, hit, reader("5人", quads)) == 5
    assert quads[0][:, 0].min() >= 180 and quads[0][:, 0].max() < 459  # beside it, short of the next cell
    assert vehicle_cells.reread_seats(page, hit, reader("5", [])) == ""  # 人 unread: a speck or a mass
    assert vehicle_cells.reread_seats(page, hit, reader("0人", [])) == ""
    assert vehicle_cells.reread_seats(page, None, reader("5人", [])) == ""
    assert vehicle_cells.reread_seats(page, hit, None) == ""
