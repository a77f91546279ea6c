"""ICAO Doc 9303 check digits (weights 7-3-1) for machine-readable zones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import product


def char_value(c: str) -> int:
    if c.isdigit():
        return int(c)
    if "A" <= c <= "Z":
        return ord(c) - ord("A") + 10
    if c == "<":
        return 0
    raise ValueError(f"not an MRZ character: {c!r}")


def check_digit(field: str) -> str:
    return str(sum(char_value(c) * (7, 3, 1)[i % 3] for i, c in enumerate(field)) % 10)


def field_ok(field: str, digit: str) -> bool:
    try:
        return check_digit(field) == digit
    except ValueError:
        return False


# --- TD3 (passport booklet: 2 lines × 44) ------------------------------------------------------------

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
DIGITS = "0123456789"
TD3_LENGTH = 44

# (name, start, end, check position) of line 2's check-digited fields.
TD3_FIELDS: tuple[tuple[str, int, int, int], ...] = (
    ("number", 0, 9, 9),
    ("birth", 13, 19, 19),
    ("expiry", 21, 27, 27),
    ("personal", 28, 42, 42),
)


def composite_field(line1: str) -> str:
    """The characters the TD3 composite check digit (position 44) covers."""
    return line1[0:10] + line1[13:20] + line1[21:43]


def personal_ok(line1: str) -> bool:
    """Optional data may be all fillers with a filler (or zero) check digit."""
    personal, digit = line1[28:42], line1[42]
    if set(personal) == {"<"} and digit in "<0":
        return True
    return field_ok(personal, digit)


def td3_checks(line1: str) -> dict[str, bool]:
    """Every ICAO check of a TD3 line 2 (assumed 44 chars)."""
    out = {name: field_ok(line1[a:b], line1[c]) for name, a, b, c in TD3_FIELDS if name != "personal"}
    out["personal"] = personal_ok(line1)
    out["composite"] = field_ok(composite_field(line1), line1[43])
    return out


SHIFTS = (0, -1, 1, -2, 2)  # places a field may have moved in a read that lost or gained characters


def field_passes(name: str, piece: str) -> bool:
    """``field + check digit`` passes (dates in digits; the optional data as ``personal_ok`` takes it)."""
    if name == "personal":
        return personal_ok("<" * 28 + piece + "<")
    if name in ("birth", "expiry") and not piece.isdigit():
        return False
    return field_ok(piece[:-1], piece[-1])


def td3_merge(lines: Sequence[str]) -> str | None:
    """Line 2 put together from several reads of it, field by field: each check-digited field from a read
    where it passes its own check digit (one or two places off in a read that lost or gained a character
    before it), the nationality, sex and composite digit as the reads have them. Of the combinations
    passing every check, the composite included, the one most reads agree with; None on a tie. (The
    composite cannot tell two document numbers with one check digit apart: same weights. The reads can.)"""
    reads = [ln for ln in lines if len(ln) == TD3_LENGTH]
    if not reads:
        return None
    # (positions in the line, Counter of what the reads put there)
    parts: list[tuple[list[int], Counter[str]]] = []
    for name, a, b, c in TD3_FIELDS:
        # the optional data's check digit may stay in place while the data moves: the filler run after
        # it took the character lost or gained
        anchored = (0,) if name == "personal" else ()
        found = Counter(piece for ln in reads for shift in SHIFTS for moved in {shift, *anchored}
                        if a + shift >= 0 and c + moved < len(ln)
                        and field_passes(name, piece := ln[a + shift:b + shift] + ln[c + moved]))
        parts.append(([*range(a, b), c], found))
    # The nationality and sex where each read's birth date (right after the one, right before the other
    # but for the check digit) passes: their alignment in that read.
    birth = [(ln, s) for ln in reads for s in SHIFTS if 13 + s >= 0 and 21 + s < len(ln)
             and field_passes("birth", ln[13 + s:20 + s])]
    aligned = birth or [(ln, 0) for ln in reads]  # else where they are printed
    parts.append(([10, 11, 12], Counter(ln[10 + s:13 + s] for ln, s in aligned
                                        if ln[10 + s:13 + s].strip("<").isalpha())
                  or Counter(ln[10:13] for ln in reads if ln[10:13].strip("<").isalpha())))
    parts.append(([20], Counter(ln[20 + s] for ln, s in aligned if ln[20 + s] in "MF<")
                  or Counter(ln[20] for ln in reads if ln[20] in "MF<")))
    parts.append(([43], Counter(ln[43] for ln in reads if ln[43].isdigit())))
    if any(not options for _, options in parts):
        return None
    scored: dict[str, int] = {}
    for picks in product(*(list(options) for _, options in parts)):
        merged = list(reads[0])
        for (positions, _), pick in zip(parts, picks, strict=True):
            for i, ch in zip(positions, pick, strict=True):
                merged[i] = ch
        line = "".join(merged)
        if all(td3_checks(line).values()):
            scored[line] = sum(options[pick] for (_, options), pick in zip(parts, picks, strict=True))
    ranked = sorted(scored.items(), key=lambda item: -item[1])
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]
