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


# --- TD3 (passport booklet: 2 lines × 44) ------------------------------------------------------------

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
DIGITS = "0123456789"
TD3_LENGTH = 44

# (name, start, end, check position) of line 2's check-digited fields.
TD3_FIELDS: tuple[tuple[str, int, int, int], ...] = (
    ("number", 0, 9, 9),
    ("birth", 13, 19, 19),
    ("expiry", 21, 27, 27),
    ("personal", 28, 42, 42),
)


def composite_field(line1: str) -> str:
    """The characters the TD3 composite check digit (position 44) covers."""
    return line1[0:10] + line1[13:20] + line1[21:43]


def personal_ok(line1: str) -> bool:
    """Optional data may be all fillers with a filler (or zero) check digit."""
    personal, digit = line1[28:42], line1[42]
    if set(personal) == {"<"} and digit in "<0":
        return True
    return field_ok(personal, digit)


def td3_checks(line1: str) -> dict[str, bool]:
    """Every ICAO check of a TD3 line 2 (assumed 44 chars)."""
    out = {name: field_ok(line1[a:b], line1[c]) for name, a, b, c in TD3_FIELDS if name != "personal"}
    out["personal"] = personal_ok(line1)
    out["composite"] = field_ok(composite_field(line1), line1[43])
    return out
