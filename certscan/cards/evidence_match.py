"""Finding a parsed field value among the lines the engine read: which characters, how sure, where.

The parsers return values, not positions, and normalise what they read (dates rewritten, separators
dropped, labels cut off, lines joined, characters repaired from the recogniser's alternatives). This module
works backwards from the value: it indexes every recognised character of every captured page, then

- dates (``YYYY-MM-DD``) are found by the printed forms a card uses (``2020年1月1日``, ``2020.01.01``,
  ``20200101``, ``01 JAN 2020`` / ``01 1月/JAN 2020``) and, failing those, as ``YYMMDD`` in an MRZ line;
  ``Long-term`` is found as 长期;
- everything else is matched literally, after NFKC, upper-casing, folding OCR look-alikes (O/0, I/1, ...)
  and dropping spaces and separators on both sides, greedily: a run of the value found on one row, then
  the longest run of the rest, ... so a value joined from several lines is found line by line (a value
  wraps to a line below only where its line ends, and the lines overlap horizontally). A character
  matches a position when it is the recogniser's best guess there or one of its alternatives (a
  check-digit repair), and then counts with that guess's probability (a repair lowers the confidence).
  The first run is the one from which most of the value is found as read (repairs aside), the one right
  after the field's printed label on a tie.

A value found only partly (under 75 % of its characters, or any short value not whole) or found equally
well in two places (nothing says which one the parser used, beyond the field's printed label) is
not located: no box is better than a wrong one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from certscan.cards.evidence_forms import (
    DATE_LOOKALIKES,
    ISO_DATE,
    LONG_TERM_WORDS,
    canonical,
    char_key,
    printed_dates,
    span_quad,
)
from certscan.ocr.types import Line, Page

MIN_COVERAGE = 0.75
MAX_ROW_GAP = 2  # rows between two consecutive parts of one value
FIRST_SKIPS = 2  # leading characters of a value that may be given up when nothing on the page starts so
FIRST_TRIES = 3  # first runs tried for each start
LINE_END_SLACK = 1  # characters a line may hold past the part of a value that wraps (OCR noise)
LABEL_GAP = 1  # atoms between a label and its value on one row (a stray colon kept by OCR)
Atoms = frozenset[tuple[int, int]] | set[tuple[int, int]]  # (row, offset) of literal-matching atoms
Label = tuple[int, int, int]  # a printed label: (row, atom offset just past it, its line)
_Run = tuple[tuple[float, ...], int, int, list[float]]  # (rank key, row, offset in the row, probabilities)


@dataclass(frozen=True)
class Source:
    """A page the engine returned during the scan. ``in_frame``: read from the input image itself (or a
    colour transform of it), so ``page.image_points`` are the input's pixels."""

    page: Page
    in_frame: bool
    rows_by_geometry: bool = True  # False: the lines carry no real boxes, each is its own row

    @property
    def mapped(self) -> bool:
        """Whether the page's coordinates map to the input image's pixels (``page.input_points``): read
        from the input, or from a crop its parser placed (``Page.crop_to_input``). False: read from a crop
        whose place in the input is unknown, or recognised without any box; values found there get a
        confidence but no box."""
        return self.in_frame or self.page.crop_to_input is not None


@dataclass(frozen=True)
class Unit:
    """One character position of a row: ``raw`` for date patterns, ``alts`` (canonical char → probability,
    the recogniser's best guess first) for literal matching. ``line`` is -1 for the gap between lines."""

    raw: str
    line: int
    pos: int
    alts: tuple[tuple[str, float], ...]

    def prob(self, char: str) -> float | None:
        for c, p in self.alts:
            if c == char:
                return p
        return None


@dataclass
class Found:
    """Where a value was found: per line index, the first and last character positions used."""

    spans: dict[int, tuple[int, int]]
    probs: list[float]  # one per character of the value (0.0 for characters not found)

    @property
    def confidence(self) -> float:
        return 100.0 * sum(self.probs) / len(self.probs) if self.probs else 0.0


def _line_units(line: Line, index: int) -> list[Unit]:
    aligned = bool(line.chars) and "".join(c.best for c in line.chars) == line.text
    units = []
    for pos, ch in enumerate(line.text):
        if aligned:
            cand = line.chars[pos]
            pairs = list(zip(cand.chars, cand.probs, strict=False))
        else:
            pairs = [(ch, line.confidence)]
        alts: dict[str, float] = {}
        if not char_key(ch):
            pairs = []  # a separator: no alternative of it is evidence of anything
        for alt, p in pairs:
            c = char_key(alt)
            if c and alts.get(c, -1.0) < p:
                alts[c] = float(p)
        raw = unicodedata.normalize("NFKC", ch) or ch
        units.append(Unit(raw=raw, line=index, pos=pos, alts=tuple(alts.items())))
    return units


