"""The double-row plate's lost top row read again from its bottom row's neighbourhood (fake engine)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from certscan.cards import plate_rows
from certscan.ocr.types import Line, Page


def line(text: str, x0: float, y0: float, x1: float, h: float = 40) -> Line:
    box = np.array([[x0, y0], [x1, y0], [x1, y0 + h], [x0, y0 + h]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.95)


class TopRowEngine:
    """Reads any crop as a double-row plate, top row over bottom row; counts its reads."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self, image: np.ndarray, det_max_side: int | None = None) -> Page:
        self.reads += 1
        return Page(width=image.shape[1], height=image.shape[0],
                    lines=[line("鄂L", 60, 10, 110, 30), line("99269", 20, 45, 180, 60)])

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        return []

    def recognize(self, crops: Sequence[np.ndarray]) -> list[object]:
        return []


def test_bottom_rows_are_unused_five_serial_lines() -> None:
    lines = [line("皖V1048P", 500, 100, 600), line("鄂", 460, 700, 520), line("99269", 430, 720, 570, 50),
             line("COF4挂", 100, 400, 300), line("A1234", 100, 300, 200, 30)]
    page = Page(width=800, height=600, lines=lines)
    chars = {0: "皖V1048P", 1: "鄂", 2: "99269", 3: "COF4挂", 4: "A1234"}
    assert plate_rows.bottom_rows(page, chars, {0}) == [2, 3]  # the tallest two; O is a misread 0
    assert plate_rows.bottom_rows(page, chars, {0, 2, 3}) == [4]
    assert plate_rows.bottom_rows(page, {1: "鄂", 0: "皖V1048P"}, set()) == []


def test_top_row_read_again_is_placed_at_its_bottom_row() -> None:
    image = np.full((600, 800, 3), 200, np.uint8)
    page = Page(width=800, height=600, lines=[line("99269", 430, 720 - 300, 570, 50)])
    engine = TopRowEngine()
    reads = plate_rows.reread_top_rows(engine, image, page, [0])  # type: ignore[arg-type]
    assert [r.number for r in reads] == ["鄂L99269"]
    assert reads[0].lines == (0,) and reads[0].box == (430, 420, 570, 470)
    assert engine.reads == 1
