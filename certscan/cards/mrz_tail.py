"""The composite check digit at the far end of MRZ line 2, read again when the read lost it.

On a photo the page is deskewed from its text as a whole, and a degree left over moves the far end of a
44-character line by most of its height: the detector's box stops short and the recogniser, reading a
band that misses the last character, drops it (``…<<<<<<<<`` for ``…<<<<<<<0``). The zone is padded to
44 from its filler runs, so the lost digit shows only as a composite check that fails while every other
check passes. Then the line's last cells (the pitch from the read, the left edge from the zone) are read
again in three bands: as found, half a line higher and half a line lower; the first whose last
character is a digit passing the composite check gives it. One small recognition of three crops, only
on that failure.
"""

from __future__ import annotations

import re

from certscan.cards.mrz_read import MrzRead
from certscan.checks import mrz
from certscan.ocr.engine import RegionReader
from certscan.ocr.types import Line, rect_quad

TAIL_CELLS = 6  # characters of the line's end read again
SHIFTS = (0.0, -0.5, 0.5)  # band offsets, in line heights


def _line2(read: MrzRead) -> list[Line]:
    """The boxes of line 2: those on the lowest row of the zone's lines."""
    if not read.lines:
        return []
    bottom = max(read.lines, key=lambda ln: ln.cy)
    return [ln for ln in read.lines if ln.cy > bottom.cy - 0.5 * max(bottom.height, 1.0)]


def lost_last_digit(read: MrzRead) -> bool:
    """Every check passes but the composite, and the last position holds the padding filler."""
    failing = [name for name, ok in read.checks.items() if not ok]
    return failing == ["composite"] and read.line1.endswith("<")


def read_last_digit(read: MrzRead, reread: RegionReader) -> None:
    """``read.line1`` with its composite check digit read again at the line's end (see the module)."""
    line2 = _line2(read)
    sized = [(ln.x1 - ln.x0, len(re.sub(r"\s", "", ln.text))) for ln in line2]
    pitches = [w / n for w, n in sized if n >= 8]
    if not pitches:
        return
    pitch = min(pitches)
    left = min(ln.x0 for ln in read.lines)
    end = left + mrz.TD3_LENGTH * pitch
    top, bottom = min(ln.y0 for ln in line2), max(ln.y1 for ln in line2)
    h = bottom - top
    a, b = end - TAIL_CELLS * pitch, end + 1.5 * pitch
    quads = [rect_quad(a, top + s * h, b, bottom + s * h) for s in SHIFTS]
    try:
        reads = list(reread(quads))
    except Exception:  # a second opinion only: the first read stands if it cannot be had
        return
    for tail in reads:
        last = re.sub(r"\s", "", tail.text)[-1:]
        fixed = read.line1[:-1] + last
        if last.isdigit() and mrz.field_ok(mrz.composite_field(fixed), last):
            read.line1, read.checks = fixed, mrz.td3_checks(fixed)
            read.repaired.append("composite")
            return
