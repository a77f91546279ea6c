"""vehicle-num: find the licence plate(s) in a car photo or a plate crop and read them.

The PP-OCR detector finds the plate's characters as one text line (two for double-row plates) and the
recogniser reads them. Each reading is repaired towards the plate format rules (``certscan.checks.plate``)
using the recogniser's per-character alternatives and the usual letter/digit confusions, at most two
changes; the plate's background colour is measured under the line to decide the vehicle type where the
characters do not (blue small car, yellow large car, green new energy, ...). When the whole-image read
finds no plate, plate-coloured rectangles are cut out, rectified and read on their own.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from certscan.cards import layout
from certscan.cards.base import CardResult, ScanInput
from certscan.cards.plate_marks import marked_reads
from certscan.cards.text import compact
from certscan.checks import plate as rules
from certscan.constants import empty_fields
from certscan.ocr.engine import OcrEngine
from certscan.ocr.types import CharCandidates, Line, Page, rect_quad

# Characters OCR hangs between or around plate characters: the separator dot, rivets, frame edges.
_NOISE = set("·.•・-_:：'\"*,，。|[]()（）【】 ")
# Letter/digit look-alikes, both ways: the recogniser confuses them on condensed plate fonts.
_CONFUSIONS: dict[str, str] = {
    "0": "DQ",
    "D": "0",
    "Q": "0",
    "O": "0D",
    "1": "J7",
    "I": "1J",
    "L": "1",
    "J": "1",
    "2": "Z",
    "Z": "2",
    "5": "S",
    "S": "5",
    "8": "B",
    "B": "8",
    "6": "G",
    "G": "6",
    "4": "A",
    "A": "4",
    "7": "T",
    "T": "7",
    "U": "V0",
    "V": "U",
    "C": "0",
}
MAX_REPAIRS = 2


@dataclass
class PlateRead:
    number: str
    confidence: float  # 0..1
    # the characters' length along their baseline, in pixels: the prominence of the plate in the photo (an
    # upright box's height grows with the tilt of a small far plate in a deskewed page; this does not)
    size: float
    box: tuple[float, float, float, float]
    repairs: int
    lines: tuple[int, ...] = ()  # the indices of the page's lines read (none for a located plate)


def _prominence_rank(read: PlateRead) -> float:
    """Sort key, most prominent plate first: its size times its confidence, each repair costing a fifth."""
    return -read.size * read.confidence * (1.0 - 0.2 * read.repairs)


# Letters no plate carries: their look-alike digit is a likelier repair than the recogniser's second
# guess (O read for 0 offers o and Q next, and Q fits a serial as well as 0 does).
_NEVER_ON_PLATES = "OI"


def _options(chars: list[tuple[str, tuple[str, ...]]]) -> list[list[str]]:
    """Per position: the read char first, then the recogniser's alternatives, then look-alikes (the
    look-alikes before the alternatives for a letter plates never carry)."""
    out = []
    for best, alts in chars:
        opts = [best]
        looks = list(_CONFUSIONS.get(best, ""))
        for c in (looks + list(alts) if best in _NEVER_ON_PLATES else list(alts) + looks):
            c = c.upper()
            if c not in opts and c.strip():
                opts.append(c)
        out.append(opts)
    return out


def repair(chars: list[tuple[str, tuple[str, ...]]]) -> tuple[str, int] | None:
    """The fewest-changes plate number over a window of the read characters (None when none fits); the
    province 川 read as its three strokes (NIV38857, JI, III) counts as one change."""
    best = _repair_window(chars)
    for start, width in _chuan_strokes(chars):
        merged = [*chars[:start], ("川", ()), *chars[start + width :]]
        found = _repair_window(merged)
        if found is not None and (best is None or found[1] + 1 < best[1]):
            best = (found[0], found[1] + 1)
    return best


# what the recogniser makes of 川's three upright strokes on a plate
_STROKES = set("IJNL1|!l")


def _chuan_strokes(chars: list[tuple[str, tuple[str, ...]]]) -> list[tuple[int, int]]:
    """(start, width) of two or three stroke-like characters leading the read (or following a noise
    character) that are followed by a letter: where 川 was read as Latin strokes."""
    spans: list[tuple[int, int]] = []
    for start in (0, 1):
        for width in (2, 3):
            run = chars[start : start + width]
            after = chars[start + width : start + width + 1]
            if (len(run) == width and all(c in _STROKES for c, _ in run)
                    and after and after[0][0] in rules.LETTER):
                spans.append((start, width))
    return spans


def _repair_window(chars: list[tuple[str, tuple[str, ...]]]) -> tuple[str, int] | None:
    n = len(chars)
    best: tuple[str, int] | None = None
    for length in (8, 7):
        for start in range(0, n - length + 1):
            opts = _options(chars[start : start + length])
            # a Chinese character just before the window is a province read wrong (翼 for 冀): the
            # two letters and five digits after it are no military plate
            military = start == 0 or not _is_cjk(chars[start - 1][0])
            for changes in range(0, MAX_REPAIRS + 1):
                if best is not None and changes >= best[1]:
                    break
                found = _first_valid(opts, changes, military)
                if found:
                    best = (found, changes)
                    break
    return best


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _first_valid(opts: list[list[str]], changes: int, military: bool = True) -> str | None:
    base = [o[0] for o in opts]
    for positions in itertools.combinations(range(len(opts)), changes):
        for subs in itertools.product(*(opts[p][1:] for p in positions)):
            cand = list(base)
            for p, c in zip(positions, subs, strict=True):
                cand[p] = c
            number = "".join(cand)
            plate_kind = rules.kind(number)
            # Two letters and five digits fit too many misreads: a military plate is taken only as read.
            if plate_kind is not None and (plate_kind != "military" or (changes == 0 and military)):
                return number
    return None


def plate_chars(text: str, cands: Sequence[CharCandidates]) -> list[tuple[str, tuple[str, ...]]]:
    """A read's characters (upper-cased, separators dropped) with their alternatives when known."""
    known = len(cands) == len(text)
    return [
        (compact(ch).upper() or ch, tuple(cands[i].chars[1:]) if known else ())
        for i, ch in enumerate(text)
        if ch not in _NOISE and ch.strip()
    ]