def _rows(lines: Sequence[Line], geometry: bool) -> list[list[Line]]:
    """Lines sharing a row, left to right; rows top to bottom (as ``OnnxEngine`` orders a page)."""
    if not geometry:
        return [[ln] for ln in lines]
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: ln.cy):
        if rows and abs(rows[-1][0].cy - ln.cy) < 0.5 * max(ln.height, rows[-1][0].height, 1.0):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return [sorted(row, key=lambda ln: ln.x0) for row in rows]


class LineIndex:
    """Every character of every captured line, by row, ready for both kinds of search."""

    def __init__(self, sources: Sequence[Source]) -> None:
        self.lines: list[tuple[Line, Source]] = []
        self.row_source: list[int] = []  # row → source index (rows of one source are consecutive)
        self.rows: list[list[Unit]] = []  # raw units, lines separated by a gap unit
        self.atoms: list[list[Unit]] = []  # the units literal matching sees (canonical, no separators)
        self.raw: list[str] = []
        self.starts: dict[str, list[tuple[int, int]]] = {}
        self._dates: list[tuple[int, int, int, frozenset[str]]] | None = None  # found on first use
        for s_i, source in enumerate(sources):
            for row in _rows(source.page.lines, source.rows_by_geometry):
                units: list[Unit] = []
                for ln in row:
                    if units:
                        units.append(Unit(raw=" ", line=-1, pos=-1, alts=()))
                    self.lines.append((ln, source))
                    units += _line_units(ln, len(self.lines) - 1)
                self._add_row(s_i, units)

    def _add_row(self, source_index: int, units: list[Unit]) -> None:
        r = len(self.rows)
        atoms = [u for u in units if u.alts]
        self.row_source.append(source_index)
        self.rows.append(units)
        self.atoms.append(atoms)
        self.raw.append("".join(u.raw[:1] for u in units).translate(DATE_LOOKALIKES).upper())
        for o, atom in enumerate(atoms):
            for c, _ in atom.alts:
                self.starts.setdefault(c, []).append((r, o))

    def mapped(self, row: int) -> bool:
        return self.lines[self.atoms[row][0].line][1].mapped if self.atoms[row] else False

    # -- literal values ---------------------------------------------------------------------------------
    def find_literal(self, value: str, near: Sequence[Label] = (), exclude: Atoms = frozenset(),
                     ) -> Found | None:
        """``value`` matched character by character (see the module docstring); ``exclude``: atoms that
        are another field's."""
        target = canonical(value)
        m = len(target)
        best: tuple[tuple[int, float, int], Found] | None = None
        for p0 in range(min(FIRST_SKIPS + 1, m)):  # the first characters may be misread
            firsts = self._runs(target, p0, set(exclude), [], near)
            if not firsts:
                continue
            key, row, o, run = firsts[0]
            first_atom = self.atoms[row][o]
            if len(run) == m and any(k[:4] == key[:4] and self._distinct(first_atom, self.atoms[r][i])
                                     for k, r, i, _ in firsts[1:]):
                return None  # the whole value is printed twice: nothing says which one was used
            # The longest first run may be the wrong one (P<CHN... in the VIZ); as many characters read
            # right after the field's label beat a longer match elsewhere that needs a repair.
            tries = firsts[:FIRST_TRIES] + [r for r in firsts[FIRST_TRIES:] if r[0][3] == 0][:1]
            for first in tries:
                found, matched, pieces, guesses = self._complete(target, p0, first, near, exclude)
                score = (matched - guesses, first[0][3], -pieces)  # (sure chars, -label distance, runs)
                if found is not None and (best is None or score > best[0]):
                    best = (score, found)
            if best is not None and sum(p > 0 for p in best[1].probs) == m:
                break
        if best is not None and value.rstrip()[-1:] and not canonical(value.rstrip()[-1]):
            self._extend_over_fillers(best[1])  # an MRZ line's trailing <<<
        return best[1] if best else None

    def _extend_over_fillers(self, found: Found) -> None:
        line = max(found.spans, key=lambda i: found.spans[i][1])
        a, b = found.spans[line]
        text = self.lines[line][0].text
        if b + 1 < len(text) and not canonical(text[b + 1:]):
            found.spans[line] = (a, len(text) - 1)

    def _complete(self, target: str, p: int, first: _Run, near: Sequence[Label], exclude: Atoms,
                  ) -> tuple[Found | None, int, int, int]:
        """The value found from ``first`` on, each further run the best that continues the previous one;
        (found or None when too little of it was found, characters matched, runs, characters matched by
        an alternative)."""
        m = len(target)
        probs = [0.0] * m
        spans: dict[int, tuple[int, int]] = {}
        used: set[tuple[int, int]] = set(exclude)
        segments: list[tuple[int, int, int]] = []  # (row, length, offset of its last atom)
        run: _Run | None = first
        guesses = 0
        while p < m:
            if run is None:
                ranked = self._runs(target, p, used, segments, near)
                run = ranked[0] if ranked else None
            if run is None:
                p += 1
                continue
            run_key, row, o, run_probs = run
            guesses -= int(run_key[2])
            k = len(run_probs)
            for j in range(k):
                used.add((row, o + j))
                unit = self.atoms[row][o + j]
                a, b = spans.get(unit.line, (unit.pos, unit.pos))
                spans[unit.line] = (min(a, unit.pos), max(b, unit.pos))
            probs[p:p + k] = run_probs
            segments.append((row, k, o + k - 1))
            p += k
            run = None
        matched = sum(k for _, k, _ in segments)
        enough = matched >= max(MIN_COVERAGE * m, min(m, 3))
        whole_if_short = m > 3 or len(segments) == 1
        scraps = len(segments) > 1 and matched / len(segments) < 2  # scattered scraps, not the value
        ok = bool(segments) and enough and whole_if_short and not scraps
        return (Found(spans=spans, probs=probs) if ok else None), matched, len(segments), guesses

    def _runs(self, target: str, p: int, used: set[tuple[int, int]], segments: list[tuple[int, int, int]],
              near: Sequence[Label]) -> list[_Run]:
        """Runs of ``target[p:]`` on one row, best first: longest, then on a mapped page, then with fewest
        characters taken from the alternatives, then nearest the field's label (or the previous run's
        row), then filling its line (a value box of its own, or after its label), then surest."""
        m = len(target)
        ranked: list[_Run] = []
        for row, o in self.starts.get(target[p], ()):
            atoms = self.atoms[row]
            if segments and not self._continues(segments[-1], row, atoms[o].line):
                continue
            run: list[float] = []
            guesses = 0  # characters taken from the recogniser's alternatives, not its best guess
            for j in range(min(m - p, len(atoms) - o)):
                if used and (row, o + j) in used:
                    break
                atom, char = atoms[o + j], target[p + j]
                prob = atom.prob(char)
                if prob is None:
                    break
                guesses += atom.alts[0][0] != char
                run.append(prob)
            k = len(run)
            if k == 0:
                continue
            starts_line = o == 0 or atoms[o - 1].line != atoms[o].line
            ends_line = o + k == len(atoms) or atoms[o + k].line != atoms[o + k - 1].line
            if k < 2 and not (m == 1 or starts_line or (segments and segments[-1][0] == row)):
                continue  # a lone character inside some other text is no evidence
            distance = self._row_gap(segments[-1][0], row) if segments else self.label_distance(row, o, near)
            key = (k, self.mapped(row), -guesses, -distance, starts_line + ends_line, sum(run) / k)
            ranked.append((key, row, o, run))
        ranked.sort(key=lambda c: c[0], reverse=True)
        return ranked

    # -- dates ------------------------------------------------------------------------------------------
    def find_date(self, iso: str, near: Sequence[Label] = (), exclude: Atoms = frozenset()) -> Found | None:
        """A ``YYYY-MM-DD`` value where it is printed in any of the card forms, else in an MRZ line."""
        if ISO_DATE.fullmatch(iso) is None:
            return None
        if self._dates is None:
            self._dates = printed_dates(self.raw)
        hits = [(r, a, b) for r, a, b, values in self._dates if iso in values]
        if not hits:  # the MRZ: YYMMDD, in a line of fillers
            yymmdd = iso[2:].replace("-", "")
            hits = [(r, m.start(), m.end()) for r, raw in enumerate(self.raw) if raw.count("<") >= 3
                    for m in re.finditer(yymmdd, raw)]
        return self._pick(hits, near, exclude)

    def find_long_term(self, near: Sequence[Label] = (), exclude: Atoms = frozenset()) -> Found | None:
        return self._pick([(r, m.start(), m.end()) for r, raw in enumerate(self.raw)
                           for m in LONG_TERM_WORDS.finditer(raw)], near, exclude)

    def _pick(self, hits: list[tuple[int, int, int]], near: Sequence[Label], exclude: Atoms) -> Found | None:
        """The hit on a mapped page nearest the field's label; none when two are equally placed."""
        if exclude:
            hits = [(r, a, b) for r, a, b in hits
                    if not any((r, o) in exclude for o in self._offsets(r, a, b))]
        if not hits:
            return None
        def rank(hit: tuple[int, int, int]) -> tuple[bool, int]:
            row, a, _ = hit
            offset = sum(1 for u in self.rows[row][:a] if u.alts)  # raw units → atoms
            return not self.mapped(row), self.label_distance(row, offset, near)

        ranked = sorted(hits, key=rank)
        if len(ranked) > 1 and rank(ranked[0]) == rank(ranked[1]):
            (r0, a0, _), (r1, a1, _) = ranked[:2]
            first, second = self.rows[r0][a0:], self.rows[r1][a1:]
            first, second = [u for u in first if u.alts], [u for u in second if u.alts]
            if first and second and self._distinct(first[0], second[0]):
                return None  # printed twice, and no label tells them apart
        row, a, b = ranked[0]
        units = [u for u in self.rows[row][a:b] if u.alts]
        spans: dict[int, tuple[int, int]] = {}
        for u in units:
            a0, b0 = spans.get(u.line, (u.pos, u.pos))
            spans[u.line] = (min(a0, u.pos), max(b0, u.pos))
        return Found(spans=spans, probs=[u.alts[0][1] for u in units]) if units else None

    def _continues(self, previous: tuple[int, int, int], row: int, line: int) -> bool:
        """Whether a run on ``row`` / ``line`` can carry on a value whose previous run ended on
        ``previous`` (row, length, last atom): the same row, or, when the previous run ended its line, a
        line wrapped below it (a row or two down, overlapping it horizontally)."""
        prev_row, _, last = previous
        if row == prev_row:
            return True
        if not 0 < row - prev_row <= MAX_ROW_GAP or self.row_source[row] != self.row_source[prev_row]:
            return False
        atoms = self.atoms[prev_row]
        prev_line = atoms[last].line
        left = sum(1 for a in atoms[last + 1:last + 1 + LINE_END_SLACK + 1] if a.line == prev_line)
        if left > LINE_END_SLACK:
            return False  # text wraps to the next line only where its line ends
        a, b = self.lines[prev_line][0], self.lines[line][0]
        return min(a.x1, b.x1) > max(a.x0, b.x0)

    def _distinct(self, a: Unit, b: Unit) -> bool:
        """Whether characters ``a`` and ``b`` are two places on the card, not one place read twice (the
        image or a part of a line read again by the parser)."""
        if a.line == b.line:
            return a.pos != b.pos
        (line_a, source_a), (line_b, source_b) = self.lines[a.line], self.lines[b.line]
        if source_a is source_b or not (source_a.mapped and source_b.mapped):
            return True
        pts_a = source_a.page.input_points(span_quad(line_a, a.pos, a.pos))
        pts_b = source_b.page.input_points(span_quad(line_b, b.pos, b.pos))
        height = min(float(np.linalg.norm(pts_a[3] - pts_a[0])), float(np.linalg.norm(pts_b[3] - pts_b[0])))
        return float(np.linalg.norm(pts_a.mean(axis=0) - pts_b.mean(axis=0))) > max(height, 1.0)

    def _offsets(self, row: int, a: int, b: int) -> range:
        """Atom offsets of raw units ``a..b`` of ``row``."""
        first = sum(1 for u in self.rows[row][:a] if u.alts)
        return range(first, first + sum(1 for u in self.rows[row][a:b] if u.alts))

    def atoms_of(self, found: Found) -> set[tuple[int, int]]:
        """The atoms (row, offset) a found value occupies."""
        out = set()
        for r, atoms in enumerate(self.atoms):
            for o, atom in enumerate(atoms):
                span = found.spans.get(atom.line)
                if span is not None and span[0] <= atom.pos <= span[1]:
                    out.add((r, o))
        return out

    def _row_gap(self, a: int, b: int) -> int:
        return abs(a - b) if self.row_source[a] == self.row_source[b] else 99

    def label_distance(self, row: int, offset: int, near: Sequence[Label]) -> int:
        """How far a value starting at atom ``offset`` of ``row`` lies from the field's printed label:
        0 right after it on its row, n when n rows below it (and overlapping it horizontally), 99 when
        no label was read or the value is placed anywhere else."""
        best = 99
        atoms = self.atoms[row]
        line = self.lines[atoms[offset].line][0] if offset < len(atoms) else None
        for l_row, l_end, l_line in near:
            if self.row_source[l_row] != self.row_source[row]:
                continue
            if row == l_row and 0 <= offset - l_end <= LABEL_GAP:
                return 0
            label = self.lines[l_line][0]
            if line is not None and 0 < row - l_row <= MAX_ROW_GAP + 1 and min(label.x1, line.x1) > max(
                    label.x0, line.x0):
                best = min(best, row - l_row)
        return best

    def label_rows(self, labels: Sequence[str]) -> list[Label]:
        """Every place one of ``labels`` is printed (exactly, after canonical folding): its row, the atom
        offset just past it, and its line."""
        wanted = [w for w in (canonical(label) for label in labels) if w]
        out = []
        for r, atoms in enumerate(self.atoms):
            text = "".join(a.alts[0][0] for a in atoms)
            for w in wanted:
                at = text.find(w)
                if at >= 0:
                    out.append((r, at + len(w), atoms[at + len(w) - 1].line))
        return out
