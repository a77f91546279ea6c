"""Chinese motor-vehicle plate numbers (GA 36-2018): the format rules per plate kind.

A civil plate is a province abbreviation, an issuing-authority letter and a serial: 5 characters from
digits and letters without I and O (the last one may be 挂 学 警 领 港 澳 for trailers, coaches, police,
consulates and Hong Kong / Macao vehicles); new-energy plates have a 6-character serial with D or F
(electric / hybrid) first for small vehicles, last for large ones. Embassy plates are 使 + 6 digits,
military plates two letters + 5 digits.
"""

from __future__ import annotations

import re

PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新"
LETTER = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # never I or O
SERIAL = LETTER + "0123456789"
SUFFIXES = "挂学警领港澳"

_L, _S = f"[{LETTER}]", f"[{SERIAL}]"
PATTERNS: dict[str, re.Pattern[str]] = {
    "new-energy-small": re.compile(f"^[{PROVINCES}]{_L}[DF]{_S}[0-9]{{4}}$"),
    "new-energy-large": re.compile(f"^[{PROVINCES}]{_L}[0-9]{{5}}[DF]$"),
    "hongkong-macao": re.compile(f"^粤Z{_S}{{4}}[港澳]$"),
    "special": re.compile(f"^[{PROVINCES}]{_L}{_S}{{4}}[挂学警领]$"),
    "standard": re.compile(f"^[{PROVINCES}]{_L}{_S}{{5}}$"),
    "embassy": re.compile("^使[0-9]{6}$"),
    # The 2012 military scheme: a service / theatre letter in red, a unit letter, five digits.
    "military": re.compile(f"^[VKHBSLJNGCZ]{_L}[0-9]{{5}}$"),
}

# Where a plate's characters may come from, position by position, per length: used to repair OCR output.
POSITION_SETS: dict[int, list[str]] = {
    7: [PROVINCES + "使", LETTER + "0123456789", SERIAL, SERIAL, SERIAL, SERIAL, SERIAL + SUFFIXES],
    8: [PROVINCES, LETTER, SERIAL, SERIAL, "0123456789", "0123456789", "0123456789", "0123456789DF"],
}

VEHICLE_TYPES = {
    "new-energy-small": "New energy vehicle",
    "new-energy-large": "New energy vehicle",
    "hongkong-macao": "Hong Kong or Macao vehicle",
    "embassy": "Embassy or consulate vehicle",
    "military": "Military vehicle",
}
SUFFIX_TYPES = {
    "挂": "Trailer",
    "学": "Coach car",
    "警": "Police car",
    "领": "Embassy or consulate vehicle",
    "港": "Hong Kong or Macao vehicle",
    "澳": "Hong Kong or Macao vehicle",
}
COLOUR_TYPES = {
    "blue": "Small car",
    "yellow": "Large car",
    "green": "New energy vehicle",
    "white": "Police car",
    "black": "Hong Kong or Macao vehicle",
}


def kind(number: str) -> str | None:
    """The plate kind ``number`` is formatted as, or None when it breaks the rules."""
    for name, pattern in PATTERNS.items():
        if pattern.match(number):
            return name
    return None


def is_valid(number: str) -> bool:
    return kind(number) is not None


def vehicle_type(number: str, colour: str | None = None) -> str:
    """The reference's vehicle type: the plate's own characters decide first, then its colour."""
    plate_kind = kind(number)
    if plate_kind in VEHICLE_TYPES:
        return VEHICLE_TYPES[plate_kind]
    if number and number[-1] in SUFFIX_TYPES:
        return SUFFIX_TYPES[number[-1]]
    if colour in COLOUR_TYPES:
        return COLOUR_TYPES[colour]
    return "Small car"


def decided_by_characters(number: str) -> bool:
    """Whether the characters alone fix the vehicle type (so the colour does not matter)."""
    plate_kind = kind(number)
    return plate_kind in VEHICLE_TYPES or (plate_kind == "special" or plate_kind == "hongkong-macao")