def _line_chars(line: Line) -> list[tuple[str, tuple[str, ...]]]:
    return plate_chars(line.text, line.chars)


def text_length(line: Line) -> float:
    """The length of a line's box along its top edge (the text's own direction, whatever its tilt)."""
    return float(np.linalg.norm(line.box[1] - line.box[0]))


def lines_box(lines: list[Line]) -> tuple[float, float, float, float]:
    return (
        min(ln.x0 for ln in lines),
        min(ln.y0 for ln in lines),
        max(ln.x1 for ln in lines),
        max(ln.y1 for ln in lines),
    )


def _stacked_pairs(lines: list[Line]) -> list[tuple[Line, Line]]:
    """(upper, lower) lines of a double-row plate: a short top line right over a taller bottom line."""
    pairs = []
    for a, b in itertools.permutations(lines, 2):
        gap = b.y0 - a.y1
        overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
        if (
            -0.3 * b.height < gap < 1.0 * b.height
            and overlap > 0.5 * (a.x1 - a.x0)
            and a.height < b.height * 1.1
        ):
            pairs.append((a, b))
    return pairs


def _stacked_rows(lines: list[Line]) -> list[list[Line]]:
    """A double-row plate whose top row was boxed as several lines (``新`` | ``N`` over ``B0874``):
    the top lines left to right, then the bottom line."""
    pairs = _stacked_pairs(lines)
    groups = []
    for b in lines:
        tops = sorted((a for a, lower in pairs if lower is b), key=lambda ln: ln.x0)
        if len(tops) >= 2 and all(layout.same_row(tops[0], a) for a in tops[1:]):
            groups.append([*tops, b])
    return groups


def row_neighbours(lines: list[Line]) -> list[tuple[Line, Line]]:
    """(left, right) lines a plate's characters were split into (``皖P·7828`` | ``警``)."""
    pairs = []
    for a, b in itertools.permutations(lines, 2):
        h = max(a.height, b.height)
        if a.cx < b.cx and -0.5 * h < b.x0 - a.x1 < 0.8 * h and layout.same_row(a, b):
            pairs.append((a, b))
    return pairs


def _row_chains(pairs: list[tuple[Line, Line]]) -> list[list[Line]]:
    """Three lines in a row, each the right neighbour of the one before: a plate split into three
    boxes (``豫`` | ``E`` | ``53015D``, the office letter boxed on its own)."""
    return [[a, b, c] for a, b in pairs for b2, c in pairs if b2 is b and c is not a]


def _group_chars(group: list[Line]) -> list[list[tuple[str, tuple[str, ...]]]]:
    """A group's characters in reading order; and, where two lines of a row overlap and both read the
    characters under the overlap (``津A5`` | ``55558D``), those characters once."""
    per_line = [_line_chars(ln) for ln in group]
    plain = [c for chars in per_line for c in chars]
    deduped = list(per_line[0])
    for (a, b), chars in zip(itertools.pairwise(group), per_line[1:], strict=True):
        overlap = a.x1 - b.x0
        k = round(overlap / ((b.x1 - b.x0) / len(chars))) if chars and overlap > 0 else 0
        read_twice = 1 <= k < len(chars) and [c for c, _ in deduped[-k:]] == [c for c, _ in chars[:k]]
        deduped += chars[k:] if read_twice and layout.same_row(a, b) else chars
    return [plain, deduped] if len(deduped) < len(plain) else [plain]


