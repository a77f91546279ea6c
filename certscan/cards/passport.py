"""Passport data page: the MRZ (TD3) for identity fields, the visual zone for what only it prints.

The MRZ is the source of surname, given names, number, nationality, dates and personal number: every
check digit is validated and repaired from the recogniser's alternatives. Chinese passports also print
the Chinese name, places of birth and issue (``广东 GUANGDONG``), issue date and authority under
bilingual labels (``签发日期/Date of issue``); Latin-only passports print English labels.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import cv2
import numpy as np

from certscan.cards.base import CardResult, ScanInput
from certscan.cards.layout import find_label, value_below
from certscan.cards.mrz_fields import mrz_date
from certscan.cards.mrz_read import MrzRead, mrz_like, read_mrz
from certscan.cards.mrz_tail import lost_last_digit, read_last_digit
from certscan.cards.passport_crosscheck import (
    chinese_number_digits,
    cross_check_number,
    latin_runs,
    names_confirmed,
    repair_chinese_names,
    repair_header,
    repair_names,
    repair_nationality,
    repair_separator,
)
from certscan.cards.passport_viz import (
    CJK_RUN,
    MONTHS,
    authority_by_characters,
    chinese_viz,
    printed_date,
    split_place,
    viz_value,
)
from certscan.cards.readers import page_rate, read_page
from certscan.cards.text import compact, hamming, normalize
from certscan.constants import empty_fields
from certscan.ocr.engine import RegionReader
from certscan.ocr.types import Page


def _fill_mrz(fields: dict[str, Any], extra: dict[str, Any], read: MrzRead) -> None:
    line0, line1 = read.line0, read.line1
    fields["line0"] = line0 if line0.strip("<") else ""  # the names line was not read: nothing to show
    fields["line1"] = line1
    fields["type"] = line0[0] if line0[0] != "<" else ""
    names = line0[5:].split("<<", 1)
    fields["surname"] = names[0].replace("<", " ").strip()
    fields["givenName"] = names[1].replace("<", " ").strip() if len(names) > 1 else ""
    fields["name"] = f"{fields['surname']} {fields['givenName']}".strip()
    fields["srcCountry"] = line1[10:13].replace("<", "")
    fields["personId"] = line1[28:42].replace("<", "")
    expiry = mrz_date(line1[21:27], future=True)
    limit = None
    if expiry:
        e = dt.date.fromisoformat(expiry)
        limit = e.replace(year=e.year - 5, day=min(e.day, 28))
    birth = mrz_date(line1[13:19], future=False, not_after=limit)
    fields["birthDate"], fields["expireDate"] = birth, expiry
    fields["birthDay"] = birth[5:] if birth else ""
    fields["expireDay"] = expiry[5:] if expiry else ""
    extra["passportNumber"] = line1[0:9].replace("<", "")
    extra["mrzValid"] = read.valid


def _fill_viz(page: Page, fields: dict[str, Any], reread: RegionReader | None = None) -> None:
    chinese = bool(CJK_RUN.search(page.text))
    if chinese:
        chinese_viz(page, fields, reread)
    for key in ("birthPlace", "issuePlace"):
        if fields[key]:
            continue
        place = viz_value(page, key)
        if not place and key == "birthPlace" and not chinese:
            place = place_under_birth_date(page, fields["birthDate"])
        cjk, latin = split_place(place)
        latin_only = latin and not cjk and re.fullmatch(r"[A-Za-z][A-Za-z .,'-]*", place)
        if latin_only:
            place = closed_initialism(place.upper())
        fields[key] = cjk or (place if latin_only else latin)  # NEW YORK U.S.A. keeps its dots
        fields[f"{key}Raw"] = place if latin_only else latin
    if not fields["authority"]:
        authority = viz_value(page, "authority") or _authority_by_name(page)
        fields["authority"] = "".join(CJK_RUN.findall(authority)) if CJK_RUN.search(authority) else authority
    printed = [printed_date(ln.text) for ln in page.lines]
    known = {fields["birthDate"], fields["expireDate"]}
    issue = printed_date(viz_value(page, "issueDate"))
    # the birth date also as printed with a digit misread (an expiry can be one digit from the issue date:
    # ten years to the day)
    others = [d for d in printed if d and d not in known and not _same_date(d, fields["birthDate"])]
    distinct = sorted(set(others))
    if not issue and not fields["expireDate"] and len(distinct) == 3 - bool(fields["birthDate"]):
        # No MRZ expiry and unread captions: the holder was born, then the passport issued, then it
        # expires (the birth date known from the MRZ is not among them).
        if not fields["birthDate"]:
            fields["birthDate"], fields["birthDay"] = distinct[0], distinct[0][5:]
        issue, fields["expireDate"] = distinct[-2:]
        fields["expireDay"] = fields["expireDate"][5:]
    unique_other = others[0] if len(others) == 1 else issue
    fields["issueDate"] = issue if issue and issue not in known else unique_other
    if fields["issueDate"] and fields["expireDate"]:
        issued = issue_year_by_expiry(fields["issueDate"], fields["expireDate"], fields["birthDate"])
        fields["issueDate"] = issued
    if chinese and not fields["authority"]:
        fields["authority"] = authority_by_characters(page, fields["issueDate"])
    for key in ("birthDate", "expireDate"):
        if not fields[key]:  # the MRZ was unreadable: the printed date
            fields[key] = printed_date(viz_value(page, key))
            fields[key.replace("Date", "Day")] = fields[key][5:]
    if not fields["type"]:
        hit = find_label(page, ("类型/Type", "Type"), max_errors=1)
        below = value_below(page, hit.line) if hit else None
        fields["type"] = compact(below.text)[:2] if below else ""


# A dotted initialism at the end of a place (``U.S.A``) whose last dot the recogniser dropped: a small
# dot after the line's last letter falls outside its box.
_OPEN_INITIALISM = re.compile(r"(?:^|\s)(?:[A-Z]\.)+[A-Z]$")


def closed_initialism(place: str) -> str:
    """``CALIFORNIA U.S.A`` as printed, ``CALIFORNIA U.S.A.``: an initialism's letters each end with a dot."""
    return place + "." if _OPEN_INITIALISM.search(place) else place


