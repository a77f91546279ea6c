"""Checksum-guided repair: fix a misread character from the recogniser's own alternatives, or not at all.

When a read fails its check digit, the least confident positions are retried with the alternatives the
network scored for them. A repair is accepted only when exactly one candidate passes the check: two
passing candidates mean the checksum cannot tell which is right, and then nothing is changed. Nothing
outside the recogniser's alternatives is ever tried, so a repair never invents a character.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, product

from certscan.ocr.types import CharCandidates

# Letters the recogniser returns for digits on printed numbers (alternatives are mapped the same way),
# and the full-width digits it also has as classes (０-９: a clean card's 6 read as ６ ended the number).
DIGIT_MAP: dict[str, str] = {
    "O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "i": "1",
    "Z": "2", "z": "2", "S": "5", "s": "5", "G": "6", "b": "6", "B": "8", "g": "9", "q": "9",
    **{chr(0xFF10 + d): str(d) for d in range(10)},
}


@dataclass(frozen=True)
class Repair:
    text: str
    valid: bool  # the returned text passes the check
    repaired: bool = False  # a character was changed to make it pass
    ambiguous: bool = False  # several repairs passed, so none was applied


def map_char(c: str, alphabet: str, mapping: Mapping[str, str]) -> str | None:
    c = mapping.get(c, c)
    c = c.upper() if c.upper() in alphabet and c not in alphabet else c
    return c if c in alphabet else None


def options(cand: CharCandidates, alphabet: str, mapping: Mapping[str, str], min_prob: float) -> list[str]:
    """The distinct in-alphabet characters this position could be, best first (chosen char always in)."""
    out: list[str] = []
    for i, (c, p) in enumerate(zip(cand.chars, cand.probs, strict=True)):
        if i > 0 and p < min_prob:
            continue
        mapped = map_char(c, alphabet, mapping)
        if mapped is not None and mapped not in out:
            out.append(mapped)
    return out


def repair(chars: Sequence[CharCandidates], is_valid: Callable[[str], bool], alphabet: str,
           mapping: Mapping[str, str] | None = None, max_positions: int = 4, max_changes: int = 1,
           min_prob: float = 0.01, unsure_below: float = 0.98) -> Repair:
    """Best-path text if it passes; else the single passing repair among the least confident positions.

    Positions considered: up to ``max_positions`` whose confidence is below ``unsure_below`` (least
    confident first); alternatives: those scored at least ``min_prob``. Up to ``max_changes``
    positions change at once; fewer changes are tried first and win if exactly one passes.
    """
    mapping = DIGIT_MAP if mapping is None else mapping
    opts = [options(c, alphabet, mapping, min_prob) for c in chars]
    if any(not o for o in opts):
        # A position with no in-alphabet reading: keep the raw best path (it will not validate).
        return Repair(text="".join(o[0] if o else c.best for o, c in zip(opts, chars, strict=True)),
                      valid=False)
    base = [o[0] for o in opts]
    text = "".join(base)
    if is_valid(text):
        return Repair(text=text, valid=True)
    unsure = sorted((i for i, c in enumerate(chars) if c.confidence < unsure_below and len(opts[i]) > 1),
                    key=lambda i: chars[i].confidence)[:max_positions]
    found, ambiguous = sole_passing(base, [o[1:] for o in opts], unsure, is_valid, max_changes)
    if found is not None:
        return Repair(text=found, valid=True, repaired=True)
    return Repair(text=text, valid=False, ambiguous=ambiguous)


def sole_passing(base: Sequence[str], pools: Sequence[Sequence[str]], positions: Sequence[int],
                 is_valid: Callable[[str], bool], max_changes: int) -> tuple[str | None, bool]:
    """The one text passing ``is_valid`` with the fewest of ``positions`` changed (1 to ``max_changes``)
    to another of that position's ``pools``; (None, True) when two pass with as few changes, (None,
    False) when none passes. ``base`` is one string per position (a character, or a few)."""
    for changes in range(1, max_changes + 1):
        passing: set[str] = set()
        for changed in combinations(positions, changes):
            for picks in product(*(pools[i] for i in changed)):
                trial = list(base)
                for i, c in zip(changed, picks, strict=True):
                    trial[i] = c
                candidate = "".join(trial)
                if is_valid(candidate):
                    passing.add(candidate)
        if len(passing) == 1:
            return passing.pop(), False
        if passing:
            return None, True
    return None, False


def select_chars(chars: Sequence[CharCandidates], alphabet: str,
                 mapping: Mapping[str, str] | None = None) -> list[CharCandidates]:
    """The positions whose best reading maps into ``alphabet`` (drops spaces, separators, labels)."""
    mapping = DIGIT_MAP if mapping is None else mapping
    return [c for c in chars if map_char(c.best, alphabet, mapping) is not None]


def plain_chars(text: str) -> list[CharCandidates]:
    """Certain, alternative-free positions for a text without recogniser output (tests, other engines)."""
    return [CharCandidates(chars=(c,), probs=(1.0,)) for c in text]


def likeliest_repair(chars: Sequence[CharCandidates], is_valid: Callable[[str], bool], alphabet: str,
                     prior: Callable[[str], float] = lambda text: 0.0, max_positions: int = 8,
                     max_changes: int = 3, min_prob: float = 0.01, unsure_below: float = 0.98,
                     margin: float = math.log(3.0), max_alternatives: int = 3) -> Repair | None:
    """The passing text the recogniser finds likeliest, when it is clearly likelier than any other.

    For a failed read whose lone one-change repair may be a chance pass (a check digit passes one
    wrong number in ten): every text up to ``max_changes`` alternatives away (each scored at least
    ``min_prob``, at most ``max_alternatives`` a position: that bounds the search to ~1,800 texts, among
    the ``max_positions`` least confident positions) is scored by the log-ratio of
    its characters' probabilities to the best path's, plus ``prior(text)`` (what is known of such
    numbers, e.g. a listed issuer). The best passing one is returned when its score beats every other
    passing text's by ``margin``; None when none passes or two are close (nothing is then chosen).
    """
    mapping = DIGIT_MAP
    scored_opts: list[list[tuple[str, float]]] = []
    for cand in chars:
        seen: dict[str, float] = {}
        for i, (c, p) in enumerate(zip(cand.chars, cand.probs, strict=True)):
            mapped = map_char(c, alphabet, mapping)
            if mapped is not None and mapped not in seen and (i == 0 or p >= min_prob):
                seen[mapped] = max(p, 1e-6)
        if not seen:
            return None
        scored_opts.append(list(seen.items())[:1 + max_alternatives])
    base = [opts[0] for opts in scored_opts]
    unsure = sorted((i for i, c in enumerate(chars)
                     if c.confidence < unsure_below and len(scored_opts[i]) > 1),
                    key=lambda i: chars[i].confidence)[:max_positions]
    passing: dict[str, float] = {}
    for changes in range(0, max_changes + 1):
        for positions in combinations(unsure, changes):
            for picks in product(*(scored_opts[i][1:] for i in positions)):
                trial = [c for c, _ in base]
                score = 0.0
                for i, (c, p) in zip(positions, picks, strict=True):
                    trial[i] = c
                    score += math.log(p / base[i][1])
                text = "".join(trial)
                if is_valid(text):
                    passing[text] = max(passing.get(text, -math.inf), score + prior(text))
    if not passing:
        return None
    ranked = sorted(passing.items(), key=lambda item: -item[1])
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < margin:
        return None
    text = ranked[0][0]
    return Repair(text=text, valid=True, repaired=text != "".join(c for c, _ in base))
