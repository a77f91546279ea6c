"""Plate localisation by colour and shape, for photos where the whole-image read finds no plate.

Blue, yellow and green plate backgrounds are saturated colours that rarely fill a plate-shaped
rectangle elsewhere on a car. Each such rectangle (aspect ratio of a single- or double-row plate) is
rectified with its minimum-area rectangle, enlarged to the recogniser's line height and read alone;
a double-row plate is read as its two rows.
"""

from __future__ import annotations

import cv2
import numpy as np

from certscan.cards.plate import PlateRead, repair
from certscan.ocr.engine import OcrEngine
from certscan.ocr.types import rect_quad

# OpenCV HSV (H 0-180): lower and upper bounds of the plate backgrounds worth looking for.
_RANGES = {
    "blue": ((95, 90, 50), (130, 255, 255)),
    "yellow": ((12, 90, 90), (35, 255, 255)),
    "green": ((35, 50, 70), (95, 255, 255)),
}
_MAX_CANDIDATES = 6


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
        chars = []
        for rec in recs:
            cands = rec.chars if len(rec.chars) == len(rec.text) else []
            for i, ch in enumerate(rec.text):
                if ch.strip() and ch not in "·.•・-_:：'\"*,，。|":
                    chars.append((ch.upper(), tuple(cands[i].chars[1:]) if cands else ()))
        fixed = repair(chars) if len(chars) >= 7 else None
        if fixed is None:
            continue
        number, changes = fixed
        pts = cv2.boxPoints(rect)
        box = (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))
        conf = float(np.mean([r.confidence for r in recs])) * (1.0 - 0.12 * changes)
        reads.append(PlateRead(number, conf, max(rect[1]), box, changes))  # the plate's long side
    return sorted(reads, key=lambda r: -r.size * r.confidence)
