"""Finding and reading a TD3 machine-readable zone on an OCR page.

OCR returns each MRZ line as one or more boxes; ``<`` runs are often shortened (CTC merges repeats) and
letters and digits swap (O/0, I/1, B/8). Lines are rebuilt to 44 characters by stretching filler runs;
line 2's check-digited fields are then repaired (``mrz_fields``). Rows that still fail are re-read from
the full-resolution image (in halves, or over the full width when the detector cut them short) and the
reads merged field by field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from certscan.cards.mrz_fields import FILLER, LETTER_MAP, filler_runs, left_aligned_letters, repaired_line2
from certscan.cards.mrz_rows import _FILLER_LOOKALIKES, find_mrz_rows, lone_names_row
from certscan.cards.mrz_rows import mrz_like as mrz_like  # where the passport modules import it from
from certscan.cards.readers import line_chars
from certscan.checks import mrz
from certscan.checks.mrz_codes import known_state
from certscan.checks.repair import plain_chars
from certscan.ocr.engine import RegionReader
from certscan.ocr.types import CharCandidates, Line, Page, rect_quad


@dataclass
class MrzRead:
    line0: str
    line1: str
    checks: dict[str, bool] = field(default_factory=dict)
    repaired: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(self.checks.values())


def _mrz_chars(line_set: Sequence[Line]) -> list[CharCandidates]:
    out: list[CharCandidates] = []
    for ln in sorted(line_set, key=lambda ln: ln.x0):
        for c in line_chars(ln):
            best = _FILLER_LOOKALIKES.get(c.best, c.best).upper()
            if best == " ":
                continue
            chars = tuple(_FILLER_LOOKALIKES.get(a, a).upper() for a in c.chars)
            out.append(CharCandidates(chars=(best, *chars[1:]), probs=c.probs))
    return out


def fit_length(chars: list[CharCandidates], protect: int = 0) -> list[CharCandidates]:
    """Stretch or shrink filler runs after position ``protect`` until the line has 44 characters."""
    chars = list(chars)
    while len(chars) != mrz.TD3_LENGTH:
        runs = filler_runs([c.best for c in chars], protect)
        if len(chars) < mrz.TD3_LENGTH:
            if runs:
                _, start = max(runs)
                chars.insert(start, FILLER)
            else:
                chars.append(FILLER)
        elif runs:
            _, start = max(runs)
            del chars[start]
        else:
            del chars[-1]
    return chars


def fit_names_line(chars: list[CharCandidates]) -> list[CharCandidates]:
    """The names line (line 1) to 44 characters. Short, it is padded at its end: its names are
    left-aligned and every filler after them is padding, which the detector or the recogniser cut
    (``P<CHNMA<<XIAO<``); stretching its longest filler run instead would widen the ``<<`` between
    surname and given names and push the given names out. Long, its longest filler runs shrink."""
    if len(chars) < mrz.TD3_LENGTH:
        return [*chars, *[FILLER] * (mrz.TD3_LENGTH - len(chars))]
    return fit_length(chars, protect=5)


def _clean_names(line0: str) -> str:
    """Fillers after the names are fillers: once ``<<<`` follows the given names, the rest is ``<``.

    (A filler run misread as letters ``<<G4<<GG`` would otherwise become part of the given names.)
    """
    names = line0[5:]
    sep = names.find("<<")
    if sep < 0:
        return line0
    end = names.find("<<", sep + 2)
    if end < 0:
        return line0
    kept = names[:end]
    return (line0[:5] + kept).ljust(mrz.TD3_LENGTH, "<")[: mrz.TD3_LENGTH]


def _halves(row: Sequence[Line]) -> list[np.ndarray]:
    """The row's extent cut at its middle: 22 monospaced characters each, which the recogniser reads
    far better than one 44-character strip (it drops letters after fillers on such long lines)."""
    x0, x1 = min(ln.x0 for ln in row), max(ln.x1 for ln in row)
    y0, y1 = min(ln.y0 for ln in row), max(ln.y1 for ln in row)
    xm = (x0 + x1) / 2
    return [rect_quad(a, y0, b, y1) for a, b in ((x0, xm), (xm, x1))]


def _reread_rows(rows: Sequence[Sequence[Line]], reread: RegionReader) -> list[list[CharCandidates]] | None:
    """Each row re-read from the full-resolution image in two halves (None when that fails)."""
    quads = [q for row in rows for q in _halves(row)]
    try:
        reads = list(reread(quads))
    except Exception:  # a second opinion only: the first read stands if it cannot be had
        return None
    out = []
    for i in range(len(rows)):
        chars: list[CharCandidates] = []
        for r in reads[2 * i: 2 * i + 2]:
            line = Line(text=r.text, box=quads[0], confidence=r.confidence, chars=list(r.chars))
            chars.extend(_mrz_chars([line]))
        out.append(chars)
    return out


def _letters(chars: Sequence[CharCandidates]) -> int:
    return sum(c.best != "<" for c in chars)


NamesCheck = Callable[[MrzRead], bool]


def read_mrz(page: Page, reread: RegionReader | None = None,
             names_ok: NamesCheck | None = None) -> MrzRead | None:
    """The MRZ from the page read, re-reading (in halves, at the recogniser's best scale) only the rows
    that need it: line 2 when a check digit still fails after repair, line 1 (no check digits) unless
    ``names_ok`` confirms its names against the visual zone. (Re-reading every row cost a passport
    about a quarter of its recognition time, and a line 2 that passes every check never improved.)"""
    rows = find_mrz_rows(page)
    first = read_rows(rows) if rows else None
    if first is None and len(rows) < 2:  # no line 2 found: where it must be, under a names line
        return _zone_under_names_line(page, reread) if reread is not None else None
    seen: list[MrzRead] = []  # every read of line 2, for a field-by-field merge
    bands = _widened(rows, page.width) if reread is not None and len(rows) == 2 else None
    widened = None
    if bands is not None and reread is not None and (first is None or not first.valid):
        # a cut row's halves are not the line's: read the full width
        widened = _read_widened(rows, bands, reread, names_ok, first, seen)
        if widened is not None and widened.valid:
            return widened
    best = _read_found_rows(rows, first, reread, names_ok, seen)
    if widened is not None and (best is None or sum(widened.checks.values()) > sum(best.checks.values())):
        best = widened
    if best is not None and not best.valid:
        # each read passes some fields: together, with every check (the composite too), the line
        merged = mrz.td3_merge([best.line1, *(r.line1 for r in (first, *seen) if r is not None)])
        merged = left_aligned_letters(merged) if merged is not None else None
        if merged is not None and merged != best.line1:
            best.line1, best.checks = merged, mrz.td3_checks(merged)
            best.repaired.append("merged")
    if best is not None and len(rows) == 1 and reread is not None and names_ok is not None:
        _upper_row_above(rows[0], best, reread, names_ok)
    return best


def _widened(rows: Sequence[Sequence[Line]], page_width: float) -> list[list[Line]] | None:
    """Both rows as bands 44 characters wide from the zone's left edge (the lines are left-aligned and
    monospaced, so the found pieces give the pitch), or None when no row was cut short."""
    # Per box, not per row: a row may have a gap the detector left (a field between two boxes), and
    # merged filler runs make a box's pitch too wide, so the narrowest of the longer boxes is taken.
    sized = [(ln.x1 - ln.x0, len(re.sub(r"\s", "", ln.text))) for row in rows for ln in row]
    pitches = [w / n for w, n in sized if n >= 8] or [w / max(n, 1) for w, n in sized]
    pitch = min(pitches)
    x0 = max(0.0, min(ln.x0 for row in rows for ln in row) - 0.5 * pitch)
    x1 = min(float(page_width), x0 + (mrz.TD3_LENGTH + 1.5) * pitch)
    if all(max(ln.x1 for ln in row) >= x1 - 2 * pitch for row in rows):
        return None
    bands = []
    for row in rows:
        y0, y1 = min(ln.y0 for ln in row), max(ln.y1 for ln in row)
        right = max(x1, max(ln.x1 for ln in row))
        box = rect_quad(x0, y0, right, y1)
        bands.append([Line(text="", box=box, confidence=0.0)])
    return bands


def _read_widened(rows: list[list[Line]], bands: list[list[Line]], reread: RegionReader,
                  names_ok: NamesCheck | None, best: MrzRead | None, seen: list[MrzRead]) -> MrzRead | None:
    """A zone the detector cut short (its filler runs are faint, a tilted line leaves the box) re-read
    over its full width; kept unless line 2 passes fewer check digits than the pieces did."""
    second = _reread_rows(bands, reread)
    if second is None or not second[0] or not second[1]:
        return best
    alt = read_rows(bands, second[0], second[1])
    if alt is None:
        return best
    seen.append(alt)
    alt.lines = [ln for row in rows for ln in row]
    if best is None:
        return alt
    if sum(alt.checks.values()) < sum(best.checks.values()):
        return best
    if names_ok is not None and names_ok(best) and not names_ok(alt):
        alt.line0 = best.line0
    return alt


def _upper_row_above(row: Sequence[Line], read: MrzRead, reread: RegionReader, names_ok: NamesCheck) -> None:
    """Line 1 the detector missed, read where it must be: right above line 2, as wide. Kept when the
    visual zone confirms its names (the line spacing varies, so a few offsets are tried), else when it
    confirms the surname they begin with."""
    x0, x1 = min(ln.x0 for ln in row), max(ln.x1 for ln in row)
    y0, y1 = min(ln.y0 for ln in row), max(ln.y1 for ln in row)
    h = y1 - y0
    fallback: str | None = None
    for offset in ROW_OFFSETS:
        top, bottom = y0 - offset * h, y1 - offset * h
        box = rect_quad(x0, top, x1, bottom)
        band = Line(text="", box=box, confidence=0.0)
        upper = _reread_rows([[band]], reread)
        if not upper or not upper[0] or upper[0][0].best != "P":
            continue
        alt = read_rows([list(row)], upper[0], None)
        if alt is not None and names_ok(MrzRead(line0=alt.line0, line1=read.line1, checks=read.checks)):
            read.line0 = alt.line0
            return
        if alt is not None and fallback is None and _printed_surname_starts(alt.line0, read, names_ok):
            fallback = alt.line0
    if fallback is not None:
        read.line0 = fallback  # its names as read, for the names repairs to mend on the print


def _printed_surname_starts(line0: str, read: MrzRead, names_ok: NamesCheck) -> bool:
    """Line 1 read above line 2 whose names begin with a surname the visual zone prints (its issuing
    state confirmed too), though its fillers were read as letters (``LIUCCHUACHAOCCCC``)."""
    names = line0[5:]
    for end in range(2, min(len(names), 8)):
        surname_only = (line0[:5] + names[:end]).ljust(mrz.TD3_LENGTH, "<")
        if names[:end].isalpha() and names_ok(MrzRead(line0=surname_only, line1=read.line1)):
            return True
    return False


# Where line 2 may lie under line 1 (or line 1 above line 2), in line heights: the spacing varies.
ROW_OFFSETS = (1.0, 1.4, 1.8)
# Check digits (of 5) a line 2 read where none was detected must pass: garbage rarely passes 4.
UNDER_NAMES_MIN_CHECKS = 4


def _zone_under_names_line(page: Page, reread: RegionReader) -> MrzRead | None:
    """The zone of a page where only the start of a names line was found (``lone_names_row``): both
    lines read over 44 characters from its left edge (the pitch from the names read), line 2 at each
    likely spacing under line 1; the line 2 read passing most check digits, if it passes nearly all."""
    upper = lone_names_row(page)
    if upper is None:
        return None
    x0, x1 = min(ln.x0 for ln in upper), max(ln.x1 for ln in upper)
    y0, y1 = min(ln.y0 for ln in upper), max(ln.y1 for ln in upper)
    pitch = (x1 - x0) / len(re.sub(r"\s", "", "".join(ln.text for ln in upper)))
    left, right = max(0.0, x0 - 0.5 * pitch), min(float(page.width), x0 + (mrz.TD3_LENGTH + 1.5) * pitch)
    h = y1 - y0
    bands = [[Line(text="", box=rect_quad(left, y0 + k * h, right, y1 + k * h), confidence=0.0)]
             for k in (0.0, *ROW_OFFSETS)]
    reads = _reread_rows(bands, reread)
    if reads is None:
        return None
    page_names = _mrz_chars(upper)
    best: MrzRead | None = None
    for band, lower in zip(bands[1:], reads[1:], strict=True):
        alt = read_rows([bands[0], band], reads[0], lower) if lower else None
        if alt is not None and (best is None or sum(alt.checks.values()) > sum(best.checks.values())):
            best = alt
    if best is None or sum(best.checks.values()) < UNDER_NAMES_MIN_CHECKS:
        return None
    as_found = read_rows([bands[0], best.lines[-1:]], page_names, None)
    if as_found is not None and ((names_line_shape(as_found.line0), _letters(page_names))
                                 > (names_line_shape(best.line0), _letters(reads[0]))):
        best.line0 = as_found.line0  # the names as the page read them
    return best


def _read_found_rows(rows: list[list[Line]], first: MrzRead | None, reread: RegionReader | None,
                     names_ok: NamesCheck | None, seen: list[MrzRead]) -> MrzRead | None:
    """``first`` (the rows as the page read them) improved by re-reading the rows that need it."""
    if first is None or reread is None:
        return first
    two = len(rows) == 2
    redo_upper = two and not (names_ok is not None and names_ok(first))
    redo_lower = not first.valid
    todo = ([rows[0]] if redo_upper else []) + ([rows[-1]] if redo_lower else [])
    if not todo:
        return first
    second = _reread_rows(todo, reread)
    if second is None:
        return first
    upper2 = second[0] if redo_upper else None
    lower2 = second[-1] if redo_lower else None
    alt = read_rows(rows, upper2, lower2)
    if alt is None:
        return first
    if lower2 is not None:
        seen.append(MrzRead(line0=alt.line0, line1=alt.line1))
    # Line 2: the reading passing more check digits.
    best = alt if sum(alt.checks.values()) >= sum(first.checks.values()) else first
    # Line 1 (no check digits): the one the visual zone confirms, else the one with more letters.
    if upper2 is not None:
        alt_ok = names_ok is not None and names_ok(alt)
        # the read whose line has the shape of a names line; of two alike, the one with more letters
        # (a row the detector cut short loses names, a re-read in halves may keep them)
        first_rank = (names_line_shape(first.line0), _letters(_mrz_chars(rows[0])))
        keep_first = not alt_ok and (names_line_shape(alt.line0), _letters(upper2)) < first_rank
        best.line0 = first.line0 if keep_first else alt.line0
    else:
        best.line0 = first.line0
    return best


def names_line_shape(line0: str) -> int:
    """How much of a names line's frame a read keeps: the document code P, a known issuing state, the
    ``<<`` between surname and given names. A re-read that reads fillers as letters
    (``FSCHNLTUS<YUENAK``) breaks the frame that a read of the same line with its letters right keeps."""
    names = line0[5:].strip("<")
    return int(line0.startswith("P")) + int(known_state(line0[2:5])) + int("<<" in names)


def read_rows(rows: list[list[Line]], upper: list[CharCandidates] | None = None,
              lower: list[CharCandidates] | None = None) -> MrzRead | None:
    if upper is None:
        upper = _mrz_chars(rows[0]) if len(rows) == 2 else []
    if lower is None:
        lower = _mrz_chars(rows[-1])
    if not upper and lower and lower[0].best == "P":
        return None  # only the names line was found
    line0_chars = fit_names_line(upper) if upper else plain_chars("<" * mrz.TD3_LENGTH)
    line1_chars = fit_length(lower, protect=28)
    line0 = "".join(c.best for c in line0_chars)
    # a digit no letter looks like (4, 7) in the names is a filler misread: names are letters only
    line0 = line0[:5] + re.sub(r"[^A-Z<]", "<", "".join(LETTER_MAP.get(ch, ch) for ch in line0[5:]))
    line0 = _clean_names(line0)
    result = MrzRead(line0=line0, line1="", lines=[ln for row in rows for ln in row])
    result.line1, result.repaired = repaired_line2(line1_chars)
    result.checks = mrz.td3_checks(result.line1)
    return result


