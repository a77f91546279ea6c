"""Orientation maths and CTC decoding: no models needed."""

from __future__ import annotations

import numpy as np
import pytest

from certscan.ocr import orient
from certscan.ocr.detect import order_quad
from certscan.ocr.models import Charset
from certscan.ocr.recognize import decode
from certscan.ocr.types import Page


@pytest.mark.parametrize("angle", [0, 90, 180, 270])
def test_upright_mapping_matches_numpy_rotation(angle: int) -> None:
    h, w = 5, 8
    image = np.arange(h * w).reshape(h, w)
    turned = orient.rotate_to_upright(image, angle)
    pts = np.array([[x, y] for y in range(h) for x in range(w)], dtype=np.float32)
    up = orient.to_upright(pts, w, h, angle)
    for (x, y), (u, v) in zip(pts.astype(int), up.astype(int), strict=True):
        assert turned[v, u] == image[y, x]
    assert np.allclose(orient.from_upright(up, w, h, angle), pts)
    assert orient.upright_size(w, h, angle) == (turned.shape[1], turned.shape[0])


def _box(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def test_vertical_lines_vote_for_a_quarter_turn() -> None:
    horizontal = [_box(0, 0, 200, 20), _box(0, 40, 150, 60)]
    vertical = [_box(0, 0, 20, 200), _box(40, 0, 60, 150), _box(80, 0, 95, 15)]
    assert not orient.mostly_vertical(horizontal)
    assert orient.mostly_vertical(vertical)


def test_skew_from_long_lines() -> None:
    quad = order_quad(_box(0, 0, 300, 30))
    tilted = orient.rotate_points(quad, 10.0, (150, 15))
    assert orient.skew_degrees([order_quad(tilted)]) == pytest.approx(10.0, abs=0.5)
    assert orient.skew_degrees([]) == 0.0


def test_ctc_decode_collapses_repeats_and_keeps_alternatives() -> None:
    charset = Charset(chars=("", "1", "7", "8", " "))
    # frames: 1 1 blank 7(0.6, alt 1 0.3) blank 1 -> "171"
    probs = np.array([
        [0.05, 0.90, 0.02, 0.02, 0.01],
        [0.05, 0.85, 0.05, 0.04, 0.01],
        [0.90, 0.04, 0.03, 0.02, 0.01],
        [0.05, 0.30, 0.60, 0.04, 0.01],
        [0.90, 0.04, 0.03, 0.02, 0.01],
        [0.05, 0.90, 0.02, 0.02, 0.01],
    ], dtype=np.float32)
    read = decode(probs, charset, top_k=3)
    assert read.text == "171"
    assert read.chars[1].chars[:2] == ("7", "1")
    assert read.chars[1].probs[0] == pytest.approx(0.6)
    assert read.confidence == pytest.approx((0.9 + 0.6 + 0.9) / 3, abs=1e-6)


def test_crop_of_a_flipped_view_matches_a_crop_of_the_whole_copied_image() -> None:
    """crop_quad reads only the quad's bounding box; the strip is the one a whole-image warp gives."""
    import cv2

    from certscan.ocr.recognize import crop_quad

    rng = np.random.default_rng(3)
    rgb = cv2.GaussianBlur(rng.integers(0, 255, (300, 400, 3), dtype=np.uint8), (0, 0), 2)
    view = rgb[:, :, ::-1]
    for quad in (np.array([[50.4, 40.2], [250.1, 52.7], [248.5, 82.2], [49.8, 70.1]], np.float32),
                 np.array([[-5, 280], [60, 280], [60, 310], [-5, 310]], np.float32),  # past the border
                 np.array([[300, 20], [330, 20], [330, 200], [300, 200]], np.float32)):  # tall: turned
        q = quad.astype(np.float32)
        w = int(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[3] - q[2])))
        h = int(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2])))
        dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
        whole = cv2.warpPerspective(np.ascontiguousarray(view), cv2.getPerspectiveTransform(q, dst), (w, h),
                                    borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
        if h / w >= 1.5:
            whole = np.rot90(whole)
        got = crop_quad(view, quad)
        assert got.shape == whole.shape
        assert int(np.abs(got.astype(int) - whole).max()) <= 1


def test_a_page_read_from_a_turned_crop_maps_back_onto_the_image() -> None:
    image = np.zeros((100, 200, 3), np.uint8)
    left, top = 50, 20
    crop = image[top:80, left:170]  # 60 × 120
    turned = np.rot90(crop, 2)
    page = Page(width=turned.shape[1], height=turned.shape[0])  # read as the turned crop's pixels
    ch, cw = crop.shape[:2]
    page.mapped_on(np.array([[-1, 0, cw - 1], [0, -1, ch - 1]], np.float32))  # turned → crop
    page.mapped_on(np.array([[1, 0, left], [0, 1, top]], np.float32))  # crop → image
    corner = page.image_points(np.array([[0, 0], [cw - 1, ch - 1]], np.float32))
    # the turned crop's top-left pixel is the crop's bottom-right, which is the image's (169, 79)
    assert corner.tolist() == [[169.0, 79.0], [50.0, 20.0]]
