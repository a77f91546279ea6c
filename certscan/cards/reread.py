"""A card read a second time, cut out and enlarged, when its first read fails its checks.

A card small in the frame (or blurred) is seen by the detector at a few hundred pixels: neighbouring
rows merge into blobs and whole rows are never boxed. The card's region (placed by the caller, e.g. from
a title line, or around every box found) is cut from the input image, rectified, enlarged and read
again; the answer whose values pass their checks more often is kept, and a value failing its check is
taken from the other read when that one's passes. This costs one extra OCR pass, and runs only when a
check fails and the card is small enough in the frame for the re-read to see it larger. The driving
licence front and both vehicle-licence pages use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from certscan.ocr.detect import DetParams
from certscan.ocr.engine import OcrEngine
from certscan.ocr.recognize import crop_quad, turns_strip
from certscan.ocr.types import Page, rect_quad

# the enlarged card's long side: the detector then sees rows about 40 px high
CARD_SIDE = 1400
# a re-read that would show the detector the card less than this much larger than the first read did
# sees the same pixels again (a card filling the photo): it cannot pass a check the first read failed
MIN_DETECTOR_GAIN = 1.25
_DETECTOR_SIDE = DetParams().max_side
# fewer boxes than this: the detector saw next to nothing of the card, not even where it lies
FEW_LINES = 5
CLOSER_DETECTOR_SIDE = 1600

# per field: whether a value looks right (a check digit, a format, a printed term)
Checks = Mapping[str, Callable[[Any], bool]]
Region = Callable[[Page], np.ndarray | None]


def passed(fields: Mapping[str, Any], checks: Checks) -> int:
    """How many of ``fields`` pass their check."""
    return sum(bool(check(fields.get(key, ""))) for key, check in checks.items())


def clipped_quad(page: Page, x0: float, y0: float, x1: float, y1: float) -> np.ndarray | None:
    """The rectangle as a quad in page coordinates, clipped to the page; None when next to nothing."""
    x0, y0 = max(0.0, x0), max(0.0, y0)
    x1, y1 = min(float(page.width), x1), min(float(page.height), y1)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return rect_quad(x0, y0, x1, y1)


def around_lines(page: Page, pad: float = 0.15, min_lines: int = FEW_LINES) -> np.ndarray | None:
    """The region around every box found, widened by ``pad`` of its long side (rows the first read
    missed at the card's edges come back); None from fewer than ``min_lines`` boxes (specks do not place
    a card)."""
    if len(page.lines) < min_lines:
        return None
    x0 = min(ln.x0 for ln in page.lines)
    x1 = max(ln.x1 for ln in page.lines)
    y0 = min(ln.y0 for ln in page.lines)
    y1 = max(ln.y1 for ln in page.lines)
    margin = pad * max(x1 - x0, y1 - y0)
    return clipped_quad(page, x0 - margin, y0 - margin, x1 + margin, y1 + margin)


def detector_gain(image_side: int, crop_side: int) -> float:
    """How many times more detector pixels per card pixel the enlarged re-read gets than the first read:
    the first read saw the whole image capped at the detector's side, the re-read sees the card alone at
    that side."""
    first = min(1.0, _DETECTOR_SIDE / max(1, image_side))
    return (_DETECTOR_SIDE / max(1, crop_side)) / first


@dataclass(frozen=True)
class Cut:
    """A region cut from the input image (rectified, turned, enlarged): its pixels, and the 2×3 affine
    from them to the input's (``Page.crop_to_input`` of a page read from it: the field details' boxes)."""

    image: np.ndarray
    to_input: np.ndarray


def enlarged_card(image: np.ndarray, page: Page, quad: np.ndarray | None) -> Cut | None:
    """The card (``quad``, page coordinates) cut upright from ``image`` and scaled up so its long side is
    ``CARD_SIDE`` (never down); None without a quad or when the card already filled the first read's
    view (``MIN_DETECTOR_GAIN``)."""
    if quad is None:
        return None
    corners = page.image_points(quad)
    crop = crop_quad(image, corners)
    if detector_gain(max(image.shape[:2]), max(crop.shape[:2])) < MIN_DETECTOR_GAIN:
        return None
    turns = 1 if turns_strip(corners) else 0
    if crop.shape[0] > crop.shape[1] and (quad[2, 1] - quad[0, 1]) < (quad[2, 0] - quad[0, 0]):
        crop = np.ascontiguousarray(np.rot90(crop, -1))  # crop_quad turned a tall strip; the card is wide
        turns -= 1
    scale = CARD_SIDE / max(crop.shape[:2])
    if scale > 1.0:
        size = (round(crop.shape[1] * scale), round(crop.shape[0] * scale))
        crop = cv2.resize(crop, size, interpolation=cv2.INTER_CUBIC)
    return Cut(crop, _cut_to_input(corners, turns, crop.shape[1], crop.shape[0]))


def _cut_to_input(corners: np.ndarray, turns: int, width: int, height: int) -> np.ndarray:
    """The affine from a cut's pixels (``width`` × ``height``, after ``turns`` quarter turns of
    ``np.rot90``) to the input's: crop_quad's strip has the quad's corners (TL, TR, BR, BL) at its own;
    turning a 2×2 array of corner numbers the same way says which one each of the cut's corners is."""
    at = np.rot90(np.array([[0, 1], [3, 2]]), turns)
    src = np.array([[0, 0], [width, 0], [0, height]], dtype=np.float32)
    dst = np.array([corners[at[0, 0]], corners[at[0, 1]], corners[at[1, 0]]], dtype=np.float32)
    return cv2.getAffineTransform(src, dst)


