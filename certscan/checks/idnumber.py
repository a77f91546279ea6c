"""Resident identity number (GB 11643-1999): 6-digit region code, birth date, sequence, check char."""

from __future__ import annotations

import datetime as dt

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    """The 18th character for the first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def checksum_ok(number: str) -> bool:
    return len(number) == 18 and number[:17].isdigit() and check_char(number[:17]) == number[17].upper()


def is_valid(number: str, region_known: bool | None = None) -> bool:
    """Length, digits, a plausible birth date and the check character.

    ``region_known`` lets the caller add the GB/T 2260 region test (see ``certscan.checks.regions``);
    None skips it.
    """
    if not checksum_ok(number):
        return False
    born = birth_date(number)
    if born is None or born.year < 1880 or born > dt.date.today():
        return False
    return region_known is not False
