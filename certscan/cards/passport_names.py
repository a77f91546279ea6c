"""MRZ names line rebuilt on the names the visual zone prints, when the read damaged its fillers.

A blurred names line reads its ``<`` fillers as letters (``ZHUAARUIAKLAKAA``, ``WANGC<FANGSHICCCS``) or
loses some of them and a letter or two (``HU<HAOHI`` for ``HU<<CHAOHAI``). The same names are printed
above the zone (``WANG`` / ``FANGSHI``, ``ERIKSSON`` / ``ANNA MARIA``): the line is rewritten on a pair
of printed phrases when it is that pair up to filler damage only. What counts as filler damage is
narrow, so a correct line never follows a misread print:

- any character read where the rebuilt line has a filler (a filler read as a letter), free;
- a filler missing from the read, or a filler the print lacks (a space the print's read lost), 1 each;
- a letter of the print missing from the read (blur merges narrow letters), 1 each, at most 2;
- never a letter read as another letter, nor a letter the print does not have.

The pair costing least (at most 3) is taken when no other pair costs as little, and letters read where
fillers go must not spell a printed word (``ANNA<MARIA`` printed as ``ANNA`` over ``MARIA``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from certscan.cards.mrz_fields import FILLER_READS
from certscan.cards.mrz_read import MrzRead, mrz_like
from certscan.checks import mrz
from certscan.ocr.types import Line, Page

NAMES_LENGTH = mrz.TD3_LENGTH - 5  # line 1 after ``P<`` and the issuing state
MAX_COST = 3
MAX_LETTERS_LOST = 2
_FILLER_READS = FILLER_READS + "0123456789"  # and no name holds a digit


def printed_phrases(page: Page, zone: Sequence[Line] = ()) -> list[str]:
    """Capital Latin words and phrases printed outside the MRZ (its ``zone`` lines and any MRZ-like
    text), spaces as fillers (``ANNA<MARIA``)."""
    found: list[str] = []
    for ln in page.lines:
        if mrz_like(ln.text) or any(ln is z for z in zone):
            continue
        for run in re.findall(r"[A-Z]{2,}(?: [A-Z]+)*", ln.text):
            phrase = run.replace(" ", "<")
            if phrase not in found:
                found.append(phrase)
    return found


@dataclass(frozen=True)
class _Fit:
    cost: int
    fillers_overread: int  # characters read where a filler goes
    line: str  # the names part rewritten
    overread_words: tuple[str, ...]  # runs of characters read where fillers go
    shifted: bool = False  # the names start one character off (the issuing state lost or gained one)


def _fit(read: str, target: str) -> _Fit | None:
    """Align the read names part on ``target`` (both NAMES_LENGTH long) with filler damage only."""
    n, m = len(read), len(target)
    # Per cell (read[:i] against target[:j]): cost, letters lost, fillers overread, rebuilt text and the
    # overread characters (words split by a space); one path per cell, the cheapest.
    best: dict[tuple[int, int], tuple[int, int, int, str, str]] = {(0, 0): (0, 0, 0, "", "")}
    for i in range(n + 1):
        for j in range(m + 1):
            here = best.get((i, j))
            if here is None:
                continue
            cost, lost, over, out, seen = here
            gap = seen if seen.endswith(" ") else seen + " "
            steps = []
            if i < n and j < m:
                r, t = read[i], target[j]
                if r == t:
                    steps.append((i + 1, j + 1, cost, lost, over, out + t, gap))
                elif t == "<":  # a filler read as something else
                    steps.append((i + 1, j + 1, cost, lost, over + 1, out + "<", seen + r))
            if j < m:
                if target[j] == "<":  # a filler the read lost
                    steps.append((i, j + 1, cost + 1, lost, over, out + "<", gap))
                elif lost < MAX_LETTERS_LOST:  # a printed letter the read lost
                    steps.append((i, j + 1, cost + 1, lost + 1, over, out + target[j], gap))
            if i < n and read[i] == "<" and j < m and target[j] != "<":
                # a filler the print's read lacks (ANNAMARIA printed, ANNA<MARIA in the zone): kept
                steps.append((i + 1, j, cost + 1, lost, over, out + "<", gap))
            for ni, nj, c, lo, ov, o, w in steps:
                old = best.get((ni, nj))
                if c <= MAX_COST and (old is None or (c, ov) < (old[0], old[2])):
                    best[(ni, nj)] = (c, lo, ov, o, w)
    # The read may have lost characters before its filler tail: the target's own tail need not be used up.
    ends = [best[(n, j)] for j in range(m + 1) if (n, j) in best and set(target[j:]) <= {"<"}]
    if not ends:
        return None
    cost, _, over, out, seen = min(ends, key=lambda e: (e[0], e[2]))
    return _Fit(cost=cost, fillers_overread=over, line=out[:NAMES_LENGTH].ljust(NAMES_LENGTH, "<"),
                overread_words=tuple(seen.split()))


def _only_fillers_overread(fit: _Fit, phrases: list[str]) -> bool:
    """What was read where fillers go is filler look-alikes, and spells no printed word."""
    overread = "".join(fit.overread_words)
    return set(overread) <= set(_FILLER_READS) and not set(fit.overread_words) & set(phrases)


def _kept_letters(word: str, text: str) -> int:
    """How many of ``word``'s characters ``text`` holds in order (longest common subsequence)."""
    row = [0] * (len(text) + 1)
    for ch in word:
        prev_diag, row[0] = 0, 0
        for j, tc in enumerate(text, 1):
            prev_diag, row[j] = row[j], prev_diag + 1 if ch == tc else max(row[j], row[j - 1])
    return row[-1]


