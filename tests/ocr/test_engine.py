"""The engine on a rendered card: loads the shipped models, reads every field, in every orientation."""

from __future__ import annotations

import numpy as np
import pytest

from certscan.cards.base import ScanInput
from certscan.cards.idcard import parse_front
from certscan.ocr import classify, models
from certscan.ocr.onnx_engine import OnnxEngine
from tests.ocr.cards import FIELDS, counted_recognitions, id_card_front, on_background, rotated

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine() -> OnnxEngine:
    return OnnxEngine()


def test_models_load_from_the_wheel() -> None:
    for kind in models.MODEL_FILES:
        assert models.model_path(kind).is_file()
    charset = models.charset(models.session("rec", 1))
    assert len(charset) > 6000 and charset.chars[0] == "" and "身" in charset.chars
    v6 = models.charset(models.session("rec_v6", 1))  # CTC blank first, space last, as v4's
    assert len(v6) == 18710 and v6.chars[0] == "" and v6.chars[-1] == " " and "身" in v6.chars


def test_read_gives_lines_with_alternatives(engine: OnnxEngine) -> None:
    page = engine.read(on_background(id_card_front()))
    assert page.angle == pytest.approx(0.0, abs=1.0)
    number_lines = [ln for ln in page.lines if FIELDS["number"] in ln.text]
    assert number_lines, page.text
    line = number_lines[0]
    assert "".join(c.best for c in line.chars) == line.text
    assert all(len(c.chars) >= 2 and c.probs[0] >= c.probs[1] for c in line.chars)


@pytest.mark.parametrize("clockwise", [0, 90, 180, 270])
def test_rotated_card_reads_the_same(engine: OnnxEngine, clockwise: int) -> None:
    image = rotated(on_background(id_card_front()), clockwise)
    result = parse_front(ScanInput(card="id-card-front", image=image, engine=engine))
    for key, expected in FIELDS.items():
        assert result.fields[key] == expected, (clockwise, key, result.fields)
    assert result.fields["numberValid"] is True
    assert result.extra["sex"] == "男"
    assert abs((result.fields["angle"] - clockwise + 180) % 360 - 180) < 3, result.fields["angle"]


def test_recognize_crops(engine: OnnxEngine) -> None:
    card = id_card_front()
    crop = np.ascontiguousarray(card[430:485, 290:780])
    (read,) = engine.recognize([crop])
    assert read.text == FIELDS["number"]
    assert read.confidence > 0.8


@pytest.mark.parametrize("clockwise", [0, 180])
def test_unsure_classifier_tie_break_reads_probes_once(engine: OnnxEngine, clockwise: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """With the 0/180 classifier undecided, recognition confidence decides, and the probe lines it read
    in the winning orientation are kept, not read again."""
    monkeypatch.setattr(classify, "upside_down_scores", lambda sess, crops: [0.5] * len(crops))
    plain = engine.read(rotated(on_background(id_card_front()), clockwise))
    counted = counted_recognitions(monkeypatch)
    page = engine.read(rotated(on_background(id_card_front()), clockwise))
    assert abs((page.angle - clockwise + 180) % 360 - 180) < 3, page.angle
    assert FIELDS["number"] in page.text and FIELDS["name"] in page.text, page.text
    assert sum(counted) <= len(plain.lines) + 2, counted  # each line once; at most the pair read turned
