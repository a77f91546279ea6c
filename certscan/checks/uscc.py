"""Unified Social Credit Code (GB 32100-2015), the organisation code inside it (GB 11714-1997), and the
15-digit business registration number (注册号) of pre-2015 licenses (GB/T 17710 = ISO/IEC 7064 MOD 11,10)."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 chars: no I, O, S, V, Z
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def check_char(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    """GB 11714 check character of a 9-char organisation code (digits and capital letters)."""

    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10

    rest = 11 - sum(value(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(rest, str(rest))


def is_valid(code: str) -> bool:
    return len(code) == 18 and all(c in ALPHABET for c in code) and check_char(code[:17]) == code[17]


def organization_code(code: str) -> str:
    """Characters 9-17 of a USCC are the organisation code (written ``XXXXXXXX-X`` on old licenses)."""
    return f"{code[8:16]}-{code[16]}" if len(code) == 18 else ""


def registration_check_digit(digits: str) -> str:
    """ISO/IEC 7064 MOD 11,10 check digit (GB/T 17710) of the first 14 digits of a 注册号."""
    p = 10
    for c in digits:
        s = (p + int(c)) % 10 or 10
        p = (2 * s) % 11
    return str((11 - p) % 10)


def is_valid_registration(number: str) -> bool:
    """A 15-digit 注册号 whose last digit is its MOD 11,10 check digit."""
    return len(number) == 15 and number.isdigit() and registration_check_digit(number[:14]) == number[14]