def read_plates(page: Page) -> list[PlateRead]:
    """Every plate number the page's lines (and stacked or split line pairs) can be repaired into."""
    reads: list[PlateRead] = []
    groups: list[list[Line]] = [[ln] for ln in page.lines] + [list(p) for p in _stacked_pairs(page.lines)]
    neighbours = row_neighbours(page.lines)
    groups += [list(p) for p in neighbours] + _row_chains(neighbours) + _stacked_rows(page.lines)
    index = {id(ln): i for i, ln in enumerate(page.lines)}
    variants = [(group, chars) for group in groups for chars in _group_chars(group)]
    for group, chars in variants:
        if len(chars) < 7:
            continue
        fixed = repair(chars)
        if fixed is None:
            continue
        number, changes = fixed
        conf = float(np.mean([ln.confidence for ln in group])) * (1.0 - 0.12 * changes)
        # a plate found inside a longer line (a sign's text around it) is as long as its own characters
        size = max(map(text_length, group)) * min(1.0, len(number) / len(chars))
        used = tuple(index[id(ln)] for ln in group)
        reads.append(PlateRead(number, conf, size, lines_box(group), changes, used))
    reads.sort(key=lambda r: (r.repairs > 0, -r.size * r.confidence))
    unique: dict[str, PlateRead] = {}
    for r in reads:
        unique.setdefault(r.number, r)
    return sorted(unique.values(), key=_prominence_rank)


# OpenCV HSV ranges (H 0-180) of plate backgrounds.
def plate_colour(image: np.ndarray, box: tuple[float, float, float, float]) -> tuple[str, float]:
    """The dominant background colour under a plate's text box, and its share of the classified pixels."""
    x0, y0, x1, y1 = box
    pad_y = (y1 - y0) * 0.15
    h, w = image.shape[:2]
    crop = image[max(0, int(y0 - pad_y)) : min(h, int(y1 + pad_y)), max(0, int(x0)) : min(w, int(x1))]
    if crop.size == 0:
        return "", 0.0
    hsv = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2HSV).reshape(-1, 3).astype(np.int32)
    hue, sat, val = hsv[:, 0], hsv[:, 1], hsv[:, 2]
    masks = {
        "blue": (hue >= 95) & (hue <= 130) & (sat >= 80) & (val >= 50),
        "yellow": (hue >= 12) & (hue < 35) & (sat >= 80) & (val >= 90),
        "green": (hue >= 35) & (hue < 95) & (sat >= 50) & (val >= 70),
        "white": (sat < 50) & (val >= 150),
        "black": val < 70,
    }
    counts = {k: int(m.sum()) for k, m in masks.items()}
    total = sum(counts.values())
    if total == 0:
        return "", 0.0
    colour = max(counts, key=lambda k: counts[k])
    return colour, counts[colour] / total


# a washed-out plate (glare, low contrast) keeps its hue at saturations under plate_colour's floors;
# a photocopy or night shot has none: its tinted pixels are fewer than this share
_FADED_SAT, _FADED_SHARE = 20, 0.5


def _faded_colour(image: np.ndarray, box: tuple[float, float, float, float]) -> str:
    """"blue" or "yellow" for a washed-out standard plate whose faint tint is still mostly one hue under
    the text box, else ""."""
    x0, y0, x1, y1 = (int(v) for v in box)
    crop = image[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]
    if crop.size == 0:
        return ""
    hsv = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2HSV).reshape(-1, 3).astype(np.int32)
    hue, sat = hsv[:, 0], hsv[:, 1]
    tinted = sat >= _FADED_SAT
    if tinted.mean() < _FADED_SHARE:
        return ""
    shares = {
        "blue": float(((hue >= 95) & (hue <= 130) & tinted).sum() / tinted.sum()),
        "yellow": float(((hue >= 12) & (hue < 35) & tinted).sum() / tinted.sum()),
    }
    colour = max(shares, key=lambda k: shares[k])
    return colour if shares[colour] >= _FADED_SHARE else ""


def _grey_polarity(image: np.ndarray, box: tuple[float, float, float, float]) -> str:
    """For a colourless (photocopied, night) plate: light characters on dark → blue, dark on light →
    yellow; the background is the larger Otsu class under the text box."""
    x0, y0, x1, y1 = (int(v) for v in box)
    crop = image[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]
    if crop.size == 0:
        return ""
    grey = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY)
    _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return "yellow" if (binary > 0).mean() > 0.5 else "blue"


