"""The composite check digit a tilted line's far end lost, read again at the end of the line."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from certscan.cards.base import ScanInput
from certscan.cards.passport import parse
from certscan.checks.repair import plain_chars
from certscan.ocr.recognize import Recognition
from certscan.ocr.types import Page
from tests.cards.pages import FixedEngine, line
from tests.cards.test_passport import LINE0, VIZ

LINE1 = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<8"  # the specimen without optional data
CUT = LINE1[:-1]  # 43 characters: the final 8 lost after the filler run


class _TailEngine(FixedEngine):
    """Halves of the rows re-read as cut as the page read them; three-band tail reads as ``tails``."""

    def __init__(self, page: Page, tails: Sequence[str]) -> None:
        super().__init__(page)
        self.tails = list(tails)
        self.asked: list[int] = []

    def read_regions(self, image: np.ndarray, page: Page, quads: Sequence[np.ndarray]) -> list[Recognition]:
        self.asked.append(len(quads))
        texts = self.tails if len(quads) == 3 else [CUT[:22], CUT[22:]] * len(quads)
        return [Recognition(t, 0.95, plain_chars(t)) for t in texts[: len(quads)]]


def _parse(tails: Sequence[str]) -> tuple[str, list[int]]:
    rows = [line(LINE0, 50, 560, 950, 590), line(CUT, 50, 610, 930, 640)]
    engine = _TailEngine(Page(width=1000, height=700, lines=[*VIZ, *rows]), tails)
    result = parse(ScanInput(card="passport", image=np.zeros((10, 10, 3), np.uint8), engine=engine))
    return result.fields["line1"], engine.asked


def test_the_lost_composite_digit_is_read_from_a_band_higher_up() -> None:
    line1, asked = _parse(["<<<<<<", "<<<<<8", "<<<<<<"])
    assert line1 == LINE1 and asked[-1] == 3


def test_a_tail_digit_the_composite_check_refutes_is_not_taken() -> None:
    line1, _ = _parse(["<<<<<<", "<<<<<7", "<<<<<<"])
    assert line1 == CUT + "<"
