"""The engine's second look at lines it read unsure: a softened crop of each, read by PP-OCRv6 small in one
more call, merged with the first read. Generated cards only (tests.ocr.cards), degraded here with seeded
noise."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from certscan.ocr import detect, models, onnx_engine
from certscan.ocr.onnx_engine import EngineOptions, OnnxEngine, surer
from certscan.ocr.recognize import Recognition
from certscan.ocr.types import CharCandidates
from tests.ocr.cards import FIELDS, counted_recognitions, id_card_front, on_background


def low_resolution_photo(factor: float = 0.4, noise: float = 10.0, seed: int = 2) -> np.ndarray:
    """The card shrunk to ``factor`` (labels ~10 px high), slightly blurred, with sensor noise, saved as a
    JPEG at quality 40: the labels' strokes are a few pixels wide under noise and blocking."""
    small = cv2.resize(id_card_front(), None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    image = cv2.GaussianBlur(on_background(small, 30).astype(np.float32), (0, 0), 0.6)
    image += np.random.default_rng(seed).normal(0.0, noise, image.shape)
    bgr = np.clip(image, 0, 255).astype(np.uint8)[:, :, ::-1]
    ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 40])
    assert ok
    return np.ascontiguousarray(cv2.imdecode(jpeg, cv2.IMREAD_COLOR)[:, :, ::-1])


@pytest.mark.slow
def test_unsure_labels_read_again_softened() -> None:
    """Read as they stand, the noisy labels come out 姓名 0.73 and 性列; softened and read by v6,
    姓名 and 性别 at 0.95 or more (v6 on the plain crop reads 性剂)."""
    image = low_resolution_photo()
    plain = OnnxEngine(EngineOptions(reread_below=0.0, low_res_line_height=0.0)).read(image)
    again = OnnxEngine().read(image)
    assert "性别" not in plain.text, plain.text
    assert "性别" in again.text, again.text
    assert FIELDS["number"] in again.text and FIELDS["name"] in again.text
    assert sum(ln.confidence for ln in again.lines) > sum(ln.confidence for ln in plain.lines)


@pytest.mark.slow
def test_only_unsure_lines_are_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = OnnxEngine()
    counted = counted_recognitions(monkeypatch)
    clean = engine.read(on_background(id_card_front()))
    assert min(ln.confidence for ln in clean.lines) >= engine.options.reread_below
    assert len(counted) == 1, counted  # a clean card: no second call
    counted.clear()
    page = engine.read(low_resolution_photo())
    unsure = sum(ln.confidence < engine.options.reread_below for ln in page.lines)
    assert len(counted) == 2 and 0 < counted[1] < counted[0], counted  # one more call, the unsure lines
    assert unsure < counted[1]  # some of them came back sure


@pytest.mark.slow
@pytest.mark.parametrize("model", ["rec_v6", "rec"])
def test_second_look_runs_on_the_chosen_recogniser(monkeypatch: pytest.MonkeyPatch, model: str) -> None:
    sessions: list[object] = []
    real = onnx_engine.recognize

    def recording(sess: object, *args: object) -> object:
        sessions.append(sess)
        return real(sess, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(onnx_engine, "recognize", recording)
    engine = OnnxEngine(EngineOptions(reread_model=model))
    engine.read(low_resolution_photo())
    assert len(sessions) == 2 and sessions[0] is engine._rec
    assert sessions[1] is (engine._rec if model == "rec" else models.session(model, engine.options.threads))


@pytest.mark.slow
def test_worker_warm_up_loads_the_second_look(monkeypatch: pytest.MonkeyPatch) -> None:
    from certscan.ocr import engine as engine_module
    from certscan.queue.process import warm_up

    engine = OnnxEngine()
    monkeypatch.setattr(engine_module, "_engine", engine)
    monkeypatch.setattr(models, "_sessions", {k: v for k, v in models._sessions.items() if k[0] != "rec_v6"})
    assert warm_up()
    assert any(key[0] == "rec_v6" for key in models._sessions)


def read_of(*chars: tuple[str, float]) -> Recognition:
    cands = [CharCandidates(chars=(c,), probs=(p,)) for c, p in chars]
    return Recognition(
        text="".join(c for c, _ in chars), confidence=sum(p for _, p in chars) / len(chars), chars=cands
    )


def test_surer_takes_each_character_from_the_read_surer_of_it() -> None:
    plain = read_of(("吴", 0.9), ("刚", 0.6), ("泽", 0.7))
    softened = read_of(("吴", 0.95), ("刚", 0.9), ("洋", 0.5))  # surer overall, its last character not
    merged = surer(plain, softened)
    assert merged.text == "吴刚泽"
    assert merged.confidence == pytest.approx((0.95 + 0.9 + 0.7) / 3)
    assert [c.confidence for c in merged.chars] == [0.95, 0.9, 0.7]


def test_surer_of_reads_of_other_lengths_is_the_surer_read() -> None:
    plain = read_of(("杨", 0.7), ("一", 0.3))
    softened = read_of(("杨", 0.8))
    assert surer(plain, softened) is softened
    assert surer(softened, plain) is softened
    assert surer(read_of(("杨", 0.2)), plain) is plain


@pytest.mark.slow
def test_a_low_resolution_page_has_every_line_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines ~10 px high, with the low-resolution rule on: the second recogniser reads all of them, the
    ones v4 read confidently too (v4 garbles such text at high confidence); with ``low_res_line_height`` 0
    (the default) only the unsure ones."""
    image = low_resolution_photo()
    counted = counted_recognitions(monkeypatch)
    page = OnnxEngine(EngineOptions(low_res_line_height=27.0)).read(image)
    assert len(counted) == 2 and counted[1] == len(page.lines), counted  # every line read with some text
    counted.clear()
    OnnxEngine(EngineOptions(low_res_line_height=0.0)).read(image)
    assert len(counted) == 2 and counted[1] < len(page.lines) - 3, counted


@pytest.mark.slow
def test_a_card_at_full_size_is_no_low_resolution_page() -> None:
    engine = OnnxEngine(EngineOptions(low_res_line_height=27.0))
    work = np.ascontiguousarray(on_background(id_card_front())[:, :, ::-1])
    quads = detect.detect(engine._det, work, engine.options.det)
    assert not engine._low_res(quads, 1.0)
    assert engine._low_res(quads, 0.3)  # the same boxes in an image a third the size
