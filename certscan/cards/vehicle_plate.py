"""The vehicle licence's plate (号牌号码), on both pages: the read after its caption made a plate by
the plate rules (GA 36), the recogniser's other candidates, the most prominent plate-shaped text on the
page when the caption's read is none, and the province completed from the owner's address."""

from __future__ import annotations

import re

from certscan.cards import layout
from certscan.cards.places import plate_province
from certscan.cards.plate import read_plates
from certscan.cards.plate import repair as plate_repair
from certscan.cards.text import compact
from certscan.checks import plate as plate_rules
from certscan.ocr.types import Page

# a plate never carries I or O (GA 36): past the office letter they are 1 and 0
DIGIT_NOT_LETTER = str.maketrans("OI", "01")


def plate_number(text: str) -> str:
    s = [c for c in compact(text).upper() if c not in "·.•・-_:：'\"*"]
    # A plate never carries I or O (GA 36): past the office letter (the character after the province)
    # they are 1 and 0, which the repair would count as changes (豫JOONO5: three).
    s = [c.translate(DIGIT_NOT_LETTER) if not (i and s[i - 1] in plate_rules.PROVINCES) else c
         for i, c in enumerate(s)]
    at = next((i for i, c in enumerate(s) if c in plate_rules.PROVINCES), -1)
    if 0 <= at < len(s) - 1 and s[at + 1] == s[at]:
        # the province's strokes read as the province again (川川IT06757D): no plate holds two
        del s[at + 1]
    stroke, jay = s[at : at + 1] + s[at + 2 :], [*s[at : at + 1], "J", *s[at + 2 :]]
    if (0 <= at < len(s) - 1 and s[at + 1] in "I|" and plate_rules.is_valid("".join(stroke))
            and not plate_rules.is_valid("".join(jay))):
        # a stroke of the province read as a character (川IT6F36E: 川T6F36E), not the office letter J,
        # which would make a plate of the whole read (浙ID77335: 浙JD77335)
        s = stroke
    energy = _new_energy_mark(s[at:]) if at >= 0 else ""
    if energy:
        return energy
    fixed = plate_repair([(c, ()) for c in s])
    return fixed[0] if fixed else "".join(s)


def _new_energy_mark(s: list[str]) -> str:
    """A read of a new-energy plate's length (province, letter, six) with its D read as 0, where only
    that D makes it a plate (贵E895790: 贵E89579D). The repair would rather drop a character (贵E89579:
    a shorter window needs no change) than change one."""
    if len(s) != 8 or plate_rules.is_valid("".join(s)):
        return ""
    marked = ["".join([*s[:k], "D", *s[k + 1 :]]) for k in (2, 7) if s[k] == "0"]
    valid = [m for m in marked if plate_rules.is_valid(m)]
    return valid[0] if len(valid) == 1 else ""


def plate_by_alternatives(page: Page) -> str:
    """The plate on the 号牌号码 row when the plain read breaks the plate rules: the recogniser's
    other candidates per character (a province read as a look-alike: 辽 as 过) may make it valid."""
    hit = layout.find_label(page, "号牌号码")
    if hit is None:
        return ""
    for line in [hit.line, *layout.right_of(page, hit.line, min_overlap=0.3)]:
        if len(line.chars) != len(line.text):
            continue
        chars = [(c.best.upper(), c.chars[1:]) for c in line.chars
                 if c.best.strip() and c.best not in "·.-:：'\"*"]
        fixed = plate_repair(chars)
        if fixed:
            return fixed[0]
    return ""


def page_plate(page: Page, value: str, max_repairs: int = 1) -> str:
    """The plate after its label (with the recogniser's alternatives when the plain read breaks the
    rules), else the most prominent plate-shaped text on the page made valid by at most
    ``max_repairs`` changes."""
    number = plate_number(value)
    if plate_rules.is_valid(number):
        return number
    number = plate_by_alternatives(page) or number
    if plate_rules.is_valid(number):
        return number
    # Military vehicles carry no civil licence: two letters and digits here are an engine number or VIN.
    # Two changes make a plate of most codes (the model's MRRSAOST0 → 京RSA0ST): one at most here.
    reads = [r for r in read_plates(page)
             if plate_rules.kind(r.number) != "military" and r.repairs <= max_repairs
             and not any(_LONG_CODE.search(page.lines[i].text) for i in r.lines)]
    return reads[0].number if reads else number


# A run of capitals and digits longer than any plate's (at most 7 after the province): a VIN, a model or
# engine code, a file number, in which the page-wide search finds plate-shaped pieces (IHGF0SJG1RK804860:
# 浙GF0S3G, 江准PDV7186774: 湘PDV7186). Case-sensitive: the English captions are not capitals.
_LONG_CODE = re.compile(r"[A-Z0-9]{9,}")


def civil_plate(plate: str) -> bool:
    """A valid plate of a civil vehicle: two letters and five digits fit the military scheme, but a
    military vehicle carries no civil licence (that is a civil plate whose province was misread into
    no province, 翼ZF33003 for 冀ZF33003, and dropped)."""
    return plate_rules.is_valid(plate) and plate_rules.kind(plate) != "military"


def province_from_address(plate: str, address: str) -> str:
    """A plate read without its province character (E18203, or ZF33003, which only looks military),
    completed from the owner's address when that makes it a valid civil plate; else kept as read."""
    if not plate or civil_plate(plate) or plate[0] in plate_rules.PROVINCES:
        return plate
    province = plate_province(address)  # the registration address lies in the issuing office's province
    return province + plate if province and civil_plate(province + plate) else plate
