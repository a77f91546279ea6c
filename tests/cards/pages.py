"""Hand-built OCR pages for parser tests: an engine that returns a fixed Page (no models)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from certscan.cards.base import ScanInput
from certscan.checks.repair import plain_chars
from certscan.ocr.types import CharCandidates, Line, Page


def line(text: str, x0: float, y0: float, x1: float, y1: float,
         chars: list[CharCandidates] | None = None) -> Line:
    box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.95, chars=chars or plain_chars(text))


class FixedEngine:
    def __init__(self, page: Page) -> None:
        self.page = page

    def read(self, image: np.ndarray, det_max_side: int | None = None) -> Page:
        return self.page

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        return [ln.box for ln in self.page.lines]

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Line]:
        raise AssertionError("not used by these parsers")


class CountingEngine(FixedEngine):
    """A FixedEngine that records every full read it is asked for (the re-read tests count them)."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.images: list[np.ndarray] = []
        self.det_sides: list[int | None] = []

    def read(self, image: np.ndarray, det_max_side: int | None = None) -> Page:
        self.images.append(image)
        self.det_sides.append(det_max_side)
        return self.page


def scan(card: str, lines: list[Line], angle: float = 0.0) -> ScanInput:
    page = Page(width=1000, height=700, lines=lines, angle=angle)
    return ScanInput(card=card, image=np.zeros((10, 10, 3), np.uint8), engine=FixedEngine(page))
