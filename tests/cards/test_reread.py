"""The shared enlarged re-read: only when a check fails, around the boxes found, per field the answer
passing its check."""

from __future__ import annotations

import numpy as np

from certscan.cards import reread
from certscan.ocr.types import Page
from tests.cards.pages import CountingEngine, line

CHECKS: reread.Checks = {
    "code": lambda value: len(value) == 4,
    "count": lambda value: isinstance(value, int),
}


def small_card_page() -> Page:
    """A card of 200×120 px in a 1600×1200 photo: rows of a few pixels at the detector's scale."""
    rows = [line(f"row {k}", 700, 500 + 25 * k, 900 - 20 * k, 515 + 25 * k) for k in range(5)]
    return Page(width=1600, height=1200, lines=rows)


def test_no_second_read_when_every_check_passes() -> None:
    engine = CountingEngine(small_card_page())
    image = np.zeros((1200, 1600, 3), np.uint8)
    good = {"code": "AB12", "count": 3}
    assert reread.better_fields(dict(good), small_card_page(), image, engine, lambda p: {}, CHECKS) == good
    assert engine.images == []


def test_second_read_fills_what_failed_and_keeps_what_passed() -> None:
    engine = CountingEngine(small_card_page())
    image = np.zeros((1200, 1600, 3), np.uint8)
    first = {"code": "AB12", "count": ""}
    again = {"code": "AB1", "count": 3}
    merged = reread.better_fields(first, small_card_page(), image, engine, lambda p: again, CHECKS)
    assert merged == {"code": "AB12", "count": 3}
    (card,) = engine.images
    assert max(card.shape[:2]) == reread.CARD_SIDE
    assert card.shape[1] > card.shape[0]  # the boxes' extent is wider than tall


def test_region_around_the_lines_is_padded_and_clipped() -> None:
    quad = reread.around_lines(small_card_page())
    assert quad is not None
    (x0, y0), (x1, y1) = quad.min(axis=0), quad.max(axis=0)
    assert x0 < 700 and x1 > 900 and y0 < 500 and y1 > 615
    edge = Page(width=300, height=200, lines=[line("A", 0, 0, 290, 190)] * reread.FEW_LINES)
    quad = reread.around_lines(edge)
    assert quad is not None and quad.min() >= 0 and quad[:, 0].max() <= 300 and quad[:, 1].max() <= 200
    assert reread.around_lines(Page(width=300, height=200, lines=edge.lines[:2])) is None  # specks


def test_a_card_filling_the_photo_is_not_read_again() -> None:
    filling = [line("A", 10, 10, 990, 690)] * reread.FEW_LINES
    engine = CountingEngine(Page(width=1000, height=700, lines=filling))
    image = np.zeros((700, 1000, 3), np.uint8)
    first = {"code": "", "count": ""}
    again = {"code": "AB12"}
    assert reread.better_fields(first, engine.page, image, engine, lambda p: again, CHECKS) == first
    assert engine.images == []


def test_a_photo_where_nothing_was_found_is_read_with_a_closer_detector() -> None:
    found = Page(width=1600, height=1200, lines=[line("AB12", 700, 500, 900, 520)])
    engine = CountingEngine(found)
    image = np.zeros((1200, 1600, 3), np.uint8)
    nothing = Page(width=1600, height=1200)
    merged = reread.better_fields({"code": "", "count": ""}, nothing, image, engine,
                                  lambda p: {"code": p.lines[0].text, "count": ""}, CHECKS)
    assert merged == {"code": "AB12", "count": ""}
    assert engine.det_sides == [reread.CLOSER_DETECTOR_SIDE]  # the whole image, detected closer
    # a small image: the detector saw all of it already
    small = CountingEngine(found)
    unread = {"code": ""}
    assert reread.better_fields(unread, nothing, image[:600, :800], small, lambda p: {}, CHECKS) == unread
    assert small.images == []


def test_fill_only_keeps_every_passing_value_of_the_first_read() -> None:
    engine = CountingEngine(small_card_page())
    image = np.zeros((1200, 1600, 3), np.uint8)
    first = {"code": "AB12", "count": ""}
    again = {"code": "XY34", "count": 3}  # passes more checks, but its code is no better than the first's
    merged = reread.better_fields(first, small_card_page(), image, engine, lambda p: again, CHECKS,
                                  fill_only=True)
    assert merged == {"code": "AB12", "count": 3}
    assert reread.better_fields(first, small_card_page(), image, engine, lambda p: again, CHECKS) == again


def _input_corners(cut: reread.Cut) -> np.ndarray:
    h, w = cut.image.shape[:2]
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    return corners @ cut.to_input[:, :2].T + cut.to_input[:, 2]


def test_an_enlarged_card_knows_where_it_lies_in_the_input() -> None:
    """The cut's corners map back onto the region it was cut from (the field details box values read
    from it in the input's pixels), for a wide region and for a tall one crop_quad turns."""
    image = np.zeros((1200, 1600, 3), np.uint8)
    wide = reread.enlarged_card(image, small_card_page(), reread.clipped_quad(small_card_page(), 700, 500,
                                                                                900, 620))
    assert wide is not None and max(wide.image.shape[:2]) == reread.CARD_SIDE
    assert np.allclose(_input_corners(wide), [[700, 500], [900, 500], [900, 620], [700, 620]], atol=1)
    tall_page = Page(width=1600, height=1200, lines=[])
    tall = reread.enlarged_card(image, tall_page, reread.clipped_quad(tall_page, 700, 400, 780, 700))
    assert tall is not None and tall.image.shape[1] > tall.image.shape[0]  # turned to lie flat
    # crop_quad turned the strip counter-clockwise: the cut's top-left is the region's top-right
    assert np.allclose(_input_corners(tall), [[780, 400], [780, 700], [700, 700], [700, 400]], atol=1)


def test_a_page_read_from_a_cut_is_placed_on_the_input() -> None:
    engine = CountingEngine(Page(width=1400, height=840, lines=[line("AB12", 140, 84, 280, 168)]))
    image = np.zeros((1200, 1600, 3), np.uint8)
    cut = reread.enlarged_card(image, small_card_page(), reread.clipped_quad(small_card_page(), 700, 500,
                                                                              900, 620))
    assert cut is not None
    page = reread.read_cut(engine, cut)
    assert np.allclose(page.input_points(np.array([[140, 84], [280, 168]])), [[720, 512], [740, 524]], atol=1)
    over = reread.turned_over(image)
    assert np.allclose(_input_corners(over)[0], [1600, 1200])  # its top-left is the image's bottom-right
