"""Geometry helpers over an OCR Page: find a label, the value beside it, the lines below it, rows.

Cards print ``label value`` pairs; OCR returns them either as two boxes on one row (``姓名`` | ``徐乐``) or
merged into one line (``姓名徐乐``), with labels sometimes misread by a character (``娃名``). These helpers
cover all three so parsers can say "the text right of 姓名" instead of regex-matching all text joined.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from certscan.cards.text import compact, strip_punct
from certscan.ocr.types import Line, Page

Lines = Sequence[Line]


def _lines(source: Page | Lines) -> list[Line]:
    return list(source.lines if isinstance(source, Page) else source)


def default_errors(label: str) -> int:
    """Edits tolerated when matching a label: none for 1 char, 1 up to 4 chars, then 1 per 3 chars."""
    n = len(label)
    return 0 if n <= 1 else 1 if n <= 4 else n // 3


def match_label(text: str, label: str, max_errors: int | None = None, anywhere: bool = False) -> int | None:
    """Where ``label`` ends in ``text`` (an index into ``compact(text)``), or None.

    Approximate (Levenshtein) match of the whole label against a prefix of the text (or, with
    ``anywhere``, any substring), allowing ``max_errors`` edits. At least one label character must
    match exactly so an unrelated short line never matches a 2-char label.
    """
    s = compact(text)
    k = default_errors(label) if max_errors is None else max_errors
    if not anywhere:
        if k == 0:
            return len(label) if label and s.startswith(label) else None
        # A prefix longer than the label by more than k chars costs more than k edits: the rest of a long
        # line cannot change the answer (parsers try ~50 captions on every line: this was 17 % of a scan).
        s = s[:len(label) + k]
    n, m = len(label), len(s)
    if n == 0 or m == 0:
        return None
    # prev[j]: edits to match label[:i] ending at s[:j]
    prev = [0] * (m + 1) if anywhere else list(range(m + 1))
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        for j in range(1, m + 1):
            cost = 0 if label[i - 1] == s[j - 1] else 1
            cur[j] = min(prev[j - 1] + cost, prev[j] + 1, cur[j - 1] + 1)
        prev = cur
    best_end, best_cost = None, k + 1
    for j in range(1, m + 1):
        # Fewest edits; on a tie the shortest span, so a dropped label char does not eat the value.
        if prev[j] < best_cost:
            best_end, best_cost = j, prev[j]
    if best_end is None or best_cost >= n:
        return None
    return best_end


@dataclass
class LabelHit:
    line: Line
    label: str
    end: int  # index into compact(line.text) just past the label
    errors: int = 0

    @property
    def rest(self) -> str:
        """Text merged into the label's own line after the label (``姓名徐乐`` → ``徐乐``)."""
        return strip_punct(compact(self.line.text)[self.end:])


def find_label(source: Page | Lines, labels: str | Iterable[str], max_errors: int | None = None,
               anywhere: bool = False) -> LabelHit | None:
    """The first line (reading order) that starts with (or contains) one of ``labels``.

    Exact matches win over fuzzy ones anywhere on the page.
    """
    wanted = [labels] if isinstance(labels, str) else list(labels)
    lines = _lines(source)
    for exact in (True, False):
        for line in lines:
            for label in wanted:
                end = match_label(line.text, label, 0 if exact else max_errors, anywhere)
                if end is not None:
                    return LabelHit(line=line, label=label, end=end, errors=0 if exact else 1)
    return None


def vertical_overlap(a: Line, b: Line) -> float:
    """Overlap of two lines' vertical extents, as a share of the shorter one (0..1)."""
    inter = min(a.y1, b.y1) - max(a.y0, b.y0)
    shorter = max(1.0, min(a.height, b.height))
    return max(0.0, inter) / shorter


def same_row(a: Line, b: Line, min_overlap: float = 0.5) -> bool:
    return vertical_overlap(a, b) >= min_overlap


def right_of(source: Page | Lines, anchor: Line, min_overlap: float = 0.5) -> list[Line]:
    """Lines on the anchor's row that start right of its centre, nearest first."""
    row = [ln for ln in _lines(source) if ln is not anchor and same_row(anchor, ln, min_overlap)
           and ln.cx > anchor.cx]
    return sorted(row, key=lambda ln: ln.x0)


