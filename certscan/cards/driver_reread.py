"""The driving licence's main page read a second time, when the first read fails its checks.

A card small in the frame (or blurred) is seen by the detector at a few hundred pixels: neighbouring
rows merge into blobs and whole rows (often the 证号 line) are never boxed. The card's region, placed
from its title line (中华人民共和国机动车驾驶证) or from the boxes found, is cut from the input image,
rectified, enlarged and read again; the answer whose checks pass more often is kept. This costs one extra
OCR pass, and runs only when the ID number's check digit, a validity date, the name or the class is
missing, and only when the card is small enough in the frame for the re-read to see it larger.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import cv2
import numpy as np

from certscan.cards.text import compact
from certscan.checks import idnumber
from certscan.ocr.detect import DetParams
from certscan.ocr.engine import OcrEngine
from certscan.ocr.recognize import crop_quad
from certscan.ocr.types import Line, Page

# the enlarged card's long side: the detector then sees rows about 40 px high
CARD_SIDE = 1400
# a re-read that would show the detector the card less than this much larger than the first read did
# sees the same pixels again (a card filling the photo): it cannot pass a check the first read failed
MIN_DETECTOR_GAIN = 1.25
_DETECTOR_SIDE = DetParams().max_side
_TITLE = re.compile(r"机动车|驾驶证|人民共和国")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|Long-term")


def _valid_number(value: str) -> bool:
    return bool(re.fullmatch(r"\d{17}[\dX]", value)) and idnumber.is_valid(value)


# a wrong value usually fails its check: a bad ID check digit, a date not read whole, a name of one char
FIELD_CHECKS: dict[str, Callable[[str], bool]] = {
    "number": _valid_number,
    "name": lambda value: bool(re.fullmatch(r"[\u4e00-\u9fff·]{2,}", value)),
    "vehicleType": bool,
    "validStartDate": lambda value: bool(_DATE.fullmatch(value)),
    "validEndDate": lambda value: bool(_DATE.fullmatch(value)),
    "address": lambda value: len(value) >= 6,
}


def field_checks(fields: dict[str, str]) -> int:
    """How many of the front's values pass their format check."""
    return sum(check(fields.get(key, "")) for key, check in FIELD_CHECKS.items())


def _title(page: Page) -> Line | None:
    titles = [ln for ln in page.lines if _TITLE.search(compact(ln.text)) and len(compact(ln.text)) >= 6]
    return max(titles, key=lambda ln: ln.x1 - ln.x0) if titles else None


def card_region(page: Page) -> np.ndarray | None:
    """The card's quad in page coordinates: from the title when it was read (the card is about 1.5
    title-widths wide and one title-width tall under it), else around every box found."""
    title = _title(page)
    if title is not None:
        w, h = title.x1 - title.x0, title.height
        x0, x1 = title.x0 - 0.45 * w, title.x1 + 0.45 * w
        y0, y1 = title.y0 - 1.5 * h, title.y1 + 1.2 * w
    elif page.lines:
        x0 = min(ln.x0 for ln in page.lines)
        x1 = max(ln.x1 for ln in page.lines)
        y0 = min(ln.y0 for ln in page.lines)
        y1 = max(ln.y1 for ln in page.lines)
        pad = 0.15 * max(x1 - x0, y1 - y0)
        x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    else:
        return None
    x0, y0 = max(0.0, x0), max(0.0, y0)
    x1, y1 = min(float(page.width), x1), min(float(page.height), y1)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def detector_gain(image_side: int, crop_side: int) -> float:
    """How many times more detector pixels per card pixel the enlarged re-read gets than the first read:
    the first read saw the whole image capped at the detector's side, the re-read sees the card alone at
    that side."""
    first = min(1.0, _DETECTOR_SIDE / max(1, image_side))
    return (_DETECTOR_SIDE / max(1, crop_side)) / first


def enlarged_card(image: np.ndarray, page: Page) -> np.ndarray | None:
    """The card cut upright from ``image`` and scaled up so its long side is ``CARD_SIDE`` (never down);
    None when the card already filled the first read's view (``MIN_DETECTOR_GAIN``)."""
    quad = card_region(page)
    if quad is None:
        return None
    crop = crop_quad(image, page.image_points(quad))
    if detector_gain(max(image.shape[:2]), max(crop.shape[:2])) < MIN_DETECTOR_GAIN:
        return None
    if crop.shape[0] > crop.shape[1] and (quad[2, 1] - quad[0, 1]) < (quad[2, 0] - quad[0, 0]):
        crop = np.ascontiguousarray(np.rot90(crop, -1))  # crop_quad turned a tall strip; the card is wide
    scale = CARD_SIDE / max(crop.shape[:2])
    if scale <= 1.0:
        return crop
    size = (round(crop.shape[1] * scale), round(crop.shape[0] * scale))
    return cv2.resize(crop, size, interpolation=cv2.INTER_CUBIC)


def better_fields(
    fields: dict[str, str],
    page: Page,
    image: np.ndarray,
    engine: OcrEngine,
    parse: Callable[[Page], dict[str, str]],
) -> dict[str, str]:
    """``fields`` when every check passes; else the card re-read enlarged. The read passing more checks
    is kept (the re-read, seeing more pixels, on a tie), and any of its values failing a check the
    other read's value passes is replaced by that value."""
    first = field_checks(fields)
    if first == len(FIELD_CHECKS):
        return fields
    card = enlarged_card(image, page)
    if card is None:
        return fields
    again = parse(engine.read(card))
    kept, other = (again, fields) if field_checks(again) >= first else (fields, again)
    merged = dict(kept)
    for key, check in FIELD_CHECKS.items():
        if not check(merged.get(key, "")) and check(other.get(key, "")):
            merged[key] = other[key]
    return merged