# A passport is valid for this many years from its issue (to the day, or to the day before).
VALIDITY_YEARS = (5, 10)


def issue_year_by_expiry(issue: str, expiry: str, birth: str) -> str:
    """A printed issue date (YYYY-MM-DD) that cannot be (not before the expiry, in the future, not after
    the birth date) with its year misread (``2929`` for 2020): the year the validity gives from the
    expiry, its day and month as printed, the one nearest the read year by digits; else as read."""
    read = dt.date.fromisoformat(issue)
    expires = dt.date.fromisoformat(expiry)
    born = dt.date.fromisoformat(birth) if birth else dt.date.min
    if born < read < expires and read <= dt.date.today():
        return issue
    candidates = []
    for years in VALIDITY_YEARS:
        try:
            candidate = read.replace(year=expires.year - years)
            valid_until = candidate.replace(year=candidate.year + years)
        except ValueError:  # 29 February
            continue
        if (valid_until - expires).days in (0, 1) and born < candidate:
            candidates.append((hamming(str(candidate.year), str(read.year)), candidate.isoformat()))
    candidates.sort()
    if candidates and (len(candidates) == 1 or candidates[0][0] < candidates[1][0]):
        return candidates[0][1]
    return issue


def _same_date(printed: str, known: str) -> bool:
    """A printed date is the MRZ's date (both YYYY-MM-DD) up to one digit misread (09NOV1946 printed for
    the MRZ's 481109)."""
    return bool(printed and known) and hamming(printed, known) <= 1


def _birth_date_garbled(text: str, birth: str) -> bool:
    """A printed birth date too garbled to parse (``14 JU 205`` for 14 JUL 2005): the birth day as two
    digits, then the start of its month's abbreviation (two letters at least)."""
    m = re.match(r"\s*(\d{2})\s*([A-Z]{2,3})\b", normalize(text))
    return m is not None and m[1] == birth[8:] and MONTHS[int(birth[5:7]) - 1].startswith(m[2])


