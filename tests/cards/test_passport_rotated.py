"""A passport photographed turned by 90 or 180 degrees reads as it does upright (engine + parser)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.synth.base import get_renderer
from certscan.cards.base import ScanInput
from certscan.cards.passport import parse

pytestmark = pytest.mark.slow
KEYS = ("line0", "line1", "surname", "givenName", "birthDate", "expireDate", "srcCountry")


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    from certscan.ocr.onnx_engine import OnnxEngine

    return OnnxEngine()


@pytest.fixture(scope="module")
def page() -> tuple[np.ndarray, dict[str, object]]:
    rendered = get_renderer("passport")(random.Random(11))
    card = np.asarray(rendered.image.convert("RGB"))
    h, w = card.shape[:2]
    canvas = np.full((h + 120, w + 120, 3), 235, dtype=np.uint8)  # a margin, as on a desk
    canvas[60:60 + h, 60:60 + w] = card
    return canvas, rendered.label


@pytest.mark.parametrize("clockwise", [0, 90, 180])
def test_rotated_passport_reads_the_same(engine, page, clockwise: int) -> None:  # type: ignore[no-untyped-def]
    image, label = page
    turned = np.ascontiguousarray(np.rot90(image, k=-clockwise // 90))
    result = parse(ScanInput(card="passport", image=turned, engine=engine))
    assert {k: result.fields[k] for k in KEYS} == {k: label[k] for k in KEYS}, clockwise
    assert result.extra["mrzValid"] is True
