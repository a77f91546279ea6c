"""Line recognition (PP-OCRv4 mobile rec, CTC) with per-character top-k alternatives.

The recogniser scores every class at every time step; greedy CTC decoding keeps the best class per
step. For each emitted character we also keep the next best classes at its most confident step, so a
check digit that fails can be repaired from what the network itself thought plausible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
import onnxruntime as ort

from certscan.ocr.models import Charset
from certscan.ocr.types import CharCandidates, rect_quad

REC_HEIGHT = 48
# PaddleOCR pads every line to at least 320 px (ratio 6.7); padding short lines (labels) only to 192 px
# read the same on the synthetic ID/bank/passport set (500 vs 499 of 531 fields) at 20 % less CPU.
MIN_RATIO = 4.0
TOP_K = 5
_MARGIN = 4  # pixels around a crop's bounding box: cubic interpolation reads 2 beyond
# Per line, the recogniser's cost grows with the batch's padded area: on these CPUs 8 lines of 640 px cost
# 44 ms each, 2 lines 25 ms (the activations of a large batch fall out of cache). A batch is therefore cut
# into slices of at most this many pixels of padded width (lines × width); short lines still go 8 at a time.
BATCH_WIDTH_BUDGET = 1920
# A recogniser call's fixed cost in padded columns' worth of CPU (0.5-1 ms against ~24 us per column).
CALL_COST_COLUMNS = 30


@dataclass
class Recognition:
    text: str
    confidence: float
    chars: list[CharCandidates] = field(default_factory=list)


def crop_quad(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The quad's content warped to an axis-aligned strip; tall strips are turned to horizontal.

    Only the quad's bounding box (plus a margin for the interpolation's taps) is touched, so a crop of a
    large photo, or of a channel-flipped view of it, copies a few kilobytes instead of the whole image
    (OpenCV copies a non-contiguous view whole before warping it: that copy was most of the crop's cost).
    """
    q = quad.astype(np.float32)
    w, h = strip_size(q)
    ih, iw = image.shape[:2]
    lo, hi = q.min(axis=0), q.max(axis=0)
    x0, y0 = max(0, math.floor(lo[0]) - _MARGIN), max(0, math.floor(lo[1]) - _MARGIN)
    x1, y1 = min(iw, math.ceil(hi[0]) + _MARGIN + 1), min(ih, math.ceil(hi[1]) + _MARGIN + 1)
    if x1 <= x0 or y1 <= y0:
        x0, y0, x1, y1 = 0, 0, iw, ih
    roi = np.ascontiguousarray(image[y0:y1, x0:x1])
    q = q - np.array([x0, y0], dtype=np.float32)
    dst = rect_quad(0, 0, w, h)
    m = cv2.getPerspectiveTransform(q, dst)
    crop = cv2.warpPerspective(roi, m, (w, h), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    if turns_strip(q):
        crop = np.rot90(crop)
    return np.ascontiguousarray(crop)


def strip_size(quad: np.ndarray) -> tuple[int, int]:
    """(width, height) of the strip ``crop_quad`` warps ``quad`` to, before any turn."""
    q = quad.astype(np.float32)
    w = int(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[3] - q[2])))
    h = int(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2])))
    return max(w, 1), max(h, 1)


def turns_strip(quad: np.ndarray) -> bool:
    """Whether ``crop_quad`` turns the strip of ``quad`` by a quarter (``np.rot90``): a tall one."""
    w, h = strip_size(quad)
    return h / w >= 1.5


