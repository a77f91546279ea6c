"""Seconds per pipeline stage, measured from outside the product: the benchmark wraps the engine
instance's ``read`` / ``detect`` / ``recognize`` and the pipeline's ``decode_image`` with time accumulators.

No product code changes. ``read`` is split into det and rec when the page it returns carries the engine's
own ``timings`` (certscan's engine does); what remains of a ``read`` (capping the image, orientation,
cropping) is ``orient``. A wrapped call made inside another wrapped call is not counted again.
The raw text every engine call produced is kept too, so the benchmark can tell how much of the labels the
engine's text contains before any parsing.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

STAGES = ("decode", "det", "orient", "rec", "parse")
ENGINE_METHODS = {"read": "read", "detect": "det", "recognize": "rec"}
DECODERS = ("decode_image", "load_image")  # names the pipeline module may decode with


class StageClock:
    """Accumulates seconds per stage for the image being scanned; ``take`` returns and resets them."""

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}
        self._texts: list[str] = []
        self._depth = 0
        self.unsplit_reads = 0  # reads whose page had no det/rec timings (all of it counted as orient)

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:  # already inside a timed call: that call's clock covers this one
                return fn(*args, **kwargs)
            self._depth += 1
            started = time.perf_counter()
            out: Any = None
            try:
                out = fn(*args, **kwargs)
                return out
            finally:
                self._depth -= 1
                self._account(stage, time.perf_counter() - started, out)

        return timed

    def _add(self, stage: str, seconds: float) -> None:
        self._seconds[stage] = self._seconds.get(stage, 0.0) + max(0.0, seconds)

    def _account(self, stage: str, seconds: float, out: Any) -> None:
        if stage != "read":
            self._add(stage, seconds)
            if stage == "rec" and out is not None:
                self._texts.extend(str(getattr(r, "text", "")) for r in out)
            return
        text = getattr(out, "text", None)
        if isinstance(text, str):
            self._texts.append(text)
        timings = getattr(out, "timings", None) or {}
        det, rec = timings.get("det"), timings.get("rec")
        if det is None or rec is None:
            self.unsplit_reads += 1
            self._add("orient", seconds)
            return
        self._add("det", det)
        self._add("rec", rec)
        self._add("orient", seconds - det - rec)

    def take(self, total: float) -> tuple[dict[str, float], str]:
        """Stage seconds of the image just scanned (``parse`` = the rest of ``total``) and its raw text."""
        seconds = {stage: self._seconds.get(stage, 0.0) for stage in STAGES if stage != "parse"}
        seconds["parse"] = max(0.0, total - sum(seconds.values()))
        text = "\n".join(self._texts)
        self._seconds, self._texts = {}, []
        return seconds, text


@contextmanager
def instrumented(engine: Any, pipeline_module: Any, clock: StageClock) -> Iterator[StageClock]:
    """Wrap ``engine``'s methods (instance attributes shadow the class's) and the pipeline's decoder."""
    own = vars(engine) if hasattr(engine, "__dict__") else {}
    saved_methods: dict[str, Any] = {}  # method → the instance attribute it replaced (None: the class's)
    saved_decoders: dict[str, Any] = {}
    try:
        for method, stage in ENGINE_METHODS.items():
            if callable(getattr(engine, method, None)):
                saved_methods[method] = own.get(method)
                setattr(engine, method, clock.wrap(stage, getattr(engine, method)))
        for name in DECODERS:
            original = getattr(pipeline_module, name, None)
            if callable(original):
                saved_decoders[name] = original
                setattr(pipeline_module, name, clock.wrap("decode", original))
        yield clock
    finally:
        for method, previous in saved_methods.items():
            if previous is None:
                delattr(engine, method)
            else:
                setattr(engine, method, previous)
        for name, original in saved_decoders.items():
            setattr(pipeline_module, name, original)