def _candidates(names: str, phrases: list[str]) -> list[str]:
    """Names parts ``SURNAME<<GIVEN<NAMES`` from the printed phrases (or, for the surname, the read's own
    first word: a surname the print's read missed) that start the read, with given names it still holds
    in order up to the letters it may have lost (cheap tests before the alignment)."""
    out = []
    own = re.match(r"[A-Z]{2,}", names)
    surnames = phrases + ([own.group()] if own and own.group() not in phrases else [])
    for surname in surnames:
        if not (names.startswith(surname[:2]) or names.startswith(surname[1:3])):
            continue  # its first or second letter starts the read (the first may be lost)
        rest = names[max(0, len(surname) - MAX_LETTERS_LOST):]
        out += [f"{surname}<<{given}" for given in phrases  # LI<<LI: one phrase printed twice
                if _kept_letters(given, rest[: len(given) + 4]) >= len(given) - MAX_LETTERS_LOST]
    return [c.ljust(NAMES_LENGTH + MAX_COST, "<") for c in out if len(c) <= NAMES_LENGTH]


def rebuild_names(read: MrzRead, phrases: list[str], state: str) -> str | None:
    """Line 1 rewritten on the printed names its read agrees with up to filler damage, else None."""
    fits: list[_Fit] = []
    # An issuing state read with a character lost or gained (``P<HNHU``) moves the names by one.
    starts = (5,) if read.line0[2:5] == state else (5, 4, 6)
    for start in starts:
        names = read.line0[start:].ljust(NAMES_LENGTH, "<")[:NAMES_LENGTH]
        for target in _candidates(names, phrases):
            fit = _fit(names, target)
            if fit is not None and _only_fillers_overread(fit, phrases):
                fits.append(replace(fit, cost=fit.cost + int(start != 5), shifted=start != 5))
    if not fits:
        return None
    fits.sort(key=lambda f: (f.cost, f.fillers_overread))
    best = fits[0]
    if any((f.cost, f.fillers_overread) == (best.cost, best.fillers_overread) and f.line != best.line
           for f in fits[1:]):
        return None
    # The document's subtype letter (PO, PD) stays, unless the header was shifted or is a filler misread.
    header_kept = read.line0[0] == "P" and not best.shifted
    kind = read.line0[1] if header_kept and read.line0[1] not in _FILLER_READS else "<"
    return "P" + kind + state + best.line
