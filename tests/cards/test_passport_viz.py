"""The visual zone of a Chinese passport: a name's characters read again beside their pinyin."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from certscan.cards.passport_viz import characters_beside_pinyin
from certscan.ocr.types import CharCandidates, Page
from tests.cards.pages import line


@dataclass
class _Read:
    text: str
    confidence: float = 0.9
    chars: list[CharCandidates] = field(default_factory=list)


def _reader(text: str) -> Callable[[Sequence[np.ndarray]], list[_Read]]:
    def read(quads: Sequence[np.ndarray]) -> list[_Read]:
        return [_Read(text) for _ in quads]
    return read


def test_a_lone_yi_read_as_dashes_beside_its_pinyin_is_yi() -> None:
    # 邓一: the given name's one stroke was not boxed; read again with its pinyin it comes as two dashes
    surname = line("邓DENG", 551, 542, 702, 587)
    page = Page(width=1200, height=900, lines=[surname, line("YI", 599, 607, 652, 647)])
    assert characters_beside_pinyin(page, "YI", 551.0, _reader("——YI")) == "一"
    # without the syllable YI a dash is no character
    page = Page(width=1200, height=900, lines=[surname, line("BO", 599, 607, 652, 647)])
    assert characters_beside_pinyin(page, "BO", 551.0, _reader("——BO")) == ""
