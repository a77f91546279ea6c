"""The one OCR engine interface every card parser talks to, and the lazily built default engine.

A parser asks for what its fields need: ``read`` (detect + recognise a whole image), ``detect`` (text
boxes only: cheap layout/orientation decisions), or ``recognize`` (given crops: recognise only the
regions a field needs). Backends are loaded lazily, once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from certscan.ocr.types import CharCandidates, Page, Quad


class Recognized(Protocol):
    text: str
    confidence: float
    chars: list[CharCandidates]


# Recognises regions (quads in one page's coordinates) cut from the full-resolution input image: a
# parser's second look at a field the page read missed or misread (see ``ScanInput.region_reader``).
RegionReader = Callable[[Sequence[np.ndarray]], Sequence[Recognized]]


class OcrEngine(Protocol):
    def read(self, image: np.ndarray, det_max_side: int | None = None) -> Page:
        """Detect and recognise all text of an RGB image (H×W×3 uint8); ``det_max_side`` replaces the
        detector's default input side (a closer look at a card far away in a large photo)."""
        ...

    def detect(self, image: np.ndarray) -> list[Quad]:
        """Text-line quadrilaterals in image coordinates, in reading order."""
        ...

    def recognize(self, crops: Sequence[np.ndarray]) -> Sequence[Recognized]:
        """Recognise each line crop (RGB, horizontal text)."""
        ...


_lock = threading.Lock()
_engine: OcrEngine | None = None


def get_engine() -> OcrEngine:
    """The process-wide default engine, built on first use (models load once per worker process)."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                from certscan.ocr.backends import build_default_engine

                _engine = build_default_engine()
    return _engine
