"""Label-anchored field extraction for dense documents (business licenses, household register pages).

Builds on ``certscan.cards.layout``: the page's OCR lines are cut into *pieces*, each either a label
(a known caption such as 名称 or 经营范围) or value text. OCR returns a printed ``label value`` pair in
any of three shapes, all handled here:

- one line holding both (``法定代表人陈爱明``): split after the label;
- a letter-spaced label broken into boxes (``名`` | ``称深圳市…``): fragments that begin a label are joined
  with the boxes after them on the same row before matching;
- two columns read as one line (``类型有限责任公司成立日期2021年…``): split again at an exact label of three
  or more characters (not after prose punctuation), with x positions interpolated along the line.

A label's value is the text after it in its piece, else the next value piece to its right on the row
(never across another label), plus, for multi-line fields, the value pieces below it in its column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from certscan.cards.layout import group_rows, match_label
from certscan.cards.text import compact, strip_punct
from certscan.ocr.types import Line, Page, rect_quad

_NUMBERED = re.compile(r"\d{1,2}[.、](?!\d)")  # a numbered notice item: prose
_LEADING_PUNCT = re.compile(r"^[\s:：;；,，.。·'\"`_\-」』】》\]|]+")


@dataclass
class Piece:
    text: str  # compact text of the piece (label included for a label piece)
    x0: float
    x1: float
    y0: float
    y1: float
    lines: list[Line] = field(default_factory=list)
    key: str | None = None  # the field a label piece introduces
    label_len: int = 0  # characters of ``text`` that are the label

    @property
    def height(self) -> float:
        return max(1.0, self.y1 - self.y0)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def rest(self) -> str:
        """The value text after the label (leading colons dropped; closing punctuation kept).

        One or two stray Latin marks after a caption (``经营范围X``: a speck read as a letter) are no value.
        """
        rest = _LEADING_PUNCT.sub("", self.text[self.label_len :])
        return "" if re.fullmatch(r"[A-Za-z|/\\]{1,2}", rest) else rest


def _char_width(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.55


def _x_at(text: str, index: int, x0: float, x1: float) -> float:
    """Interpolated x of character ``index`` of a line's compact text (CJK full width, others ~half)."""
    total = sum(_char_width(c) for c in text) or 1.0
    return x0 + (x1 - x0) * sum(_char_width(c) for c in text[:index]) / total