def turned_over(image: np.ndarray) -> Cut:
    """The whole image turned by 180° (a page the orientation probe left upside down)."""
    h, w = image.shape[:2]
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    return Cut(np.ascontiguousarray(np.rot90(image, 2)), _cut_to_input(corners, 2, w, h))


def read_cut(engine: OcrEngine, cut: Cut) -> Page:
    """The cut read, its page placed on the input image (``Page.crop_to_input``)."""
    page = engine.read(cut.image)
    page.crop_to_input = cut.to_input
    return page


def read_closer(engine: OcrEngine, image: np.ndarray) -> Page | None:
    """``image`` read again with the detector at up to ``CLOSER_DETECTOR_SIDE`` instead of its default
    side: a card far away in a large photo, whose rows the default detection did not find at all (no
    box to place the card by). None when that would show the detector nothing new (a small image)."""
    side = min(max(image.shape[:2]), CLOSER_DETECTOR_SIDE)
    if side < MIN_DETECTOR_GAIN * _DETECTOR_SIDE:
        return None
    return engine.read(image, det_max_side=side)


def better_fields(
    fields: dict[str, Any],
    page: Page,
    image: np.ndarray,
    engine: OcrEngine,
    parse: Callable[[Page], dict[str, Any]],
    checks: Checks,
    region: Region = around_lines,
    fill_only: bool = False,
) -> dict[str, Any]:
    """``fields`` when every check passes; else the card (``region`` of ``page``) re-read enlarged, or,
    when the first read found too little to place the card, the whole image read with a closer
    detector. The read passing more checks is kept (the re-read, seeing more pixels, on a tie), and any
    of its values failing a check the other read's value passes is replaced by that value. With
    ``fill_only`` every value of the first read that passes its check is kept and the re-read only
    fills the others (for cards whose checks are weak for some fields: a wrong engine number or name
    from a re-read passes them as well as the right one read first)."""
    first = passed(fields, checks)
    if first == len(checks):
        return fields
    quad = region(page)
    if quad is not None:
        card = enlarged_card(image, page, quad)
        if card is None:
            return fields
        again = parse(read_cut(engine, card))
    else:
        closer = read_closer(engine, image)
        if closer is None:
            return fields
        again = parse(closer)
    if fill_only or passed(again, checks) < first:
        return merged(fields, again, checks)
    return merged(again, fields, checks)


def merged(kept: Mapping[str, Any], other: Mapping[str, Any], checks: Checks) -> dict[str, Any]:
    """``kept``'s values, each one failing its check replaced by ``other``'s when that one passes."""
    out = dict(kept)
    for key, check in checks.items():
        if not check(out.get(key, "")) and check(other.get(key, "")):
            out[key] = other.get(key, "")
    return out
