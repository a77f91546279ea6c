"""From image bytes to the ``results[0]`` element of a task: decode → card parser → result object.

This is everything a task does after the download; the worker, ``certscan scan`` and the benchmarks all
call it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from certscan.cards import get_parser
from certscan.cards.base import CardResult, ScanInput
from certscan.constants import result_key
from certscan.imaging.decode import decode_image
from certscan.ocr.engine import OcrEngine, get_engine


def scan_array(image: np.ndarray, card: str, engine: OcrEngine | None = None) -> CardResult:
    parser = get_parser(card)
    return parser(ScanInput(card=card, image=image, engine=engine or get_engine()))


def scan_bytes(data: bytes, card: str, engine: OcrEngine | None = None) -> dict[str, Any]:
    """The ``results[0]`` element for one image, as the reference returns it."""
    image = decode_image(data)
    return result_element(scan_array(image, card, engine))


def result_element(result: CardResult) -> dict[str, Any]:
    return {
        "scene": "ocr",
        "label": "ocr" if result.text_found else "normal",
        "suggestion": "review" if result.text_found else "pass",
        "rate": round(float(result.rate), 2),
        result_key(result.card): result.info(),
    }
