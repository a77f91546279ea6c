"""From image bytes to the ``results[0]`` element of a task: decode → card parser → result object.

This is everything a task does after the download; the worker, ``certscan scan`` and the benchmarks all
call it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from certscan.cards import get_parser
from certscan.cards.base import CardResult, ScanInput
from certscan.cards.evidence import EXTRA_KEY, RecordingEngine, field_details
from certscan.constants import result_key
from certscan.imaging.decode import load_image
from certscan.ocr.engine import OcrEngine, get_engine


def scan_array(image: np.ndarray, card: str, engine: OcrEngine | None = None) -> CardResult:
    parser = get_parser(card)
    recorder = RecordingEngine(engine or get_engine(), image)  # keeps the pages for the field details
    result = parser(ScanInput(card=card, image=image, engine=recorder))
    result.extra[EXTRA_KEY] = field_details(card, result.fields, result.rate, recorder.sources)
    return result


def scan_bytes(data: bytes, card: str, engine: OcrEngine | None = None) -> dict[str, Any]:
    """The ``results[0]`` element for one image, as the reference returns it."""
    return scan_bytes_with_hints(data, card, engine)[0]


def scan_bytes_with_hints(data: bytes, card: str, engine: OcrEngine | None = None,
                          ) -> tuple[dict[str, Any], tuple[str, ...]]:
    """``scan_bytes`` and the decoder's hints for the task's msg (e.g. the image is small)."""
    decoded = load_image(data)
    return result_element(scan_array(decoded.array, card, engine)), decoded.hints


def ok_message(hints: tuple[str, ...]) -> str:
    """A finished task's msg: "OK", followed by any hints ("OK; image is small (...)")."""
    return "; ".join(("OK", *hints))


def result_element(result: CardResult) -> dict[str, Any]:
    return {
        "scene": "ocr",
        "label": "ocr" if result.text_found else "normal",
        "suggestion": "review" if result.text_found else "pass",
        "rate": round(float(result.rate), 2),
        result_key(result.card): result.info(),
    }
