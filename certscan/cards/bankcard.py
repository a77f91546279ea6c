"""Bank card (银行卡): the card number, printed or embossed, grouped or not; bank and kind from its BIN.

The number is the 16-19 digit run on one row (its groups may be separate boxes). Luhn chooses among the
recogniser's alternatives: a run that fails is repaired only when exactly one single-character change
among the least confident positions passes (see ``certscan.checks.repair``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from certscan.cards.base import CardResult, ScanInput
from certscan.cards.layout import group_rows
from certscan.cards.readers import char_runs, line_chars, page_rate, read_page
from certscan.checks import luhn
from certscan.checks.repair import DIGIT_MAP, likeliest_repair, repair
from certscan.constants import empty_fields
from certscan.ocr.types import CharCandidates, Line, Page, rect_quad

DIGITS = "0123456789"
MIN_LEN, MAX_LEN = 16, 19
# a digit read this unsure may be a speck of the artwork (or a box's ragged edge) read as a digit: when the
# number without it passes Luhn too, the number without it is the likelier (6229083607336386280, its
# second group's leading 6 read at 0.3, for the 18-digit 622908360733386280)
SPECK_CONFIDENCE = 0.5
_SPACE = CharCandidates(chars=(" ",), probs=(1.0,))


@dataclass
class Candidate:
    text: str
    valid: bool
    confidence: float
    lines: list[Line]
    speck: bool = False  # holds a digit read under SPECK_CONFIDENCE whose removal also passes Luhn
    # read across two overlapping boxes that both read their shared digit, while the row with that digit
    # read once passes Luhn too (``_row_chars(shared_once=True)``)
    read_twice: bool = False


@cache
def _bins() -> dict[str, tuple[str, str]]:
    try:
        text = resources.files("certscan.data").joinpath("bins.tsv").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return {}
    table: dict[str, tuple[str, str]] = {}
    for row in text.splitlines():
        parts = row.split("\t")
        if len(parts) >= 2 and parts[0].isdigit():
            table[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")
    return table


def card_kind(product: str) -> str:
    """借记卡 / 贷记卡 / 准贷记卡 / 预付费卡 from the BIN table's product name ("" when it does not say)."""
    if "准贷记" in product:
        return "准贷记卡"
    if "贷记" in product or "信用" in product:
        return "贷记卡"
    if "借记" in product:
        return "借记卡"
    if "预付" in product:
        return "预付费卡"
    return ""


# How much likelier a number is when its prefix is a listed issuer's (most cards in China are): worth
# about two unsure digits read as their second choice.
_LISTED_ISSUER = math.log(10.0)


def _issuer_prior(number: str) -> float:
    return _LISTED_ISSUER if bin_info(number)[0] else 0.0


def bin_info(number: str) -> tuple[str, str]:
    """(bank name, card kind) for the longest listed prefix of ``number`` (8 down to 6 digits)."""
    table = _bins()
    for n in (8, 7, 6):
        found = table.get(number[:n])
        if found:
            return found[0], card_kind(found[1])
    return "", ""


_SPECKS = set(".,·:;'`+-_~")


def _row_chars(row: list[Line], shared_once: bool = False) -> list[CharCandidates]:
    """The row's characters, its boxes joined by a space (boxes of one row are the number's groups);
    a dot, comma or dash between digits is a speck of the card's print or of dirt (or the remnant of a
    digit two overlapping boxes share: ``43674`` | ``+ 2847``), read as a gap; a gap is one space.

    ``shared_once``: a box overlapping the previous one and starting with the character that box ends
    with (``62148335`` | ``5 76262516``) read that one printed digit a second time: it is dropped."""
    out: list[CharCandidates] = []
    prev: Line | None = None
    for ln in row:
        chars = line_chars(ln)
        if shared_once and prev is not None and ln.x0 < prev.x1 and chars and prev.text[-1:] == chars[0].best:
            chars = chars[1:]
        prev = ln
        for c in [_SPACE, *chars] if out else chars:
            c = _SPACE if c.best in _SPECKS or not c.best.strip() else c
            if c is not _SPACE or (out and out[-1] is not _SPACE):
                out.append(c)
    return out


def drop_one(run: list[CharCandidates], positions: int = 4) -> list[CharCandidates] | None:
    """``run`` without the one low-confidence position whose removal makes it pass Luhn, when exactly
    one of the ``positions`` least confident does; else None."""
    digits = "".join(DIGIT_MAP.get(c.best, c.best) for c in run)
    unsure = sorted((i for i in range(len(run)) if run[i].confidence < 0.98),
                    key=lambda i: run[i].confidence)[:positions]
    passing = {i for i in unsure if luhn.is_valid(digits[:i] + digits[i + 1:])}
    if len(passing) != 1:
        return None
    (i,) = passing
    return run[:i] + run[i + 1:]


def candidates(page: Page) -> list[Candidate]:
    """Every 16-19 digit number the page's rows hold (see ``_run_candidates``), ranked by ``_rank``."""
    found: list[Candidate] = []
    for row in group_rows(page, min_overlap=0.4):
        # the row as read, and (when two of its boxes overlap on one digit) with that digit read once
        as_read, once = _row_chars(row), _row_chars(row, shared_once=True)
        if once == as_read:
            found += _run_candidates(row, as_read)
            continue
        read_once = _run_candidates(row, once)
        twice = _run_candidates(row, as_read)
        if any(c.valid for c in read_once):
            # the digit both boxes end and start with passed Luhn read once: a second read of it is
            # likelier than a digit printed at the end of one group and the start of the next, in
            # overlapping boxes, that also passes
            for c in twice:
                c.read_twice = True
        found += twice + read_once
    return found


