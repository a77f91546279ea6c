"""A vehicle-licence cell read once more as one line: the strip right of its caption, cut from the
red-free image and recognised without detection.

The issuing office's seal is stamped over the bottom-left cells (发动机号码, 注册日期). On a photo
without colour (a grey scan, a photocopy) or where the seal's ink is dark, the seal stays after the red
is taken out, and the detector cuts the value's box at the seal's ring or star (2008 of 2008-05-28) or
finds no box at all. The recogniser, given the strip where the value must be, reads through the
seal's thin lines. This costs one line's recognition, and runs only for a cell whose value is missing or
incomplete; a re-read is taken only in the value's full form (a date with every digit).
"""

from __future__ import annotations

import re

import numpy as np

from certscan.cards import layout
from certscan.cards.text import compact
from certscan.ocr.engine import RegionReader
from certscan.ocr.types import Page

# A date printed whole: four, two and two digits with their separators (2015-02-1] is no date here:
# a digit was lost, and a parse would pad it into another day).
_WHOLE_DATE = re.compile(r"((?:19|20)\d{2})[-./](\d{2})[-./](\d{2})(?!\d)")
# the strip, in caption heights: its length right of the caption, and how far it reaches above and
# below the caption's box (values sit a little higher or lower than their captions on a tilted card)
DATE_STRIP = (8.0, 0.2, 0.2)
# the back's 核定载人数 value is a number and 人 (5人): a short strip, ending well before the next cell
SEATS_STRIP = (4.0, 0.2, 0.2)


def strip_beside(hit: layout.LabelHit, length: float, up: float, down: float) -> np.ndarray:
    """The strip right of the caption ``hit`` (page coordinates), along the caption's slope, ``length``
    caption heights long, widened ``up`` and ``down`` heights; it starts where the caption's own text
    ends (a value merged into the caption's line is inside it)."""
    box = np.asarray(hit.line.box, np.float32)
    share = hit.end / max(1, len(compact(hit.line.text)))
    top = box[0] + (box[1] - box[0]) * share
    bottom = box[3] + (box[2] - box[3]) * share
    height = float(np.linalg.norm(bottom - top)) or 1.0
    along = (box[1] - box[0]) / (float(np.linalg.norm(box[1] - box[0])) or 1.0)
    down_dir = (bottom - top) / height
    start_top = top - up * height * down_dir
    start_bottom = bottom + down * height * down_dir
    span = length * height * along
    return np.array([start_top, start_top + span, start_bottom + span, start_bottom], np.float32)


def whole_date(text: str) -> str:
    """The date printed whole in ``text`` as YYYY-MM-DD, else ""."""
    m = _WHOLE_DATE.search(compact(text))
    if not m or not (1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31):
        return ""
    return "-".join(m.groups())


def reread_date(page: Page, hit: layout.LabelHit | None, reader: RegionReader | None) -> str:
    """The date in the strip right of the date caption ``hit``, read as one line; "" unless whole."""
    if hit is None or reader is None:
        return ""
    reads = reader([strip_beside(hit, *DATE_STRIP)])
    return whole_date(reads[0].text) if reads else ""


def reread_seats(page: Page, hit: layout.LabelHit | None, reader: RegionReader | None) -> int | str:
    """The back's passenger capacity in the strip right of its caption ``hit``, read as one line: the
    detector can miss a value of two short characters (5人) beside its caption altogether. Taken only
    with its 人 read (digits alone could be a speck or the next cell's mass); else ""."""
    if hit is None or reader is None:
        return ""
    reads = reader([strip_beside(hit, *SEATS_STRIP)])
    m = re.match(r"\D?(\d{1,2})人", compact(reads[0].text)) if reads else None
    return int(m.group(1)) if m and int(m.group(1)) > 0 else ""
