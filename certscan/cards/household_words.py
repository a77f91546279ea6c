"""Closed-list words of the household register read with a slip the list alone cannot mend, mended from
the recogniser's own alternatives.

``household_values.snap_word`` snaps a read one character from exactly one listed word; a one-character
word (夫 read as 失: 夫, 子, 女 ... are all one character from it) or a read two characters off (以粮 for
汉族) it leaves as read. The recogniser scored other characters at each position: the listed word those
alternatives spell, when exactly one, is the word printed. Nothing outside the alternatives is tried.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product

from certscan.cards.idcard import ETHNIC_GROUPS
from certscan.cards.idcard_back import chars_of
from certscan.ocr.types import Line

# an alternative the recogniser scored below this is noise; a character read surer than UNSURE stays (an
# unlisted word read clearly is printed so); at most MAX_CHANGES characters are changed
MIN_ALTERNATIVE = 0.02
UNSURE = 0.9
MAX_CHANGES = 2

NATIONS = tuple(f"{group}族" for group in ETHNIC_GROUPS)


def word_from_alternatives(read: str, words: Sequence[str], lines: Sequence[Line]) -> str:
    """``read`` when listed or not found in ``lines``; else the one listed word spelt by the
    recogniser's alternatives at up to ``MAX_CHANGES`` of its unsure positions; else ``read``."""
    if not read or read in words or all(len(w) != len(read) for w in words):
        return read  # (a read of another length is no slip of one: the search stays a few thousand texts)
    chars = chars_of(read, lines)
    if not chars:
        return read
    options = [[c.best, *(a for a, p in zip(c.chars[1:], c.probs[1:], strict=True)
                          if p >= MIN_ALTERNATIVE and c.confidence < UNSURE)] for c in chars]
    listed = set(words)
    found = {text for text in ("".join(pick) for pick in product(*options))
             if text in listed and sum(a != b for a, b in zip(text, read, strict=True)) <= MAX_CHANGES}
    return found.pop() if len(found) == 1 else read
