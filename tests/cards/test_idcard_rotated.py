"""The emblem side of an ID card photographed turned by 90 or 180 degrees reads as it does upright, and
``angle`` says how it was turned (the portrait side: tests/ocr/test_engine.py)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.synth.base import get_renderer
from certscan.cards.base import ScanInput
from certscan.cards.idcard import parse_back

pytestmark = pytest.mark.slow
KEYS = ("authority", "startDate", "endDate", "type")


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    from certscan.ocr.onnx_engine import OnnxEngine

    return OnnxEngine()


@pytest.fixture(scope="module")
def card() -> tuple[np.ndarray, dict[str, object]]:
    rendered = get_renderer("id-card-back")(random.Random(5))
    image = np.asarray(rendered.image.convert("RGB"))
    h, w = image.shape[:2]
    canvas = np.full((h + 100, w + 100, 3), 90, dtype=np.uint8)  # a dark desk around the card
    canvas[50:50 + h, 50:50 + w] = image
    return canvas, rendered.label


@pytest.mark.parametrize("clockwise", [0, 90, 180, 270])
def test_rotated_back_reads_the_same(engine, card, clockwise: int) -> None:  # type: ignore[no-untyped-def]
    image, label = card
    turned = np.ascontiguousarray(np.rot90(image, k=-clockwise // 90))
    result = parse_back(ScanInput(card="id-card-back", image=turned, engine=engine))
    assert {k: result.fields[k] for k in KEYS} == {k: label[k] for k in KEYS}, clockwise
    assert abs((result.fields["angle"] - clockwise + 180) % 360 - 180) < 3, result.fields["angle"]
