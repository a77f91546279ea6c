"""Run the in-process pipeline over a labelled corpus and aggregate the scores per card type.

A corpus is ``DIR/<card-type>/<name>.<jpg|jpeg|png|...>`` with ``<name>.json`` beside each image holding
``card`` and the card's result-key object (the synthetic corpus and ``/work/shared/data`` both are).
A failed scan (e.g. 586 for a card type whose parser does not exist yet) scores every field wrong.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.accuracy.scoring import DocumentScore, flatten, score_document
from bench.synth.validate import applicable_checks
from certscan.constants import CARD_TYPES, result_key

log = logging.getLogger("bench.accuracy")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp")

Scanner = Callable[[bytes, str], dict[str, Any]]


@dataclass
class LabelledImage:
    card: str
    image: Path
    fields: dict[str, Any]  # the label's result-key object (only the fields to score)


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    """--corpus, --types and --limit, as every bench command reads a labelled corpus."""
    parser.add_argument("--corpus", type=Path, required=True, help="DIR/<card-type>/<name>.<jpg|png> + .json")
    parser.add_argument("--types", help="comma-separated card types (default: every folder found)")
    parser.add_argument("--limit", type=int, help="at most N images per card type")


def chosen_types(types: str | None) -> list[str] | None:
    """The --types value as a list (None: every folder found)."""
    return [t.strip() for t in types.split(",") if t.strip()] if types else None


def iter_corpus(root: Path, types: list[str] | None = None) -> Iterator[LabelledImage]:
    for card_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        card = card_dir.name
        if card not in CARD_TYPES or (types and card not in types):
            continue
        for image in sorted(p for p in card_dir.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
            label_path = image.with_suffix(".json")
            if not label_path.exists():
                log.warning("no label for %s", image)
                continue
            label = json.loads(label_path.read_text(encoding="utf-8"))
            yield LabelledImage(label.get("card", card), image, dict(label.get(result_key(card), {})))


@dataclass
class CardReport:
    card: str
    images: int = 0
    errors: dict[str, int] = field(default_factory=dict)  # error class/code → count
    field_hits: dict[str, list[int]] = field(default_factory=dict)  # key → [right, total]
    blanks: list[int] = field(default_factory=lambda: [0, 0])  # [left empty, should be empty]
    documents: list[int] = field(default_factory=lambda: [0, 0])  # [exact, scored]
    checks: dict[str, list[int]] = field(default_factory=dict)  # check → [answer passes, applicable]
    seconds: list[float] = field(default_factory=list)
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # (image, key, expected, got)

    def add(self, score: DocumentScore, label: dict[str, Any], answer: dict[str, Any] | None,
            seconds: float, image: str = "") -> None:
        self.images += 1
        self.seconds.append(seconds)
        got = flatten(answer or {})
        wrong = [k for k, ok in {**score.fields, **score.blanks}.items() if not ok]
        self.misses += [(image, k, flatten(label).get(k), got.get(k) if answer is not None else None)
                        for k in wrong]
        for key, ok in score.fields.items():
            hit = self.field_hits.setdefault(key, [0, 0])
            hit[0] += int(ok)
            hit[1] += 1
        self.blanks[0] += sum(score.blanks.values())
        self.blanks[1] += len(score.blanks)
        if score.fields or score.blanks:
            self.documents[0] += int(score.exact)
            self.documents[1] += 1
        for name, label_ok in applicable_checks(self.card, label).items():
            if not label_ok:  # a real label may record an invalid print as it is: no check to expect
                continue
            passed = applicable_checks(self.card, answer or {}).get(name, False)
            entry = self.checks.setdefault(name, [0, 0])
            entry[0] += int(passed)
            entry[1] += 1

    def summary(self) -> dict[str, Any]:
        right = sum(h[0] for h in self.field_hits.values())
        total = sum(h[1] for h in self.field_hits.values())
        ordered = sorted(self.seconds)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else None
        return {
            "images": self.images,
            "errors": self.errors,
            "field_accuracy": _pct(right, total),
            "fields_scored": total,
            "document_accuracy": _pct(*self.documents),
            "documents_scored": self.documents[1],
            "blank_kept": _pct(*self.blanks),
            "check_pass_rate": {k: _pct(*v) for k, v in self.checks.items()},
            "check_counts": {k: v for k, v in self.checks.items()},
            "fields": {k: {"right": v[0], "total": v[1], "accuracy": _pct(*v)}
                       for k, v in sorted(self.field_hits.items())},
            "seconds_median": round(statistics.median(ordered), 3) if ordered else None,
            "seconds_p95": round(p95, 3) if p95 is not None else None,
        }


def _pct(right: int, total: int) -> float | None:
    return round(100.0 * right / total, 1) if total else None


def default_scanner() -> Scanner:
    from certscan.pipeline import scan_bytes  # imported late: loads the OCR stack

    def scan(data: bytes, card: str) -> dict[str, Any]:
        return scan_bytes(data, card)

    return scan


def evaluate(root: Path, types: list[str] | None = None, scanner: Scanner | None = None,
             limit: int | None = None) -> dict[str, CardReport]:
    scan = scanner or default_scanner()
    reports: dict[str, CardReport] = {}
    per_card: dict[str, int] = {}
    for item in iter_corpus(root, types):
        if limit is not None and per_card.get(item.card, 0) >= limit:
            continue
        per_card[item.card] = per_card.get(item.card, 0) + 1
        report = reports.setdefault(item.card, CardReport(item.card))
        data = item.image.read_bytes()
        started = time.perf_counter()
        answer: dict[str, Any] | None
        try:
            answer = scan(data, item.card).get(result_key(item.card), {})
        except Exception as exc:  # a failed task scores zero; the failure is counted, not hidden
            code = getattr(exc, "code", None)
            name = f"{type(exc).__name__}({code})" if code else type(exc).__name__
            report.errors[name] = report.errors.get(name, 0) + 1
            answer = None
        elapsed = time.perf_counter() - started
        report.add(score_document(item.card, item.fields, answer), item.fields, answer, elapsed,
                   item.image.name)
    return reports

