"""``python -m bench.speed --corpus DIR [--json] [--types a,b] [--limit N] [--workers 1,2] [--threads T]``.

On the same images with the same thread count, in one process: stock RapidOCR (its defaults, whole image,
text only) and certscan's pipeline (bytes to the card's JSON). Prints per card type images/s, p50/p95
seconds, the certscan/stock ratio, certscan's seconds per stage, certscan's field accuracy (the accuracy
harness's scoring) and how much of the labels each engine's raw text contains; then peak RSS and certscan's
throughput with 1 and 2 worker processes. Nothing is asserted: the output is the record.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from bench.accuracy.harness import LabelledImage, add_corpus_arguments, chosen_types, iter_corpus


def select_images(corpus: Path, types: list[str] | None, limit: int | None) -> list[LabelledImage]:
    chosen: list[LabelledImage] = []
    per_card: dict[str, int] = {}
    for item in iter_corpus(corpus, types):
        if limit is not None and per_card.get(item.card, 0) >= limit:
            continue
        per_card[item.card] = per_card.get(item.card, 0) + 1
        chosen.append(item)
    return chosen


def _worker_counts(text: str) -> list[int]:
    counts = [int(part) for part in text.split(",") if part.strip()]
    if any(n < 0 for n in counts):
        raise argparse.ArgumentTypeError("worker counts must be >= 0")
    return [n for n in counts if n > 0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_arguments(parser)
    parser.add_argument("--workers", type=_worker_counts, default=[1, 2],
                        help="worker process counts to measure certscan with, e.g. 1,2 (0 or '' = none)")
    parser.add_argument("--threads", type=int,
                        help="threads per engine (sets CERTSCAN_WORKER_THREADS; "
                        "default: Settings.worker_threads)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    if not args.corpus.is_dir():
        parser.error(f"not a folder: {args.corpus}")
    if args.threads is not None:
        if args.threads < 1:
            parser.error("--threads must be >= 1")
        os.environ["CERTSCAN_WORKER_THREADS"] = str(args.threads)  # read by Settings, here and in workers
    types = chosen_types(args.types)
    items = select_images(args.corpus, types, args.limit)
    if not items:
        parser.error(f"no labelled images of a known card type under {args.corpus}")

    from bench.speed.report import format_tables, summarize
    from bench.speed.run import run_side_by_side
    from bench.speed.workers import pool_throughput
    from certscan.settings import get_settings

    # Settings are cached per process: drop a copy made before --threads changed the environment.
    get_settings.cache_clear()
    threads = get_settings().worker_threads

    def progress(index: int, total: int, item: LabelledImage) -> None:
        print(f"\r[{index + 1}/{total}] {item.card:24s}", end="", file=sys.stderr, flush=True)

    run = run_side_by_side(items, threads, progress if sys.stderr.isatty() else None)
    pools = [pool_throughput(items, n) for n in args.workers]
    summary = summarize(run, pools, str(args.corpus))
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(json.dumps(summary, ensure_ascii=False, indent=1) if args.json else format_tables(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