class LabelSet:
    """The captions of one document type: label text → field key, matched longest and most exact first."""

    def __init__(self, labels: Mapping[str, Iterable[str]], fuzzy_min: int = 4, inner_min: int = 3) -> None:
        self.by_label: dict[str, str] = {lab: key for key, labs in labels.items() for lab in labs}
        self.fuzzy_min = fuzzy_min  # shorter labels must match exactly (2-char captions are common words)
        self.inner_min = inner_min  # shorter labels never split a line (住所 may be part of an address)

    def match_start(self, text: str, loose: bool = True) -> tuple[str, str, int] | None:
        """(key, label, end) of the label that best begins ``text``: fewest edits, then longest label.

        ``loose`` allows one edit in a short caption standing alone; the caller turns it off where the
        text must be a value (right of a label still waiting for its value).
        """
        best: tuple[int, int, str, str, int] | None = None
        for label, key in self.by_label.items():
            # A short caption is matched loosely only when it stands alone (a table's label cell: ``籍贯``
            # read as ``范贯``); inside running text one wrong char of two would match too much.
            # No caption holds a digit: ``5号`` alone on a row is an address's wrapped end, not 编号.
            fuzzy = len(label) >= self.fuzzy_min or (
                loose and 2 <= len(text) <= len(label) and len(text) >= len(label) - 1
                and not any(c.isdigit() for c in text)
            )
            for errors in (0, 1) if fuzzy else (0,):
                end = match_label(text, label, errors)
                if end is None or (errors and end < len(label) - 1):
                    continue
                if errors and len(text) == len(label):
                    # as long as the caption and one character off: the caption with a character misread
                    # (姓荐, 出生理), not a shorter one followed by a one-character value
                    end = len(text)
                rank = (errors, -len(label))
                if best is None or rank < best[:2]:
                    best = (errors, -len(label), key, label, end)
                break
        return None if best is None else (best[2], best[3], best[4])

    def is_fragment(self, text: str) -> bool:
        """True when ``text`` is a proper beginning of some label (``名``, ``法定代``) and no label itself."""
        return bool(text) and any(lab.startswith(text) and lab != text for lab in self.by_label)

    def inner_hits(self, text: str, start: int) -> list[tuple[int, str, str]]:
        """(position, key, label) of exact labels of ``inner_min``+ chars inside ``text`` after ``start``."""
        hits: list[tuple[int, str, str]] = []
        for label, key in self.by_label.items():
            if len(label) < self.inner_min:
                continue
            pos = text.find(label, start)
            prose = re.search(r"[，。；、,;]", text[:pos]) or _NUMBERED.match(text)
            if pos > start and (prose or text[pos - 1] == "的"):
                continue  # a caption's words inside prose (1.主体的经营范围…), not a caption
            if pos > start and not any(p <= pos < p + len(lab) for p, _, lab in hits):
                hits.append((pos, key, label))
        # keep the longest label at a position (经营范围 vs 经营范围及方式)
        hits.sort(key=lambda h: (h[0], -len(h[2])))
        out: list[tuple[int, str, str]] = []
        for hit in hits:
            if not out or hit[0] >= out[-1][0] + len(out[-1][2]):
                out.append(hit)
        return out


def _join_fragments(row: list[Line], labels: LabelSet) -> list[tuple[str, list[Line]]]:
    """Row lines left to right, with label fragments glued to what follows them."""
    out: list[tuple[str, list[Line]]] = []
    pending: tuple[str, list[Line]] | None = None
    for ln in row:
        text = compact(ln.text)
        if pending is not None:
            text, group = pending[0] + text, [*pending[1], ln]
            pending = None
        else:
            group = [ln]
        if labels.is_fragment(text):
            pending = (text, group)
            continue
        out.append((text, group))
    if pending is not None:
        out.append(pending)
    return out


def split_vertical(line: Line) -> list[Line]:
    """A box much taller than wide holding several characters is a column of letter-spaced label
    characters the detector joined across rows (``名`` over ``住``): one line per character."""
    n = len(compact(line.text))
    width, height = line.x1 - line.x0, line.height
    if n < 2 or height < 1.6 * width or height < 1.5 * n * width / 2:
        return [line]
    step = height / n
    out = []
    for i, ch in enumerate(compact(line.text)):
        y0 = line.y0 + i * step
        box = rect_quad(line.x0, y0, line.x1, y0 + step)
        out.append(Line(text=ch, box=box, confidence=line.confidence))
    return out


def pieces(page: Page | Sequence[Line], labels: LabelSet) -> list[Piece]:
    """The page cut into label and value pieces, rows top to bottom, left to right."""
    out: list[Piece] = []
    lines = [part for ln in (page.lines if isinstance(page, Page) else page) for part in split_vertical(ln)]
    for row in group_rows(lines):
        waiting = False  # the previous piece on this row is a label without its value yet
        for text, group in _join_fragments(row, labels):
            if not text:
                continue
            x0, x1 = min(ln.x0 for ln in group), max(ln.x1 for ln in group)
            y0, y1 = min(ln.y0 for ln in group), max(ln.y1 for ln in group)
            start = labels.match_start(text, loose=not waiting)
            cuts: list[tuple[int, str | None, int]] = []  # (position, key, label length)
            if start is not None:
                cuts.append((0, start[0], start[2]))
            else:
                cuts.append((0, None, 0))
            for pos, inner_key, label in labels.inner_hits(text, cuts[0][2]):
                cuts.append((pos, inner_key, len(label)))
            for i, (pos, key, n) in enumerate(cuts):
                end = cuts[i + 1][0] if i + 1 < len(cuts) else len(text)
                part = text[pos:end]
                if part:
                    px0, px1 = _x_at(text, pos, x0, x1), _x_at(text, end, x0, x1)
                    out.append(Piece(part, px0, px1, y0, y1, group, key, n))
            waiting = out[-1].key is not None and not out[-1].rest
    return out


