"""Ruled tables: find the cells of a printed grid and cut the OCR lines along its rules.

Dense forms (the household register's 常住人口登记卡) print every label and every value in its own cell.
Text order alone cannot tell where one cell ends: a row read as one line (``未婚兵役状况未服兵役``), a label
misread beyond recognition, a value wrapped in two lines. The ruling lines can: they are long, straight
and dark, which text is not.

``find_grid`` looks at the photo in the page's coordinates (upright, deskewed: ``Page.to_image``), keeps
the ink that is dark in every colour channel (black print, not the red seals), opens it with a long
horizontal and a long vertical kernel (a character's strokes are shorter than a line height; a rule spans
its cell) and takes the enclosed regions as cells. ``cell_texts`` then gives each cell the characters of
the OCR lines whose centres fall in it, so a line crossing a rule is split at the rule.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from certscan.cards.text import compact
from certscan.ocr.recognize import crop_quad
from certscan.ocr.types import Line, Page, rect_quad


@dataclass
class Cell:
    index: int  # the cell's label in the component map
    x0: float
    y0: float
    x1: float
    y1: float
    # (row y, x, text, confidence, line height) of each piece of OCR line inside the cell
    parts: list[tuple[float, float, str, float, float]] = field(default_factory=list)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def text(self) -> str:
        """The cell's characters in reading order: parts grouped into text rows, each left to right."""
        rows: list[list[tuple[float, float, str, float, float]]] = []
        for part in sorted(self.parts):
            if rows and abs(part[0] - rows[-1][0][0]) < 0.5 * min(part[4], rows[-1][0][4]):
                rows[-1].append(part)
            else:
                rows.append([part])
        return "".join(p[2] for row in rows for p in sorted(row, key=lambda p: p[1]))

    @property
    def confidence(self) -> float:
        return min((p[3] for p in self.parts), default=0.0)


@dataclass
class Grid:
    cells: list[Cell]  # in page coordinates
    labels: np.ndarray  # component map over the view: pixel → cell index (0: a rule or outside every cell)
    origin: tuple[float, float] = (0.0, 0.0)  # the view's top-left corner in page coordinates
    scale: float = 1.0  # view pixels per page pixel

    def cell_index_at(self, x: float, y: float, reach: float) -> int:
        """The cell under page point (x, y), looking up and down by ``reach`` when it sits on a rule."""
        h, w = self.labels.shape
        xi = int(min(max((x - self.origin[0]) * self.scale, 0), w - 1))
        votes: Counter[int] = Counter()
        for dy in np.linspace(-reach, reach, 5):
            yi = int(min(max((y + dy - self.origin[1]) * self.scale, 0), h - 1))
            v = int(self.labels[yi, xi])
            if v:
                votes[v] += 1
        return votes.most_common(1)[0][0] if votes else 0

    def right_of(self, cell: Cell) -> Cell | None:
        """The cell sharing ``cell``'s right rule: starts near its right edge and overlaps its rows.
        (The gap is the rule's width as the mask drew it: a thick or blurred rule, widened to bridge its
        breaks, is a quarter of a row high in a sharp photo of a large page.)"""
        gap = max(6.0, 0.25 * cell.height)
        best = None
        for c in self.cells:
            overlap = min(c.y1, cell.y1) - max(c.y0, cell.y0)
            if c is cell or overlap < 0.5 * min(c.height, cell.height) or abs(c.x0 - cell.x1) > gap:
                continue
            if best is None or abs(c.cy - cell.cy) < abs(best.cy - cell.cy):
                best = c
        return best

    def rows(self) -> list[list[Cell]]:
        """Table rows top to bottom: chains of cells that share a rule, each from its leftmost cell.
        (Chained, not grouped by height: a photo taken at an angle tilts each row differently.)"""
        nxt = {c.index: self.right_of(c) for c in self.cells}
        has_left = {n.index for n in nxt.values() if n is not None}
        out: list[list[Cell]] = []
        for c in self.cells:
            if c.index in has_left:
                continue
            row, cur = [c], nxt[c.index]
            while cur is not None and cur not in row:
                row.append(cur)
                cur = nxt[cur.index]
            out.append(row)
        return sorted(out, key=lambda row: row[0].cy)

    def nested(self, cell: Cell) -> list[Cell]:
        """Cells drawn inside ``cell`` (the frame of a name stamp in a photocopy, where its red is grey)."""
        return [c for c in self.cells if c is not cell and c.x0 >= cell.x0 and c.x1 <= cell.x1
                and c.y0 >= cell.y0 and c.y1 <= cell.y1]

    def spans_rows(self, cell: Cell) -> bool:
        """True for a cell much taller than the table's typical cell: a lost rule merged it with the
        cells above or below, and its text is more than one value."""
        typical = float(np.median([c.height for c in self.cells]))
        return cell.height > 1.6 * typical

    def by_index(self, index: int) -> Cell:
        return next(c for c in self.cells if c.index == index)

    def clear(self) -> None:
        for c in self.cells:
            c.parts.clear()


