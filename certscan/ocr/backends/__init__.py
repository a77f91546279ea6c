"""Engine backends. Imported lazily by ``certscan.ocr.engine.get_engine``."""

from __future__ import annotations

from certscan.ocr.engine import OcrEngine


def build_default_engine() -> OcrEngine:
    from certscan.ocr.backends.rapid import RapidEngine
    from certscan.settings import get_settings

    return RapidEngine(threads=get_settings().worker_threads)
