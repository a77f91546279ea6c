"""Seal-red characters glued to the end of a black line are cut off (drawn image, no models)."""

from __future__ import annotations

import cv2
import numpy as np

from certscan.cards.business_ink import drop_red_tail
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
