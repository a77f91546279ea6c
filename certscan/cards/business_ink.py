"""Seal characters glued to the end of a black line of a business license.

The registration authority's round red seal (``…市场监督管理局``) is stamped over the bottom right of the
license, across the last lines of the address column. The detector can join a line's last characters with
seal characters beside them into one box (``年路31号商行政``): the line is black, so it survives
``drop_red_lines``, and the seal's characters become part of the value. Each character's ink colour,
along the line, tells them apart: a trailing run clearly redder than the line's start is cut off.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import numpy as np

from certscan.ocr.recognize import crop_quad
from certscan.ocr.types import Line, Page

RED_EXCESS = 50.0  # mean R - max(G, B) of a character's ink that is seal red (black print: near 0)
MARGIN = 40.0  # and this much redder than the line's own first characters


def _widths(text: str) -> list[float]:
    return [1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.55 for c in text]


def char_redness(image: np.ndarray, page: Page, line: Line) -> list[float]:
    """Red excess of each character's ink along ``line`` (positions interpolated by character width)."""
    strip = crop_quad(image, page.image_points(np.asarray(line.box, dtype=np.float32))).astype(np.float32)
    if strip.size == 0:
        return [0.0] * len(line.text)
    luma = strip @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    ink = luma < float(np.median(luma)) - 35
    excess = strip[..., 0] - np.maximum(strip[..., 1], strip[..., 2])
    widths = _widths(line.text)
    total, acc, out = sum(widths) or 1.0, 0.0, []
    w = strip.shape[1]
    for cw in widths:
        a, b = int(w * acc / total), max(int(w * (acc + cw) / total), int(w * acc / total) + 1)
        acc += cw
        mask = ink[:, a:b]
        out.append(float(excess[:, a:b][mask].mean()) if int(mask.sum()) >= 4 else 0.0)
    return out


def drop_red_tail(image: np.ndarray, page: Page, line: Line, min_run: int = 2) -> Line:
    """``line`` without a trailing run of ``min_run``+ seal-red characters after black ones."""
    text = line.text
    if len(text) < min_run + 2:
        return line
    red = char_redness(image, page, line)
    base = float(np.median(red[: max(2, len(red) // 3)]))
    cut = len(text)
    while cut > 0 and red[cut - 1] > RED_EXCESS and red[cut - 1] - base > MARGIN:
        cut -= 1
    if len(text) - cut < min_run or cut < 2:
        return line
    box = np.asarray(line.box, dtype=np.float32).copy()
    widths = _widths(text)
    frac = sum(widths[:cut]) / (sum(widths) or 1.0)
    box[1] = box[0] + (box[1] - box[0]) * frac
    box[2] = box[3] + (box[2] - box[3]) * frac
    chars = line.chars[:cut] if len(line.chars) == len(text) else line.chars
    return replace(line, text=text[:cut], box=box, chars=chars)


def drop_red_tails(image: np.ndarray, page: Page) -> Page:
    return replace(page, lines=[drop_red_tail(image, page, ln) for ln in page.lines])
