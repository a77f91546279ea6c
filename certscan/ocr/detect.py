"""DB text detection (PP-OCRv4 mobile det): image → text-line quadrilaterals.

Pre/post-processing follows PaddleOCR's DB settings. The input is scaled so its longer side is at most
``max_side`` (multiples of 32); cards need far fewer pixels than the stock ``limit_type: min, 736``,
which upsamples every small card and is most of the stock engine's detection time.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import onnxruntime as ort

# PP-OCRv4 det was trained on BGR input normalised with ImageNet statistics (PaddleOCR's det config).
_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32) * 255
_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32) * 255


@dataclass(frozen=True)
class DetParams:
    max_side: int = 960
    min_side: int = 32
    thresh: float = 0.3
    box_thresh: float = 0.5
    unclip_ratio: float = 1.6
    max_candidates: int = 1000


def _input_size(h: int, w: int, p: DetParams) -> tuple[int, int]:
    scale = min(1.0, p.max_side / max(h, w))
    nh = max(32, round(h * scale / 32) * 32)
    nw = max(32, round(w * scale / 32) * 32)
    return nh, nw


def preprocess(bgr: np.ndarray, p: DetParams) -> np.ndarray:
    h, w = bgr.shape[:2]
    nh, nw = _input_size(h, w, p)
    resized = cv2.resize(bgr, (nw, nh), interpolation=cv2.INTER_AREA if nh < h else cv2.INTER_LINEAR)
    x = (resized.astype(np.float32) - _MEAN) / _STD
    return np.ascontiguousarray(x.transpose(2, 0, 1)[np.newaxis])


def order_quad(pts: np.ndarray) -> np.ndarray:
    """4 points clockwise from top-left."""
    by_x = pts[np.argsort(pts[:, 0])]
    left = by_x[:2][np.argsort(by_x[:2, 1])]
    right = by_x[2:][np.argsort(by_x[2:, 1])]
    return np.array([left[0], right[0], right[1], left[1]], dtype=np.float32)


def _box_score(prob: np.ndarray, box: np.ndarray) -> float:
    h, w = prob.shape
    x0 = int(np.clip(np.floor(box[:, 0].min()), 0, w - 1))
    x1 = int(np.clip(np.ceil(box[:, 0].max()), 0, w - 1))
    y0 = int(np.clip(np.floor(box[:, 1].min()), 0, h - 1))
    y1 = int(np.clip(np.ceil(box[:, 1].max()), 0, h - 1))
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), dtype=np.uint8)
    cv2.fillPoly(mask, [(box - [x0, y0]).astype(np.int32)], 1)
    return float(cv2.mean(prob[y0:y1 + 1, x0:x1 + 1], mask)[0])


def _unclip(rect: tuple, ratio: float) -> np.ndarray:
    """Grow a rotated rectangle by DB's offset distance (area × ratio / perimeter) on every side.

    For the rectangles minAreaRect gives this equals the polygon offset PaddleOCR computes with
    pyclipper, without the dependency.
    """
    (cx, cy), (rw, rh), angle = rect
    distance = rw * rh * ratio / max(1e-6, 2 * (rw + rh))
    grown = ((cx, cy), (rw + 2 * distance, rh + 2 * distance), angle)
    return np.asarray(cv2.boxPoints(grown), dtype=np.float32)


def postprocess(prob: np.ndarray, src_h: int, src_w: int, p: DetParams) -> list[np.ndarray]:
    """Probability map (H×W) → quads in source-image coordinates."""
    mask = cv2.dilate((prob > p.thresh).astype(np.uint8), np.ones((2, 2), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    mh, mw = prob.shape
    sx, sy = src_w / mw, src_h / mh
    quads: list[np.ndarray] = []
    for contour in contours[: p.max_candidates]:
        rect = cv2.minAreaRect(contour)
        if min(rect[1]) < 3:
            continue
        if _box_score(prob, cv2.boxPoints(rect)) < p.box_thresh:
            continue
        grown = _unclip(rect, p.unclip_ratio)
        if min(cv2.minAreaRect(grown)[1]) < 5:
            continue
        quad = order_quad(grown)
        quad[:, 0] = np.clip(np.round(quad[:, 0] * sx), 0, src_w - 1)
        quad[:, 1] = np.clip(np.round(quad[:, 1] * sy), 0, src_h - 1)
        if np.linalg.norm(quad[0] - quad[1]) <= 3 or np.linalg.norm(quad[0] - quad[3]) <= 3:
            continue
        quads.append(quad)
    return quads


def reading_order(quads: list[np.ndarray]) -> list[np.ndarray]:
    """Top to bottom; boxes on one row (top within half a line height) left to right."""
    items = sorted(quads, key=lambda q: (float(q[:, 1].min()), float(q[:, 0].min())))
    rows: list[list[np.ndarray]] = []
    for q in items:
        h = float(q[:, 1].max() - q[:, 1].min())
        if rows and abs(float(rows[-1][0][:, 1].min()) - float(q[:, 1].min())) < h / 2:
            rows[-1].append(q)
        else:
            rows.append([q])
    return [q for row in rows for q in sorted(row, key=lambda q: float(q[:, 0].min()))]


def detect(sess: ort.InferenceSession, bgr: np.ndarray, p: DetParams) -> list[np.ndarray]:
    h, w = bgr.shape[:2]
    x = preprocess(bgr, p)
    prob = sess.run(None, {sess.get_inputs()[0].name: x})[0][0, 0]
    return reading_order(postprocess(prob, h, w, p))
