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


SEAL_EXCESS = 20.0  # red excess above the crop's paper that marks a pixel as seal ink
UNDER_INK = 0.65  # a pixel whose red channel is below this share of the paper's is black print (kept)


def seal_mask(crop: np.ndarray) -> np.ndarray:
    """The pixels of ``crop`` (RGB) inked by a red seal only. Seal ink keeps the paper's red channel while
    black print, also where the two overlap, is dark in all three: a pixel is seal ink when it is clearly
    redder than the crop's paper (its median, so a warm colour cast counts as paper) and bright in red."""
    if crop.ndim != 3 or crop.shape[2] < 3 or crop.size == 0:
        return np.zeros(crop.shape[:2], dtype=bool)
    rgb = crop[..., :3].astype(np.float32)
    excess = rgb[..., 0] - np.maximum(rgb[..., 1], rgb[..., 2])
    bright_red = rgb[..., 0] > UNDER_INK * float(np.percentile(rgb[..., 0], 90))
    return (excess > float(np.median(excess)) + SEAL_EXCESS) & bright_red


def seal_share(crop: np.ndarray) -> float:
    """The share of ``crop``'s pixels inked by a red seal (0 for a grey or empty crop)."""
    return float(seal_mask(crop).mean()) if crop.size else 0.0


def without_seal(crop: np.ndarray) -> np.ndarray:
    """``crop`` (RGB) with the seal's red ink painted over in the paper's colour, for recognition of the
    black print it covers."""
    seal = seal_mask(crop)
    if not seal.any():
        return crop
    rgb = crop[..., :3].astype(np.float32)
    luma = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    paper_pixels = ~seal & (luma >= float(np.median(luma)))
    if not paper_pixels.any():
        return crop
    out = crop.copy()
    out[seal, :3] = np.median(rgb[paper_pixels], axis=0).astype(crop.dtype)
    return out
