"""The engine's second detection for small text: a faint card far away (nothing found at first) and a
low-resolution card (rows too small in the image's own pixels). Generated cards only."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from certscan.ocr import detect
from certscan.ocr.onnx_engine import EngineOptions, OnnxEngine
from tests.ocr.cards import FIELDS, id_card_front, on_background

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine() -> OnnxEngine:
    return OnnxEngine()


def faint_far_card() -> np.ndarray:
    """A card 257 px wide at a third of its contrast in a 2000 px frame: the detector, seeing the frame
    at 960 px, boxes nothing."""
    card = cv2.resize(id_card_front(), None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA).astype(np.float32)
    frame = np.full((1500, 2000, 3), 200, np.float32)
    frame[600:600 + card.shape[0], 900:900 + card.shape[1]] = (card - 200) * 0.3 + 200
    return np.clip(frame, 0, 255).astype(np.uint8)


def detector_inputs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Records the (h, w) of every image handed to the detector (before its own capping)."""
    seen: list[tuple[int, int]] = []
    real = detect.detect

    def recording(sess: object, bgr: np.ndarray, p: detect.DetParams) -> list[np.ndarray]:
        seen.append(detect._input_size(*bgr.shape[:2], p))
        return real(sess, bgr, p)  # type: ignore[arg-type]

    monkeypatch.setattr(detect, "detect", recording)
    return seen


def test_nothing_found_looks_again_closer(engine: OnnxEngine) -> None:
    image = faint_far_card()
    assert detect.detect(engine._det, np.ascontiguousarray(image[:, :, ::-1]), engine.options.det) == []
    page = engine.read(image)
    assert FIELDS["number"] in "".join(ln.text for ln in page.lines), page.text
    plain = OnnxEngine(EngineOptions(look_again_when_empty=False))  # the engine before: no second look
    assert plain.read(image).lines == []


def test_a_plain_card_is_detected_once(engine: OnnxEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = detector_inputs(monkeypatch)
    page = engine.read(on_background(id_card_front()))
    assert FIELDS["number"] in page.text
    assert len(seen) == 1


def test_small_rows_are_enlarged_for_the_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 257 px card alone in a small photo: rows of ~9 px; the zoomed detection sees the card's region
    enlarged (the detector itself never scales up), and the card reads as at full size."""
    small = cv2.resize(id_card_front(), None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA)
    image = on_background(small, 40)
    engine = OnnxEngine(EngineOptions(zoom_upsample=True))
    seen = detector_inputs(monkeypatch)
    page = engine.read(image)
    assert len(seen) == 2 and max(seen[1]) > 1.5 * max(image.shape[:2]), seen
    assert FIELDS["number"] in page.text


def test_a_slight_zoom_keeps_the_region_at_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Enlarging by less than ``min_upsample`` costs detection time for no stroke the detector could not
    separate already: the region goes in at its own size."""
    engine = OnnxEngine()
    seen = detector_inputs(monkeypatch)
    region = np.zeros((400, 600, 3), np.uint8)
    engine._detect_region(region, (0, 0, 600, 400), 1.3, detect.DetParams(), enlarge=True)
    engine._detect_region(region, (0, 0, 600, 400), 2.0, detect.DetParams(), enlarge=True)
    assert seen == [(384, 608), (800, 1216)]  # as they stand (to multiples of 32), then twice the size


def test_a_small_image_is_not_detected_again_at_its_own_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small photo of a small card (rows ~9 px) is detected at its own size; without ``zoom_upsample`` the
    zoom would show the detector the same pixels again: it is skipped."""
    small = cv2.resize(id_card_front(), None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA)
    image = on_background(small, 40)
    seen = detector_inputs(monkeypatch)
    OnnxEngine().read(image)
    assert len(seen) == 1, seen
