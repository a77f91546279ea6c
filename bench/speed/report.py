"""The speed run as one JSON-ready dict (``summarize``) and as fixed-width tables (``format_tables``)."""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence
from typing import Any

from bench.speed.run import SpeedRun, TypeResult, percentile
from bench.speed.stages import STAGES
from bench.speed.workers import PoolResult

ALL = "all"


def _rate(images: int, seconds: float) -> float | None:
    return round(images / seconds, 3) if seconds > 0 else None


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _round(value: float | None, digits: int = 3) -> float | None:
    return round(value, digits) if value is not None else None


def _side(seconds: list[float]) -> dict[str, Any]:
    median = statistics.median(seconds) if seconds else None  # as the accuracy harness computes it
    return {"images_per_s": _rate(len(seconds), sum(seconds)), "p50_s": _round(median),
            "p95_s": _round(percentile(seconds, 0.95)), "seconds_total": round(sum(seconds), 3)}


def summarize_types(results: Sequence[TypeResult]) -> dict[str, Any]:
    """One row: per card type when given one result, the whole corpus when given all of them."""
    stock_seconds = [s for r in results for s in r.stock_seconds]
    certscan_seconds = [s for r in results for s in r.report.seconds]
    images = len(certscan_seconds)
    right = sum(h[0] for r in results for h in r.report.field_hits.values())
    scored = sum(h[1] for r in results for h in r.report.field_hits.values())
    errors: dict[str, int] = {}
    for r in results:
        for name, count in r.report.errors.items():
            errors[name] = errors.get(name, 0) + count
    stock = _side(stock_seconds)
    cpu = {side: round(sum(r.cpu_seconds[side] for r in results) / images, 3) if images else None
           for side in ("stock", "certscan")}
    stock["cpu_s_per_image"] = cpu["stock"]
    stock_found = sum(r.stock_contained[0] for r in results)
    stock_total = sum(r.stock_contained[1] for r in results)
    lenient = [sum(r.stock_contained_lenient[i] for r in results) for i in (0, 1)]
    engine = {k: round(sum(r.stock_engine.get(k, 0.0) for r in results) / images, 4)
              for k in ("det", "cls", "rec")} if images else {}
    stock.update(errors=sum(r.stock_errors for r in results), containment=_pct(stock_found, stock_total),
                 contained=[stock_found, stock_total], containment_lenient=_pct(*lenient),
                 contained_lenient=lenient, engine_seconds_per_image=engine)
    certscan = _side(certscan_seconds)
    cs_found = sum(r.certscan_contained[0] for r in results)
    cs_total = sum(r.certscan_contained[1] for r in results)
    certscan.update(
        stage_seconds_per_image={k: round(sum(r.stages[k] for r in results) / images, 4) if images else None
                                 for k in STAGES},
        cpu_s_per_image=cpu["certscan"], field_accuracy=_pct(right, scored), fields_scored=scored,
        document_accuracy=_pct(sum(r.report.documents[0] for r in results),
                               sum(r.report.documents[1] for r in results)),
        errors=errors, raw_containment=_pct(cs_found, cs_total), contained=[cs_found, cs_total])
    if len(results) == 1:
        certscan["accuracy"] = results[0].report.summary()  # the harness's full per-field view
    ratio = (certscan["images_per_s"] / stock["images_per_s"]
             if certscan["images_per_s"] and stock["images_per_s"] else None)
    return {"images": images, "stock": stock, "certscan": certscan, "ratio": _round(ratio, 2)}


def summarize(run: SpeedRun, pools: Sequence[PoolResult], corpus: str) -> dict[str, Any]:
    rows = {card: summarize_types([r]) for card, r in run.types.items()}
    rows[ALL] = summarize_types(list(run.types.values()))
    return {
        "corpus": corpus,
        "threads": run.threads,
        "stock_engine": f"rapidocr_onnxruntime {run.stock_version} RapidOCR() defaults, "
                        f"intra_op_num_threads={run.threads}, image bytes in, text only",
        "cpu_count": os.cpu_count(),
        "load_average": {"before": [round(x, 2) for x in run.load_before],
                         "after": [round(x, 2) for x in run.load_after]},
        "types": rows,
        "rss_mb": {"after_models_loaded": run.rss_after_load_mb, "peak": run.rss_peak_mb},
        "reads_without_stage_timings": run.unsplit_reads,
        "workers": [p.as_dict() for p in pools],
    }


def _num(value: float | None, width: int, digits: int) -> str:
    return f"{value:{width}.{digits}f}" if value is not None else " " * (width - 1) + "-"


