"""Field values read out of a ruled table (``table.Grid``): a caption's cell gives the value beside it,
and the printed form's rows (a template) place the values whose captions could not be read.

``table`` finds the cells and cuts the OCR lines along the rules; this module decides which cell holds
which field.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from certscan.cards.labelled import LabelSet
from certscan.cards.table import Cell, Grid, assign_lines
from certscan.cards.text import compact
from certscan.ocr.types import Line

_LEADING_PUNCT = re.compile(r"^[\s:：;；,，.。·'\"`_\-」』】》\]|]+")


def _faint(part: tuple[float, float, str, float, float], cell: Cell) -> bool:
    """A short read in low confidence: seal characters stamped across a cell, not its value. A short
    value (血型 O) is read faintly too, but it starts at the left of its cell."""
    if len(part[2]) > 2:
        return False
    return part[3] < 0.3 or (part[3] < 0.6 and part[1] - cell.x0 > 0.3 * (cell.x1 - cell.x0))


def _value_text(grid: Grid, cell: Cell) -> str:
    parts = cell.parts + [p for c in grid.nested(cell) for p in c.parts]
    kept = [p for p in parts if not _faint(p, cell)]
    if kept and min(p[1] for p in kept) - cell.x0 > 0.45 * (cell.x1 - cell.x0):
        return ""  # values are typed from the left of their cell; ink only far right is the seal's
    return Cell(cell.index, cell.x0, cell.y0, cell.x1, cell.y1, kept).text


def grid_values(grid: Grid, lines: list[Line], labels: LabelSet, template: Sequence[Sequence[str]] = (),
                cells: dict[str, Cell] | None = None) -> dict[str, str]:
    """Field values read cell by cell: a label cell's value is the text after the label in its own cell
    (``签发日期：2015年…``) or else the whole cell right of it. Keys whose cell is not clear (no cell
    beside the label, a cell claimed by two labels: a rule lost between two rows) are left out.

    ``template`` (rows of field keys, each a label cell followed by its value cell) places the values
    whose label cells could not be read, when the table has exactly that shape and the labels that
    were read sit where it says. ``cells`` receives each value's cell."""
    placed: dict[str, Cell] = {} if cells is None else cells
    grid.clear()
    assign_lines(grid, lines, list(labels.by_label))
    label_of: dict[int, str] = {}
    values: dict[str, str] = {}
    owner: dict[int, list[str]] = {}
    hits: dict[int, tuple[str, str, int]] = {}
    exact: set[int] = set()
    loose_source: dict[str, int] = {}  # key → the loosely matched caption cell its value was read beside
    ordered = sorted(grid.cells, key=lambda c: (c.cy, c.x0))
    # Exact captions first; the cell right of one holds a value, however much it looks like a caption
    # (汉族 is one character from 民族). Then captions misread by a character, among the other cells.
    for loose in (False, True):
        for cell in ordered:
            text = compact(cell.text)
            hit = labels.match_start(text, loose=loose)
            if cell.index in hits or hit is None or labels.inner_hits(text, hit[2]):
                continue
            if loose and any(grid.right_of(grid.by_index(i)) is cell for i in hits):
                continue
            hits[cell.index] = hit
            if not loose:
                exact.add(cell.index)
    for cell in ordered:
        if cell.index not in hits:
            continue
        key, _, end = hits[cell.index]
        label_of[cell.index] = key
        if key in values or key.startswith("_"):
            continue
        text = compact(cell.text)
        rest = _LEADING_PUNCT.sub("", text[end:])
        right = grid.right_of(cell)
        if rest:
            values[key] = rest
        elif right is not None and right.index not in hits and not grid.spans_rows(right):
            values[key] = _value_text(grid, right)
            placed[key] = right
            owner.setdefault(right.index, []).append(key)
        if key in values and cell.index not in exact:
            loose_source[key] = cell.index
    for keys in owner.values():
        if len(keys) > 1:
            for key in keys:
                values.pop(key, None)
                placed.pop(key, None)
    if template:
        # Only captions read exactly judge the template: a value one character from a caption does not.
        read_exactly = {i: k for i, k in label_of.items() if i in exact}
        _place_by_template(grid, template, read_exactly, values, placed, loose_source)
        _place_by_anchored_rows(grid, template, read_exactly, values, placed)
    return values


