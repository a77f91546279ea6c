"""Finding and reading a TD3 machine-readable zone on an OCR page, with check-digit repair.

OCR returns each MRZ line as one or more boxes; ``<`` runs are often shortened (CTC merges repeats) and
letters and digits swap (O/0, I/1, B/8). Lines are rebuilt to 44 characters by stretching filler runs,
each check-digited field is repaired from the recogniser's alternatives (accepted only when exactly one
candidate passes), and the field values are decoded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from certscan.cards.layout import group_rows
from certscan.cards.readers import line_chars
from certscan.checks import mrz
from certscan.checks.repair import DIGIT_MAP, plain_chars, repair
from certscan.ocr.types import CharCandidates, Line, Page

_FILLER_LOOKALIKES = {"«": "<", "‹": "<", "〈": "<", "く": "<", "＜": "<", "(": "<", "{": "<", "[": "<"}
_FILLER = CharCandidates(chars=("<",), probs=(1.0,))
LETTER_MAP = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}


@dataclass
class MrzRead:
    line0: str
    line1: str
    checks: dict[str, bool] = field(default_factory=dict)
    repaired: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(self.checks.values())


def _mrz_chars(line_set: Sequence[Line]) -> list[CharCandidates]:
    out: list[CharCandidates] = []
    for ln in sorted(line_set, key=lambda ln: ln.x0):
        for c in line_chars(ln):
            best = _FILLER_LOOKALIKES.get(c.best, c.best).upper()
            if best == " ":
                continue
            chars = tuple(_FILLER_LOOKALIKES.get(a, a).upper() for a in c.chars)
            out.append(CharCandidates(chars=(best, *chars[1:]), probs=c.probs))
    return out


def _mrz_like(text: str) -> bool:
    s = re.sub(r"\s", "", text).upper()
    if len(s) < 20:
        return False
    share = sum(ch in mrz.ALPHABET or ch in _FILLER_LOOKALIKES for ch in s) / len(s)
    return share >= 0.9 and ("<" in s or len(s) >= 40)


def find_mrz_rows(page: Page) -> list[list[Line]]:
    """The bottom-most two rows of MRZ-like text, top first."""
    rows = [row for row in group_rows(page, min_overlap=0.5)
            if _mrz_like("".join(ln.text for ln in row))]
    return rows[-2:]


def fit_length(chars: list[CharCandidates], protect: int = 0) -> list[CharCandidates]:
    """Stretch or shrink filler runs after position ``protect`` until the line has 44 characters."""
    chars = list(chars)
    while len(chars) != mrz.TD3_LENGTH:
        runs: list[tuple[int, int]] = []  # (length, start) of '<' runs after protect
        i = protect
        while i < len(chars):
            if chars[i].best == "<":
                j = i
                while j < len(chars) and chars[j].best == "<":
                    j += 1
                runs.append((j - i, i))
                i = j
            else:
                i += 1
        if len(chars) < mrz.TD3_LENGTH:
            if runs:
                _, start = max(runs)
                chars.insert(start, _FILLER)
            else:
                chars.append(_FILLER)
        elif runs:
            _, start = max(runs)
            del chars[start]
        else:
            del chars[-1]
    return chars


def _typed(chars: Sequence[CharCandidates], digits: bool) -> list[CharCandidates]:
    """Re-rank each position's readings toward the field's kind (digits, or letters)."""
    table = DIGIT_MAP if digits else LETTER_MAP
    out = []
    for c in chars:
        mapped = tuple(table.get(a, a) for a in c.chars)
        out.append(CharCandidates(chars=mapped, probs=c.probs))
    return out


def _validator(name: str, n: int) -> Callable[[str], bool]:
    """Checks ``field + check digit`` of one TD3 line-2 field."""
    if name == "personal":
        return lambda s: mrz.personal_ok("<" * 28 + s + "<")
    return lambda s: mrz.field_ok(s[:n], s[n])


def _fix_field(seq: list[CharCandidates], valid: Callable[[str], bool],
               digits_only: bool) -> tuple[str, bool]:
    """A field + check digit: as read, else with letter look-alikes read as digits (numbers in
    alphanumeric fields are mostly digits), else repaired from alternatives; (text, repaired)."""
    as_digits = _typed(seq, True)
    variants = [as_digits] if digits_only else [seq, as_digits]
    for variant in variants:
        text = "".join(c.best for c in variant)
        if valid(text):
            return text, variant is not seq
    alphabet = mrz.DIGITS if digits_only else mrz.ALPHABET
    for variant in variants[::-1]:
        fixed = repair(variant, valid, alphabet, mapping={}, max_changes=1)
        if fixed.valid:
            return fixed.text, True
    return "".join(c.best for c in variants[0]), False


def read_mrz(page: Page) -> MrzRead | None:
    rows = find_mrz_rows(page)
    if not rows:
        return None
    upper = _mrz_chars(rows[0]) if len(rows) == 2 else []
    lower = _mrz_chars(rows[-1])
    if not upper and lower and lower[0].best == "P":
        return None  # only the names line was found
    line0_chars = fit_length(upper, protect=5) if upper else plain_chars("<" * mrz.TD3_LENGTH)
    line1_chars = fit_length(lower, protect=28)
    line0 = "".join(c.best for c in line0_chars)
    line0 = line0[:5] + "".join(LETTER_MAP.get(ch, ch) for ch in line0[5:])
    result = MrzRead(line0=line0, line1="", lines=[ln for row in rows for ln in row])
    text1 = list("".join(c.best for c in line1_chars))
    for name, a, b, c in mrz.TD3_FIELDS:
        raw = [*line1_chars[a:b], _typed([line1_chars[c]], True)[0]]
        digits = name in ("birth", "expiry")
        fixed_text, repaired = _fix_field(raw, _validator(name, b - a), digits)
        if repaired:
            result.repaired.append(name)
        text1[a:b] = list(fixed_text[:-1])
        text1[c] = fixed_text[-1]
    text1[10:13] = [LETTER_MAP.get(ch, ch) for ch in text1[10:13]]
    text1[20] = {"H": "M", "E": "F"}.get(text1[20], text1[20])
    result.line1 = "".join(text1)
    result.checks = mrz.td3_checks(result.line1)
    return result


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
