"""The ID card read a second time, cut out and enlarged, when a value fails its check.

A card far away in the photo (a third of the frame, turned by 90° or 270°, a photocopy on a white sheet)
reaches the detector with rows 10-15 px high: the number is boxed with digits lost or merged, whole rows
are never boxed or come out garbled. Every value has a check (the number's check character, birth date
and region; a listed ethnic group; an address starting with its province; a name of two CJK characters
or more); when one fails, the card is placed from the number's line (the card spans about two
number-widths around it) or, when no line looks like the number, around every box found; it is cut from
the input image, enlarged and read again (``certscan.cards.reread``: only when the detector then sees
the card clearly larger, so a card filling the photo is never read twice). When the first read boxed
next to nothing, the whole photo is read with a closer detector instead. The read passing more checks is
kept and each of its values failing its check is taken from the other read when that one's passes. The
emblem side is read again the same way when its bureau or a validity date fails (placed around its boxes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from certscan.cards import reread
from certscan.cards.base import ScanInput
from certscan.cards.readers import char_runs, line_chars
from certscan.ocr.engine import RegionReader
from certscan.ocr.types import Line, Page

ID_ALPHABET = "0123456789X"
# a line holding this many ID-number characters in a row is the number's line, even when misread
_NUMBER_RUN = 12
# the card around its number line, in number widths (the number is printed at the bottom right, about
# half the card wide, with the label column left of it and four rows above), with a margin for a
# number boxed short
_LEFT, _RIGHT, _ABOVE, _BELOW = 0.9, 0.5, 1.35, 0.4
# no number-like line: the boxes found may be one corner of the card
_AROUND_PAD = 0.35
# the emblem side prints four lines (two title lines, bureau, validity): two of them place it
_BACK_LINES = 2

# (page, region reader for that page) -> (contract fields, extras) of one side
SideFill = Callable[[Page, RegionReader | None], tuple[dict[str, Any], dict[str, Any]]]


def number_like_line(page: Page) -> Line | None:
    """The line with the longest run of ID-number characters (lookalikes included), when that run is
    long enough to be the number read with a few characters wrong or lost; the lowest one on a tie."""
    best: tuple[int, float] = (0, 0.0)
    found: Line | None = None
    for ln in page.lines:
        longest = max((len(run) for run in char_runs(line_chars(ln), ID_ALPHABET, max_gap=1)), default=0)
        if longest >= _NUMBER_RUN and (longest, ln.cy) > best:
            best, found = (longest, ln.cy), ln
    return found


def front_region(page: Page) -> np.ndarray | None:
    """The portrait side's quad in page coordinates: from the number-like line, else around every box."""
    number = number_like_line(page)
    if number is None:
        return reread.around_lines(page, pad=_AROUND_PAD)
    nw = number.x1 - number.x0
    return reread.clipped_quad(page, number.x0 - _LEFT * nw, number.y0 - _ABOVE * nw,
                               number.x1 + _RIGHT * nw, number.y1 + _BELOW * nw)


def back_region(page: Page) -> np.ndarray | None:
    """The emblem side's text (title, bureau, validity: the emblem left of them holds none), with a wide
    margin: the boxes found may be a part of it. Its four lines place it (fewer than the front needs)."""
    return reread.around_lines(page, pad=_AROUND_PAD, min_lines=_BACK_LINES)


def _second_page(scan: ScanInput, page: Page, region: reread.Region) -> tuple[Page, np.ndarray] | None:
    """The card read again: its region enlarged, or the whole photo with a closer detector when the first
    read boxed too little to place it; None when neither would show the detector more."""
    quad = region(page)
    if quad is not None:
        card = reread.enlarged_card(scan.image, page, quad)
        return (reread.read_cut(scan.engine, card), card.image) if card is not None else None
    closer = reread.read_closer(scan.engine, scan.image)
    return (closer, scan.image) if closer is not None else None


def reread_side(scan: ScanInput, page: Page, fields: dict[str, Any], extra: dict[str, Any],
                fill: SideFill, checks: reread.Checks, region: reread.Region,
                ) -> tuple[dict[str, Any], dict[str, Any]]:
    """``fields`` and ``extra`` as read when every value passes its check; else merged with a second read
    of the card (see the module doc): the read passing more checks is kept (the first on a tie: most
    checks are weak, and the first read's values came from the same full-resolution pixels) and each of
    its values failing a check is the other read's when that one passes. A card the first read already
    saw large is not read again (``reread.enlarged_card``)."""
    first_passed = reread.passed(fields, checks)
    if first_passed == len(checks):
        return fields, extra
    second = _second_page(scan, page, region)
    if second is None or not second[0].lines:
        return fields, extra
    again_page, image = second
    again, again_extra = fill(again_page, scan.region_reader(again_page, image))
    if image is not scan.image:  # the crop was cut upright from the first read: its own turn adds to it
        again["angle"] = round((float(fields["angle"]) + again_page.angle) % 360, 1)
    if reread.passed(again, checks) > first_passed:
        kept, other, kept_extra, other_extra = again, fields, again_extra, extra
    else:
        kept, other, kept_extra, other_extra = fields, again, extra, again_extra
    out = reread.merged(kept, other, checks)
    if "number" in checks:
        out["numberValid"] = bool(checks["number"](out["number"]))
        if out["numberValid"] and out["number"] != kept["number"]:
            # the other read's valid number settled its birth date and sex: they follow the number
            out["birth"] = other["birth"]
            kept_extra = {**kept_extra, "sex": other_extra.get("sex", "")}
    if "sex" in kept_extra and not kept_extra["sex"]:
        kept_extra = {**kept_extra, "sex": other_extra.get("sex", "")}
    return out, kept_extra
