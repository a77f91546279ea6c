"""The driving licence front's validity, in both card generations: ``有效起始日期 D`` + ``有效期限
6年/10年/长期`` (the end date is computed: start + period) or ``有效期限 D1 至 D2``; dates as OCR reads
them (glued to a label or to 至, a separator or a digit lost) and periods mended when impossible.
"""

from __future__ import annotations

import datetime as dt
import re

from certscan.cards import layout
from certscan.cards.text import compact, find_dates, hamming, is_long_term
from certscan.constants import LONG_TERM
from certscan.ocr.types import Line, Page


def dates_in(text: str, long_term: bool = False) -> list[str]:
    """``find_dates`` over text whose boxes OCR merged: a value glued to the next label or to 至
    (``2009-06-17有效期限``, ``2013-12-03至2019-12-03``) still ends its date."""
    text = re.sub(r"(\d)(?=[\u4e00-\u9fff])", r"\1 ", text)
    # 至 lost between the two dates (2020-07-172026-07-17): a whole date's day ends where a year begins
    text = re.sub(r"((?:19|20)\d{2}[-./]\d{2}[-./]\d{2})(?=(?:19|20)\d{2}[-./]\d{2})", r"\1 ", text)
    # a small, blurred hyphen is read as a colon (2017:06-08至长期): the cards print no times, so a
    # colon between digits is a date's separator
    text = re.sub(r"(?<=\d)[:：](?=\d)", "-", text)
    # one separator lost (202411-03, 2024-1103, 202212/31: the other one read as a look-alike) still
    # fixes where month and day sit
    text = re.sub(r"(?<!\d)((?:19|20)\d{2})(\d{2})[-./](\d{2})(?!\d)", r"\1-\2-\3", text)
    text = re.sub(r"(?<!\d)((?:19|20)\d{2})[-./](\d{2})(\d{2})(?!\d)", r"\1-\2-\3", text)
    return find_dates(text, long_term=long_term)


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def text_after(page: Page, labels: list[str]) -> str:
    """The label's own line after the label plus the lines right of it on its row."""
    hit = layout.find_label(page, labels)
    if hit is None:
        return ""
    return hit.rest + "".join(compact(ln.text) for ln in layout.right_of(page, hit.line, min_overlap=0.3))


_PERIOD = re.compile(r"(?<!\d)(?:6|10)年$|长期$")
# the period's years, once the dates are taken out: a start date glued to its period (2021-11-056年) is
# not a 56-year one
_PERIOD_YEARS = re.compile(r"(\d{1,2})\s*年")
_PERIOD_END = re.compile(r"(?:6|10)\s*年$|长期$")
_DATE_TEXT = re.compile(r"(?:19|20)\d{2}\D?\d{1,2}\D?\d{2}")


# 至 and 期 both misread (2015-05-14星长票): a date, one character, then 长 is the long-term span
_MISREAD_LONG_TERM = re.compile(r"\d[^\d长]?长")


def _is_span(text: str) -> bool:
    """A line printing "D1 至 D2" or "D1 至 长期", also with 至 misread (里, 星): a date followed by
    one character and a second date or 长."""
    dates = dates_in(text, long_term=True)
    return bool(dates) and ("至" in text or len(dates) > 1 or bool(_MISREAD_LONG_TERM.search(text)))


def _row_left_of(page: Page, anchor: str | Line) -> str:
    """The text left of a label (or line) on its row, when it holds a date (the older card's start)."""
    if isinstance(anchor, str):
        hit = layout.find_label(page, anchor)
        if hit is None:
            return ""
        anchor = hit.line
    row = [ln for ln in page.lines if layout.same_row(ln, anchor, 0.3) and ln.cx < anchor.x0]
    text = "".join(compact(ln.text) for ln in sorted(row, key=lambda ln: ln.x0))
    return text if dates_in(text) else ""


def _partial_date(text: str, month_day: str) -> str:
    """``2009-03-3`` (a digit lost to OCR) completed with the first-issue date's month and day."""
    m = re.search(r"((?:19|20)\d{2})[-.年/]?(\d{1,2})", text)
    if not m or not month_day or int(m.group(2)) != int(month_day[:2]):
        return ""
    return f"{m.group(1)}-{month_day}"


