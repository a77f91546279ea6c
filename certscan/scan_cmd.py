"""``certscan scan --card TYPE FILE...``: read local images, print one JSON line per file.

Each line is exactly the element a results poll returns in ``data[i]`` for that image (``url`` is the
path given), so scripts and the benchmarks see what API clients see. ``--profile`` prints where the
time of each image went (pyinstrument when installed, else cProfile) to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from certscan.constants import CARD_TYPES, CODE_OK
from certscan.errors import code_and_msg


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--card", required=True, choices=CARD_TYPES, help="the extras.card value")
    parser.add_argument("files", nargs="+", type=Path, help="image files")
    parser.add_argument("--profile", action="store_true", help="profile each image; report on stderr")
    parser.add_argument("--timings", action="store_true", help="print seconds per image on stderr")


def scan_file(path: Path, card: str, index: int = 1) -> dict[str, Any]:
    """The ``data[i]`` element for one file; failures become their API code and message."""
    from certscan.pipeline import scan_bytes

    ident = {"taskId": f"local-{index}", "url": str(path)}
    try:
        result = scan_bytes(path.read_bytes(), card)
    except OSError as exc:
        return {"code": 404, "msg": f"cannot read file: {exc.strerror or exc}", **ident}
    except Exception as exc:  # every task failure is reported in its element, as the service does
        code, msg = code_and_msg(exc)
        return {"code": code, "msg": msg, **ident}
    return {"code": CODE_OK, "msg": "OK", **ident, "extras": {}, "results": [result]}


def _profiled(path: Path, card: str, index: int) -> dict[str, Any]:
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        out = prof.runcall(scan_file, path, card, index)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        return out
    profiler = Profiler()
    profiler.start()
    out = scan_file(path, card, index)
    profiler.stop()
    sys.stderr.write(profiler.output_text(unicode=True, color=False))
    return out


def run(args: argparse.Namespace) -> int:
    from certscan.ocr.engine import get_engine

    if args.profile:
        get_engine()  # model loading is a once-per-process cost: keep it out of the per-image profile
    failures = 0
    for i, path in enumerate(args.files, start=1):
        start = time.perf_counter()
        element = _profiled(path, args.card, i) if args.profile else scan_file(path, args.card, i)
        if args.timings:
            print(f"{path}\t{time.perf_counter() - start:.3f}s", file=sys.stderr)
        print(json.dumps(element, ensure_ascii=False), flush=True)
        failures += element["code"] != CODE_OK
    return 1 if failures else 0
