"""MRZ line 2 (TD3) as text from its fitted read: each check-digited field repaired, the dates decoded.

Each field with its check digit is taken as read, else typed toward its kind (look-alike letters read as
digits, or digits as letters), else repaired from the recogniser's alternatives (one change, the likeliest
passing one); the nationality is typed to letters and the sex taken from its closed set. A line that
still fails because one character was lost or gained before the optional data is realigned when exactly
one insertion or deletion makes every check pass. ``mrz_read`` finds and fits the lines this reads.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence

from certscan.checks import mrz
from certscan.checks.repair import DIGIT_MAP, repair
from certscan.ocr.types import CharCandidates

FILLER = CharCandidates(chars=("<",), probs=(1.0,))
# What a blurred ``<`` filler is read as (letters of its angular shape; K weighs 20, a filler's 0, mod 10).
FILLER_READS = "<ACEGKLSXZ"
LETTER_MAP = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}


def filler_runs(line: Sequence[str], start: int) -> list[tuple[int, int]]:
    """(length, start) of each run of ``<`` fillers at or after ``start``, left to right."""
    runs: list[tuple[int, int]] = []
    i = start
    while i < len(line):
        if line[i] == "<":
            j = i
            while j < len(line) and line[j] == "<":
                j += 1
            runs.append((j - i, i))
            i = j
        else:
            i += 1
    return runs


def typed(chars: Sequence[CharCandidates], digits: bool) -> list[CharCandidates]:
    """Re-rank each position's readings toward the field's kind (digits, or letters)."""
    table = DIGIT_MAP if digits else LETTER_MAP
    out = []
    for c in chars:
        mapped = tuple(table.get(a, a) for a in c.chars)
        out.append(CharCandidates(chars=mapped, probs=c.probs))
    return out


def field_validator(name: str) -> Callable[[str], bool]:
    """Checks ``field + check digit`` of one TD3 line-2 field (``mrz.field_passes``)."""
    return lambda piece: mrz.field_passes(name, piece)


def fix_field(seq: list[CharCandidates], valid: Callable[[str], bool],
              digits_only: bool, by_majority: bool = False) -> tuple[str, bool]:
    """A field + check digit: as read, else with letter look-alikes read as digits (numbers in
    alphanumeric fields are mostly digits), else repaired from alternatives; (text, repaired)."""
    as_digits = typed(seq, True)
    as_letters = [*typed(seq[:-1], False), as_digits[-1]]
    variants = [as_digits] if digits_only else [seq, as_digits, as_letters]
    passing = [(v, "".join(c.best for c in v)) for v in variants]
    passing = [(v, t) for v, t in passing if valid(t)]
    if passing:
        if by_majority and len({t for _, t in passing}) > 1:
            # O/0 swaps can cancel out in the 7-3-1 sum (values 24 and 0 at weights 3 and 7): in the
            # optional data follow what most of the field is made of; elsewhere the read stands.
            raw = "".join(c.best for c in seq[:-1])
            letters = sum(ch.isalpha() for ch in raw) > sum(ch.isdigit() for ch in raw)
            preferred = as_letters if letters else as_digits
            for v, t in passing:
                if v is preferred:
                    return t, True
        v, t = passing[0]
        return t, v is not seq
    alphabet = mrz.DIGITS if digits_only else mrz.ALPHABET
    # Each variant may pass with one alternative taken: the likeliest repair wins (the typings keep the
    # recogniser's scores, so only the changed position differs). A letters-typed number repaired with
    # a 2% alternative (L95563271 -> I9SSG3Z7I) lost to the same read's 33% E (E95563271).
    repairs = []
    tried = variants[::-1]
    raw = "".join(c.best for c in seq[:-1])
    if by_majority and sum(ch.isalpha() for ch in raw) > 2 * sum(ch.isdigit() for ch in raw):
        # optional data of letters (a Chinese passport's coded number): its digits are letters misread,
        # and a repair keeping them (1D1AE1KK... with D -> P) only passes by chance
        tried = [as_letters]
    for rank, variant in enumerate(tried):
        fixed = repair(variant, valid, alphabet, mapping={}, max_changes=1)
        if fixed.valid:
            repairs.append((-_log_likelihood(variant, fixed.text), rank, fixed.text))
    if repairs:
        return min(repairs)[2], True
    return "".join(c.best for c in variants[0]), False


def _log_likelihood(chars: Sequence[CharCandidates], text: str) -> float:
    """How likely the recogniser found ``text`` at these positions (a character it did not offer: 1e-4)."""
    total = 0.0
    for c, ch in zip(chars, text, strict=False):
        p = max((q for a, q in zip(c.chars, c.probs, strict=True) if a.upper() == ch), default=1e-4)
        total += math.log(max(p, 1e-4))
    return total


def padded_optional_data(raw: Sequence[CharCandidates]) -> list[CharCandidates]:
    """Optional data + check digit with its padding restored: the data is left-aligned and padded with
    fillers, so after its first filler the filler look-alikes (``742<KK<``) are fillers too, and data
    that is all fillers has a filler for its check digit."""
    data, digit = list(raw[:-1]), raw[-1]
    first = next((i for i, ch in enumerate(data) if ch.best == "<"), len(data))
    if first > 0 and _filler_as_neutral_letter(data[first - 1]):
        first -= 1  # the data's last letter (before the padding or filling the field) is its first filler
        data[first] = FILLER
    if first == len(data):
        return list(raw)
    data[first:] = [FILLER if ch.best in FILLER_READS else ch for ch in data[first:]]
    if all(ch.best == "<" for ch in data) and digit.best in FILLER_READS:
        digit = FILLER
    return [*data, digit]


# Letters that weigh like a filler in a check sum (A 10, K 20, U 30: 0 mod 10), so no check digit tells
# them from one; and how likely the recogniser must find a filler there to take it for one.
_CHECK_NEUTRAL = "AKU"
FILLER_ALTERNATIVE = 0.02


def _filler_as_neutral_letter(read: CharCandidates) -> bool:
    """The first filler of the padding read as K (a blurred ``<`` is angular like it), the recogniser
    offering the filler too: a check-neutral letter the check digit cannot refuse."""
    if read.best not in _CHECK_NEUTRAL:
        return False
    offered = zip(read.chars[1:], read.probs[1:], strict=False)
    return any(ch == "<" and p >= FILLER_ALTERNATIVE for ch, p in offered)


_SEX_LOOKALIKES = {"H": "M", "W": "M", "N": "M", "E": "F", "P": "F"}


def _sex(read: CharCandidates) -> str:
    """The sex from its closed set (M, F, ``<``): the read, else the recogniser's best alternative in
    the set, else the letter it is mistaken for (W, H for M; E, P for F)."""
    if read.best in "MF<":
        return read.best
    alternative = next((ch for ch in read.chars[1:] if ch in ("M", "F", "<")), None)
    if alternative is not None:
        return alternative
    return _SEX_LOOKALIKES.get(read.best, read.best)


def repaired_line2(line1_chars: Sequence[CharCandidates]) -> tuple[str, list[str]]:
    """Line 2 from its 44 fitted positions: each check-digited field repaired, the nationality in
    letters, the sex from its set, realigned when that alone makes it pass; (text, what was repaired)."""
    repaired: list[str] = []
    text1 = list("".join(c.best for c in line1_chars))
    for name, a, b, c in mrz.TD3_FIELDS:
        raw = [*line1_chars[a:b], typed([line1_chars[c]], True)[0]]
        digits = name in ("birth", "expiry")
        valid = field_validator(name)
        if name == "personal":
            padded = padded_optional_data(raw)
            # K, A and U weigh like a filler in the check sum: it cannot tell; it can for the others
            if valid("".join(ch.best for ch in padded)) or not valid("".join(ch.best for ch in raw)):
                raw = padded
        fixed_text, was_repaired = fix_field(raw, valid, digits, by_majority=name == "personal")
        if digits and not calendar_date(fixed_text[:6]):
            fixed_text, was_repaired = _calendar_repair(raw, valid, fixed_text, was_repaired)
        if was_repaired:
            repaired.append(name)
        text1[a:b] = list(fixed_text[:-1])
        text1[c] = fixed_text[-1]
    text1[10:13] = [LETTER_MAP.get(ch, ch) for ch in text1[10:13]]
    text1[20] = _sex(line1_chars[20])
    line1 = left_aligned_letters(text1)
    if not all(mrz.td3_checks(line1).values()):
        # on the read as fitted (the typing above turned the shifted fields' letters into digits), else
        # on the typed one (look-alikes in digit fields)
        fitted = "".join(c.best for c in line1_chars)
        realigned = realigned_line2(fitted) or realigned_line2(line1)
        if realigned is not None:
            line1 = realigned
            repaired.append("alignment")
    return line1, repaired


def left_aligned_letters(text1: Sequence[str]) -> str:
    """Line 2 whose optional data of letters begins with zeros (``00IJJJICGJDMNI`` for
    ``IJJJICGJDMNI<<``: the fit of a long read dropped the padding instead of two stray characters; a
    zero weighs like a filler, so the checks may still pass): the data moved to the left, the zeros
    becoming its padding, when its own and the composite check digits pass so."""
    line1 = "".join(text1)
    data = re.fullmatch(r"(0+)([A-Z]{6,}<*)", line1[28:42])
    if data is None:
        return line1
    moved = line1[:28] + data[2].ljust(14, "<") + line1[42:]
    checks = mrz.td3_checks(moved)
    return moved if checks["personal"] and checks["composite"] else line1


def calendar_date(yymmdd: str) -> bool:
    """Six digits naming a day of the calendar (the century aside: ``mrz_date``'s own test)."""
    return mrz_date(yymmdd, future=True) != ""


def _calendar_repair(raw: Sequence[CharCandidates], valid: Callable[[str], bool], text: str,
                     was_repaired: bool) -> tuple[str, bool]:
    """A date field passing its check digit but naming no day (510851: two 3s read as 5, whose weights
    7 and 3 cancel out in the sum) repaired from the recogniser's alternatives, up to two positions,
    when exactly one repair is a calendar date passing the check; else as it was."""
    fixed = repair(typed(raw, True), lambda t: valid(t) and calendar_date(t[:6]), mrz.DIGITS, mapping={},
                   max_changes=2)
    return (fixed.text, True) if fixed.valid else (text, was_repaired)


_EXPECTED = "A" * 9 + "D" + "AAA" + "D" * 7 + "S" + "D" * 7  # per position before the optional data


def realigned_line2(line1: str) -> str | None:
    """Line 2 with one character lost (or one too many) before its optional data: the read is padded
    to 44 by the filler runs, so every field after the loss is shifted by one and fails its check.
    Each insertion (of a character the position can hold) or deletion before position 28 is tried,
    the filler run after it giving or taking the character back; accepted only when exactly one
    variant passes every check digit."""
    checks = mrz.td3_checks(line1)
    # Fields before the loss still pass: it lies in the first failing field or just before it.
    first = next((name for name in ("number", "birth", "expiry") if not checks[name]), None)
    if first is None:
        return None
    lo, hi = {"number": (0, 10), "birth": (10, 20), "expiry": (20, 28)}[first]
    passing: set[str] = set()
    for p in range(lo, hi):
        kind = _EXPECTED[p]
        inserts = mrz.DIGITS if kind == "D" else ("FM<" if kind == "S" else mrz.ALPHABET)
        candidates = [_refit(line1[:p] + ch + line1[p:]) for ch in inserts]
        candidates.append(_refit(line1[:p] + line1[p + 1:]))
        passing.update(v for v in candidates if v is not None and _plausible_line2(v))
        if len(passing) > 1:
            return None
    return passing.pop() if passing else None


def _plausible_line2(line1: str) -> bool:
    """Every check digit passes and both dates are calendar dates."""
    return (all(mrz.td3_checks(line1).values()) and mrz_date(line1[13:19], future=False) != ""
            and mrz_date(line1[21:27], future=True) != "")


def _refit(line1: str) -> str | None:
    """``line1`` back to 44 characters by its longest filler run from position 28 on (None: no run)."""
    runs = filler_runs(line1, 28)
    if not runs:
        return None
    _, start = max(runs, key=lambda run: run[0])  # the first of the longest
    if len(line1) > mrz.TD3_LENGTH:
        return line1[:start] + line1[start + 1:]
    return line1[:start] + "<" + line1[start:]


def mrz_date(yymmdd: str, future: bool, not_after: dt.date | None = None) -> str:
    """YYYY-MM-DD for an MRZ date; birth dates (``future`` False) are never in the future, and a holder
    is at least a few years older than the passport's expiry minus its validity (``not_after``)."""
    if not re.fullmatch(r"\d{6}", yymmdd):
        return ""
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    today = dt.date.today()
    for century in ((2000, 1900) if future or yy <= today.year % 100 else (1900,)):
        try:
            d = dt.date(century + yy, mm, dd)
        except ValueError:
            return ""
        if future or (d <= today and (not_after is None or d <= not_after)):
            return d.isoformat()
    try:
        return dt.date(1900 + yy, mm, dd).isoformat()
    except ValueError:
        return ""