def _normalise(crop: np.ndarray, width: int) -> np.ndarray:
    h, w = crop.shape[:2]
    rw = min(width, max(1, math.ceil(REC_HEIGHT * w / h)))
    resized = cv2.resize(crop, (rw, REC_HEIGHT), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    out = np.zeros((3, REC_HEIGHT, width), dtype=np.float32)
    out[:, :, :rw] = (resized.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
    return out


def decode(probs: np.ndarray, charset: Charset, top_k: int = TOP_K) -> Recognition:
    """Greedy CTC decode of one line's (T × C) probabilities, with alternatives per emitted char."""
    best = probs.argmax(axis=1)
    chars: list[CharCandidates] = []
    t, n = 0, len(best)
    while t < n:
        idx = int(best[t])
        end = t + 1
        while end < n and best[end] == idx:
            end += 1
        if idx != 0:
            frame = t + int(probs[t:end, idx].argmax())
            row = probs[frame]
            order = np.argpartition(-row, top_k)[: top_k + 1]
            order = order[np.argsort(-row[order])]
            alts = [int(i) for i in order if i != 0 and i < len(charset)][:top_k]
            if idx in alts:
                alts.remove(idx)
            alts.insert(0, idx)
            chars.append(CharCandidates(chars=tuple(charset.chars[i] for i in alts),
                                        probs=tuple(float(row[i]) for i in alts)))
        t = end
    text = "".join(c.best for c in chars)
    conf = float(np.mean([c.confidence for c in chars])) if chars else 0.0
    return Recognition(text=text, confidence=conf, chars=chars)


def width_for(ratio: float) -> int:
    """Padded input width (a multiple of 8) for a line of width/height ``ratio``."""
    return int(math.ceil(REC_HEIGHT * max(MIN_RATIO, ratio) / 8) * 8)


def plan_batches(ratios: Sequence[float], batch_size: int,
                 width_budget: int = BATCH_WIDTH_BUDGET) -> list[tuple[int, list[int]]]:
    """(padded width, line indices) per recogniser call, fewest padded pixels first.

    The recogniser's CPU cost is its input's area (about 24 us per padded column of 48 px at any batch
    size, plus ~0.7 ms per call: ``CALL_COST_COLUMNS``), so lines are grouped to pad as little as possible:
    sorted by width, cut into runs of at most ``batch_size`` lines where a run is padded to its widest
    line, the cut chosen by dynamic programming over padded columns plus calls. PaddleOCR's fixed groups of
    ``batch_size`` padded short labels to the width of the longest line among them (padded columns per
    page read, synthetic + real: passport 16.2k -> 12.7k, driver licence front 10.1k -> 8.3k, business
    licence 12.9k -> 11.1k, bank card 4.4k -> 2.6k). The padding changes some reads a little either
    way (label values found in the reads: same count; fields: same on a held-out seed). A run wider
    than ``width_budget`` px in all is run in slices at the same padded width (a large batch's
    activations fall out of cache).
    """
    order = sorted(range(len(ratios)), key=lambda i: ratios[i])
    widths = [width_for(ratios[i]) for i in order]

    def calls(count: int, width: int) -> int:
        return math.ceil(count / max(1, width_budget // width))

    # cost[end]: the cheapest plan of the first ``end`` lines; cut[end]: where its last run starts
    cost = [0.0] + [math.inf] * len(order)
    cut = [0] * (len(order) + 1)
    for end in range(1, len(order) + 1):
        width = widths[end - 1]
        for start in range(max(0, end - batch_size), end):
            count = end - start
            total = cost[start] + count * width + calls(count, width) * CALL_COST_COLUMNS
            if total < cost[end]:
                cost[end], cut[end] = total, start
    runs: list[tuple[int, int]] = []
    end = len(order)
    while end:
        runs.append((cut[end], end))
        end = cut[end]
    plan: list[tuple[int, list[int]]] = []
    for start, end in reversed(runs):
        group, width = order[start:end], widths[end - 1]
        step = max(1, width_budget // width)
        plan.extend((width, group[k:k + step]) for k in range(0, len(group), step))
    return plan


def recognize(sess: ort.InferenceSession, charset: Charset, crops: Sequence[np.ndarray],
              batch_size: int = 8, width_budget: int = BATCH_WIDTH_BUDGET) -> list[Recognition]:
    """Recognise BGR line crops; batches group lines of similar width to keep padding small."""
    out: list[Recognition] = [Recognition("", 0.0)] * len(crops)
    ratios = [c.shape[1] / max(1, c.shape[0]) for c in crops]
    name = sess.get_inputs()[0].name
    for width, batch in plan_batches(ratios, batch_size, width_budget):
        x = np.stack([_normalise(crops[i], width) for i in batch])
        probs = sess.run(None, {name: x})[0]
        for j, i in enumerate(batch):
            out[i] = decode(probs[j], charset)
    return out