def page_view(image: np.ndarray, page: Page, origin: tuple[float, float], size: tuple[int, int],
              scale: float) -> np.ndarray:
    """The photo resampled into the page's (upright, deskewed) coordinates: the region from ``origin``
    of ``size`` (view pixels), at ``scale`` view pixels per page pixel."""
    to_image = page.to_image if page.to_image is not None else np.array([[1, 0, 0], [0, 1, 0]], np.float64)
    m = np.asarray(to_image, dtype=np.float64)
    # view (u, v) → page (origin + (u, v) / scale) → image
    lin = m[:, :2] / scale
    off = m[:, :2] @ np.asarray(origin, dtype=np.float64) + m[:, 2]
    return cv2.warpAffine(image, np.hstack([lin, off[:, None]]), size,
                          flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)


def _row_pitch(horiz: np.ndarray) -> float | None:
    """The typical distance between the long horizontal rules (a table row's height), if there are any."""
    n, _, stats, centroids = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    ys = sorted(float(centroids[i][1]) for i in range(1, n) if stats[i][2] > 0.3 * horiz.shape[1])
    gaps = [b - a for a, b in itertools.pairwise(ys) if b - a > 3]
    return float(np.median(gaps)) if gaps else None


def _rules(view: np.ndarray, line_h: float) -> np.ndarray:
    """Mask of the long straight dark strokes: horizontal ink runs over ~2.5 line heights, vertical ones
    over ~0.6 of a table row (a character's strokes are shorter; a rule spans its cell).

    Black print is dark in every channel; seal red is bright in red, so the brightest channel keeps
    the rules and drops the seals. A light blur first keeps noise from breaking a thin rule."""
    gray = view.max(axis=2) if view.ndim == 3 else view
    gray = cv2.GaussianBlur(gray, (3, 3), 0)
    block = max(15, int(2 * line_h) | 1)
    dark = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 10)
    hk = max(9, int(2.5 * line_h))
    # Thicken across the rule first, so a slightly tilted rule (perspective) stays under the kernel.
    horiz = cv2.dilate(dark, np.ones((3, 1), np.uint8))
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hk, 1)))
    pitch = _row_pitch(horiz)
    vk = max(7, int(0.6 * pitch if pitch else 1.3 * line_h))
    vert = cv2.dilate(dark, np.ones((1, 3), np.uint8))
    vert = cv2.morphologyEx(vert, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vk)))
    # Bridge the small breaks left along a rule.
    horiz = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, hk // 3), 1)))
    vert = cv2.dilate(vert, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, vk // 3))))
    return cv2.bitwise_or(horiz, vert)


def find_grid(image: np.ndarray, page: Page, min_cells: int = 6, text_px: float = 30.0) -> Grid | None:
    """The ruled cells of the page, or None when the page shows no table.

    The page is looked at around its text, scaled so a line is about ``text_px`` high: a small
    document in a large photo has rules a pixel wide, too thin to survive the morphology."""
    heights = [ln.height for ln in page.lines if len(compact(ln.text)) >= 2]
    if not heights:
        return None
    line_h = float(np.median(heights))
    scale = min(3.0, max(1.0, text_px / line_h))
    tx0, ty0 = min(ln.x0 for ln in page.lines), min(ln.y0 for ln in page.lines)
    tx1, ty1 = max(ln.x1 for ln in page.lines), max(ln.y1 for ln in page.lines)
    # Cells run well past their text (a short value in a wide cell): keep a generous margin.
    margin = max(3 * line_h, 0.5 * max(tx1 - tx0, ty1 - ty0))
    x0, y0 = max(0.0, tx0 - margin), max(0.0, ty0 - margin)
    x1, y1 = min(float(page.width), tx1 + margin), min(float(page.height), ty1 + margin)
    size = (max(1, int((x1 - x0) * scale)), max(1, int((y1 - y0) * scale)))
    view_h = line_h * scale
    grid = _rules(page_view(image, page, (x0, y0), size, scale), view_h)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_not(grid), connectivity=4)
    h, w = grid.shape
    cells: list[Cell] = []
    for i in range(1, n):
        x, y, cw, ch, area = (int(v) for v in stats[i])
        if x == 0 or y == 0 or x + cw >= w or y + ch >= h:
            continue  # the background around the table
        if ch < 0.5 * view_h or cw < 0.8 * view_h or area < 0.5 * cw * ch or ch > 8 * view_h:
            continue  # a gap inside a character, or no cell
        cells.append(Cell(i, x0 + x / scale, y0 + y / scale, x0 + (x + cw) / scale, y0 + (y + ch) / scale))
    if len(cells) < min_cells:
        return None
    keep = np.zeros(n, dtype=np.int32)
    for c in cells:
        keep[c.index] = c.index
    found = Grid(cells, keep[labels], (x0, y0), scale)
    _split_merged(found)
    _join_cut_through_text(found, page.lines, line_h)
    return found


