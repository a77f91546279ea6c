"""Luhn (ISO/IEC 7812-1) check digit, used by bank card numbers."""

from __future__ import annotations


def check_digit(payload: str) -> str:
    """The digit to append to ``payload`` so the whole number passes Luhn."""
    total = 0
    for i, c in enumerate(reversed(payload)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def is_valid(number: str) -> bool:
    return len(number) >= 2 and number.isdigit() and check_digit(number[:-1]) == number[-1]
