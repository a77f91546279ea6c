"""The business licence's codes read as printed: the USCC (统一社会信用代码, GB 32100) found beside its
caption or anywhere on the page, repaired through its check character, and read once more when it fails.

A USCC that fails its check after the look-alike and alternative repairs is read again from its line's
own crop, as it is and with a margin around it, in one recognition call (the page read's crop of a
blurred photo gave ``91450330U1AYCKM6828``, its own crop ``91450330MAYCKM6828``); the first re-read that
passes is taken. A 证照编号 one digit short is read again stretched sideways (``cert_number``).
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from certscan.cards.labelled import Fields
from certscan.cards.text import compact, one_doubled
from certscan.checks import uscc
from certscan.ocr.engine import OcrEngine
from certscan.ocr.recognize import crop_quad
from certscan.ocr.types import Line, Page, rect_quad

_ALNUM = re.compile(r"[0-9A-Z]+")
# 18 code characters standing alone in a line's code text: a USCC's candidate
_USCC_RUN = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")
# Characters OCR swaps inside a USCC (both directions are tried; I, O, S, V, Z are not in its alphabet).
_USCC_FOLD = str.maketrans({"O": "0", "I": "1", "S": "5", "Z": "2", "V": "U"})
_USCC_SWAPS: dict[str, str] = {
    "0": "DQU", "D": "0", "Q": "0", "1": "7LT", "7": "1T", "L": "1", "T": "17Y", "Y": "TX", "X": "YK",
    "8": "B3", "B": "8", "3": "8", "6": "G", "G": "6", "5": "6", "2": "7", "U": "0W", "W": "U", "M": "N",
    "N": "MH", "H": "N", "K": "X", "4": "A", "A": "4", "9": "P", "P": "9R", "R": "P",
}


def code_text(text: str) -> str:
    return "".join(_ALNUM.findall(compact(text).upper().replace("×", "X")))  # a check X read as ×


def credit_code(page: Page, fields: Fields, image: np.ndarray | None = None,
                engine: OcrEngine | None = None) -> str:
    """The USCC: right of or below its caption, else any 18-char code on the page; check-repaired, and
    with the image and engine read again from its line's crop when it still fails.

    A code that stays invalid is returned as read only from beside its caption (the print may be wrong).
    """
    near: list[tuple[str, Line | None]] = []
    anchor = fields.label("creditCode")
    if anchor is not None:
        for p in fields.value_pieces("creditCode"):
            near.append((p.text, p.lines[0] if p.lines else None))
        below = sorted((p for p in fields.parts if p.key is None and p.y0 > anchor.cy
                        and p.y0 - anchor.y1 < 3 * anchor.height
                        and abs(p.x0 - anchor.x0) < 4 * anchor.height),
                       key=lambda p: p.y0)
        near.extend((p.text, p.lines[0] if p.lines else None) for p in below[:2])
    fallback = ""
    for text, line in near:
        raw = code_text(text).translate(_USCC_FOLD)
        if 16 <= len(raw) <= 20:
            fixed = repair_uscc(raw, line) if len(raw) == 18 else raw
            if uscc.is_valid(fixed):
                return fixed
            fallback = fallback or fixed
    for line in page.lines:
        raw = code_text(line.text).translate(_USCC_FOLD)
        for m in _USCC_RUN.finditer(raw):
            fixed = repair_uscc(m[0], line)
            if uscc.is_valid(fixed):
                return fixed
    if image is not None and engine is not None:
        code_lines = [ln for _, ln in near if ln is not None] + [
            ln for ln in page.lines if 16 <= len(code_text(ln.text).translate(_USCC_FOLD)) <= 20]
        unique = list({id(ln): ln for ln in code_lines}.values())
        return reread_code(unique[:MAX_REREAD], image, page, engine) or fallback
    return fallback


MAX_REREAD = 3  # code lines read again at most
_MARGINS = ((0.0, 0.0), (0.3, 0.1))  # (sideways, up and down) in line heights: the box as is, and wider


def reread_code(lines: list[Line], image: np.ndarray, page: Page, engine: OcrEngine) -> str:
    """The first valid USCC (check-repaired) among ``lines`` read again from their own crops; "" if none."""
    crops: list[np.ndarray] = []
    owners: list[Line] = []
    for line in lines:
        box = np.asarray(line.box, dtype=np.float32)
        for side, up in _MARGINS:
            grow = rect_quad(-side, -up, side, up)
            quad = box + grow * line.height
            crop = crop_quad(image, page.image_points(quad))
            if min(crop.shape[:2]) >= 4:
                crops.append(crop)
                owners.append(line)
    if not crops:
        return ""
    for line, read in zip(owners, engine.recognize(crops), strict=True):
        raw = code_text(read.text).translate(_USCC_FOLD)
        for m in _USCC_RUN.finditer(raw):
            again = Line(text=read.text, box=line.box, confidence=read.confidence, chars=list(read.chars))
            fixed = repair_uscc(m[0], again)
            if uscc.is_valid(fixed):
                return fixed
    return ""


def repair_uscc(code: str, line: Line | None = None) -> str:
    """``code`` if valid; else the one substitution (look-alike or OCR alternative) that makes it valid."""
    if uscc.is_valid(code):
        return code
    # positions 3-8 are the region code: digits only
    region = code[2:8].translate(str.maketrans("DQUOBGLTZSAI", "000086172541"))
    code = code[:2] + region + code[8:]
    if uscc.is_valid(code):
        return code
    alternatives: list[set[str]] = [set(_USCC_SWAPS.get(c, "")) for c in code]
    odds: dict[tuple[int, str], float] = {}  # the recogniser's probability of an alternative at a position
    if line is not None and len(line.chars) == len(compact(line.text)):
        start = compact(line.text).upper().find(code[:6])
        if start >= 0:
            for i, cand in enumerate(line.chars[start:start + 18]):
                for c, p in zip(cand.chars[1:4], cand.probs[1:4], strict=False):
                    alternatives[i].add(c.upper())
                    odds[(i, c.upper())] = max(odds.get((i, c.upper()), 0.0), p)
    found: dict[str, float] = {}
    for i, alts in enumerate(alternatives):
        for alt in alts:
            if alt in uscc.ALPHABET:
                trial = code[:i] + alt + code[i + 1:]
                if uscc.is_valid(trial):
                    found[trial] = max(found.get(trial, 0.0), odds.get((i, alt), 0.0))
    if len(found) == 1:
        return next(iter(found))
    # Several single changes fit the check character: the one the recogniser itself clearly found likely.
    ranked = sorted(found.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] >= 0.05 and ranked[0][1] >= 5 * ranked[1][1]:
        return ranked[0][0]
    return code


CERT_SN_DIGITS = 20  # 证照编号 of a current licence
STRETCH = 1.3  # sideways, for a second read of a number that lost one of a pair of equal digits


def cert_number(number: str, lines: list[Line], image: np.ndarray, page: Page, engine: OcrEngine) -> str:
    """证照编号 ``number``; one digit short of its 20, its line is read again stretched sideways (the
    recogniser merges a run of equal digits, 62011118 -> 6201118) and the read that only doubles one of
    them is taken."""
    if len(number) != CERT_SN_DIGITS - 1 or not number.isdigit() or not lines:
        return number
    crop = crop_quad(image, page.image_points(np.asarray(lines[0].box, dtype=np.float32)))
    if min(crop.shape[:2]) < 4:
        return number
    wide = cv2.resize(crop, None, fx=STRETCH, fy=1.0, interpolation=cv2.INTER_CUBIC)
    (read,) = engine.recognize([wide])
    doubled = one_doubled(number)
    for digits in re.findall(r"\d+", compact(read.text)):
        if digits in doubled:
            return digits
    return number