def validity(page: Page) -> tuple[str, str]:
    first_issue = dates_in(text_after(page, ["初次领证日期"]))
    month_day = first_issue[0][5:] if first_issue else ""
    start_text = text_after(page, ["有效起始日期", "有效起始"])
    period_text = text_after(page, ["有效期限"])
    if not start_text and "至" not in period_text and re.search(r"年|长|長", period_text):
        start_text = _row_left_of(page, "有效期限")  # older card whose 有效起始日期 label was misread
    if not start_text and not period_text:  # neither label read: the row that ends in "6年/10年/长期"
        found = next(((ln, m) for ln in page.lines if (m := _PERIOD.search(compact(ln.text)))), None)
        if found is not None:
            start_text = _row_left_of(page, found[0])
            period_text = found[1].group() if start_text else ""
    if start_text:  # older card: start date + period
        dates = dates_in(_PERIOD_END.sub("", start_text))
        start = dates[0] if dates else _partial_date(start_text, month_day)
        if re.search(r"\d{4}\D\d{1,2}\D\d(?!\d)", start_text) and month_day and start[5:] != month_day:
            start = _partial_date(start_text, month_day) or start  # a zero-padded day lost its last digit
        period_text = period_text or start_text
        if is_long_term(period_text):
            return start, LONG_TERM if start else ""
        by_period = _end_by_period(start, period_text) if start else ""
        if by_period:
            return start, by_period
        later = [d for d in dates_in(period_text) if d != start]
        return start, later[0] if later else ""
    if not period_text:  # labels not read: the line that prints "D1 至 D2"
        spans = [ln.text for ln in page.lines if _is_span(compact(ln.text))]
        period_text = next((text for text in spans if "至" in text), spans[0] if spans else "")
    dates = dates_in(period_text, long_term=True)  # newer card: D1 至 D2
    start = dates[0] if dates else ""
    end = dates[1] if len(dates) > 1 else ""
    if start and not end and _MISREAD_LONG_TERM.search(compact(period_text)):
        end = LONG_TERM
    if start and not end:
        end = _end_by_period(start, period_text)
    start, end = period_pair(start, end, first_issue[0] if first_issue else "")
    # still impossible (equally close mends): the end is left unread, so its check fails and the card is
    # read again, enlarged, where the re-read can place it
    return start, end if not (_DAY.fullmatch(start) and _DAY.fullmatch(end)) or start < end else ""


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# a first licence runs 6 years, a renewed one 10 (then 长期, which prints no end date)
FIRST_PERIOD, RENEWED_PERIOD = 6, 10


def period_pair(start: str, end: str, first_issue: str = "") -> tuple[str, str]:
    """A start date read on or after its end date (2072-10-15 至 2028-10-15, 2022-12-11 至 2022-12-11)
    is impossible: the period is 6 or 10 years, so one of the two was misread. Of the pairs a 6- or
    10-year period makes from either date (a start no later than today, not before a first issue in
    the past), the one differing from the read in the fewest digits (at most two) is taken; between
    equally close pairs the licence's own period decides (6 years from the first issue, 10 after a
    renewal), else the dates stay as read."""
    if not (_DAY.fullmatch(start) and _DAY.fullmatch(end)) or start < end:
        return start, end
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    pairs = {(add_years(last, -years).isoformat(), end, years) for years in (FIRST_PERIOD, RENEWED_PERIOD)}
    pairs |= {(start, add_years(first, years).isoformat(), years) for years in (FIRST_PERIOD, RENEWED_PERIOD)}
    today = dt.date.today().isoformat()
    earliest = first_issue if _DAY.fullmatch(first_issue) and first_issue <= today else ""
    pairs = {pair for pair in pairs if earliest <= pair[0] <= today}

    def digits_off(pair: tuple[str, str, int]) -> int:
        return hamming(pair[0] + pair[1], start + end)

    def own_period(pair: tuple[str, str, int]) -> bool:
        return pair[2] == (FIRST_PERIOD if pair[0] == earliest else RENEWED_PERIOD)

    closest = min(map(digits_off, pairs), default=3)
    best = [pair for pair in pairs if digits_off(pair) == closest]
    if len(best) > 1 and earliest:
        best = [pair for pair in best if own_period(pair)]
    return (best[0][0], best[0][1]) if len(best) == 1 and closest <= 2 else (start, end)


def _end_by_period(start: str, period_text: str) -> str:
    """The end date ``start`` plus the years the period prints (6年; dates in the text taken out first, so
    a start glued to its period is no 56-year one); "" when it prints none."""
    years = _PERIOD_YEARS.search(_DATE_TEXT.sub(" ", period_text))
    return add_years(dt.date.fromisoformat(start), int(years.group(1))).isoformat() if years else ""
