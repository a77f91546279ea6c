"""Closed-list words mended from the recogniser's alternatives (no models)."""

from __future__ import annotations

import numpy as np

from certscan.cards.household_values import RELATION
from certscan.cards.household_words import NATIONS, word_from_alternatives
from certscan.ocr.types import CharCandidates, Line


def line(chars: list[CharCandidates]) -> Line:
    box = np.array([[0, 0], [60, 0], [60, 30], [0, 30]], dtype=np.float32)
    return Line(text="".join(c.best for c in chars), box=box, confidence=0.8, chars=chars)


def sure(text: str) -> list[CharCandidates]:
    return [CharCandidates((c,), (0.99,)) for c in text]


def test_an_unlisted_read_takes_the_one_listed_word_its_alternatives_spell() -> None:
    read = [CharCandidates(("牡", "壮", "社"), (0.6, 0.3, 0.05)), *sure("族")]
    assert word_from_alternatives("牡族", NATIONS, [line(read)]) == "壮族"
    husband = [CharCandidates(("失", "夫", "矢"), (0.7, 0.2, 0.05))]
    assert word_from_alternatives("失", RELATION, [line(husband)]) == "夫"


def test_a_read_surely_or_spelling_no_single_word_is_kept() -> None:
    surely = [CharCandidates(("牡", "壮"), (0.95, 0.04)), *sure("族")]
    assert word_from_alternatives("牡族", NATIONS, [line(surely)]) == "牡族"
    # 子 and 女 both listed among the alternatives: the recogniser cannot tell
    either = [CharCandidates(("了", "子", "女"), (0.5, 0.3, 0.2))]
    assert word_from_alternatives("了", RELATION, [line(either)]) == "了"
    assert word_from_alternatives("汉族", NATIONS, []) == "汉族"
    assert word_from_alternatives("以粮", NATIONS, []) == "以粮"  # no line holds it: no alternatives