def _run_candidates(row: list[Line], row_chars: list[CharCandidates]) -> list[Candidate]:
    """The numbers of 16-19 digits in one reading of a row, Luhn-repaired (see ``candidates``)."""
    found: list[Candidate] = []
    for run in char_runs(row_chars, DIGITS, max_gap=2):
        if len(run) == MAX_LEN + 1:
            dropped = drop_one(run)  # one spurious character (a stroke of the artwork read as a digit)
            if dropped is None:
                continue
            run = dropped
        if not MIN_LEN <= len(run) <= MAX_LEN:
            continue
        fixed = repair(run, luhn.is_valid, DIGITS, max_changes=1)
        if not fixed.valid or fixed.repaired:
            # the read failed Luhn: a lone one-digit fix may pass by chance (one in ten does); the
            # likeliest passing number, a listed issuer counting for it, wins when clearly likelier
            fixed = likeliest_repair(run, luhn.is_valid, DIGITS, prior=_issuer_prior) or fixed
        conf = sum(c.confidence for c in run) / len(run)
        without = _without_speck(run) if fixed.valid and not fixed.repaired else None
        found.append(Candidate(text=fixed.text, valid=fixed.valid, confidence=conf, lines=row,
                               speck=without is not None))
        if without is not None:
            found.append(Candidate(text=without, valid=True, confidence=conf, lines=row))
    return found


def _without_speck(run: list[CharCandidates]) -> str | None:
    """The number ``run`` (as read, passing Luhn) makes without its least confident digit, when that
    one was read under ``SPECK_CONFIDENCE`` and the number without it passes Luhn as well."""
    if min(c.confidence for c in run) >= SPECK_CONFIDENCE or len(run) - 1 < MIN_LEN:
        return None
    shorter = drop_one(run, positions=1)
    return "".join(DIGIT_MAP.get(c.best, c.best) for c in shorter) if shorter is not None else None


def _rank(c: Candidate) -> tuple[bool, bool, bool, bool, float]:
    """Luhn-valid runs first; among them a known BIN, then one holding no speck (``SPECK_CONFIDENCE``)
    nor a digit read twice (``Candidate.read_twice``), then a usual length (16 or 19 digits: a 17-digit
    run passing Luhn is more often a 16-digit number with a digit read twice), then confidence."""
    return (c.valid, bool(bin_info(c.text)[0]), not (c.speck or c.read_twice), len(c.text) in (16, 19),
            c.confidence)


def best_number(page: Page) -> Candidate | None:
    """The best-ranked run (see ``_rank``); None when the page has none."""
    found = candidates(page)
    return max(found, key=_rank) if found else None


def _digit_count(row: list[Line]) -> int:
    return sum(len(run) for run in char_runs(_row_chars(row), DIGITS, max_gap=2))


def band_quads(page: Page, rows: int = 2, left: float = 0.5) -> list[np.ndarray]:
    """The rows richest in digits, widened (by ``left`` heights to the left, 4 to the right): embossed
    groups are often missed or split by detection, and one strip across the whole row reads them
    together."""
    scored = sorted(((_digit_count(row), row) for row in group_rows(page, min_overlap=0.4)),
                    key=lambda item: -item[0])
    quads = []
    for count, row in scored[:rows]:
        if count < 4:
            break
        h = max(ln.height for ln in row)
        x0 = max(0.0, min(ln.x0 for ln in row) - left * h)
        x1 = min(float(page.width), max(ln.x1 for ln in row) + 4.0 * h)
        y0 = max(0.0, min(ln.y0 for ln in row) - 0.15 * h)
        y1 = min(float(page.height), max(ln.y1 for ln in row) + 0.15 * h)
        quads.append(rect_quad(x0, y0, x1, y1))
    return quads


def _band_candidates(scan: ScanInput, page: Page, left: float = 0.5) -> list[Candidate]:
    reader = scan.region_reader(page)
    quads = band_quads(page, left=left)
    if reader is None or not quads:
        return []
    found = []
    for quad, read in zip(quads, reader(quads), strict=True):
        box = Line(text=read.text, box=quad, confidence=read.confidence, chars=list(read.chars))
        found += candidates(Page(width=page.width, height=page.height, lines=[box]))
    return found


def parse(scan: ScanInput) -> CardResult:
    page = read_page(scan)
    fields = empty_fields(scan.card)
    if not page.lines:
        return CardResult(card=scan.card, fields=fields, text_found=False)
    extra: dict[str, Any] = {"bankName": "", "cardType": ""}
    best = best_number(page)
    if best is None or not best.valid:
        # Second opinion only when the first read has no Luhn-valid number: the digit rows as strips.
        found = _band_candidates(scan, page)
        if not any(c.valid for c in found):
            # the leading groups may be missed as well (a faint embossed 6226 left of the boxes read):
            # the strips again, reaching further left (not at first: more of the card's edge and art
            # in a strip can cost a digit of a number the narrower strip reads whole)
            found += _band_candidates(scan, page, left=4.0)
        if found:
            second = max(found, key=_rank)
            if best is None or second.valid:
                best = second
    if best is not None:
        fields["bankCardNum"] = best.text
        extra["bankName"], extra["cardType"] = bin_info(best.text)
    rate = page_rate(page, best.lines) if best else page_rate(page)
    return CardResult(card=scan.card, fields=fields, rate=rate, extra=extra)