def value_right_of(source: Page | Lines, labels: str | Iterable[str], max_errors: int | None = None,
                   stop_labels: Iterable[str] = ()) -> str:
    """The value printed right of a label: the rest of a merged line, else the nearest box on its row.

    ``stop_labels`` cut the value where the next label on the same line starts (``性别男民族汉``).
    """
    hit = find_label(source, labels, max_errors)
    if hit is None:
        return ""
    value = hit.rest
    if not value:
        nearest = right_of(source, hit.line)
        value = strip_punct(compact(nearest[0].text)) if nearest else ""
    return cut_at_labels(value, stop_labels)


def cut_at_labels(value: str, stop_labels: Iterable[str]) -> str:
    """``value`` up to the first exact occurrence of any of ``stop_labels``."""
    cut = len(value)
    for label in stop_labels:
        pos = value.find(label)
        if 0 <= pos < cut:
            cut = pos
    return strip_punct(value[:cut])


def _bounds(anchor: Line | Sequence[Line]) -> tuple[float, float, float, float]:
    lines = [anchor] if isinstance(anchor, Line) else list(anchor)
    return (min(ln.x0 for ln in lines), min(ln.y0 for ln in lines), max(ln.x1 for ln in lines),
            max(ln.y1 for ln in lines))


def lines_below(source: Page | Lines, anchor: Line | Sequence[Line], stop_labels: Iterable[str] = (),
                max_gap: float = 1.2, left_slack: float = 1.0) -> list[Line]:
    """Continuation lines under an anchor (a line or a row of lines) until a stop label or a gap.

    A continuation starts below the anchor within ``max_gap`` line heights of the previous line, not
    left of the anchor by more than ``left_slack`` line heights and not right of its end.
    """
    stops = list(stop_labels)
    ax0, _, ax1, ay1 = _bounds(anchor)
    anchors = [anchor] if isinstance(anchor, Line) else list(anchor)
    h = max(min(ln.height for ln in anchors), 1.0)
    lines = sorted((ln for ln in _lines(source) if ln.cy > ay1 and ln not in anchors), key=lambda ln: ln.y0)
    out: list[Line] = []
    bottom = ay1
    for ln in lines:
        if ln.y0 - bottom > max_gap * h:
            break
        if any(match_label(ln.text, s, 0) is not None for s in stops):
            break
        if ln.x0 < ax0 - left_slack * h or ln.x0 > ax1:
            continue  # another column: left of the value, or right of it (a portrait, a stamp)
        out.append(ln)
        bottom = max(bottom, ln.y1)
    return out


def merge_overlap(left: str, right: str) -> str:
    """Join two texts of overlapping boxes, dropping the longest suffix of ``left`` that starts ``right``.

    Detection sometimes cuts a row into two boxes that share a character (``住址安`` | ``安徽省``).
    """
    for k in range(min(len(left), len(right)), 0, -1):
        if left.endswith(right[:k]):
            return left + right[k:]
    return left + right


def row_value(source: Page | Lines, hit: LabelHit, stop_labels: Iterable[str] = ()) -> tuple[str, list[Line]]:
    """The whole value on a label's row: the merged rest plus the boxes right of it, and those lines."""
    text = hit.rest
    used = [hit.line]
    prev = hit.line
    for ln in right_of(source, hit.line):
        part = strip_punct(compact(ln.text))
        text = merge_overlap(text, part) if ln.x0 < prev.x1 else text + part
        used.append(ln)
        prev = ln
    return cut_at_labels(text, stop_labels), used


def group_rows(source: Page | Lines, min_overlap: float = 0.5) -> list[list[Line]]:
    """Lines grouped into rows (top to bottom), each row sorted left to right."""
    rows: list[list[Line]] = []
    for ln in sorted(_lines(source), key=lambda ln: ln.cy):
        for row in rows:
            if any(same_row(ln, other, min_overlap) for other in row):
                row.append(ln)
                break
        else:
            rows.append([ln])
    return [sorted(row, key=lambda ln: ln.x0) for row in rows]


def row_text(row: Lines) -> str:
    return "".join(compact(ln.text) for ln in sorted(row, key=lambda ln: ln.x0))


def value_below(source: Page | Lines, anchor: Line, max_gap: float = 2.0) -> Line | None:
    """The nearest line under ``anchor`` starting in its column (labels printed above their values)."""
    h = max(anchor.height, 1.0)
    below = [ln for ln in _lines(source) if ln is not anchor and ln.y0 > anchor.cy
             and ln.y0 - anchor.y1 < max_gap * h and anchor.x0 - 1.5 * h <= ln.x0 <= anchor.x1]
    return min(below, key=lambda ln: (ln.y0, ln.x0)) if below else None
