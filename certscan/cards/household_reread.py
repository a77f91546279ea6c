"""A household register page read a second time when its first read fails the page.

A page photographed small in a large frame (or blurred) is seen by the detector at a few pixels a row:
captions are misread (姓名 → 姓荐) or never boxed, and whole pages come back empty. That is cheap to tell
from the parsed values: a name of two to four characters, a citizen number passing its check digit,
dates that parse, an ethnic group, a word of the register's closed lists. When at least ``MIN_FAILED`` of
these checks fail, the page is read once more: cut out under its printed title and enlarged
(``certscan.cards.reread``), or, when not even the title was read, turned the other way up (a blurred
photo leaves the engine's orientation probe unsure). The second read is kept when it passes
``CLEARLY_BETTER`` more checks, else the first; a value failing its check (or, unchecked, left unread) is
taken from the other read when that one passes (or has it). One extra OCR pass, only on a failed page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from certscan.cards import reread
from certscan.cards.base import CardResult, ScanInput
from certscan.cards.household_values import (
    BLOOD_TYPES,
    EDUCATION,
    HOUSEHOLD_TYPES,
    MARITAL,
    MILITARY,
    RELATION,
    RELIGION,
    WHOLE_MIGRATION,
)
from certscan.cards.idcard import ETHNIC_GROUPS, number_valid
from certscan.cards.text import compact
from certscan.ocr.engine import OcrEngine
from certscan.ocr.types import Line, Page

PageParser = Callable[[Page, np.ndarray | None, OcrEngine | None], CardResult]

# checks failing on a page that was read whole are rare (a faint stamp, an unusual relation); two or more
# failing mean the page itself was not read
MIN_FAILED = 2

# checks the second read must pass beyond the first's for its values to be kept over the first's
CLEARLY_BETTER = 2

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# the title read with a character lost or misread (住人口#记卡, 户口博) still places the page, and says
# it is the right way up
_TITLE = re.compile(r"常住|住人口|人口.?登|登记[卡簿]|记卡$|^户口.?$|口[簿薄博]$")


def _person(value: str) -> bool:
    return bool(re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", value))


def _date(value: str) -> bool:
    return bool(_ISO_DATE.fullmatch(value))


RESIDENT_CHECKS: reread.Checks = {
    "name": _person,
    "relationTo": lambda value: value in RELATION,
    "nation": lambda value: value.endswith("族") and value[:-1] in ETHNIC_GROUPS,
    "idNumber": number_valid,
    "birthday": _date,
    "registerDate": _date,
    "undertaker": _person,
}

HEAD_CHECKS: reread.Checks = {
    "householdType": lambda value: value in HOUSEHOLD_TYPES,
    "houseHolder": _person,
    "householdNumber": lambda value: bool(re.fullmatch(r"\d{6,}", value)),
    "address": lambda value: len(value) >= 6,
    "issueDate": _date,
    "undertaker": _person,
}


def _printed_text(value: str) -> bool:
    """Chinese print (a place, an employer, an occupation) with house numbers, and no Latin letters or
    marks: the garbage a blurred cell reads as (``PIASPIEE``, ``…本市()``) is not it."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff\d]{2,}", value))


# What a value no check above judges must look like to be taken from the other read: a closed list's
# word, a height, a migration, printed text. A blurred page's second read fills its blank cells with
# whatever ink it met (a caption's remnant, a neighbour's value), which the bare "was read" took.
FILL_CHECKS: reread.Checks = {
    "bloodType": lambda value: value in (*BLOOD_TYPES, "不明"),
    "height": lambda value: bool(re.fullmatch(r"\d{2,3}(cm)?", value)),
    "maritalStatus": lambda value: value in MARITAL,
    "militaryService": lambda value: value in MILITARY,
    "education": lambda value: value in EDUCATION,
    "religion": lambda value: value in RELIGION,
    "formerName": _person,
    "migrationDate1": lambda value: bool(WHOLE_MIGRATION.fullmatch(value)),
    "migrationDate2": lambda value: bool(WHOLE_MIGRATION.fullmatch(value)),
    **{key: _printed_text for key in ("birthPlace", "hometown", "otherAddress", "servicePremises",
                                      "occupation")},
}


def title_line(page: Page) -> Line | None:
    """The page's title (常住人口登记卡 / 户口簿), the widest read of it; None when not read."""
    titles = [ln for ln in page.lines if _TITLE.search(compact(ln.text))]
    return max(titles, key=lambda ln: ln.x1 - ln.x0) if titles else None


def card_region(page: Page, title: Line) -> np.ndarray | None:
    """The page's quad in page coordinates, from its title (both pages' tables are at most about 20
    title heights wide, centred under it, and 12 tall; the title's width depends on the page and on how
    much of it was read)."""
    h, cx = title.y1 - title.y0, (title.x0 + title.x1) / 2
    return reread.clipped_quad(page, cx - 11 * h, title.y0 - 2 * h, cx + 11 * h, title.y1 + 14 * h)


def closer_if_failed(first: CardResult, page: Page, scan: ScanInput, parse: PageParser,
                     checks: reread.Checks) -> CardResult:
    """``first`` unless at least ``MIN_FAILED`` of ``checks`` fail on it; then the card read again cut
    out and enlarged (or, when the first read boxed next to nothing, the whole photo read with a closer
    detector), the two reads merged value by value."""
    failed = len(checks) - reread.passed(first.fields, checks)
    if failed < MIN_FAILED:
        return first
    title = title_line(page)
    again_page: Page | None
    if title is None:
        # not even the title read: the page was likely turned the wrong way up (a blurred photo leaves
        # the engine's orientation probe unsure, and unsure it keeps the photo as given)
        turned = reread.turned_over(scan.image)
        card, again_page = turned.image, reread.read_cut(scan.engine, turned)
    elif len(page.lines) >= reread.FEW_LINES:
        cut = reread.enlarged_card(scan.image, page, card_region(page, title))
        if cut is None:
            return first
        card, again_page = cut.image, reread.read_cut(scan.engine, cut)
    else:
        card = scan.image
        again_page = reread.read_closer(scan.engine, scan.image)
    if again_page is None:
        return first
    again = parse(again_page, card, scan.engine)
    # Only a second read passing clearly more checks saw the page better (a small card now seen large);
    # one enlarged from a blurred photo reads no better, and its unchecked values are often worse.
    if reread.passed(again.fields, checks) >= len(checks) - failed + CLEARLY_BETTER:
        kept, other = again, first
    else:
        kept, other = first, again
    # a value failing its check, or one no check judges left unread, is the other read's if that one
    # passes (unchecked: one that looks like a value of its kind, FILL_CHECKS, or was read at all)
    every = {key: checks.get(key) or FILL_CHECKS.get(key, bool) for key in kept.fields}
    return replace(kept, fields=reread.merged(kept.fields, other.fields, every))
