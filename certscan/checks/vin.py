"""Vehicle identification number (ISO 3779 / GB 16735): 17 chars, no I/O/Q, check digit at position 9."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_VALUES = {**{str(d): d for d in range(10)},
           **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
           **dict(zip("JKLMN", range(1, 6), strict=True)), "P": 7, "R": 9,
           **dict(zip("STUVWXYZ", range(2, 10), strict=True))}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def check_char(vin: str) -> str:
    """The position-9 check character for a 17-char VIN (its own 9th char is ignored)."""
    total = sum(_VALUES[c] * w for c, w in zip(vin, _WEIGHTS, strict=True))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def is_valid(vin: str) -> bool:
    return len(vin) == 17 and all(c in ALPHABET for c in vin) and check_char(vin) == vin[8]


# ISO 3779 / GB 16735: position 10 codes the model year (digits 1-9 and letters without I O Q U Z, 0 never),
# and the serial's last four characters are digits.
YEAR_CODES = "123456789ABCDEFGHJKLMNPRSTVWXY"


def plausible(vin: str) -> bool:
    """A model-year code at position 10 and four digits at the end: what a repair must leave, as every
    VIN to the standard has them (a read is never rejected for lacking them)."""
    return len(vin) == 17 and vin[9] in YEAR_CODES and vin[13:].isdigit()
