"""Per-field scoring of a parser's answer against a label (reused by the speed benchmark).

Normalisation is deliberately narrow: Unicode NFKC (full-width → half-width forms), whitespace removed,
and, in date fields, each recognised date written as its digits (``2019-05-04``, ``2019.05.04``,
``2019年5月4日``, ``04 MAY 2019``, ``04 5月/MAY 2019``, ``May 04, 2019`` → ``20190504``; month-day
fields → ``0504``). Nothing else: no case folding, no edit distance, no check-digit repair.

Two exceptions that are not text: ``angle`` matches within ``ANGLE_TOLERANCE`` degrees (a float estimate
of a skew cannot be exact), and confidence values (``rate``, ``vehicleTypeRate``) are not truths and are
not scored. The ID card's optional ``copy``/``remake`` detections are off by default and not scored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

ANGLE_TOLERANCE = 10.0
UNSCORED: dict[str, frozenset[str]] = {
    "*": frozenset({"rate", "vehicleTypeRate"}),
    "id-card-front": frozenset({"copy", "remake"}),
    "id-card-back": frozenset({"copy", "remake"}),
}
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"])}
_MONTH_WORD = r"(?:(?:\d{1,2})月\s*/\s*)?([A-Za-z]{3})[A-Za-z]*\.?"
_DATE_PATTERNS: list[tuple[re.Pattern[str], tuple[int, int, int]]] = [
    # (pattern, (group of year, month, day)); month groups may be words.
    (re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?"), (1, 2, 3)),
    (re.compile(r"(\d{1,2})\s+" + _MONTH_WORD + r"\s+(\d{4})"), (3, 2, 1)),
    (re.compile(r"([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{1,2}),?\s+(\d{4})"), (3, 1, 2)),
]
_DAY_PATTERNS: list[tuple[re.Pattern[str], tuple[int, int]]] = [
    (re.compile(r"^(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$"), (1, 2)),
    (re.compile(r"^([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{1,2})$"), (1, 2)),
    (re.compile(r"^(\d{1,2})\s+" + _MONTH_WORD + r"$"), (2, 1)),
]
_DAY_KEYS = frozenset({"birthDay", "expireDay"})
_DATE_KEYS = frozenset({"birth", "birthday", "vaildPeriod", "startDate", "endDate"})


def _month(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _MONTHS.get(token[:3].upper())


def _date_digits(match: re.Match[str], groups: tuple[int, ...]) -> str | None:
    parts = [match.group(g) for g in groups]
    month_index = 1 if len(groups) == 3 else 0
    month = _month(parts[month_index])
    if month is None:
        return None
    numbers = [int(p) if i != month_index else month for i, p in enumerate(parts)]
    if len(numbers) == 3:
        return f"{numbers[0]:04d}{numbers[1]:02d}{numbers[2]:02d}"
    return f"{numbers[0]:02d}{numbers[1]:02d}"


def dates_to_digits(text: str) -> str:
    """Every recognised full date inside ``text`` replaced by its 8 digits."""
    for pattern, groups in _DATE_PATTERNS:
        text = pattern.sub(lambda m, g=groups: _date_digits(m, g) or m.group(0), text)  # type: ignore[misc]
    return text


def day_to_digits(text: str) -> str:
    """A month-day value (``05-04``, ``May 04``, ``04 MAY``) as ``0504``."""
    stripped = text.strip()
    for pattern, groups in _DAY_PATTERNS:
        m = pattern.match(stripped)
        if m:
            return _date_digits(m, groups) or stripped
    return stripped


def normalize_text(value: Any) -> str:
    text = value if isinstance(value, str) else str(value)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def is_date_key(key: str) -> bool:
    return key in _DATE_KEYS or "Date" in key or key.endswith("date")


def normalize(key: str, value: Any) -> str:
    """The comparable form of one field value (see the module docstring)."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", value if isinstance(value, str) else str(value))
    if key in _DAY_KEYS:
        text = day_to_digits(text)
    elif is_date_key(key):
        text = dates_to_digits(text)
    return re.sub(r"\s+", "", text)


def _angle_ok(expected: Any, got: Any) -> bool:
    try:
        diff = abs(float(expected) - float(got)) % 360.0
    except (TypeError, ValueError):
        return False
    return min(diff, 360.0 - diff) <= ANGLE_TOLERANCE


def field_match(key: str, expected: Any, got: Any) -> bool:
    if key == "angle" or key.endswith(".angle"):
        return _angle_ok(expected, got)
    if isinstance(expected, bool) or isinstance(got, bool):
        return isinstance(got, bool) and got is expected
    return normalize(key, expected) == normalize(key, got)


def flatten(fields: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects (``overallDimension``) as dotted keys."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


@dataclass
class DocumentScore:
    """One image: which label fields the answer got right."""

    fields: dict[str, bool] = field(default_factory=dict)  # content fields: expected value non-empty
    blanks: dict[str, bool] = field(default_factory=dict)  # expected "": True when the answer left it ""

    @property
    def exact(self) -> bool:
        """Every scored field right, and nothing invented where the card shows nothing."""
        return bool(self.fields or self.blanks) and all(self.fields.values()) and all(self.blanks.values())


def scored_keys(card: str, label_fields: dict[str, Any]) -> list[str]:
    skip = UNSCORED["*"] | UNSCORED.get(card, frozenset())
    return [k for k in flatten(label_fields) if k.split(".")[-1] not in skip]


def score_document(card: str, label_fields: dict[str, Any], answer: dict[str, Any] | None) -> DocumentScore:
    """Score ``answer`` (the object under the result key; None when the scan failed) on the label's keys.

    Only keys present in the label are scored, so a real-image label listing just the fields a person
    could read is scored on exactly those.
    """
    expected, got = flatten(label_fields), flatten(answer or {})
    score = DocumentScore()
    for key in scored_keys(card, label_fields):
        want = expected[key]
        have = got.get(key, "") if answer is not None else None
        if want == "":
            score.blanks[key] = answer is not None and normalize(key, have) == ""
        else:
            score.fields[key] = answer is not None and field_match(key, want, have)
    return score
