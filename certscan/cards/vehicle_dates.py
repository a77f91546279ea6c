"""The vehicle licence front's two dates (注册日期, 发证日期): reads with a digit taken for a letter or
lost, and what the two dates say of each other (the licence is issued on or after registration, often on
the same day), and their places on the bottom row when a caption was not read."""

from __future__ import annotations

import re

from certscan.cards import layout
from certscan.cards.driver import date_in
from certscan.cards.text import edit_distance, find_dates, hamming
from certscan.ocr.types import Line, Page

# letters the printer's digits are read as inside a date (2014-0B-26); never a letter in a date cell
_DATE_DIGITS = str.maketrans("OIBSZ", "01852")


def date_of(text: str) -> str:
    """The date in ``text``, also with a digit read as its look-alike letter when the separators
    show a date's shape (2014-0B-26)."""
    date = date_in(text)
    if date or not re.search(r"\d{4}\s*[-年./]", text):
        return date
    found = find_dates(text.upper().translate(_DATE_DIGITS))
    return found[0] if found else ""


def settled(page: Page, register: str, issue: str, register_texts: list[str]) -> tuple[str, str]:
    """(register, issue) as read in their cells, completed: a date unread in its cell is taken from its
    place on the bottom row, a register date cut off in its cell (``register_texts``, else left of the
    issue date) that agrees with the issue date is it, as is an issue date misread into no date, and a
    register date is never later than the issue date."""
    if not register or not issue:
        register, issue = bottom_dates(page, register, issue)
    if not register and issue:
        register = part_of(issue, register_texts or beside_date(page, issue, left=True))
    if register and not issue:
        # only a misread: an issue date cut off may be any later day
        issue = misread_of(register, beside_date(page, register, left=False))
    if register and issue:
        register = issued_after_registration(register, issue)
    return register, issue


def part_of(date: str, texts: list[str]) -> str:
    """``date`` when the first of ``texts`` with digits is a cut-off read of it (2006-12 or 17-01-18 for
    2006-12-16 / 2017-01-18, 020-12 for 2020-12-16: the licence is often issued on the day of
    registration), or a misread of it (``misread_of``), else ""."""
    if misread_of(date, texts):
        return date
    text = next((t for t in texts if re.search(r"\d", t)), "")
    digits = re.sub(r"\D", "", text)
    whole = date.replace("-", "")
    if len(digits) >= 4 and (whole.startswith(digits) or whole.endswith(digits)):
        return date
    # cut at both ends, its separator read as printed (020-12 of 2020-12-16): the date's middle
    middle = re.sub(r"[^\d-]", "", text.replace(".", "-"))
    return date if len(digits) >= 5 and "-" in middle.strip("-") and middle in date else ""


# a date's shape with a month or day of one digit: its 0 lost (3006-3-21), padded back before comparing
_SHORT_PARTS = re.compile(r"(\d{4})\D(\d{1,2})\D(\d{1,2})(?!\d)")


def misread_of(date: str, texts: list[str]) -> str:
    """``date`` when the first of ``texts`` with digits is it read with one digit lost or misread into no
    date at all (2019-002 for 2019-01-02, 8009-11-05, 2014-97-19, 3006-3-21 for 2006-03-21); a read
    that is a real other day is kept apart (""). The two dates are often the same day."""
    text = next((t for t in texts if re.search(r"\d", t)), "")
    digits = re.sub(r"\D", "", text)
    if (m := _SHORT_PARTS.search(text)) and len(digits) < 8:
        digits = m.group(1) + m.group(2).zfill(2) + m.group(3).zfill(2)
    whole = date.replace("-", "")
    if len(digits) == len(whole) - 1 and edit_distance(digits, whole) == 1:
        return date  # one digit lost inside (2019-002 for 2019-01-02)
    if len(digits) == len(whole) and hamming(digits, whole) == 1 and not find_dates(digits):
        return date  # one digit misread into no date at all (8009-11-05); a real other day is kept
    return ""


def beside_date(page: Page, date: str, left: bool) -> list[str]:
    """The texts left (or right) of ``date``'s box on its row, nearest first: the other date's cell when
    its caption was not read (注日 | 2041226 | 201412-26; 2014-07-19 | # | 2014-97-19)."""
    at = [ln for ln in page.lines if date_of(ln.text) == date]
    if not at:
        return []
    anchor = max(at, key=lambda ln: ln.cy)
    side = [ln for ln in page.lines if ln is not anchor and layout.same_row(ln, anchor)
            and (ln.cx < anchor.x0 if left else ln.cx > anchor.x1)]
    return [ln.text for ln in sorted(side, key=lambda ln: -ln.cx if left else ln.cx)]


def issued_after_registration(register: str, issue: str) -> str:
    """A licence is issued on or after the vehicle's registration: a register date later than the issue
    date by a single misread digit (2008-12-09 for 2006-12-09) is the issue date."""
    if register > issue and hamming(register, issue) == 1:
        return issue
    return register


def bottom_dates(page: Page, register: str, issue: str) -> tuple[str, str]:
    """注册日期 and 发证日期 share the last row, register left, issue right of the middle: used when
    a label was not read."""
    dated = [(ln, date) for ln in page.lines if (date := date_of(ln.text))]
    if not dated:
        return register, issue
    last = max(dated, key=lambda d: d[0].cy)[0]
    row = sorted((d for d in dated if layout.same_row(d[0], last)), key=lambda d: d[0].x0)
    if len(row) == 2:
        return register or row[0][1], issue or row[1][1]
    if len(row) == 1:  # the other date unreadable: which cell this one is in says which date it is
        mid = (min(ln.x0 for ln in page.lines) + max(ln.x1 for ln in page.lines)) / 2
        if row[0][0].cx > mid:
            return register, issue or row[0][1]
        return register or row[0][1], issue
    return register, issue


def register_by_alternatives(register: str, issue: str, line: Line | None) -> str:
    """The register date with one digit taken from the recogniser's other candidates (``line``: the box
    it was read from), when the read is impossible, later than the issue date (2054-08-30 beside
    2017-07-11: the likeliest offered digit that makes it no later, 1 for 5: 2014-08-30), or when a digit
    read as unsurely as its runner-up (6 at 0.46, 8 at 0.46) makes it the issue date: the licence is
    often issued on the day of registration. Else as read."""
    if not register or not issue or line is None or len(line.chars) != len(line.text):
        return register
    digits = [c for c in line.chars if c.best.isdigit()]
    whole = register.replace("-", "")
    at = "".join(c.best for c in digits).find(whole)
    if at < 0:
        return register
    options: list[tuple[float, str]] = []
    for k, cand in enumerate(digits[at : at + len(whole)]):
        for alt, p in zip(cand.chars[1:3], cand.probs[1:3], strict=False):
            changed = whole[:k] + alt + whole[k + 1 :]
            found = find_dates(changed) if alt.isdigit() else []
            date = found[0] if found else ""
            if date == f"{changed[:4]}-{changed[4:6]}-{changed[6:]}":
                options.append((p / max(cand.confidence, 1e-6), date))
    if register > issue:
        possible = [o for o in options if o[1] <= issue]
        return max(possible)[1] if possible else register
    same_day = [share for share, date in options if date == issue]
    return issue if same_day and max(same_day) >= _TOSS_UP else register


# a runner-up digit scored at least this share of the read one's is as likely (6 at 0.46 | 8 at 0.46)
_TOSS_UP = 0.8
