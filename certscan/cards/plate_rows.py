"""The top row of a double-row plate the whole-image read lost or cut short.

A double-row plate (large vehicles, trailers, coaches: yellow) prints the province and the issuing
letter small over the five large serial characters. The detector often boxes the bottom row alone and
misses the top one (its characters are half as tall: 粤 F over 8187H), or boxes only part of it (鄂
without its L): the bottom row then reads as five serial characters no read uses. That line's
neighbourhood, widened upwards to take in the top row, is cut out, enlarged and read again on its own
(detection and recognition of a small crop: only for such lines, rare in car photos).
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from certscan.cards.plate import PlateRead, read_plates, text_length
from certscan.checks import plate as rules
from certscan.ocr.engine import OcrEngine
from certscan.ocr.recognize import crop_quad
from certscan.ocr.types import Line, Page, rect_quad

# A double-row plate's bottom row: five serial characters (O and I: 0 and 1 read as letters, the repair
# mends them), the last one maybe a trailer's or coach's mark.
_BOTTOM_ROW = re.compile(f"^[{rules.SERIAL}OI]{{4}}[{rules.SERIAL}OI挂学]$")
# how far above the bottom row the top row reaches, in bottom-row heights (GA 36: the top row's
# characters are ~0.55 of the bottom row's, over a small gap), and the margins around it
_ABOVE, _BELOW, _SIDE = 1.0, 0.15, 0.12
# the enlarged crop's height: the top row's characters come out ~25 px, as the detector likes them
_CROP_HEIGHT = 160
_MAX_LINES = 2


def bottom_rows(page: Page, chars: dict[int, str], used: set[int]) -> list[int]:
    """Indices of the lines no read uses that read as a double-row plate's bottom row, tallest first.
    ``chars`` maps a line's index to its characters as read (separators dropped, upper case)."""
    found = [i for i, text in chars.items() if i not in used and _BOTTOM_ROW.match(text)]
    return sorted(found, key=lambda i: -page.lines[i].height)[:_MAX_LINES]


def _with_top_row(page: Page, line: Line) -> tuple[float, float, float, float]:
    """The bottom row's box widened to take in the row over it."""
    h, pad = line.height, _SIDE * (line.x1 - line.x0)
    return (
        max(0.0, line.x0 - pad),
        max(0.0, line.y0 - _ABOVE * h),
        min(float(page.width), line.x1 + pad),
        min(float(page.height), line.y1 + _BELOW * h),
    )


def reread_top_rows(engine: OcrEngine, image: np.ndarray, page: Page, lines: list[int]) -> list[PlateRead]:
    """Plates read from the neighbourhoods of ``lines`` (bottom rows of double-row plates), each placed
    at its bottom row (where the plate's colour is measured) with the bottom row's size."""
    reads = []
    for index in lines:
        line = page.lines[index]
        crop = crop_quad(image, page.image_points(rect_quad(*_with_top_row(page, line))))
        scale = _CROP_HEIGHT / max(1, crop.shape[0])
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        found = read_plates(engine.read(crop))
        if not found:
            continue
        best = found[0]
        reads.append(
            PlateRead(
                best.number,
                best.confidence,
                text_length(line),
                (line.x0, line.y0, line.x1, line.y1),
                best.repairs,
                (index,),
            )
        )
    return reads