def _split_merged(grid: Grid) -> None:
    """Cut a cell rows high along the rules its neighbours show: a rule lost across one column (blur
    or a faint print thins it under the threshold) merges that column's cells of several rows into
    one, while the column beside it still has them apart. The cut runs half way between two of the
    neighbour cells; the component map is relabelled to match."""
    typical = float(np.median([c.height for c in grid.cells]))
    next_index = int(grid.labels.max()) + 1
    gap = max(6.0, 0.25 * typical)  # how far a neighbour's edge may be from the merged cell's
    for cell in list(grid.cells):
        if cell.height <= 1.6 * typical:
            continue
        for side in ("left", "right"):
            beside = sorted((c for c in grid.cells if c is not cell and c.height < 1.3 * typical
                             and abs((c.x1 - cell.x0) if side == "left" else (c.x0 - cell.x1)) <= gap
                             and c.cy > cell.y0 and c.cy < cell.y1), key=lambda c: c.cy)
            covered = sum(c.height for c in beside)
            if len(beside) >= 2 and covered >= 0.8 * cell.height:
                break
        else:
            continue
        cuts = [(a.y1 + b.y0) / 2 for a, b in itertools.pairwise(beside)]
        bounds = [cell.y0, *cuts, cell.y1]
        grid.cells.remove(cell)
        for top, bottom in itertools.pairwise(bounds):
            part = Cell(next_index, cell.x0, top, cell.x1, bottom)
            v0 = round((top - grid.origin[1]) * grid.scale)
            v1 = round((bottom - grid.origin[1]) * grid.scale)
            band = grid.labels[max(0, v0): max(0, v1)]
            band[band == cell.index] = next_index
            grid.cells.append(part)
            next_index += 1


def _join_cut_through_text(grid: Grid, lines: Sequence[Line], line_h: float) -> None:
    """Join two cells one above the other, of one width, whose shared edge runs through the middle of
    a text line: a value filling its cell's width (a long address) looks like a horizontal rule to
    the kernel once blurred, and cuts its cell in two; a printed rule never runs through a line."""
    typical = float(np.median([c.height for c in grid.cells]))
    gap = max(6.0, 0.25 * typical)
    single = [ln for ln in lines if ln.height <= 1.5 * line_h]  # a box across two rows has a rule inside
    stacked = [(a, b) for a in grid.cells for b in grid.cells if a is not b and abs(b.y0 - a.y1) <= gap
               and abs(b.x0 - a.x0) <= gap and abs(b.x1 - a.x1) <= gap]
    for above, below in stacked:
        if above not in grid.cells or below not in grid.cells:
            continue  # joined already
        edge = (above.y1 + below.y0) / 2
        width = above.x1 - above.x0
        # only a line across most of the cell looks like a rule (a speck of seal on a real rule does not)
        if not any(abs(edge - ln.cy) <= 0.25 * ln.height and min(ln.x1, above.x1) - max(ln.x0, above.x0)
                   >= max(0.5 * (ln.x1 - ln.x0), 0.6 * width) for ln in single):
            continue
        grid.labels[grid.labels == below.index] = above.index
        above.x0, above.x1, above.y1 = min(above.x0, below.x0), max(above.x1, below.x1), below.y1
        grid.cells.remove(below)


def _char_weights(text: str) -> list[float]:
    return [1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text]


