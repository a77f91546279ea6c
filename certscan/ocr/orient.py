"""Right-angle orientation: cheap decisions from box shapes and the 0/180 line classifier.

``angle`` is the card's clockwise rotation in the image (0, 90, 180, 270). Upright coordinates are
those of the image turned counter-clockwise by ``angle``. Points are mapped between the two frames
instead of rotating images, so a large photo is never rotated or copied.
"""

from __future__ import annotations

import numpy as np


def upright_size(w: int, h: int, angle: int) -> tuple[int, int]:
    return (h, w) if angle in (90, 270) else (w, h)


def to_upright(points: np.ndarray, w: int, h: int, angle: int) -> np.ndarray:
    """Map (x, y) points of a w×h image into the frame of the image turned CCW by ``angle``."""
    x, y = points[:, 0], points[:, 1]
    if angle == 90:  # card turned clockwise by 90: its top is at the image's right
        out = np.stack([y, w - 1 - x], axis=1)
    elif angle == 180:
        out = np.stack([w - 1 - x, h - 1 - y], axis=1)
    elif angle == 270:
        out = np.stack([h - 1 - y, x], axis=1)
    else:
        out = np.stack([x, y], axis=1)
    return out.astype(np.float32)


def from_upright(points: np.ndarray, w: int, h: int, angle: int) -> np.ndarray:
    """Inverse of ``to_upright`` (``w``, ``h``: the original image's size)."""
    u, v = points[:, 0], points[:, 1]
    if angle == 90:
        out = np.stack([w - 1 - v, u], axis=1)
    elif angle == 180:
        out = np.stack([w - 1 - u, h - 1 - v], axis=1)
    elif angle == 270:
        out = np.stack([v, h - 1 - u], axis=1)
    else:
        out = np.stack([u, v], axis=1)
    return out.astype(np.float32)


def rotate_to_upright(image: np.ndarray, angle: int) -> np.ndarray:
    """The image turned counter-clockwise by ``angle`` (undoing the card's clockwise rotation)."""
    return np.ascontiguousarray(np.rot90(image, k=angle // 90)) if angle else image


def quad_extent(q: np.ndarray) -> tuple[float, float]:
    """(length along the top edge, length along the left edge) of a clockwise quad."""
    return float(np.linalg.norm(q[0] - q[1])), float(np.linalg.norm(q[0] - q[3]))


def mostly_vertical(quads: list[np.ndarray]) -> bool:
    """True when the elongated boxes run top-to-bottom: text lines of a card turned by 90 or 270°.

    Each box votes with its long side, so long lines outweigh single characters and specks.
    """
    vertical = horizontal = 0.0
    for q in quads:
        w, h = quad_extent(q)
        if h > 1.5 * w:
            vertical += h
        elif w > 1.5 * h:
            horizontal += w
    return vertical > horizontal


def pick_probe_quads(quads: list[np.ndarray], count: int) -> list[int]:
    """Indices of the longest clearly horizontal boxes: the lines whose 0/180 read is most reliable."""
    scored = []
    for i, q in enumerate(quads):
        w, h = quad_extent(q)
        if w >= 2.5 * h and h >= 8:
            scored.append((w, i))
    if not scored:
        scored = [(quad_extent(q)[0], i) for i, q in enumerate(quads)]
    return [i for _, i in sorted(scored, reverse=True)[:count]]
