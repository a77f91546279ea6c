"""Ink colour of OCR lines: tell text stamped by a red seal from the black print it overlaps.

Licenses and household registers carry round red seals across their fields; OCR reads seal characters
as short lines in the middle of values. The engine reports lines in upright, deskewed page coordinates,
so a line's box is mapped back to the photo (``Page.image_points``: also right for a page read from a crop
or a turned copy) and the red excess of its ink
pixels, against the page's typical line, decides.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from certscan.ocr.types import Line, Page


def redness(image: np.ndarray, page: Page, line: Line) -> float:
    """Mean red excess (R minus the larger of G and B) of the line's ink pixels: those clearly darker
    than the paper around them. Black print scores near 0 (more under a warm colour cast), seal red
    near 100 or more."""
    quad = page.image_points(line.box)
    h, w = image.shape[:2]
    x0, y0 = (max(0, int(v)) for v in quad.min(axis=0))
    x1, y1 = int(min(w, quad[:, 0].max() + 1)), int(min(h, quad[:, 1].max() + 1))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return 0.0
    crop = image[y0:y1, x0:x1].astype(np.float32)
    luma = crop @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    ink = luma < float(np.median(luma)) - 35
    if int(ink.sum()) < 4:
        return 0.0
    excess = crop[..., 0] - np.maximum(crop[..., 1], crop[..., 2])
    return float(excess[ink].mean())


def drop_red_lines(image: np.ndarray, page: Page, margin: float = 45.0) -> Page:
    """``page`` without the lines inked in seal red: redder than the page's typical line by ``margin``
    (relative, so a warm colour cast over the whole photo removes nothing)."""
    if not page.lines:
        return page
    scores = [redness(image, page, ln) for ln in page.lines]
    typical = float(np.median(scores))
    kept = [ln for ln, r in zip(page.lines, scores, strict=True) if not (r > 50 and r - typical > margin)]
    return replace(page, lines=kept)  # the same page (its map to the input image too), fewer lines
