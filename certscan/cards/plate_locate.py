"""Second looks for photos where the whole-image read finds no plate: lines that look like most of a
plate read again from a widened crop (``reread_widened``), then plates located by colour and shape.

Blue, yellow and green plate backgrounds are saturated colours that rarely fill a plate-shaped
rectangle elsewhere on a car. Each such rectangle (aspect ratio of a single- or double-row plate) is
rectified with its minimum-area rectangle, enlarged to the recogniser's line height and read alone;
a double-row plate is read as its two rows.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from certscan.cards.plate import PlateRead, lines_box, plate_chars, repair, row_neighbours, text_length
from certscan.ocr.engine import OcrEngine
from certscan.ocr.recognize import crop_quad
from certscan.ocr.types import Page, rect_quad

# OpenCV HSV (H 0-180): lower and upper bounds of the plate backgrounds worth looking for.
_RANGES = {
    "blue": ((95, 90, 50), (130, 255, 255)),
    "yellow": ((12, 90, 90), (35, 255, 255)),
    "green": ((35, 50, 70), (95, 255, 255)),
}
_MAX_CANDIDATES = 6
_LONGEST = 8  # a new-energy plate's characters


def reread_widened(engine: OcrEngine, image: np.ndarray, page: Page) -> list[PlateRead]:
    """Lines that look like most of a plate (``C41252D``: the province on the yellow-green block was
    left out of the box) read again from a crop widened to take in the neighbouring characters; a
    plate split into two lines (``F`` | ``54042F``, the province lost) is widened from both."""
    h, w = page.height, page.width
    groups = [list(pair) for pair in row_neighbours(page.lines)] + [[ln] for ln in page.lines]
    latin = [len(_latin("".join(ln.text for ln in group))) for group in groups]
    suspects = [(group, n) for group, n in zip(groups, latin, strict=True) if 5 <= n <= 8]
    crops, boxes = [], []
    for group, n in suspects[:4]:
        x0, y0, x1, y1 = lines_box(group)
        pad_x, pad_y = 0.3 * (x1 - x0), 0.15 * max(ln.height for ln in group)
        # a short read may have lost more than the province: up to a new-energy plate's 8 characters,
        # and the separator's gap, to its left (甘Z lost from 28100F on the yellow block)
        pad_left = max(pad_x, (x1 - x0) / n * (_LONGEST - n + 1))
        box = (
            max(0.0, x0 - pad_left),
            max(0.0, y0 - pad_y),
            min(float(w), x1 + pad_x * 0.5),
            min(float(h), y1 + pad_y),
        )
        crops.append(crop_quad(image, page.image_points(rect_quad(*box))))
        # the plate's colour is measured under the lines read, not the widened crop (the car around it)
        boxes.append(((x0, y0, x1, y1), sum(map(text_length, group))))
    reads = []
    for rec, (box, size) in zip(engine.recognize(crops), boxes, strict=True):
        chars = plate_chars(rec.text, rec.chars)
        fixed = repair(chars) if len(chars) >= 7 else None
        if fixed:
            reads.append(PlateRead(fixed[0], rec.confidence * (1.0 - 0.12 * fixed[1]), size, box, fixed[1]))
    return reads


def _latin(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def _rectify(image: np.ndarray, rect: tuple[tuple[float, float], tuple[float, float], float]) -> np.ndarray:
    """The rotated rectangle cut out upright (long side horizontal), a little larger than found."""
    (cx, cy), (w, h), angle = rect
    if w < h:
        w, h, angle = h, w, angle + 90
    w, h = w * 1.06, h * 1.12
    box = cv2.boxPoints(((cx, cy), (w, h), angle)).astype(np.float32)
    # order: top-left, top-right, bottom-right, bottom-left
    s, d = box.sum(axis=1), np.diff(box, axis=1).ravel()
    src = np.array([box[np.argmin(s)], box[np.argmin(d)], box[np.argmax(s)], box[np.argmax(d)]], np.float32)
    out_h = 96
    out_w = max(out_h, int(out_h * w / max(h, 1.0)))
    dst = rect_quad(0, 0, out_w - 1, out_h - 1)
    return cv2.warpPerspective(image, cv2.getPerspectiveTransform(src, dst), (out_w, out_h))


def plate_regions(
    image: np.ndarray,
) -> list[tuple[tuple[tuple[float, float], tuple[float, float], float], str]]:
    """Plate-shaped rectangles of plate colours, largest first."""
    hsv = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2HSV)
    area_min = image.shape[0] * image.shape[1] * 0.0008
    found = []
    for colour, (lo, hi) in _RANGES.items():
        mask = cv2.inRange(hsv, np.array(lo, np.uint8), np.array(hi, np.uint8))
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 5))
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            rect = cv2.minAreaRect(c)
            w, h = rect[1]
            long, short = max(w, h), min(w, h)
            if short <= 0 or long * short < area_min:
                continue
            fill = cv2.contourArea(c) / (long * short)
            if 1.3 <= long / short <= 6.0 and fill > 0.55:
                (cx, cy), (rw, rh), angle = rect
                found.append((((float(cx), float(cy)), (float(rw), float(rh)), float(angle)), colour))
    found.sort(key=lambda rc: -rc[0][1][0] * rc[0][1][1])
    return found[:_MAX_CANDIDATES]


def read_located(engine: OcrEngine, image: np.ndarray) -> list[PlateRead]:
    reads: list[PlateRead] = []
    for rect, _colour in plate_regions(image):
        crop = _rectify(image, rect)
        double = crop.shape[1] / crop.shape[0] < 2.6
        crops = [crop[: crop.shape[0] * 2 // 5], crop[crop.shape[0] * 2 // 5 :]] if double else [crop]
        recs = engine.recognize(crops)
        chars = [c for rec in recs for c in plate_chars(rec.text, rec.chars)]
        fixed = repair(chars) if len(chars) >= 7 else None
        if fixed is None:
            continue
        number, changes = fixed
        pts = cv2.boxPoints(rect)
        box = (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))
        conf = float(np.mean([r.confidence for r in recs])) * (1.0 - 0.12 * changes)
        reads.append(PlateRead(number, conf, max(rect[1]), box, changes))  # the plate's long side
    return sorted(reads, key=lambda r: -r.size * r.confidence)
