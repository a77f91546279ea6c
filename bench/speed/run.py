"""The in-process side-by-side run: stock RapidOCR and certscan on the same images with the same threads.

Stock = ``rapidocr_onnxruntime.RapidOCR`` with its defaults (full-image det + cls + rec) given the image
bytes, with only ``intra_op_num_threads`` set to certscan's ``Settings.worker_threads`` so both use the same
cores; its output is text only, so it is scored by *containment*: the share of labelled field values found
verbatim in its joined raw text, normalised as the accuracy scorer normalises (NFKC, whitespace dropped,
dates as digits). certscan = ``certscan.pipeline.scan_bytes`` from bytes to the card's JSON, scored field
by field by the accuracy harness (``bench.accuracy``). Both are warmed up on one image first (not timed);
per image the two run back to back, alternating which goes first, so a load change on the shared machine
hits both alike.
"""

from __future__ import annotations

import logging
import re
import resource
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.accuracy.harness import CardReport, LabelledImage
from bench.accuracy.scoring import dates_to_digits, flatten, normalize, score_document, scored_keys
from bench.speed.stages import STAGES, StageClock, instrumented
from certscan.constants import result_key

log = logging.getLogger("bench.speed")
Progress = Callable[[int, int, LabelledImage], None]


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB.

    Linux's ``VmHWM`` first: ``ru_maxrss`` survives exec, so a spawned worker would report at least its
    parent's RSS at the fork; ``VmHWM`` belongs to the process's own address space.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024.0, 1)
    except (OSError, ValueError, IndexError):
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)  # KiB on Linux


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile, the rule the accuracy harness uses for its p95."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# Dropped from both sides by the lenient variant only: separators an engine reads inside a value that the
# contract's form leaves out (plates print as 皖A·195K9; the label is 皖A195K9).
LENIENT_DROP = re.compile(r"[·•・.\-]")


def raw_text_form(text: str) -> str:
    """Raw OCR text in the scorer's comparable form, for containment."""
    return re.sub(r"\s+", "", dates_to_digits(unicodedata.normalize("NFKC", text)))


def containment(card: str, label_fields: dict[str, Any], raw_text: str,
                lenient: bool = False) -> tuple[int, int]:
    """(label values found verbatim in ``raw_text``, label values that are text) for one image.

    Strict = the scorer's normalisation exactly; ``lenient`` also drops ``LENIENT_DROP`` separators.
    """
    form = raw_text_form(raw_text)
    if lenient:
        form = LENIENT_DROP.sub("", form)
    expected = flatten(label_fields)
    found = total = 0
    for key in scored_keys(card, label_fields):
        value = expected[key]
        if isinstance(value, bool) or key.split(".")[-1] == "angle":
            continue  # flags and skew estimates are not printed text
        wanted = normalize(key, value)
        if lenient:
            wanted = LENIENT_DROP.sub("", wanted)
        if wanted:
            total += 1
            found += wanted in form
    return found, total


@dataclass
class TypeResult:
    """Everything measured for one card type."""

    card: str
    report: CardReport  # certscan's accuracy (harness scoring) and seconds per image
    stock_seconds: list[float] = field(default_factory=list)
    stock_errors: int = 0
    cpu_seconds: dict[str, float] = field(default_factory=lambda: {"stock": 0.0, "certscan": 0.0})
    stock_engine: dict[str, float] = field(default_factory=dict)  # stock's own det/cls/rec seconds, summed
    stages: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))  # certscan, summed
    stock_contained: list[int] = field(default_factory=lambda: [0, 0])
    stock_contained_lenient: list[int] = field(default_factory=lambda: [0, 0])
    certscan_contained: list[int] = field(default_factory=lambda: [0, 0])


@dataclass
class SpeedRun:
    threads: int
    stock_version: str
    types: dict[str, TypeResult]
    rss_after_load_mb: float
    rss_peak_mb: float
    unsplit_reads: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


def _error_name(exc: Exception) -> str:
    code = getattr(exc, "code", None)
    return f"{type(exc).__name__}({code})" if code else type(exc).__name__