def image_box(page: Page, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A page-coordinate box as the axis-aligned box it covers in the input image."""
    pts = page.image_points(rect_quad(*box))
    return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))


def _result(image: np.ndarray, read: PlateRead) -> dict[str, object]:
    colour, share = plate_colour(image, read.box)
    if colour in ("white", "black", "") and rules.kind(read.number) == "standard":
        # A standard civil plate is blue or yellow: white or black here means the colour was lost.
        colour, share = _faded_colour(image, read.box) or _grey_polarity(image, read.box), 0.5
    vtype = rules.vehicle_type(read.number, colour)
    if rules.decided_by_characters(read.number) or (colour == "green" and vtype == "New energy vehicle"):
        type_conf = read.confidence
    else:
        type_conf = share * read.confidence
    return {
        "num": read.number,
        "rate": round(100.0 * read.confidence, 2),
        "vehicleType": vtype,
        "vehicleTypeRate": round(100.0 * type_conf, 2),
    }


def _in_image(image: np.ndarray, page: Page, reads: list[PlateRead]) -> list[PlateRead]:
    """The reads with their boxes in the input image (where colours are measured), less the military
    reads on a blue, yellow or green plate (military plates are white: that is a civil plate whose
    province the read lost, 蒙GF46121 read as GF46121)."""
    for read in reads:
        read.box = image_box(page, read.box)
    return [
        read
        for read in reads
        if rules.kind(read.number) != "military" or plate_colour(image, read.box)[0] not in _CIVIL_COLOURS
    ]


_CIVIL_COLOURS = ("blue", "yellow", "green")


def _with_red_marks(image: np.ndarray, page: Page, reads: list[PlateRead]) -> list[PlateRead]:
    """``reads`` with the plates a red character completes (``plate_marks``) first, in place of any
    read of the same line (警 read as ``G`` beside 琼X·3114 made 琼X3114G)."""
    chars = {i: "".join(c for c, _ in _line_chars(ln)) for i, ln in enumerate(page.lines)}
    chars = {i: text for i, text in chars.items() if 6 <= len(text) <= 7}
    # a line some read already completes with its suffix or 使 needs no mark
    done = {
        i for read in reads if read.number[-1] in rules.SUFFIXES or read.number[0] == "使" for i in read.lines
    }
    marked = marked_reads(image, page, {i: text for i, text in chars.items() if i not in done})
    if not marked:
        return reads
    completed = [
        PlateRead(
            number,
            page.lines[i].confidence,
            text_length(page.lines[i]) * 7 / len(chars[i]),
            lines_box([page.lines[i]]),
            0,
            (i,),
        )
        for i, number in marked.items()
    ]
    used = {i for read in completed for i in read.lines}
    kept = [read for read in reads if not used & set(read.lines)]
    return sorted(completed + kept, key=_prominence_rank)


def _with_double_rows(engine: OcrEngine, image: np.ndarray, page: Page, reads: list[PlateRead],
                      ) -> list[PlateRead]:
    """``reads`` and the double-row plates whose top row the read lost, read again (``plate_rows``) from
    the bottom rows no read uses."""
    from certscan.cards.plate_rows import bottom_rows, reread_top_rows  # it imports this module

    chars = {i: "".join(c for c, _ in _line_chars(ln)) for i, ln in enumerate(page.lines)}
    rows = bottom_rows(page, chars, {i for read in reads for i in read.lines})
    if not rows:
        return reads
    found = reread_top_rows(engine, image, page, rows)
    return sorted(found + reads, key=_prominence_rank)


def parse(scan: ScanInput) -> CardResult:
    page = scan.engine.read(scan.image)
    image = scan.image
    plates = _in_image(image, page, _with_double_rows(scan.engine, image, page, _with_red_marks(
        image, page, read_plates(page))))
    if not plates:
        from certscan.cards.plate_locate import read_located, reread_widened  # they import this module

        plates = _in_image(image, page, reread_widened(scan.engine, image, page))
        if not plates:
            plates = read_located(scan.engine, image)
    if not plates:
        result = CardResult.empty("vehicle-num")
        result.text_found = bool(page.lines)
        result.extra = {"plates": []}
        return result
    found = [_result(image, p) for p in plates]
    fields = empty_fields("vehicle-num")
    fields.update(found[0])
    return CardResult(
        card="vehicle-num",
        fields=fields,
        rate=float(found[0]["rate"]),  # type: ignore[arg-type]
        extra={"plates": found},
    )
