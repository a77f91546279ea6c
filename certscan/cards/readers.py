"""Helpers the card parsers share: reading a page once, per-character spans of a line, numbers with repair."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from certscan.cards.base import ScanInput
from certscan.checks.repair import DIGIT_MAP, Repair, plain_chars, repair
from certscan.ocr.types import CharCandidates, Line, Page


def read_page(scan: ScanInput) -> Page:
    """The whole card read once (detect, orient, recognise); every parser starts here."""
    return scan.engine.read(scan.image)


def line_chars(line: Line) -> list[CharCandidates]:
    """The line's per-character candidates, or certain single candidates when the engine gave none."""
    if line.chars and "".join(c.best for c in line.chars) == line.text:
        return list(line.chars)
    return plain_chars(line.text)


def page_rate(page: Page, lines: Sequence[Line] | None = None) -> float:
    """Confidence 0-100: the mean confidence of the lines a parser used (all lines when not given)."""
    used = list(lines) if lines is not None else page.lines
    if not used:
        return 0.0
    return round(100.0 * sum(ln.confidence for ln in used) / len(used), 2)


@dataclass
class NumberRead:
    text: str
    valid: bool
    repaired: bool
    line: Line | None
    ambiguous: bool = False


def char_runs(chars: Sequence[CharCandidates], alphabet: str, max_gap: int = 1) -> list[list[CharCandidates]]:
    """Maximal runs of positions whose best char maps into ``alphabet`` (digit lookalikes included).

    Up to ``max_gap`` spaces inside a run are skipped (grouped numbers: ``6222 6013``); any other
    character ends it.
    """
    runs: list[list[CharCandidates]] = []
    cur: list[CharCandidates] = []
    gap = 0
    for c in chars:
        mapped = DIGIT_MAP.get(c.best, c.best)
        mapped = mapped.upper() if mapped.upper() in alphabet and mapped.isalpha() else mapped
        if mapped in alphabet:
            cur.append(c)
            gap = 0
        elif c.best == " " and cur and gap < max_gap:
            gap += 1
        else:
            if cur:
                runs.append(cur)
            cur, gap = [], 0
    if cur:
        runs.append(cur)
    return runs


def strict_digits(chars: Sequence[CharCandidates]) -> str:
    return "".join(c.best for c in chars)


def repair_number(chars: Sequence[CharCandidates], is_valid: Callable[[str], bool], alphabet: str,
                  max_changes: int = 1) -> Repair:
    return repair(chars, is_valid, alphabet, max_changes=max_changes)


def looks_like(text: str, pattern: str) -> bool:
    return re.fullmatch(pattern, text) is not None
