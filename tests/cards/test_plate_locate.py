"""The widened second read of a line that looks like most of a plate (fake recogniser)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from certscan.cards import plate_locate
from certscan.ocr.types import CharCandidates, Line, Page


@dataclass
class Read:
    text: str
    confidence: float
    chars: tuple[CharCandidates, ...] = ()


class WidthRecorder:
    """Reads every crop as the whole plate and keeps the crops' widths."""

    def __init__(self) -> None:
        self.widths: list[int] = []

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Read]:
        self.widths += [c.shape[1] for c in crops]
        return [Read("甘Z·28100F", 0.9) for _ in crops]


def test_short_read_is_widened_by_the_characters_it_may_have_lost() -> None:
    # 28100F at x 166-498 of a 535 px plate crop: 甘Z (and the separator) lie 2-3 character pitches left
    box = np.array([[166, 47], [498, 47], [498, 155], [166, 155]], dtype=np.float32)
    page = Page(width=535, height=196, lines=[Line(text="28100F", box=box, confidence=0.98)])
    engine = WidthRecorder()
    reads = plate_locate.reread_widened(engine, np.zeros((196, 535, 3), np.uint8), page)  # type: ignore[arg-type]
    assert [r.number for r in reads] == ["甘Z28100F"]
    # three pitches (166 px) to the left: from x 0 to the right edge (0.3 of the line's width, 100 px,
    # stopped at x 66 with half of 甘 cut off)
    assert engine.widths[0] >= 530
