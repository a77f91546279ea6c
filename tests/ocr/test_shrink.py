"""The work image's downscale: one pyramid halving per factor of two, then linear, to the exact size."""

from __future__ import annotations

import numpy as np

from certscan.ocr.onnx_engine import shrink


def test_shrink_reaches_the_exact_size_and_keeps_flat_colour() -> None:
    image = np.full((3000, 4500, 3), (10, 120, 240), dtype=np.uint8)
    for size in [(2000, 1333), (1000, 667), (4500 // 2, 1500)]:
        out = shrink(image, size)
        assert (out.shape[1], out.shape[0]) == size
        assert np.abs(out.astype(int) - [10, 120, 240]).max() <= 1


def test_shrink_blurs_a_fine_pattern_instead_of_aliasing_it() -> None:
    # One-pixel stripes at a quarter of the size: sampling would keep some stripes black or white.
    image = np.zeros((800, 800, 3), dtype=np.uint8)
    image[:, ::2] = 255
    out = shrink(image, (200, 200))
    assert out.min() >= 90 and out.max() <= 165
