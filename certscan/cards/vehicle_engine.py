"""The vehicle licence's engine number (发动机号码): the maker's code and serial, letters and digits with no
check digit to repair them by.

The detector's box around the printed number often starts on its first character, and the recogniser
then drops it (AD730110 for XAD730110, 0244017 for D0244017). The value's box is read once more, widened
to the left (one line's recognition, no detection); a read that is the first one with one or two more
letters or digits in front is taken. Nothing else of the first read is changed.
"""

from __future__ import annotations

import re

from certscan.cards import layout
from certscan.ocr.engine import RegionReader
from certscan.ocr.types import Line, Page, rect_quad

# 发动机号码 loses its tail under the seal more often than any other caption (发动机辑, 发动机).
ENGINE_LABELS = ["发动机号码", "发动机号", "发动机"]
_DATE = re.compile(r"(?:19|20)\d{2}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}")
# the widening, in line heights: left (where characters are lost), right, and up and down
_WIDEN = (0.6, 0.3, 0.15)


def code_runs(text: str) -> list[str]:
    """Runs of Latin letters and digits that may be an engine number (at least 4 long, 3 digits: never
    the English caption), O read as 0 (engine numbers, like VINs, use the digit). A date (the register
    date's box, beside the caption on a tilted card) is none."""
    if _DATE.search(text):
        return []
    runs = re.findall(r"[A-Z0-9]{4,}", re.sub(r"[\s·.\-]", "", text.upper()))
    return [r.replace("O", "0") for r in runs if sum(c.isdigit() for c in r) >= 3]


def looks_like_engine_number(value: str) -> bool:
    """Letters and digits, mostly digits (the maker's engine code, then a serial)."""
    return bool(re.fullmatch(r"[A-Z0-9]{5,}", value)) and sum(c.isdigit() for c in value) >= 3


def value_line(page: Page, number: str) -> Line | None:
    """The box right of the engine number's caption that holds ``number`` (a box of its own)."""
    hit = layout.find_label(page, ENGINE_LABELS)
    if hit is None or not number:
        return None
    row = layout.right_of(page, hit.line, min_overlap=0.3)
    return next((ln for ln in row if number in code_runs(ln.text)), None)


def with_lost_head(number: str, page: Page, reader: RegionReader | None) -> str:
    """``number`` with the characters its box cut off in front, read in the box widened to the left."""
    line = value_line(page, number) if reader is not None else None
    if line is None or reader is None:
        return number
    left, right, vertical = (k * line.height for k in _WIDEN)
    quad = rect_quad(line.x0 - left, line.y0 - vertical, line.x1 + right, line.y1 + vertical)
    reads = reader([quad])
    again = max(code_runs(reads[0].text), key=len, default="") if reads else ""
    head = again[: len(again) - len(number)]
    # a lone 1 in front is the seal's ring or the box's edge read as a stroke (1519195 for 519195)
    return again if again.endswith(number) and 0 < len(head) <= 2 and head != "1" else number
