"""The 0/180 line classifier (PP-OCR mobile v2 cls): is a horizontal line crop upside down?"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np
import onnxruntime as ort

_SHAPE = (48, 192)


def _normalise(crop: np.ndarray) -> np.ndarray:
    h, w = crop.shape[:2]
    th, tw = _SHAPE
    rw = min(tw, max(1, math.ceil(th * w / h)))
    resized = cv2.resize(crop, (rw, th)).astype(np.float32)
    out = np.zeros((3, th, tw), dtype=np.float32)
    out[:, :, :rw] = (resized.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
    return out


def upside_down_scores(sess: ort.InferenceSession, crops: Sequence[np.ndarray]) -> list[float]:
    """Probability (0..1) that each BGR line crop is rotated by 180°."""
    if not crops:
        return []
    x = np.stack([_normalise(c) for c in crops])
    probs = sess.run(None, {sess.get_inputs()[0].name: x})[0]
    return [float(p[1]) for p in probs]
