"""Backend on the PP-OCRv4 models shipped inside the ``rapidocr-onnxruntime`` wheel (nothing downloaded)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from certscan.ocr.types import CharCandidates, Line, Page, Quad


@dataclass
class _Read:
    text: str
    confidence: float
    chars: list[CharCandidates] = field(default_factory=list)


class RapidEngine:
    def __init__(self, threads: int = 2) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)

    def detect(self, image: np.ndarray) -> list[Quad]:
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        boxes, _ = self._ocr.text_det(bgr)
        if boxes is None:
            return []
        return [np.asarray(b, dtype=np.float32) for b in self._ocr.sorted_boxes(np.asarray(boxes))]

    def recognize(self, crops: Sequence[np.ndarray]) -> list[_Read]:
        if not crops:
            return []
        bgr = [np.ascontiguousarray(c[:, :, ::-1]) for c in crops]
        results, _ = self._ocr.text_rec(bgr)
        return [_Read(text=t, confidence=float(s)) for t, s in results]

    def read(self, image: np.ndarray, det_max_side: int | None = None) -> Page:
        # ``det_max_side`` is not passed on: the stock pipeline sizes its detector input itself (its
        # ``limit_type: min`` already upsamples a small card), and this backend stays the stock baseline.
        h, w = image.shape[:2]
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        result, _ = self._ocr(bgr)
        lines = [
            Line(text=text, box=np.asarray(box, dtype=np.float32), confidence=float(score))
            for box, text, score in (result or [])
        ]
        return Page(width=w, height=h, lines=lines)
