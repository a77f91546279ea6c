"""Seal-red characters glued to the end of a black line are cut off (drawn image, no models)."""

from __future__ import annotations

import cv2
import numpy as np

from certscan.cards.business_ink import drop_red_tail
from certscan.cards.ink import seal_share, without_seal
from certscan.ocr.types import Line, Page


def _page_and_line(tail_colour: tuple[int, int, int]) -> tuple[np.ndarray, Page, Line]:
    image = np.full((80, 420, 3), 245, dtype=np.uint8)
    cv2.putText(image, "1234", (12, 55), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (20, 20, 20), 4)
    cv2.putText(image, "56", (222, 55), cv2.FONT_HERSHEY_SIMPLEX, 1.6, tail_colour, 4)
    box = np.array([[5, 10], [330, 10], [330, 70], [5, 70]], dtype=np.float32)
    line = Line(text="123456", box=box, confidence=0.9)
    return image, Page(width=420, height=80, lines=[line]), line


def test_a_red_tail_is_cut_off() -> None:
    image, page, line = _page_and_line((210, 30, 40))
    out = drop_red_tail(image, page, line)
    assert out.text == "1234"
    assert out.x1 < line.x1


def test_a_black_line_is_kept_whole() -> None:
    image, page, line = _page_and_line((20, 20, 20))
    assert drop_red_tail(image, page, line).text == "123456"


def _stamped_crop() -> np.ndarray:
    """Black print on a warm paper with a seal's red ring across it, one black stroke under the ring."""
    crop = np.full((60, 200, 3), (245, 238, 200), dtype=np.uint8)
    cv2.putText(crop, "42", (10, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (25, 25, 25), 4)
    cv2.circle(crop, (140, 30), 26, (215, 40, 45), 3)
    cv2.line(crop, (110, 10), (170, 50), (25, 25, 25), 3)  # black print the ring crosses
    return crop


def test_the_seal_is_painted_out_and_the_print_kept() -> None:
    crop = _stamped_crop()
    assert 0.01 < seal_share(crop) < 0.2
    clean = without_seal(crop)
    assert seal_share(clean) == 0.0
    dark = clean.astype(int).sum(axis=2) < 200
    assert dark[:, :60].sum() == (crop.astype(int).sum(axis=2) < 200)[:, :60].sum()  # the 42 untouched
    assert dark[30, 140 - 26 + 1 : 170].any()  # the black stroke under the ring stays


def test_a_crop_without_seal_is_returned_as_it_is() -> None:
    crop = np.full((40, 100, 3), (240, 235, 210), dtype=np.uint8)
    cv2.putText(crop, "7", (10, 30), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (20, 20, 20), 3)
    assert seal_share(crop) == 0.0
    assert without_seal(crop) is crop
    grey = crop[..., 0]
    assert seal_share(grey) == 0.0 and without_seal(grey) is grey
