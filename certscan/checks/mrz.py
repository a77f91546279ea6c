"""ICAO Doc 9303 check digits (weights 7-3-1) for machine-readable zones."""

from __future__ import annotations


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