class _Stock:
    """The stock baseline: RapidOCR defaults, whole image, text only."""

    def __init__(self, threads: int) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._ocr = RapidOCR(intra_op_num_threads=threads)

    def read(self, data: bytes) -> tuple[str, list[float]]:
        result, elapse = self._ocr(data)
        text = "\n".join(str(line[1]) for line in (result or []))
        return text, [float(s) for s in (elapse or [])]


def run_side_by_side(items: Sequence[LabelledImage], threads: int,
                     progress: Progress | None = None) -> SpeedRun:
    """Measure ``items`` (non-empty) with both engines; certscan's own engine threads come from Settings."""
    import os
    from importlib.metadata import version

    import certscan.pipeline as pipeline
    from certscan.ocr.engine import get_engine

    load_before = os.getloadavg()
    stock = _Stock(threads)
    engine = get_engine()
    warm = items[0]
    warm_bytes = warm.image.read_bytes()
    stock.read(warm_bytes)
    try:
        pipeline.scan_bytes(warm_bytes, warm.card)
    except Exception as exc:  # the warm-up only has to load and touch the models
        log.warning("certscan warm-up on %s failed: %s", warm.image, _error_name(exc))
    rss_after_load = peak_rss_mb()

    types: dict[str, TypeResult] = {}
    clock = StageClock()
    with instrumented(engine, pipeline, clock):
        for index, item in enumerate(items):
            if progress:
                progress(index, len(items), item)
            result = types.setdefault(item.card, TypeResult(item.card, CardReport(item.card)))
            data = item.image.read_bytes()
            if index % 2:
                _measure_certscan(pipeline.scan_bytes, clock, item, data, result)
                _measure_stock(stock, item, data, result)
            else:
                _measure_stock(stock, item, data, result)
                _measure_certscan(pipeline.scan_bytes, clock, item, data, result)
    return SpeedRun(threads=threads, stock_version=version("rapidocr-onnxruntime"), types=types,
                    rss_after_load_mb=rss_after_load, rss_peak_mb=peak_rss_mb(),
                    unsplit_reads=clock.unsplit_reads, load_before=load_before, load_after=os.getloadavg())


def _measure_stock(stock: _Stock, item: LabelledImage, data: bytes, result: TypeResult) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    try:
        text, elapse = stock.read(data)
    except Exception as exc:  # counted, scored as containing nothing
        log.warning("stock failed on %s: %s", item.image, _error_name(exc))
        text, elapse = "", []
        result.stock_errors += 1
    result.stock_seconds.append(time.perf_counter() - started)
    result.cpu_seconds["stock"] += time.process_time() - cpu
    for name, seconds in zip(("det", "cls", "rec"), elapse, strict=False):
        result.stock_engine[name] = result.stock_engine.get(name, 0.0) + seconds
    found, total = containment(item.card, item.fields, text)
    result.stock_contained[0] += found
    result.stock_contained[1] += total
    found, total = containment(item.card, item.fields, text, lenient=True)
    result.stock_contained_lenient[0] += found
    result.stock_contained_lenient[1] += total


def _measure_certscan(scan: Callable[[bytes, str], dict[str, Any]], clock: StageClock, item: LabelledImage,
                      data: bytes, result: TypeResult) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    answer: dict[str, Any] | None
    try:
        answer = scan(data, item.card).get(result_key(item.card), {})
    except Exception as exc:  # a failed task scores zero; the failure is counted, as the harness does
        name = _error_name(exc)
        result.report.errors[name] = result.report.errors.get(name, 0) + 1
        answer = None
    elapsed = time.perf_counter() - started
    result.cpu_seconds["certscan"] += time.process_time() - cpu
    stages, raw_text = clock.take(elapsed)
    for stage, seconds in stages.items():
        result.stages[stage] += seconds
    result.report.add(score_document(item.card, item.fields, answer), item.fields, answer, elapsed)
    found, total = containment(item.card, item.fields, raw_text)
    result.certscan_contained[0] += found
    result.certscan_contained[1] += total
