"""What runs inside a worker process: recognition of already downloaded image bytes.

Models load once per process (``certscan.ocr.engine.get_engine`` caches them). Every failure is turned
into a (code, msg) pair here, so an exception never crosses the process boundary and a task's failure
never takes the worker down.
"""

from __future__ import annotations

import logging
import signal
from typing import Any

from certscan.errors import CertscanError, code_and_msg

logger = logging.getLogger("certscan.worker")

ScanOutcome = tuple[int, str, "dict[str, Any] | None"]


def init_worker_process() -> None:
    # Ctrl-C reaches the whole process group: the server shuts the pool down itself, so workers must
    # not die mid-task with a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def warm_up() -> bool:
    """Load the OCR models now (runs once in each worker process at start-up)."""
    from certscan.ocr.engine import get_engine

    try:
        engine = get_engine()
        load_all = getattr(engine, "load_all", None)  # lazily loaded extras (OnnxEngine's second look)
        if load_all is not None:
            load_all()
    except Exception:
        logger.exception("loading the OCR models failed; tasks will retry on first use")
        return False
    return True


def scan_in_worker(data: bytes, card: str) -> ScanOutcome:
    """Recognise ``data`` as ``card``: (200, "OK", results element) or (code, msg, None). The msg of a
    success carries the decoder's hints: "OK; image is small (...)" (the code stays 200)."""
    # imported here: the parent process never loads models
    from certscan.pipeline import ok_message, scan_bytes_with_hints

    try:
        element, hints = scan_bytes_with_hints(data, card)
        return 200, ok_message(hints), element
    except CertscanError as exc:
        code, msg = code_and_msg(exc)
        return code, msg, None
    except Exception:
        logger.exception("recognition crashed (card %s)", card)
        return 500, "internal error during recognition", None