LEGEND = """\
i/s = images per second, one image after another in this process (warmed up); ratio = certscan i/s /
stock i/s. field% / doc% / fail = certscan scored by bench.accuracy. raw% = share of labelled values found
verbatim in the engine's joined raw text (the scorer's normalisation): stock's whole-image text vs the text
certscan's engine read for its parser (a ceiling for picking text, not an accuracy); lenient = stock's,
with the separators · • ・ . - dropped from both sides (plates read as 皖A·195K9 count).
stages: decode = decode_image; det / rec = the engine's detect / recognize calls plus the det / rec time
its read() reports; orient = the rest of read() (capping, orientation, crops); parse = total - the others.
stock det / cls / rec = the seconds RapidOCR reports itself. cpu s = process CPU time per image (all
threads; less sensitive than wall time to other processes on a shared machine).
Worker rows: spawned processes, each loading and warming its models before the clock starts (start s),
the same image list, wall clock; worker RSS = the largest worker's peak RSS (certscan models only)."""


def _row_throughput(card: str, row: dict[str, Any]) -> str:
    s, c = row["stock"], row["certscan"]
    return " ".join([
        f"{card:22s} {row['images']:4d} |", _num(s["images_per_s"], 9, 2), _num(s["p50_s"], 6, 2),
        _num(s["p95_s"], 6, 2), "|", _num(c["images_per_s"], 12, 2), _num(c["p50_s"], 6, 2),
        _num(c["p95_s"], 6, 2), "|", _num(row["ratio"], 5, 2), "|", _num(c["field_accuracy"], 6, 1),
        _num(c["document_accuracy"], 5, 1), f"{sum(c['errors'].values()):4d} |",
        _num(s["containment"], 10, 1), _num(s["containment_lenient"], 7, 1),
        _num(c["raw_containment"], 7, 1)])


def _row_stages(card: str, row: dict[str, Any]) -> str:
    s, c = row["stock"], row["certscan"]
    total = c["seconds_total"] / row["images"] if row["images"] else None
    stock_engine = s["engine_seconds_per_image"]
    return " ".join([f"{card:22s}", _num(total, 6, 3)]
                    + [_num(c["stage_seconds_per_image"][k], 6, 3) for k in STAGES]
                    + ["|", _num(stock_engine.get("det"), 9, 3), _num(stock_engine.get("cls"), 6, 3),
                       _num(stock_engine.get("rec"), 6, 3), "|", _num(s["cpu_s_per_image"], 12, 3),
                       _num(c["cpu_s_per_image"], 8, 3)])


def format_tables(summary: dict[str, Any]) -> str:
    load = summary["load_average"]
    out = [f"bench.speed  corpus={summary['corpus']}  threads={summary['threads']} "
           f"(Settings.worker_threads, both engines)",
           f"load average before {load['before']} after {load['after']} on {summary['cpu_count']} CPUs",
           f"stock = {summary['stock_engine']}",
           "certscan = certscan.pipeline.scan_bytes, image bytes to the card's JSON", ""]
    head = (f"{'card type':22s} {'imgs':>4s} | {'stock i/s':>9s} {'p50 s':>6s} {'p95 s':>6s} | "
            f"{'certscan i/s':>12s} {'p50 s':>6s} {'p95 s':>6s} | {'ratio':>5s} | {'field%':>6s} "
            f"{'doc%':>5s} {'fail':>4s} | {'stock raw%':>10s} {'lenient':>7s} {'cs raw%':>7s}")
    out += [head, "-" * len(head)]
    for card, row in summary["types"].items():
        out += ["-" * len(head)] if card == ALL else []
        out.append(_row_throughput(card, row))
    head = (f"{'certscan s/image':22s} {'total':>6s} " + " ".join(f"{k:>6s}" for k in STAGES)
            + f" | {'stock det':>9s} {'cls':>6s} {'rec':>6s} | {'cpu s: stock':>12s} {'certscan':>8s}")
    out += ["", head, "-" * len(head)]
    out += [_row_stages(card, row) for card, row in summary["types"].items()]
    rss = summary["rss_mb"]
    out += ["", f"peak RSS of this process with stock + certscan models loaded: "
                f"{rss['after_models_loaded']:.0f} MB; at the end of the run: {rss['peak']:.0f} MB"]
    if summary["workers"]:
        out += ["", f"{'certscan processes':>18s} {'images':>6s} {'wall s':>7s} {'img/s':>6s} {'fail':>4s} "
                    f"{'start s':>7s} {'worker RSS MB':>13s}"]
        out += [f"{p['processes']:18d} {p['images']:6d} {p['seconds']:7.2f} {p['images_per_s']:6.2f} "
                f"{p['failed']:4d} {p['startup_seconds']:7.1f} {p['worker_peak_rss_mb']:13.0f}"
                for p in summary["workers"]]
    out += ["", LEGEND]
    if summary["reads_without_stage_timings"]:
        out.append(f"note: {summary['reads_without_stage_timings']} read() calls reported no det/rec split; "
                   "their whole time is under orient.")
    return "\n".join(out)
