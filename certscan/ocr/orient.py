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

    Each box votes with the direction of its long side (whatever the corner order), weighted by its
    length, so long lines outweigh single characters and specks.
    """
    vertical = horizontal = 0.0
    for q in quads:
        a, b = q[1] - q[0], q[3] - q[0]
        la, lb = float(np.hypot(*a)), float(np.hypot(*b))
        long_edge, long_len, short_len = (a, la, lb) if la >= lb else (b, lb, la)
        if long_len < 1.5 * short_len:
            continue
        if abs(float(long_edge[1])) > abs(float(long_edge[0])):
            vertical += long_len
        else:
            horizontal += long_len
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


def skew_degrees(upright_quads: list[np.ndarray], max_skew: float = 30.0) -> float:
    """Residual clockwise tilt of the text (degrees): the length-weighted median of long lines' slopes."""
    angles: list[tuple[float, float]] = []
    for q in upright_quads:
        w, h = quad_extent(q)
        if w < 2.5 * h:
            continue
        dx, dy = float(q[1][0] - q[0][0]), float(q[1][1] - q[0][1])
        a = float(np.degrees(np.arctan2(dy, dx)))
        if abs(a) <= max_skew:
            angles.append((a, w))
    if not angles:
        return 0.0
    angles.sort()
    total = sum(wt for _, wt in angles)
    acc = 0.0
    for a, wt in angles:
        acc += wt
        if acc >= total / 2:
            return a
    return angles[-1][0]


def rotate_points(points: np.ndarray, degrees: float, centre: tuple[float, float]) -> np.ndarray:
    """``points`` turned clockwise (image coordinates, y down) by ``degrees`` about ``centre``."""
    if not degrees:
        return points.astype(np.float32)
    t = np.radians(degrees)
    c, s = np.cos(t), np.sin(t)
    p = points - np.asarray(centre, dtype=np.float32)
    out = np.stack([p[:, 0] * c - p[:, 1] * s, p[:, 0] * s + p[:, 1] * c], axis=1)
    return (out + np.asarray(centre, dtype=np.float32)).astype(np.float32)
