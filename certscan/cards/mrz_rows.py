"""Where the TD3 machine-readable zone lies on an OCR page: its two rows, found by their text (MRZ
characters, fillers, the line's length) and, when the detector cut or merged them, by their place (a
names line with every filler misread right above line 2; a tall line-2 box sharing a row with it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from certscan.cards.layout import group_rows
from certscan.checks import mrz
from certscan.checks.mrz_codes import known_state
from certscan.ocr.types import Line, Page

_FILLER_LOOKALIKES = {"«": "<", "‹": "<", "〈": "<", "く": "<", "＜": "<", "(": "<", "{": "<", "[": "<"}


def mrz_like(text: str) -> bool:
    """MRZ-looking text: MRZ characters only, with fillers or full length; or (line 2 whose filler run
    was not detected) a long run of capitals and digits with at least a dozen digits."""
    s = re.sub(r"\s", "", text).upper()
    if len(s) < 20:
        return False
    share = sum(ch in mrz.ALPHABET or ch in _FILLER_LOOKALIKES for ch in s) / len(s)
    digits = sum(ch.isdigit() for ch in s)
    # Without fillers, a long line of letters is an MRZ only in capitals: a caption or authority in
    # mixed case (``ExitEntryAdministrationMinistry of Public Security``) is printed text.
    capitals = sum(ch.islower() for ch in text) <= 0.1 * len(s)
    return share >= 0.9 and ("<" in s or (capitals and (len(s) >= 40 or (len(s) >= 26 and digits >= 12))))


def find_mrz_rows(page: Page) -> list[list[Line]]:
    """The bottom-most two rows of MRZ-like text, top first; else the pieces of a zone the detector cut
    short: a names line's start (``P<GBRTAYLOR<``) and the row of MRZ characters right under it."""
    all_rows = [part for row in group_rows(page, min_overlap=0.5) for part in _unstacked(row)]
    rows = [row for row in all_rows if mrz_like("".join(ln.text for ln in row))]
    if len(rows) == 2:
        return rows
    if len(rows) == 1 and (upper := _names_row_above(all_rows, rows[0])) is not None:
        return [upper, rows[0]]
    for i, row in enumerate(all_rows[:-1]):
        text = re.sub(r"\s", "", "".join(ln.text for ln in row)).upper()
        below = all_rows[i + 1]
        h = max(max(ln.height for ln in row), 1.0)
        under = re.sub(r"\s", "", "".join(ln.text for ln in below)).upper()
        if (_NAMES_START.match(text) and min(ln.y0 for ln in below) - max(ln.y1 for ln in row) < 2 * h
                and len(under) >= 8 and all(ch in mrz.ALPHABET for ch in under)):
            return [row, below]
    return rows[-2:]


def _unstacked(row: list[Line]) -> list[list[Line]]:
    """A row that holds two lines one above the other (a tall box of line 2 overlapping half of a
    short names line above it: both start at the zone's left edge) split in two, top first; each line
    of a row otherwise lies beside the others."""
    if len(row) < 2:
        return [row]
    for a in row:
        for b in row:
            if a is b or b.cy <= a.cy:
                continue
            overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
            if overlap > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0):
                top = [ln for ln in row if ln.cy < (a.cy + b.cy) / 2]
                return [top, [ln for ln in row if ln.cy >= (a.cy + b.cy) / 2]]
    return [row]


_NAMES_START = re.compile(r"P[A-Z<][A-Z]{3}[A-Z<]*<")
# A names line whose every filler was read as a letter (PKCHNDENGKKMEIJIAESKSKKS): no ``<`` to tell it.
_NAMES_NO_FILLER = re.compile(r"P[A-Z<]([A-Z]{3})[A-Z<]{15,}")


def _names_row_above(all_rows: Sequence[Sequence[Line]], lower: Sequence[Line]) -> list[Line] | None:
    """The row right above a lone line 2 when it reads as a names line with its fillers misread: P, a
    state code, capitals only (at least 20), within two line heights."""
    i = next((k for k, row in enumerate(all_rows) if row is lower), 0)
    if i == 0:
        return None
    above = all_rows[i - 1]
    text = re.sub(r"\s", "", "".join(ln.text for ln in above))
    m = _NAMES_NO_FILLER.fullmatch(text)
    h = max(max(ln.height for ln in lower), 1.0)
    near = min(ln.y0 for ln in lower) - max(ln.y1 for ln in above) < 2 * h
    return list(above) if m and near and known_state(m.group(1)) else None


def lone_names_row(page: Page) -> list[Line] | None:
    """The lowest row starting a names line (``P<CHNLI<<JIEXIU<<<``, at least 10 characters), for a page
    where no MRZ row was found: on a small tilted page the detector can miss line 2 entirely and cut
    line 1 after its names, too short to look like an MRZ."""
    for row in reversed(group_rows(page, min_overlap=0.5)):
        text = re.sub(r"\s", "", "".join(ln.text for ln in row)).upper()
        if len(text) >= 10 and _NAMES_START.match(text):
            return row
    return None
