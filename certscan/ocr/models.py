"""The ONNX models certscan runs, loaded from the files shipped inside the ``rapidocr-onnxruntime`` and
``rapidocr`` wheels.

Nothing is downloaded: ``rapidocr-onnxruntime`` carries PP-OCRv4 mobile detection and recognition and the
v2 0/180 line classifier, ``rapidocr`` (3.x) the PP-OCRv6 small recogniser (``rec_v6``: a second opinion on
lines read unsure, see ``onnx_engine.EngineOptions.reread_model``). Sessions are built once per process
(lazily, thread-safe) with explicit thread counts so several worker processes sharing two cores do not
oversubscribe them.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import onnxruntime as ort

from certscan.ocr.fold import fold_affine
from certscan.ocr.quantize import quantize_dynamic

# kind -> (the package whose wheel ships it, its file in that package's models/ folder)
MODEL_FILES: dict[str, tuple[str, str]] = {
    "det": ("rapidocr_onnxruntime", "ch_PP-OCRv4_det_infer.onnx"),
    "rec": ("rapidocr_onnxruntime", "ch_PP-OCRv4_rec_infer.onnx"),
    "cls": ("rapidocr_onnxruntime", "ch_ppocr_mobile_v2.0_cls_infer.onnx"),
    # same input (BGR, (x/255 - 0.5) / 0.5, height 48) and CTC convention as v4; 18,708 characters
    "rec_v6": ("rapidocr", "PP-OCRv6_rec_small.onnx"),
}

_lock = threading.Lock()
_sessions: dict[tuple[str, int, bool, frozenset[str]], ort.InferenceSession] = {}


class ModelNotFound(RuntimeError):
    """The wheel that ships a model is missing (install ``rapidocr-onnxruntime`` / ``rapidocr``)."""


@cache
def models_dir(package: str = "rapidocr_onnxruntime") -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModelNotFound(f"{package.replace('_', '-')} is not installed; it ships OCR model files")
    return Path(spec.origin).parent / "models"


def model_path(kind: str) -> Path:
    package, name = MODEL_FILES[kind]
    path = models_dir(package) / name
    if not path.is_file():
        raise ModelNotFound(f"model file missing: {path}")
    return path


def session_options(threads: int) -> ort.SessionOptions:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = max(1, threads)
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.enable_cpu_mem_arena = True
    opts.log_severity_level = 3
    # Idle worker threads spin by default: on cores shared by several worker processes that burns the
    # CPU the other processes need. Sleeping costs a few microseconds per op and keeps throughput.
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return opts


def session(kind: str, threads: int, fold: bool = False,
            int8_ops: frozenset[str] = frozenset()) -> ort.InferenceSession:
    """The process-wide session for ``kind`` ("det", "rec", "cls", "rec_v6"), built on first use.
    ``fold``: the model's scalar affine steps folded into its convolutions first (``certscan.ocr.fold``: the
    same function, fewer operators); ``int8_ops`` ("MatMul", "Conv"): those layers run dynamically quantised
    to int8 (``certscan.ocr.quantize``). Either rewrite is done in memory from the shipped file."""
    key = (kind, threads, fold, int8_ops)
    found = _sessions.get(key)
    if found is not None:
        return found
    with _lock:
        if key not in _sessions:
            model: str | bytes = str(model_path(kind))
            if fold or int8_ops:
                model = model_path(kind).read_bytes()
                model = fold_affine(model)[0] if fold else model
                model = quantize_dynamic(model, int8_ops)[0] if int8_ops else model
            _sessions[key] = ort.InferenceSession(
                model, sess_options=session_options(threads), providers=["CPUExecutionProvider"])
        return _sessions[key]


def int8_ops(setting: str) -> frozenset[str]:
    """The op types named by a comma-separated setting (``"matmul,conv"``), in ONNX's spelling."""
    names = {"matmul": "MatMul", "conv": "Conv"}
    chosen = [part.strip().lower() for part in setting.split(",") if part.strip()]
    unknown = [c for c in chosen if c not in names]
    if unknown:
        raise ValueError(f"unknown int8 op types {unknown} (known: {', '.join(names)})")
    return frozenset(names[c] for c in chosen)


@dataclass(frozen=True)
class Charset:
    """The recogniser's output classes: index 0 is the CTC blank, the last one a space."""

    chars: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.chars)


@cache
def charset(rec: ort.InferenceSession) -> Charset:
    """The character list stored in the recognition model's metadata (as PaddleOCR exports it); once per
    session (v6's list has 18,708 lines)."""
    meta = rec.get_modelmeta().custom_metadata_map
    if "character" not in meta:
        raise ModelNotFound("recognition model carries no character list")
    return Charset(chars=("", *meta["character"].splitlines(), " "))