def _snap_to_labels(text: str, runs: list[tuple[int, str]], captions: Sequence[str]) -> list[tuple[int, str]]:
    """Move each cut between two cells onto the nearest end or start of a caption within 2 characters:
    character positions along a line are estimates (digits are narrower in some fonts than others),
    the caption's own characters are not (``公民身份证件编号3|7048…`` → ``公民身份证件编号|37048…``)."""
    if len(runs) < 2 or not captions:
        return runs
    cuts = []
    pos = 0
    for _, part in runs[:-1]:
        pos += len(part)
        best = None
        for p in range(max(1, pos - 2), min(len(text) - 1, pos + 2) + 1):
            at_caption = any(text.endswith(c, 0, p) or text.startswith(c, p) for c in captions)
            if at_caption and (best is None or abs(p - pos) < abs(best - pos)):
                best = p
        cuts.append(best if best is not None else pos)
    bounds = [0, *cuts, len(text)]
    if any(a >= b for a, b in itertools.pairwise(bounds)):
        return runs
    return [(idx, text[a:b]) for (idx, _), a, b in zip(runs, bounds, bounds[1:], strict=False)]


def assign_lines(grid: Grid, lines: list[Line], captions: Sequence[str] = ()) -> list[Line]:
    """Put every character of ``lines`` into the cell under it (split where a line crosses a rule, at a
    caption's edge when one is that close); returns the lines that fell in no cell (titles, text
    outside the table)."""
    by_index = {c.index: c for c in grid.cells}
    outside: list[Line] = []
    for ln in lines:
        text = compact(ln.text)
        if not text:
            continue
        box = np.asarray(ln.box, dtype=np.float32)
        left, right = (box[0] + box[3]) / 2, (box[1] + box[2]) / 2
        # The detector's box reaches past the glyphs (unclipped by about a third of the line height on
        # each side): the characters lie between the inset ends.
        length = float(np.linalg.norm(right - left))
        if length > 2 * ln.height:
            inset = (right - left) * (0.3 * ln.height / length)
            left, right = left + inset, right - inset
        weights = _char_weights(text)
        total = sum(weights)
        runs: list[tuple[int, str]] = []
        acc = 0.0
        for ch, wt in zip(text, weights, strict=True):
            t = (acc + wt / 2) / total
            acc += wt
            x, y = left + t * (right - left)
            idx = grid.cell_index_at(float(x), float(y), 0.3 * ln.height)
            if runs and runs[-1][0] == idx:
                runs[-1] = (idx, runs[-1][1] + ch)
            else:
                runs.append((idx, ch))
        # A character whose centre fell on a rule belongs with its neighbours on the line.
        for i, (idx, part) in enumerate(runs):
            if idx == 0 and len(runs) > 1:
                near = runs[i - 1][0] if i > 0 and runs[i - 1][0] else runs[(i + 1) % len(runs)][0]
                runs[i] = (near, part)
        merged: list[tuple[int, str]] = []
        for idx, part in runs:
            if merged and merged[-1][0] == idx:
                merged[-1] = (idx, merged[-1][1] + part)
            else:
                merged.append((idx, part))
        runs = _snap_to_labels(text, merged, captions)
        placed = False
        acc = 0.0
        for idx, part in runs:
            start = acc / total
            acc += sum(_char_weights(part))
            if idx == 0:
                continue
            x = float(left[0] + start * (right[0] - left[0]))
            by_index[idx].parts.append((ln.cy, x, part, ln.confidence, ln.height))
            placed = True
        if not placed:
            outside.append(ln)
    return outside


def cell_crops(image: np.ndarray, page: Page, cells: Sequence[Cell], min_ink: float = 0.01,
               without_red: bool = False) -> list[np.ndarray | None]:
    """Each cell's black ink cut from the photo (RGB): inside its rules, trimmed to the black ink with
    a margin, so a short value in a wide cell (or beside a red seal) fills the recogniser's view as a
    detected line would; None for a cell without black ink (blank, or only a red seal: the brightest
    channel is judged, as for the rules). ``without_red`` gives the brightest channel as grey: a red
    seal's strokes across the print turn light, black print stays dark."""
    out: list[np.ndarray | None] = []
    for c in cells:
        pad = 0.04 * c.height
        quad = rect_quad(c.x0 + pad, c.y0 + pad, c.x1 - pad, c.y1 - pad)
        crop = crop_quad(image, page.image_points(quad))
        bright = crop.max(axis=2).astype(np.float32)
        ink = bright < float(np.median(bright)) - 60
        if not crop.size or not ink.any() or float(ink.mean()) < min_ink:
            out.append(None)
            continue
        ys, xs = np.nonzero(ink)
        margin = max(3, int(0.3 * (ys.max() - ys.min() + 1)))
        if without_red:
            crop = np.repeat(crop.max(axis=2, keepdims=True), 3, axis=2)
        out.append(np.ascontiguousarray(crop[max(0, ys.min() - margin): ys.max() + margin + 1,
                                             max(0, xs.min() - margin): xs.max() + margin + 1]))
    return out