def same_row(a: Piece, b: Piece) -> bool:
    inter = min(a.y1, b.y1) - max(a.y0, b.y0)
    return inter >= 0.5 * min(a.height, b.height)


class Fields:
    """Values of labelled fields over a list of pieces."""

    def __init__(self, parts: list[Piece], bound_depth: float = 12.0) -> None:
        self.parts = parts
        self.labels = [p for p in parts if p.key is not None]
        # How far below a label (in its line heights) a label further right still ends its value's column:
        # free-form pages indent whole columns; in a ruled table only the label on the same row does.
        self.bound_depth = bound_depth

    def label(self, key: str) -> Piece | None:
        return next((p for p in self.labels if p.key == key), None)

    def right_bound(self, anchor: Piece) -> float:
        """Where the anchor's value column ends: the nearest label right of it on its rows below."""
        h = anchor.height
        xs = [
            p.x0
            for p in self.labels
            if p is not anchor
            and p.x0 > anchor.x1 + 2 * h
            and anchor.y0 - 0.5 * h <= p.cy <= anchor.y1 + self.bound_depth * h
        ]
        return min(xs, default=float("inf"))

    def value_pieces(self, key: str, multiline: bool = False, max_lines: int = 12) -> list[Piece]:
        """The value text pieces of ``key``: in its own piece or right of it, then lines below (multiline)."""
        anchor = self.label(key)
        if anchor is None:
            return []
        bound = self.right_bound(anchor)
        first: list[Piece] = []
        # A caption's box that swallowed the first character of the value box beside it (``注册资本壹`` |
        # ``壹拾万元整``): that value box is the value, not the character.
        overlapped = anchor.rest and len(anchor.rest) <= 2 and any(
            p.key is None and same_row(anchor, p) and anchor.x1 - 2 * anchor.height < p.x0 < anchor.x1
            for p in self.parts
        )
        if anchor.rest and not overlapped:
            vx = _x_at(anchor.text, anchor.label_len, anchor.x0, anchor.x1)
            first.append(Piece(anchor.rest, vx, anchor.x1, anchor.y0, anchor.y1, anchor.lines))
        else:
            row = sorted(
                (
                    p
                    for p in self.parts
                    if p.key is None
                    and same_row(anchor, p)
                    and p.x0 >= anchor.x1 - anchor.height
                    and p.x0 < bound
                ),
                key=lambda p: p.x0,
            )
            first.extend(row[:1])
        if not multiline or not first:
            return first
        col_x0, h = first[0].x0, anchor.height
        column_labels = [
            p
            for p in self.labels
            if p is not anchor and p.cy > anchor.y1 and anchor.x0 - 1.5 * h <= p.x0 < col_x0 + 3 * h
        ]
        out, last = list(first), first[0]
        below = sorted((p for p in self.parts if p.cy > last.y1 and p.x0 < bound), key=lambda p: p.y0)
        for p in below:
            if len(out) >= max_lines:
                break
            if p in column_labels or any(same_row(p, lab) for lab in column_labels):
                break  # the next label of this column, or the value printed beside it
            if p.x0 < anchor.x0 - 1.5 * h or p.x1 < col_x0 or p.x0 > col_x0 + 3 * h:
                continue  # another column further left, or text right of this column's left edge
            if p.y0 - last.y1 > 1.2 * h:
                break
            if p.key is not None:
                break
            out.append(p)
            last = p
        return out

    def slope(self, anchor: Piece) -> float:
        """dy/dx of the text rows around ``anchor``: the median direction of the longer lines within a few
        rows of it. The engine removes the page's rotation; a photo taken at an angle (perspective)
        still tilts rows differently across the page, and a wide table row needs its own tilt."""
        seen: set[int] = set()
        angles = []
        for p in self.parts:
            for ln in p.lines:
                if id(ln) in seen or len(compact(ln.text)) < 4 or abs(ln.cy - anchor.cy) > 4 * anchor.height:
                    continue
                seen.add(id(ln))
                (x0, y0), (x1, y1) = ln.box[0], ln.box[1]
                if x1 - x0 > 2 * ln.height:
                    angles.append(float((y1 - y0) / (x1 - x0)))
        return float(np.median(angles)) if angles else 0.0

    def cell_pieces(self, key: str) -> list[Piece]:
        """The value of ``key`` in a ruled table: every value piece in the label's row band (half way to
        the label rows above and below), right of the label and left of the next label on its row,
        in reading order. A value wrapped inside its cell is one or two lines above and below the
        label's centre line; rows are followed along their local tilt (``slope``)."""
        anchor = self.label(key)
        if anchor is None:
            return []
        h, k = anchor.height, self.slope(anchor)

        def dy(p: Piece) -> float:  # vertical offset from the anchor's row line at p's centre
            return p.cy - (anchor.cy + k * ((p.x0 + p.x1) / 2 - (anchor.x0 + anchor.x1) / 2))

        above = [-dy(p) for p in self.labels if -dy(p) > 0.8 * h]
        below = [dy(p) for p in self.labels if dy(p) > 0.8 * h]
        top = -min(min(above, default=3 * h) / 2, 2 * h)
        bottom = min(min(below, default=3 * h) / 2, 2 * h)
        bound = min(
            (p.x0 for p in self.labels if p is not anchor and abs(dy(p)) < 0.5 * h and p.x0 > anchor.x1),
            default=float("inf"),
        )
        out: list[Piece] = []
        if anchor.rest:
            vx = _x_at(anchor.text, anchor.label_len, anchor.x0, anchor.x1)
            out.append(Piece(anchor.rest, vx, anchor.x1, anchor.y0, anchor.y1, anchor.lines))
        start = out[0].x1 - h if out else anchor.x1 - h
        for p in self.parts:
            if (
                p.key is None
                and top <= dy(p) <= bottom
                and p.x0 < bound
                and (p.x0 >= start or (out and abs(dy(p)) > 0.5 * h and p.x0 >= out[0].x0 - h))
            ):
                out.append(p)
        # Ink that is no value: a faint short read (characters of a seal stamped across the cell), and
        # text far right of the label with nothing before it (the seal again, or a neighbouring cell).
        out = [
            p for p in out if len(p.text) > 2 or min((ln.confidence for ln in p.lines), default=1.0) >= 0.6
        ]
        rows: list[list[Piece]] = []
        for p in sorted(out, key=dy):
            if rows and abs(dy(p) - dy(rows[-1][0])) < 0.5 * min(p.height, rows[-1][0].height):
                rows[-1].append(p)
            else:
                rows.append([p])
        ordered = [p for row in rows for p in sorted(row, key=lambda p: p.x0)]
        cell_right = bound if bound < float("inf") else max((p.x1 for p in self.parts), default=anchor.x1)
        if ordered and min(p.x0 for p in ordered) - anchor.x1 > max(4 * h, 0.45 * (cell_right - anchor.x1)):
            return []  # values start at the left of their cell
        return ordered

    def cell(self, key: str) -> str:
        return strip_punct("".join(p.text for p in self.cell_pieces(key)))

    def value(self, key: str, multiline: bool = False, max_lines: int = 12, keep_end: bool = False) -> str:
        """The value's text; ``keep_end`` keeps closing punctuation of the value (经营范围 ends in 。)."""
        text = "".join(p.text for p in self.value_pieces(key, multiline, max_lines))
        return _LEADING_PUNCT.sub("", text) if keep_end else strip_punct(text)