def _align(counts: Sequence[int], wanted: Sequence[int]) -> list[tuple[int, int]]:
    """Longest order-keeping pairing of table rows with template rows of the same cell count (a row the
    rules split or merged wrongly is skipped, not allowed to shift every row after it)."""
    n, m = len(counts), len(wanted)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            same = best[i + 1][j + 1] + 1 if counts[i] == wanted[j] else 0
            best[i][j] = max(same, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if counts[i] == wanted[j] and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def _label_cell_lost(row: list[Cell], label_of: dict[int, str]) -> bool:
    """A row whose second cell is a caption read exactly and whose first is none: the row's first
    caption cell is gone (covered, its rules unread), so its first cell is that caption's value."""
    return len(row) >= 3 and len(row) % 2 == 1 and row[1].index in label_of and row[0].index not in label_of


def _template_rows(grid: Grid, label_of: dict[int, str]) -> list[list[Cell | None]]:
    """The table's rows of two cells or more, a lost first caption cell put back as None."""
    return [[None, *row] if _label_cell_lost(row, label_of) else list(row)
            for row in grid.rows() if len(row) >= 2]


def _place_by_template(grid: Grid, template: Sequence[Sequence[str]], label_of: dict[int, str],
                       values: dict[str, str], placed: dict[str, Cell],
                       loose_source: dict[str, int] | None = None) -> None:
    """Values placed by the printed form's rows (``template``), when the table has its shape. A value
    read beside a caption matched loosely (``loose_source``: key → caption cell) where the form has
    another caption, or a value, is dropped first: a misread caption or value one character from a
    short caption (籍贯 or a name read as 静型 / 诗型, 血型's neighbours) gave a value to the wrong key,
    and the form's position gives it the right one."""
    rows = _template_rows(grid, label_of)
    pairs = _align([len(r) for r in rows], [2 * len(t) for t in template])
    # a short template must be found whole; a long one may miss a row or two (a rule lost between a
    # row and the next merges their cells: the 服务处所 row with a migration caption below it)
    spare = 0 if len(template) <= 4 else 1 if len(template) <= 8 else 2
    if len(pairs) < len(template) - spare or len(rows) - len(pairs) > 2:
        return  # too far from the printed form to place anything by position
    uses = Counter(c.index for row in rows for c in row if c is not None)
    read = [(label_of[c.index], template[t][j // 2]) for r, t in pairs for j, c in enumerate(rows[r])
            if c is not None and c.index in label_of]
    if any(j % 2 for r, _ in pairs for j, c in enumerate(rows[r]) if c is not None and c.index in label_of):
        return  # a label where the template has a value: another form
    if read and sum(a == b for a, b in read) < 0.8 * len(read):
        return
    by_cell = {index: key for key, index in (loose_source or {}).items()}
    for r, t in pairs:
        for j, c in enumerate(rows[r]):
            # a loose caption in a value's place (诗型 for 血型: the name) read a caption as its value
            misread = by_cell.get(c.index) if c is not None else None
            if misread is not None and (j % 2 or misread != template[t][j // 2]):
                values.pop(misread, None)
                placed.pop(misread, None)
    for r, t in pairs:
        if any(c is not None and label_of.get(c.index, template[t][j // 2]) != template[t][j // 2]
               for j, c in enumerate(rows[r])):
            continue  # this row's own caption says it is another row (the one above it lost its rules)
        for j, key in enumerate(template[t]):
            cell = rows[r][2 * j + 1]
            # a cell two rows lead to, or one rows high, lost a rule: its text is several values
            if cell is not None and key not in values and uses[cell.index] == 1 and not grid.spans_rows(cell):
                values[key] = _value_text(grid, cell)
                placed[key] = cell


def _place_by_anchored_rows(grid: Grid, template: Sequence[Sequence[str]], label_of: dict[int, str],
                            values: dict[str, str], placed: dict[str, Cell]) -> None:
    """Row by row, where the whole table is too far from the form to place by (a rule lost elsewhere):
    a row of a template row's cell count holding a caption read exactly where that template row has it,
    and no caption elsewhere, is that row; the values of its unread captions are placed by position
    (籍贯 unread beside 出生日期: the row's second cell is the hometown)."""
    rows = _template_rows(grid, label_of)
    uses = Counter(c.index for row in rows for c in row if c is not None)
    for row in rows:
        read = {j: label_of[c.index] for j, c in enumerate(row) if c is not None and c.index in label_of}
        if not read or any(j % 2 for j in read):
            continue
        fits = [t for t in template
                if 2 * len(t) == len(row) and all(t[j // 2] == key for j, key in read.items())]
        if len(fits) != 1:
            continue
        for j, key in enumerate(fits[0]):
            cell = row[2 * j + 1]
            if cell is not None and key not in values and uses[cell.index] == 1 and not grid.spans_rows(cell):
                values[key] = _value_text(grid, cell)
                placed[key] = cell
