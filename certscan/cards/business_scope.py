"""经营范围's punctuation that wrapped onto the start of a line, where the detector leaves it out.

The scope is set as a justified block: when a line is full, the 。 (or ；) closing its last item is
pushed to the start of the next line (``…设计与施工`` | ``。（依法须经批准的项目…``). The detector's box
for that line then begins at the bracket: the small mark alone at the column's edge is no text to it,
and the item loses its full stop. Such a line starts visibly right of the column's left edge; it is read
again from that edge, all such lines in one recognition call, and a punctuation mark found there in
front of what was read is put back.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from certscan.cards.labelled import Fields, Piece
from certscan.ocr.engine import OcrEngine
from certscan.ocr.recognize import crop_quad
from certscan.ocr.types import Line, Page, rect_quad

ENDING_MARKS = "。；;，,、."  # a line before one of these already ends its item
MIN_INDENT = 0.5  # of a line's height: how far right of the column a line must start to be re-read
MIN_MARK_PROB = 0.5


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def wrapped_marks(parts: list[Piece], image: np.ndarray, page: Page, engine: OcrEngine) -> list[Piece]:
    """``parts`` (the scope's pieces in reading order) with a mark that wrapped to a line's start read
    back in front of that line's text."""
    if len(parts) < 3:
        return parts
    column = min(p.x0 for p in parts[1:])
    todo: list[int] = []
    crops: list[np.ndarray] = []
    for i in range(1, len(parts)):
        part, before = parts[i], parts[i - 1].text
        h = part.height
        if part.x0 < column + MIN_INDENT * h or not before or before[-1] in ENDING_MARKS:
            continue
        quad = rect_quad(column - 0.2 * h, part.y0, part.x1, part.y1)
        crop = crop_quad(image, page.image_points(quad))
        if min(crop.shape[:2]) >= 4:
            todo.append(i)
            crops.append(crop)
    if not todo:
        return parts
    out = list(parts)
    for i, read in zip(todo, engine.recognize(crops), strict=True):
        text, known = _fold(read.text), _fold(parts[i].text)
        mark = text[:1]
        sure = bool(read.chars) and read.chars[0].probs[0] >= MIN_MARK_PROB
        # the mark, then what the page read already began with (the re-read confirms the place)
        if mark and mark in _fold(ENDING_MARKS) and sure and known[:3] and text[1:4] == known[:3]:
            out[i] = replace(parts[i], text=read.text[:1] + parts[i].text)
    return out


def caption_spill(fields: Fields, key: str, captions: Sequence[str]) -> bool:
    """True when the value of ``key`` begins with its caption's last character, misread: the caption was
    matched without it (``经营范`` + ``国市场营销…``: 围 read 国, one edit from 经营范围)."""
    anchor = fields.label(key)
    parts = fields.value_pieces(key)
    if anchor is None or not parts or not parts[0].text:
        return False
    read = anchor.text[: anchor.label_len]
    return read not in captions and any(c[:-1] == read and parts[0].text[0] != c[-1] for c in captions)


PAUSE = "、"
UNSURE_STOP = 0.6  # a 。 read with less than this ...
PAUSE_ALTERNATIVE = 0.15  # ... and 、 offered at least this is the list's pause


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def pauses_read_as_stops(page: Page, lines: Sequence[Line]) -> Page:
    """``page`` with the 。 inside those of ``lines`` that carry the scope read as 、 where the recogniser
    was unsure between the two (``广告设计。制作、代理``: 。 0.44, 、 0.19): a 。 between two characters of
    one item is the list's pause. A sure 。, one before the bracket of the legal formula or ending a line
    is kept."""
    better: dict[int, Line] = {}
    for line in lines:
        text = line.text
        if "。" not in text or len(line.chars) != len(text):
            continue
        chars = list(text)
        for i, ch in enumerate(text):
            if ch != "。" or i == 0 or i + 1 >= len(text) or not (_cjk(text[i - 1]) and _cjk(text[i + 1])):
                continue
            cand = line.chars[i]
            offered = dict(zip(cand.chars, cand.probs, strict=True))
            if cand.probs[0] < UNSURE_STOP and offered.get(PAUSE, 0.0) >= PAUSE_ALTERNATIVE:
                chars[i] = PAUSE
        if chars != list(text):
            better[id(line)] = replace(line, text="".join(chars))
    if not better:
        return page
    return replace(page, lines=[better.get(id(ln), ln) for ln in page.lines])
