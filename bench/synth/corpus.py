"""Generate a labelled corpus: render → augment → validate → write ``DIR/<card>/<name>.jpg|png + .json``.

The label file has the layout of ``/work/shared/data`` so one harness reads both::

    {"card": ..., "<resultKey>": {contract object}, "boxes": {field: [quad, ...]}, "card_quad": quad,
     "augment": {...}, "seed": ..., "extra": {...}}

Every image has its own seed, derived from the corpus seed, the card type and the index, so any single
image can be regenerated and a corpus does not depend on how work was split between processes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bench.synth.augment import Augmented, augment
from bench.synth.base import RENDERERS, RenderedCard, get_renderer
from bench.synth.validate import label_errors
from certscan.constants import CARD_TYPES, result_key

log = logging.getLogger("bench.synth")


def image_seed(seed: int, card: str, index: int) -> int:
    digest = hashlib.sha256(f"{seed}:{card}:{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def available_types(types: Iterable[str] | None = None) -> list[str]:
    """The requested card types whose renderer module can be imported (others are being written)."""
    out = []
    for card in types or CARD_TYPES:
        if card not in RENDERERS:
            raise ValueError(f"unknown card type {card!r}")
        try:
            get_renderer(card)
        except (ImportError, AttributeError) as exc:
            log.warning("skipping %s: renderer not available (%s)", card, exc)
            continue
        out.append(card)
    return out


@dataclass
class Sample:
    card: str
    name: str
    rendered: RenderedCard
    augmented: Augmented
    seed: int

    def label(self) -> dict[str, Any]:
        fields = dict(self.rendered.label)
        if "angle" in fields:  # the card's rotation is whatever the augmentation applied
            fields["angle"] = float(self.augmented.angle)
        return {
            "card": self.card,
            result_key(self.card): fields,
            "boxes": {k: [[list(p) for p in q] for q in v] for k, v in self.augmented.boxes.items()},
            "card_quad": [list(p) for p in self.augmented.card_quad],
            "augment": self.augmented.record,
            "seed": self.seed,
            "extra": self.rendered.extra,
        }


def make_sample(card: str, index: int, seed: int, profile: str) -> Sample:
    s = image_seed(seed, card, index)
    rng = random.Random(s)
    rendered = get_renderer(card)(rng)
    augmented = augment(rendered, random.Random(s ^ 0x5A5A5A5A), profile)
    sample = Sample(card, f"{card}-{index:05d}", rendered, augmented, s)
    errors = label_errors(card, sample.label()[result_key(card)])
    if errors:
        raise ValueError(f"{card} #{index} (seed {s}): invalid label: {'; '.join(errors)}")
    return sample


def _write_one(job: tuple[str, int, int, str, str]) -> tuple[str, int, str]:
    """Worker: make and write one sample; returns (card, index, error message or "")."""
    card, index, seed, profile, out = job
    try:
        sample = make_sample(card, index, seed, profile)
    except Exception as exc:  # a renderer bug must not sink the whole corpus; it is reported
        return card, index, f"{type(exc).__name__}: {exc}"
    folder = Path(out) / card
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{sample.name}.{sample.augmented.ext}").write_bytes(sample.augmented.data)
    label = json.dumps(sample.label(), ensure_ascii=False, indent=1)
    (folder / f"{sample.name}.json").write_text(label, encoding="utf-8")
    return card, index, ""


def generate(out: Path, per_type: int, seed: int, profile: str = "real", types: Iterable[str] | None = None,
             processes: int = 2) -> dict[str, list[str]]:
    """Write the corpus; returns the errors per card type (empty lists when all went well)."""
    cards = available_types(types)
    jobs = [(card, i, seed, profile, str(out)) for card in cards for i in range(per_type)]
    errors: dict[str, list[str]] = {card: [] for card in cards}
    if processes <= 1:
        results: Iterable[tuple[str, int, str]] = map(_write_one, jobs)
        for card, index, err in results:
            if err:
                errors[card].append(f"#{index}: {err}")
        return errors
    with get_context("fork").Pool(processes) as pool:
        for card, index, err in pool.imap_unordered(_write_one, jobs, chunksize=4):
            if err:
                errors[card].append(f"#{index}: {err}")
    return errors

