"""The driving licence's main page read a second time, when the first read fails its checks.

A card small in the frame (or blurred) is seen by the detector at a few hundred pixels: neighbouring
rows merge into blobs and whole rows (often the 证号 line) are never boxed. The card's region is placed
from its title line (中华人民共和国机动车驾驶证) or from the boxes found; ``reread`` cuts it out, enlarges
it and reads it again, and keeps per field the answer passing its check. This costs one extra OCR pass,
and runs only when the ID number's check digit, a validity date, the name or the class is missing, and
only when the card is small enough in the frame for the re-read to see it larger.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from certscan.cards import reread
from certscan.cards.idcard import number_valid
from certscan.cards.reread import CARD_SIDE as CARD_SIDE
from certscan.cards.reread import MIN_DETECTOR_GAIN as MIN_DETECTOR_GAIN
from certscan.cards.reread import detector_gain as detector_gain
from certscan.cards.text import compact
from certscan.ocr.engine import OcrEngine, RegionReader
from certscan.ocr.types import Line, Page, rect_quad

_TITLE = re.compile(r"机动车|驾驶证|人民共和国")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|Long-term")
# a house number read without its digits (北京路号) or without its 号 (3组59): part of the address was lost
_NUMBER_LOST = re.compile(r"[路街巷弄道]号|\d$")


# a wrong value usually fails its check: a bad ID check digit, a date not read whole, a name of one char
FIELD_CHECKS: dict[str, Callable[[str], bool]] = {
    "number": number_valid,  # the ID card's check: check digit, birth date, listed region
    "name": lambda value: bool(re.fullmatch(r"[\u4e00-\u9fff·]{2,}", value)),
    "vehicleType": bool,
    "validStartDate": lambda value: bool(_DATE.fullmatch(value)),
    "validEndDate": lambda value: bool(_DATE.fullmatch(value)),
    "address": lambda value: len(value) >= 6 and not _NUMBER_LOST.search(value),
}


def field_checks(fields: dict[str, str]) -> int:
    """How many of the front's values pass their format check."""
    return reread.passed(fields, FIELD_CHECKS)


def _title(page: Page) -> Line | None:
    titles = [ln for ln in page.lines if _TITLE.search(compact(ln.text)) and len(compact(ln.text)) >= 6]
    return max(titles, key=lambda ln: ln.x1 - ln.x0) if titles else None


def card_region(page: Page) -> np.ndarray | None:
    """The card's quad in page coordinates: from the title when it was read (the card is about 1.5
    title-widths wide and one title-width tall under it), else around every box found."""
    title = _title(page)
    if title is None:
        return reread.around_lines(page)
    w, h = title.x1 - title.x0, title.height
    return reread.clipped_quad(page, title.x0 - 0.45 * w, title.y0 - 1.5 * h, title.x1 + 0.45 * w,
                               title.y1 + 1.2 * w)


def better_fields(
    fields: dict[str, str],
    page: Page,
    image: np.ndarray,
    engine: OcrEngine,
    parse: Callable[[Page], dict[str, str]],
) -> dict[str, str]:
    """``fields`` when every check passes; else the card re-read enlarged (``reread.better_fields``), which
    only fills the values failing their check: a name or address passes its check as easily misread as
    right, and an enlarged low-resolution card often reads no better than the first read did."""
    return reread.better_fields(fields, page, image, engine, parse, FIELD_CHECKS, card_region, fill_only=True)


# a name's characters are about 0.8-0.9 of its box's height wide each: a box this much wider than the
# characters read in it holds one the page read dropped (a dense character, 霞 or 鑫, at the detector's
# scale)
_WIDE_NAME_BOX = 1.05


def name_read_whole(name: str, page: Page, reader: RegionReader | None) -> str:
    """``name`` read again from its own box cut from the full-resolution input, when that box is wider
    than the characters read in it (贺琪 for 贺琪霞); the second read is kept only when it is the first
    plus one or two Chinese characters. One line's recognition, on the few cards with such a box."""
    boxes = [ln for ln in page.lines if compact(ln.text) == name]
    if reader is None or not name or len(boxes) != 1:
        return name
    box = boxes[0]
    if box.x1 - box.x0 < _WIDE_NAME_BOX * box.height * len(name):
        return name
    margin = 0.1 * box.height
    reads = reader([rect_quad(box.x0, box.y0 - margin, box.x1, box.y1 + margin)])
    again = compact(reads[0].text) if reads else ""
    return again if re.fullmatch(re.escape(name) + r"[\u4e00-\u9fff]{1,2}", again) else name
