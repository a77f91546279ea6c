"""Text normalisation shared by every card parser: width, whitespace, OCR digit confusions and dates.

Everything here works on plain strings (no geometry; see ``certscan.cards.layout`` for that).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from certscan.constants import LONG_TERM

# Characters OCR commonly returns in place of a digit on printed cards.
_DIGIT_LOOKALIKES = str.maketrans({
    "O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0",
    "I": "1", "l": "1", "|": "1", "i": "1", "!": "1", "L": "1",
    "Z": "2", "z": "2",
    "S": "5", "s": "5",
    "G": "6", "b": "6",
    "T": "7",
    "B": "8",
    "g": "9", "q": "9",
})

_DATE_LOOKALIKES = str.maketrans("OolI", "0011")

_LONG_TERM_WORDS = ("长期", "長期", "长朝", "长明", "長朝")


def normalize(text: str) -> str:
    """NFKC (full width → half width, compatibility forms), whitespace runs → one space, trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def compact(text: str) -> str:
    """``normalize`` without any whitespace: Chinese card text carries no meaningful spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def to_digits(text: str) -> str:
    """Map letters OCR confuses with digits onto the digits; drop everything that is still not a digit."""
    return re.sub(r"\D", "", compact(text).translate(_DIGIT_LOOKALIKES))


def digits_with_lookalikes(text: str) -> str:
    """Like ``to_digits`` but keeps a trailing ``X`` (ID numbers end in X)."""
    s = compact(text).upper().replace("×", "X")
    tail = "X" if s.endswith("X") else ""
    return to_digits(s[:-1] if tail else s) + tail


def is_long_term(text: str) -> bool:
    s = compact(text)
    return any(word in s for word in _LONG_TERM_WORDS)


# Year, month, day with any of the separators cards print (年月日 . - / space) or none (8 digits).
_DATE_SEP = re.compile(
    r"(?P<y>(?:1[89]|20)\d{2})\s*(?P<sep>[年.\-/,，·])\s*(?P<m>\d{1,2})\s*[月.\-/,，·]\s*"
    r"(?P<d>\d{1,2})(?!\d)"  # the whole day: never backtrack 17 into 1
    r"(?:\s*日|(?![\u4e00-\u9fff]))"  # a day cut short by a misread (2021.12.2长) is no date
)
_DATE_COMPACT = re.compile(r"(?<!\d)(?P<y>(?:1[89]|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")


def _valid_date(y: str, m: str, d: str) -> str:
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return ""


def find_dates(text: str, long_term: bool = False) -> list[str]:
    """Every date in ``text`` as YYYY-MM-DD, in reading order; with ``long_term`` 长期 counts as one.

    Handles 1990年1月2日, 1990.01.02, 1990-01-02, 1990/1/2 and 19900102; impossible dates are skipped.
    """
    s = unicodedata.normalize("NFKC", text)
    s = s.translate(_DATE_LOOKALIKES)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_DATE_SEP, _DATE_COMPACT):
        for m in pattern.finditer(s):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            value = _valid_date(m["y"], m["m"], m["d"])
            if value:
                found.append((m.start(), value))
                taken.append((m.start(), m.end()))
    if long_term:
        for word in _LONG_TERM_WORDS:
            pos = s.find(word)
            if pos >= 0:
                found.append((pos, LONG_TERM))
                break
    return [value for _, value in sorted(found)]


def parse_date(text: str, long_term: bool = False) -> str:
    """The first date in ``text`` as YYYY-MM-DD ("" if none); 长期 → "Long-term" when ``long_term``."""
    dates = find_dates(text, long_term=long_term)
    return dates[0] if dates else ""


def strip_punct(text: str) -> str:
    """Drop punctuation OCR hangs on field values (leading colons, trailing dots, stray quotes)."""
    return re.sub(r"^[\s:：;；,，.。·'\"`_\-]+|[\s:：;；,，。·'\"`_]+$", "", text)


def hamming(a: str, b: str) -> int:
    """Positions where ``a`` and ``b`` differ, over the shorter of the two (callers compare equal lengths
    or a read against a prefix of what it should be)."""
    return sum(x != y for x, y in zip(a, b, strict=False))


def is_subsequence(short: str, long: str) -> bool:
    """``short``'s characters appear in ``long`` in order (``long`` is ``short`` with characters added)."""
    rest = iter(long)
    return all(ch in rest for ch in short)


def one_doubled(text: str) -> set[str]:
    """``text`` with one of its characters printed twice, every way: the recogniser's CTC decoding merges a
    repeat it sees as one stroke (88884 read as 8884), so a read one character short may be one of these."""
    return {text[: i + 1] + text[i:] for i in range(len(text))}


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: the fewest inserted, deleted or replaced characters turning ``a`` into ``b``."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j - 1] + (ca != cb), prev[j] + 1, cur[j - 1] + 1))
        prev = cur
    return prev[-1]
