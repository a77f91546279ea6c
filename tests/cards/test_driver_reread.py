"""The driving licence front's second read: only when a check fails, on the card cut out and enlarged,
and per field the answer that passes its check."""

from __future__ import annotations

import numpy as np
import pytest

from certscan.cards import driver_reread
from certscan.ocr.recognize import Recognition
from certscan.ocr.types import Line, Page
from tests.cards.pages import CountingEngine

GOOD = {
    "name": "王小明",
    "number": "11010519491231002X",
    "address": "北京市朝阳区建国路1号",
    "vehicleType": "C1",
    "validStartDate": "2020-06-30",
    "validEndDate": "2026-06-30",
}


def line(text: str, x0: float, y0: float, x1: float, y1: float) -> Line:
    box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.9)


def small_card_page() -> Page:
    return Page(width=800, height=600, lines=[line("中华人民共和国机动车驾驶证", 300, 200, 500, 215)])


def test_checks_count_passing_values() -> None:
    assert driver_reread.field_checks(GOOD) == len(driver_reread.FIELD_CHECKS)
    bad = {**GOOD, "number": "110105194912310021", "validEndDate": "", "name": "王"}
    assert driver_reread.field_checks(bad) == len(driver_reread.FIELD_CHECKS) - 3


def test_no_second_read_when_every_check_passes() -> None:
    engine = CountingEngine(small_card_page())
    image = np.zeros((600, 800, 3), np.uint8)
    assert driver_reread.better_fields(dict(GOOD), small_card_page(), image, engine, lambda p: {}) == GOOD
    assert engine.images == []


def test_second_read_on_the_enlarged_card_fills_what_failed() -> None:
    first = {**GOOD, "number": "", "vehicleType": ""}
    again = {**GOOD, "name": "", "vehicleType": "C1"}
    engine = CountingEngine(small_card_page())
    image = np.zeros((600, 800, 3), np.uint8)
    merged = driver_reread.better_fields(first, small_card_page(), image, engine, lambda p: again)
    assert merged == GOOD  # the number and class from the re-read, the name from the first read
    (card,) = engine.images
    assert max(card.shape[:2]) == driver_reread.CARD_SIDE
    assert card.shape[1] > card.shape[0]  # the card is wider than tall, as the title line lies


def test_card_region_from_the_title_stays_inside_the_page() -> None:
    quad = driver_reread.card_region(small_card_page())
    assert quad is not None
    x0, y0 = quad.min(axis=0)
    x1, y1 = quad.max(axis=0)
    assert (x0, y0) >= (0, 0) and x1 <= 800 and y1 <= 600
    assert x0 < 300 < 500 < x1 and y0 < 200 and y1 > 215 + 200  # the rows under the title are inside


def test_a_card_filling_the_photo_is_not_read_again() -> None:
    # a 3000-px photo of a 2700-px card: the re-read would show the detector the same pixels
    assert driver_reread.detector_gain(3000, 2700) < driver_reread.MIN_DETECTOR_GAIN
    # a 600-px card in a 3000-px photo: the re-read sees it five times larger
    assert driver_reread.detector_gain(3000, 600) == pytest.approx(5.0)
    # a small image is not shrunk by the first read: only the card's share of it counts
    assert driver_reread.detector_gain(800, 790) < driver_reread.MIN_DETECTOR_GAIN


def test_second_read_only_fills_the_values_that_failed() -> None:
    first = {**GOOD, "number": ""}
    again = {**GOOD, "name": "王小朋", "address": "北京市朝阳区建国路7号"}  # misread, passing their checks
    engine = CountingEngine(small_card_page())
    image = np.zeros((600, 800, 3), np.uint8)
    merged = driver_reread.better_fields(first, small_card_page(), image, engine, lambda p: again)
    assert merged == GOOD  # the number from the re-read, every value the first read passed kept


@pytest.mark.parametrize(("lost", "whole"), [("北京市朝阳区建国路号", "北京市朝阳区建国路17号"),
                                            ("河北省保定市蠡县大营村3组59", "河北省保定市蠡县大营村3组59号")])
def test_address_that_lost_its_house_number_or_its_hao_fails_its_check(lost: str, whole: str) -> None:
    assert not driver_reread.FIELD_CHECKS["address"](lost)
    assert driver_reread.FIELD_CHECKS["address"](whole)


def name_box(text: str, width: float) -> Page:
    return Page(width=800, height=600, lines=[line(text, 100, 100, 100 + width, 140)])


def test_name_in_a_box_wider_than_its_characters_is_read_again_from_the_input() -> None:
    asked: list[int] = []

    def reader(quads: list[np.ndarray]) -> list[Recognition]:
        asked.append(len(quads))
        return [Recognition(text="贺琪霞", confidence=0.9)]

    assert driver_reread.name_read_whole("贺琪", name_box("贺琪", 100), reader) == "贺琪霞"
    # a box as wide as two characters: no second read
    assert driver_reread.name_read_whole("贺琪", name_box("贺琪", 70), reader) == "贺琪"
    assert asked == [1]


def test_name_read_again_is_kept_only_when_it_extends_the_first_read() -> None:
    def reader(quads: list[np.ndarray]) -> list[Recognition]:
        return [Recognition(text="刘票A", confidence=0.9)]

    assert driver_reread.name_read_whole("刘", name_box("刘", 60), reader) == "刘"
    assert driver_reread.name_read_whole("刘", name_box("刘", 60), None) == "刘"