def place_under_birth_date(page: Page, birth: str) -> str:
    """A place of birth whose caption was not read, where ICAO's visual-zone order prints it: the next
    value under the date of birth in its column (captions, smaller and in mixed case, skipped; nothing
    when the next value is another date or holds more than letters)."""
    dated = [ln for ln in page.lines if birth and (_same_date(printed_date(ln.text), birth)
                                                   or _birth_date_garbled(ln.text, birth))]
    if len(dated) != 1:
        return ""
    date = dated[0]
    h = max(date.height, 1.0)
    under = sorted((ln for ln in page.lines if ln.cy > date.cy + 0.5 * h and abs(ln.x0 - date.x0) < 1.5 * h
                    and ln.y0 - date.y1 < 4 * h), key=lambda ln: ln.cy)
    for ln in under:
        text = normalize(ln.text)
        if ln.height < 0.75 * h or re.search(r"[a-z]", text):
            continue  # a caption
        if re.fullmatch(r"[A-Z][A-Z .,'-]{2,}", text) and not mrz_like(text):
            return text
        return ""
    return ""


# The fields only the visual zone prints.
VIZ_ONLY = ("cnName", "cnNameRaw", "birthPlace", "birthPlaceRaw", "issuePlace", "issuePlaceRaw", "issueDate",
            "authority")


# Words naming the issuing body of a Latin-script data page (ministries, prefectures, passport offices).
AUTHORITY_WORDS = ("MINISTRY", "MINISTERE", "PREFECTURE", "AUTHORITY", "OFFICE", "DEPARTMENT", "EMBASSY",
                   "CONSULATE", "BUREAU", "AGENCY", "SERVICE", "POLICE", "IMMIGRATION", "GOVERNMENT", "STADT",
                   "HMPO", "PASSPORTOFFICE")


def _authority_by_name(page: Page) -> str:
    """An authority whose caption was not read: the line naming an issuing body (not the caption)."""
    for ln in page.lines:
        text = compact(ln.text).upper()
        if mrz_like(ln.text) or text in ("AUTHORITY", "ISSUINGAUTHORITY") or CJK_RUN.search(ln.text):
            continue
        if any(word in text for word in AUTHORITY_WORDS):
            return normalize(ln.text)
    return ""


def _keeps_names_line(old: MrzRead, old_runs: set[str], new: MrzRead, new_runs: set[str]) -> bool:
    """The closer read passes more of line 2 but did not read line 1 (all fillers), or reads names the
    visual zone no longer confirms: line 1 stays the first read's (it has no check digit to lose)."""
    if not old.line0.startswith("P") or not old.line0[5:].strip("<"):
        return False
    unread = not new.line0[5:].strip("<")
    return unread or (names_confirmed(old, old_runs) and not names_confirmed(new, new_runs))


def _page_mrz(scan: ScanInput, page: Page, printed: frozenset[str] = frozenset(),
              ) -> tuple[set[str], MrzRead | None]:
    """The page's Latin words outside the MRZ (with those an earlier read of the same image found:
    ``printed``), and its MRZ read (rows re-read from the input image)."""
    runs = latin_runs(page) | printed
    reread = scan.region_reader(page)
    read = read_mrz(page, reread, lambda r: names_confirmed(r, runs))
    if read is not None and reread is not None and lost_last_digit(read):
        read_last_digit(read, reread)
    return runs, read


def _better(new: MrzRead | None, new_runs: set[str], old: MrzRead | None, old_runs: set[str]) -> bool:
    """The new read agrees more with what an MRZ must be: check digits passed, a names line starting
    with P, a nationality in letters, names the visual zone confirms. (Garbage of nines, an upside-down
    read, passes check digits by chance: 999999 sums to its own check digit's neighbours often.)"""
    if new is None:
        return False
    if old is None:
        return True
    return _plausibility(new, new_runs) > _plausibility(old, old_runs)


def _plausibility(read: MrzRead, runs: set[str]) -> int:
    shape = int(read.line0.startswith("P")) + int(read.line1[10:13].replace("<", "").isalpha())
    return sum(read.checks.values()) + shape + 2 * int(names_confirmed(read, runs))


# A small photo read again enlarged by at most this, to about this longer side (the detector's input
# is ~960 px: a larger image is shrunk back and gains nothing).
ENLARGE_SMALL = 1.5
ENLARGED_SIDE = 1000.0
# crop_to_input of a page read from a crop whose own map (mapped_on) already ends at the input image
_PLACED = np.eye(2, 3, dtype=np.float32)


