"""The household page's enlarged re-read: only when the page fails its checks, merged value by value."""

from __future__ import annotations

import numpy as np

from certscan.cards import household_reread
from certscan.cards.base import CardResult, ScanInput
from certscan.ocr.types import Page
from tests.cards.pages import CountingEngine, line

GOOD = {"name": "张伟", "relationTo": "户主", "nation": "汉族", "idNumber": "11010519491231002X",
        "birthday": "1949-12-31", "registerDate": "2010-06-01", "undertaker": "王芳", "hometown": "北京"}


def small_page() -> Page:
    """A register page of about 500×330 px in a 2400×1800 photo, its title read."""
    lines = [line("常住人口登记卡", 1100, 700, 1250, 725)]
    lines += [line(f"row {k}", 960, 740 + 40 * k, 1380, 760 + 40 * k) for k in range(6)]
    return Page(width=2400, height=1800, lines=lines)


def result(fields: dict[str, str]) -> CardResult:
    return CardResult(card="household-resident", fields=dict(fields))


def test_a_page_passing_all_but_one_check_is_not_read_again() -> None:
    engine = CountingEngine(small_page())
    scan = ScanInput("household-resident", np.zeros((1800, 2400, 3), np.uint8), engine)
    first = result({**GOOD, "undertaker": ""})
    kept = household_reread.closer_if_failed(first, small_page(), scan, lambda *a: result(GOOD),
                                             household_reread.RESIDENT_CHECKS)
    assert kept is first and engine.images == []


def test_a_failed_page_is_read_again_enlarged_and_merged() -> None:
    engine = CountingEngine(small_page())
    scan = ScanInput("household-resident", np.zeros((1800, 2400, 3), np.uint8), engine)
    first = result({**GOOD, "name": "荐", "nation": "版", "registerDate": "", "hometown": "河北",
                    "religion": "无"})
    again = result({**GOOD, "idNumber": "11010519491231002", "hometown": "北京", "religion": ""})
    merged = household_reread.closer_if_failed(first, small_page(), scan, lambda *a: again,
                                               household_reread.RESIDENT_CHECKS)
    (card,) = engine.images
    assert max(card.shape[:2]) == household_reread.reread.CARD_SIDE
    # the re-read passes more checks: its values, with the number its read failed taken from the first
    assert merged.fields == {**GOOD, "hometown": "北京", "religion": "无"}  # unread again: the first read


def test_the_card_is_placed_under_its_title() -> None:
    page = small_page()
    title = household_reread.title_line(page)
    assert title is not None
    quad = household_reread.card_region(page, title)
    assert quad is not None
    (x0, y0), (x1, y1) = quad.min(axis=0), quad.max(axis=0)
    assert x0 < 960 and x1 > 1380 and y0 < 700 and y1 > 960


def test_a_second_read_barely_better_only_fills_what_the_first_failed() -> None:
    engine = CountingEngine(small_page())
    scan = ScanInput("household-resident", np.zeros((1800, 2400, 3), np.uint8), engine)
    first = result({**GOOD, "name": "荐", "undertaker": "", "hometown": "河北"})
    again = result({**GOOD, "undertaker": "", "hometown": "北京"})  # one check more: enlarged blur
    merged = household_reread.closer_if_failed(first, small_page(), scan, lambda *a: again,
                                               household_reread.RESIDENT_CHECKS)
    assert merged.fields == {**GOOD, "undertaker": "", "hometown": "河北"}


def test_garbage_from_the_second_read_does_not_fill_a_blank_value() -> None:
    engine = CountingEngine(small_page())
    scan = ScanInput("household-resident", np.zeros((1800, 2400, 3), np.uint8), engine)
    first = result({**GOOD, "name": "荐", "undertaker": "", "bloodType": "", "education": "",
                    "occupation": ""})
    again = result({**GOOD, "name": "荐", "undertaker": "", "bloodType": "PIASPIEE次女", "education": "高中",
                    "occupation": "山地过来本市()"})
    merged = household_reread.closer_if_failed(first, small_page(), scan, lambda *a: again,
                                               household_reread.RESIDENT_CHECKS)
    assert (merged.fields["bloodType"], merged.fields["education"], merged.fields["occupation"]) == (
        "", "高中", "")


def test_a_title_read_with_a_character_lost_still_places_the_page() -> None:
    for title in ("住人口#记卡", "户口博", "常住人口登记卡", "户口薄"):
        page = Page(width=2400, height=1800, lines=[line(title, 1100, 700, 1250, 725)])
        assert household_reread.title_line(page) is not None, title
    page = Page(width=2400, height=1800, lines=[line("户口专用章", 1100, 700, 1250, 725)])
    assert household_reread.title_line(page) is None

