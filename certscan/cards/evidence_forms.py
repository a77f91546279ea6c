"""How values look on the page, for ``certscan.cards.evidence_match``: canonical characters, printed
dates, and where a character sits in its line.

Canonical form (literal matching): NFKC, upper case, OCR look-alikes folded (O/0, I/1, ...), spaces and
separators dropped. Printed dates: ``2020年1月1日``, ``2020.01.01`` / ``2020-1-1`` / ``2020 01 01``,
``20200101``, ``2020年0101日`` (a separator lost), ``01 JAN 2020`` / ``01 1月/JAN 2020`` (passports); matched
on rows upper-cased with ``O o l I`` read as digits, as the parsers read dates.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from functools import cache

import numpy as np

from certscan.ocr.types import Line

# Characters OCR confuses, folded onto one representative on both sides of a comparison.
_FOLD = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1", "Z": "2", "S": "5",
                       "B": "8", "G": "6"})
# Spaces and separators the parsers drop or add (plates' ·, grouped bank numbers, MRZ fillers).
_DROP = frozenset(" \t\u3000·•・.．-—–_/\\:：,，。、;；'\"`()（）[]{}【】<>《》«»‹›〈〉く≤≦&“”‘’√*+=#~")
DATE_LOOKALIKES = str.maketrans("OolI", "0011")  # as the parsers read dates
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
LONG_TERM_WORDS = re.compile("长期|長期")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR = r"(?P<y>(?:1[89]|20)\d{2})"
_SEP = r"(?:\s*[^\d\s]\s*|\s+)"
# The printed forms of a date, best first; matched on upper-cased text with O/o/l/I read as digits.
_DATE_FORMS = (
    re.compile(rf"(?<!\d){_YEAR}{_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<d>\d{{1,2}})(?!\d)(?:\s*日)?"),
    re.compile(rf"(?<!\d){_YEAR}(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)"),
    re.compile(rf"{_YEAR}([.\-/])(?P<m>[01]\d)\2(?P<d>[0-3]\d)"),  # zero-padded, glued to a neighbour
    re.compile(rf"(?<!\d){_YEAR}\s*年?\s*(?P<md>\d{{1,2}}\s*月?\s*\d{{1,2}})\s*日"),  # a separator lost
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\s*(?:\d{{1,2}}\s*月\s*/?\s*)?(?P<mon>[A-Z0-9]{{3}})[A-Z]*\.?\s*/?\s*"
               rf"{_YEAR}(?!\d)"),
)
# Month words as they look after DATE_LOOKALIKES and upper-casing, however they were printed (Jul → JU1).
_MONTH_NUMBERS = {v.translate(DATE_LOOKALIKES).upper(): i + 1 for i, m in enumerate(_MONTHS)
                  for v in (m, m.lower(), m.capitalize())}


def _iso(y: str, m: int, d: int) -> str:
    try:
        return dt.date(int(y), m, d).isoformat()
    except ValueError:
        return ""


def _date_values(match: re.Match[str]) -> frozenset[str]:
    """The dates a printed form can denote (a lost separator leaves the month/day split open)."""
    groups = match.groupdict()
    if groups.get("md"):
        digits = re.sub(r"\D", "", groups["md"])
        splits = [(digits[:i], digits[i:]) for i in (1, 2) if 0 < len(digits) - i <= 2]
        return frozenset(v for m, d in splits if (v := _iso(groups["y"], int(m), int(d))))
    if groups.get("mon"):
        month = _MONTH_NUMBERS.get(groups["mon"])
        value = _iso(groups["y"], month, int(groups["d"])) if month else ""
    else:
        value = _iso(groups["y"], int(groups["m"]), int(groups["d"]))
    return frozenset({value} if value else ())


def printed_dates(raws: Sequence[str]) -> list[tuple[int, int, int, frozenset[str]]]:
    """(row, start, end, dates) of every printed date; a form overlapping a better one is dropped."""
    out: list[tuple[int, int, int, frozenset[str]]] = []
    for r, raw in enumerate(raws):
        taken: list[tuple[int, int]] = []
        for form in _DATE_FORMS:
            for m in form.finditer(raw):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                values = _date_values(m)
                if values:
                    out.append((r, m.start(), m.end(), values))
                    taken.append((m.start(), m.end()))
    return out


def canonical(text: str) -> str:
    """The comparable form of a value or a line: NFKC, upper case, look-alikes folded, separators gone."""
    s = unicodedata.normalize("NFKC", text).upper().translate(_FOLD)
    return "".join(ch for ch in s if ch not in _DROP and not ch.isspace())


@cache
def char_key(ch: str) -> str:
    """One recognised character's canonical form (its first character; "" for a separator)."""
    return canonical(ch)[:1]


def span_quad(line: Line, first: int, last: int) -> np.ndarray:
    """The part of ``line``'s quad holding characters ``first..last``, by their typical widths."""
    widths = [_char_width(ch) for ch in line.text] or [1.0]
    total = sum(widths)
    f0, f1 = sum(widths[:first]) / total, sum(widths[: last + 1]) / total
    tl, tr, br, bl = (np.asarray(p, dtype=np.float64) for p in line.box[:4])
    return np.array([tl + (tr - tl) * f0, tl + (tr - tl) * f1, bl + (br - bl) * f1, bl + (br - bl) * f0])


def _char_width(ch: str) -> float:
    if ch.isspace():
        return 0.35
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.55
