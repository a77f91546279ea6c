"""Printed dates for ``certscan.cards.evidence_match``: every date a row shows, in the forms cards print.

``2020年1月1日``, ``2020.01.01`` / ``2020-1-1`` / ``2020 01 01``, ``20200101``, ``2020年0101日`` (a separator
lost), ``01 JAN 2020`` / ``01 1月/JAN 2020`` (passports); matched on rows upper-cased with ``O o l I`` read
as digits, as the parsers read dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

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
