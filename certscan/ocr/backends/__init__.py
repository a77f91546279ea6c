"""Engine backends. Imported lazily by ``certscan.ocr.engine.get_engine``.

``onnx`` (default): certscan's own engine on the shipped models (``certscan.ocr.onnx_engine``).
``rapid``: the stock RapidOCR pipeline, kept as a baseline for benchmarks.
"""

from __future__ import annotations

from certscan.ocr.engine import OcrEngine


def build_engine(name: str, threads: int, fold_affine: bool = True, rec_int8: str = "") -> OcrEngine:
    if name == "rapid":
        from certscan.ocr.backends.rapid import RapidEngine

        return RapidEngine(threads=threads)
    if name == "onnx":
        from certscan.ocr.models import int8_ops
        from certscan.ocr.onnx_engine import EngineOptions, OnnxEngine

        return OnnxEngine(EngineOptions(threads=threads, fold_affine=fold_affine,
                                        rec_int8_ops=int8_ops(rec_int8)))
    raise ValueError(f"unknown OCR backend {name!r} (onnx, rapid)")


def build_default_engine() -> OcrEngine:
    from certscan.settings import get_settings

    settings = get_settings()
    return build_engine(settings.ocr_backend, settings.worker_threads, settings.ocr_fold_affine,
                        settings.rec_int8)
