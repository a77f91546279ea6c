"""A document photographed turned by 90, 180 (or 270) degrees reads as it does upright (engine + parser):
the emblem side of an ID card, and a passport (the ID card's portrait side: tests/ocr/test_engine.py)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from bench.synth.base import get_renderer
from certscan.cards import idcard, passport
from certscan.cards.base import CardResult, ScanInput
from certscan.ocr.onnx_engine import OnnxEngine

pytestmark = pytest.mark.slow
Photos = dict[str, tuple[np.ndarray, dict[str, object]]]


@dataclass(frozen=True)
class Case:
    card: str
    parse: Callable[[ScanInput], CardResult]
    seed: int
    margin: int  # of desk around the document, each side
    desk: int  # the desk's grey level
    keys: tuple[str, ...]
    angles: tuple[int, ...]


ID_BACK = Case("id-card-back", idcard.parse_back, seed=5, margin=50, desk=90,  # a dark desk around the card
               keys=("authority", "startDate", "endDate", "type"), angles=(0, 90, 180, 270))
PASSPORT = Case("passport", passport.parse, seed=11, margin=60, desk=235,
                keys=("line0", "line1", "surname", "givenName", "birthDate", "expireDate", "srcCountry"),
                angles=(0, 90, 180))


@pytest.fixture(scope="module")
def engine() -> OnnxEngine:
    return OnnxEngine()


@pytest.fixture(scope="module")
def photos() -> Photos:
    out = {}
    for case in (ID_BACK, PASSPORT):
        rendered = get_renderer(case.card)(random.Random(case.seed))
        image = np.asarray(rendered.image.convert("RGB"))
        h, w = image.shape[:2]
        canvas = np.full((h + 2 * case.margin, w + 2 * case.margin, 3), case.desk, dtype=np.uint8)
        canvas[case.margin:case.margin + h, case.margin:case.margin + w] = image
        out[case.card] = (canvas, rendered.label)
    return out


def _read_turned(engine: OnnxEngine, photos: Photos, case: Case, clockwise: int) -> CardResult:
    image, label = photos[case.card]
    turned = np.ascontiguousarray(np.rot90(image, k=-clockwise // 90))
    result = case.parse(ScanInput(card=case.card, image=turned, engine=engine))
    assert {k: result.fields[k] for k in case.keys} == {k: label[k] for k in case.keys}, clockwise
    return result


@pytest.mark.parametrize("clockwise", ID_BACK.angles)
def test_rotated_id_back_reads_the_same(engine: OnnxEngine, photos: Photos, clockwise: int) -> None:
    result = _read_turned(engine, photos, ID_BACK, clockwise)
    assert abs((result.fields["angle"] - clockwise + 180) % 360 - 180) < 3, result.fields["angle"]


@pytest.mark.parametrize("clockwise", PASSPORT.angles)
def test_rotated_passport_reads_the_same(engine: OnnxEngine, photos: Photos, clockwise: int) -> None:
    result = _read_turned(engine, photos, PASSPORT, clockwise)
    assert result.extra["mrzValid"] is True
