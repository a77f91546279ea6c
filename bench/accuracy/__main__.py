"""``python -m bench.accuracy --corpus DIR [--json] [--types a,b] [--limit N] [--fields]``.

Runs ``certscan.pipeline.scan_bytes`` in process on every labelled image and prints, per card type:
field exact-match %, whole-document exact-match %, check-digit pass rate of the answers (ID number,
USCC, VIN, Luhn, MRZ) where the label carries one, and median / p95 seconds per image.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

from bench.accuracy.harness import CardReport, add_corpus_arguments, chosen_types, evaluate


def _fmt(value: float | None, width: int = 6) -> str:
    return f"{value:{width}.1f}" if value is not None else " " * (width - 1) + "-"


def format_table(reports: dict[str, CardReport], show_fields: bool = False, misses: int = 0) -> str:
    head = (f"{'card type':24s} {'imgs':>5s} {'fail':>5s} {'field%':>7s} {'doc%':>6s} {'blank%':>7s} "
            f"{'check%':>7s} {'p50 s':>6s} {'p95 s':>6s}")
    lines = [head, "-" * len(head)]
    for card, report in reports.items():
        s: dict[str, Any] = report.summary()
        checks = [v for v in s["check_pass_rate"].values() if v is not None]
        check = sum(checks) / len(checks) if checks else None
        p50 = f"{s['seconds_median']:6.2f}" if s["seconds_median"] is not None else "     -"
        p95 = f"{s['seconds_p95']:6.2f}" if s["seconds_p95"] is not None else "     -"
        lines.append(f"{card:24s} {s['images']:5d} {sum(s['errors'].values()):5d} "
                     f"{_fmt(s['field_accuracy'], 7)} {_fmt(s['document_accuracy'])} "
                     f"{_fmt(s['blank_kept'], 7)} {_fmt(check, 7)} {p50} {p95}")
        if s["errors"]:
            lines.append("    failures: " + ", ".join(f"{k} ×{v}" for k, v in s["errors"].items()))
        if show_fields:
            for key, f in s["fields"].items():
                lines.append(f"    {key:30s} {f['right']:4d}/{f['total']:<4d} {_fmt(f['accuracy'])}")
            for key, (passed, total) in s["check_counts"].items():
                lines.append(f"    check {key:24s} {passed:4d}/{total:<4d} {_fmt(s['check_pass_rate'][key])}")
        for image, key, want, got in report.misses[:misses]:
            lines.append(f"    miss {image} {key}: expected {want!r}, got {got!r}")
    lines.append("field% = exact matches over label fields with a value; doc% = images with every field "
                 "right and no value invented where the card shows none (blank%); check% = answers passing "
                 "their check digit where the label's value has one.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--fields", action="store_true", help="per-field and per-check lines in the table")
    parser.add_argument("--misses", type=int, default=0, metavar="N",
                        help="list up to N wrong fields per card type (image, expected, got)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    if not args.corpus.is_dir():
        parser.error(f"not a folder: {args.corpus}")
    types = chosen_types(args.types)
    reports = evaluate(args.corpus, types, limit=args.limit)
    if args.json:
        print(json.dumps({card: r.summary() for card, r in reports.items()}, ensure_ascii=False, indent=1))
    else:
        print(format_table(reports, args.fields, args.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
