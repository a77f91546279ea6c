"""``python -m bench.speed.ab --corpus DIR --b CERTSCAN_REC_INT8=matmul [--a K=V] [--types a,b] [--limit N]``.

certscan against itself under two settings, on the same images in one process: side A (the settings as
they are, plus ``--a``) and side B (plus ``--b``), each image scanned by both back to back, alternating
which goes first, so a load change on the shared machine hits both alike. Each side's settings are put in
the environment for its own calls only (``Settings`` is re-read), and each side has its own engine, so
an engine setting (``CERTSCAN_REC_INT8``) and a parser setting can both be compared. Prints per card type
field exact-match % and CPU seconds per image of each side, then every field the two answered
differently (expected, A, B): the review a setting that changes reads needs before it becomes a default.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bench.accuracy.harness import add_corpus_arguments, chosen_types
from bench.accuracy.scoring import flatten, score_document
from bench.speed.__main__ import select_images
from certscan.constants import result_key

Difference = tuple[str, str, Any, Any, Any]  # image, field, expected, A's answer, B's


@dataclass
class Side:
    env: dict[str, str]
    engine: Any = None
    hits: dict[str, list[int]] = field(default_factory=dict)  # card → [right fields, scored fields]
    cpu: dict[str, float] = field(default_factory=dict)  # card → CPU seconds summed
    errors: int = 0


@contextmanager
def settings_env(env: dict[str, str]) -> Iterator[None]:
    """``env`` in the environment, and ``Settings`` re-read, for the duration."""
    from certscan.settings import get_settings

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()


def _pairs(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.startswith("CERTSCAN_"):
            raise argparse.ArgumentTypeError(f"expected CERTSCAN_NAME=value, got {item!r}")
        out[key] = value
    return out


def _scan(side: Side, data: bytes, card: str) -> tuple[dict[str, Any] | None, float]:
    from certscan.pipeline import scan_bytes

    with settings_env(side.env):
        cpu = time.process_time()
        try:
            answer: dict[str, Any] | None = scan_bytes(data, card, side.engine).get(result_key(card), {})
        except Exception:  # a failed scan scores zero, as the accuracy harness counts it
            side.errors += 1
            answer = None
        return answer, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speed.ab", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_arguments(parser)
    parser.add_argument("--a", nargs="*", default=[], help="side A's extra settings, CERTSCAN_NAME=value")
    parser.add_argument("--b", nargs="+", required=True, help="side B's settings, CERTSCAN_NAME=value")
    args = parser.parse_args(argv)
    types = chosen_types(args.types)
    items = select_images(args.corpus, types, args.limit)
    if not items:
        parser.error(f"no labelled images under {args.corpus}")

    from certscan.ocr.backends import build_default_engine

    sides = [Side(_pairs(args.a)), Side(_pairs(args.b))]
    for side in sides:
        with settings_env(side.env):
            side.engine = build_default_engine()
        _scan(side, items[0].image.read_bytes(), items[0].card)  # warm-up, not counted
    differences: list[Difference] = []
    for index, item in enumerate(items):
        data = item.image.read_bytes()
        order = sides if index % 2 == 0 else sides[::-1]
        answers: dict[int, dict[str, Any] | None] = {}
        for side in order:
            answer, cpu = _scan(side, data, item.card)
            answers[id(side)] = answer
            side.cpu[item.card] = side.cpu.get(item.card, 0.0) + cpu
            score = score_document(item.card, item.fields, answer)
            hit = side.hits.setdefault(item.card, [0, 0])
            hit[0] += sum(score.fields.values())
            hit[1] += len(score.fields)
        got_a, got_b = (flatten(answers[id(s)] or {}) for s in sides)
        expected = flatten(item.fields)
        for key in score_document(item.card, item.fields, answers[id(sides[0])]).fields:
            if got_a.get(key) != got_b.get(key):
                differences.append((item.image.name, key, expected.get(key), got_a.get(key), got_b.get(key)))
        print(f"\r[{index + 1}/{len(items)}]", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    print(report(items_per_card(items), sides, differences))
    return 0


def items_per_card(items: list[Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.card] = counts.get(item.card, 0) + 1
    return counts


def _pct(hit: list[int]) -> str:
    return f"{100 * hit[0] / hit[1]:6.1f}" if hit[1] else "     -"


def report(counts: dict[str, int], sides: list[Side], differences: list[Difference]) -> str:
    a, b = sides
    lines = [f"A = {a.env or 'settings as they are'}   B = {b.env}",
             f"{'card type':24s} imgs | field% A field% B | cpu s A cpu s B  B/A"]
    totals = [[0, 0], [0, 0]]
    cpu_totals = [0.0, 0.0]
    for card, n in counts.items():
        ha, hb = a.hits.get(card, [0, 0]), b.hits.get(card, [0, 0])
        ca, cb = a.cpu.get(card, 0.0) / n, b.cpu.get(card, 0.0) / n
        for total, hit in zip(totals, (ha, hb), strict=True):
            total[0] += hit[0]
            total[1] += hit[1]
        cpu_totals[0] += a.cpu.get(card, 0.0)
        cpu_totals[1] += b.cpu.get(card, 0.0)
        lines.append(f"{card:24s} {n:4d} | {_pct(ha)}   {_pct(hb)}  | {ca:7.3f} {cb:7.3f} "
                     f"{cb / max(ca, 1e-9):5.2f}")
    n = sum(counts.values())
    lines.append(f"{'all':24s} {n:4d} | {_pct(totals[0])}   {_pct(totals[1])}  | {cpu_totals[0] / n:7.3f} "
                 f"{cpu_totals[1] / n:7.3f} {cpu_totals[1] / max(cpu_totals[0], 1e-9):5.2f}")
    lines.append(f"failed scans: A {a.errors}, B {b.errors}; fields answered differently: {len(differences)}")
    lines += [f"  {image} {key}: expected {exp!r} | A {got_a!r} | B {got_b!r}"
              for image, key, exp, got_a, got_b in differences]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