def _closer_reads(scan: ScanInput, page: Page) -> Iterator[Page]:
    """The page read again from a crop around its text, for a passport small in the photo whose MRZ
    was not read: at the first read's scale faint filler runs, a tilted line's far end and small
    captions fall below the detector's threshold, and the first detection's extent limits its own
    zoom. The margin is wide because the text found may be a fraction of the data page. When the crop
    would be most of the image (the read would repeat the first), a small photo is read enlarged
    instead (a low-resolution zone is below the detector's threshold at its own size), else nothing.
    A crop whose read still shows no MRZ is read once more turned by 180°: a blurred page's 0/180
    decision can go wrong, and upside-down text reads as garbage."""
    h, w = scan.image.shape[:2]
    pts = np.concatenate([page.image_points(ln.box) for ln in page.lines])
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    margin = 0.4 * max(x1 - x0, y1 - y0)
    left, top = int(max(0.0, x0 - margin)), int(max(0.0, y0 - margin))
    right, bottom = int(min(float(w), x1 + margin)), int(min(float(h), y1 + margin))
    if right <= left or bottom <= top:
        return  # the text lies outside the image (a test double's page)
    if (right - left) * (bottom - top) > 0.6 * w * h:
        left, top, right, bottom = 0, 0, w, h
        if min(ENLARGE_SMALL, ENLARGED_SIDE / max(h, w)) < 1.2:
            return
    # a region the detector already sees at its own size gains only by being enlarged
    scale = min(ENLARGE_SMALL, ENLARGED_SIDE / max(bottom - top, right - left))
    scale = scale if scale >= 1.2 else 1.0
    crop = np.ascontiguousarray(scan.image[top:bottom, left:right])
    if scale != 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    crop_in_image = np.array([[1 / scale, 0, left], [0, 1 / scale, top]], np.float32)
    closer = scan.engine.read(crop)
    closer.mapped_on(crop_in_image)
    closer.crop_to_input = _PLACED  # its map now ends at the input: the field details may box its values
    yield closer
    turned = scan.engine.read(np.ascontiguousarray(np.rot90(crop, 2)))
    # turned coordinates (u, v) are (cw-1-u, ch-1-v) in the crop
    ch, cw = crop.shape[:2]
    turned.mapped_on(np.array([[-1, 0, cw - 1], [0, -1, ch - 1]], np.float32))
    turned.mapped_on(crop_in_image)
    turned.crop_to_input = _PLACED
    turned.angle = round((turned.angle + 180) % 360, 1)
    yield turned


def parse(scan: ScanInput) -> CardResult:
    page = read_page(scan)
    fields = empty_fields(scan.card)
    if not page.lines:
        return CardResult(card=scan.card, fields=fields, text_found=False)
    extra: dict[str, Any] = {"passportNumber": "", "mrzValid": False}
    first_page = page
    runs, read = _page_mrz(scan, page)
    # Closer reads only for an MRZ failing a check: names line 1 spells differently from the visual
    # zone (MEI<HUA printed MEI-HUA) are mended from the printed names by repair_names, and an enlarged
    # read of the whole page costs more than the first read.
    if read is None or not read.valid:
        for closer in _closer_reads(scan, page):
            # a name the first read printed clearly confirms the closer read's names line too
            runs2, read2 = _page_mrz(scan, closer, frozenset(runs))
            if _better(read2, runs2, read, runs):
                if read is not None and read2 is not None and _keeps_names_line(read, runs, read2, runs2):
                    read2.line0, runs2 = read.line0, runs | runs2  # line 2 from the closer read only
                page, runs, read = closer, runs2, read2
            if read2 is not None and (read2.valid or names_confirmed(read2, runs2)):
                break
    if read is not None:
        cross_check_number(page, read)
        chinese_number_digits(read)
        repair_nationality(read, runs)
        repair_header(read, runs)
        repair_separator(read, runs)
        repair_names(read, page, runs)
        repair_chinese_names(read, runs)
        _fill_mrz(fields, extra, read)
    mrz_fields = dict(fields)
    _fill_viz(page, fields, scan.region_reader(page))
    if page is not first_page:
        # The closer read has the better MRZ; a visual-zone value it missed may be on the first read.
        first = dict(mrz_fields)
        _fill_viz(first_page, first, scan.region_reader(first_page))
        for key in VIZ_ONLY:
            if not fields[key] and first[key]:
                fields[key] = first[key]
    rate = page_rate(page, read.lines) if read and read.lines else page_rate(page)
    return CardResult(card=scan.card, fields=fields, rate=rate, extra=extra)
