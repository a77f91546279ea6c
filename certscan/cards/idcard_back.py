"""The resident identity card's emblem side: 签发机关 (the issuing bureau) and 有效期限 (``start-end`` or
``start-长期``), by their captions, or by content when a caption is unread.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np

from certscan.cards.authority import bureaus, one_character_choices, snap_bureau
from certscan.cards.layout import find_label, match_label, row_value
from certscan.cards.places import corrected_place, place_names
from certscan.cards.readers import line_chars
from certscan.cards.text import compact, edit_distance, find_dates, one_doubled, strip_punct
from certscan.constants import LONG_TERM
from certscan.ocr.engine import RegionReader
from certscan.ocr.types import CharCandidates, Line, Page, rect_quad


def fill_back(page: Page, fields: dict[str, Any], reread: RegionReader | None = None) -> None:
    """签发机关 and 有效期限 by their labels; unread labels fall back to content (局 / two dates). With
    ``reread``, a bureau the division table does not list is read again alone (``authority_alone``)."""
    authority, lines = _labelled_authority(page)
    if not authority:
        # caption unread: the line naming a bureau (公安 read, or a bureau's 局 ending) and no date
        line = next((ln for ln in page.lines if re.search(r"公安|局$", compact(ln.text))
                     and not re.search(r"\d", ln.text)), None)
        if line is not None:
            authority, lines = compact(line.text), [line]
            end = match_label(authority, "签发机关", max_errors=2)
            authority = authority[end:] if end is not None else authority.lstrip("签发机关")
    fields["authority"] = read_authority(strip_punct(authority), lines)
    if reread is not None:
        fields["authority"] = authority_alone(fields["authority"], lines, reread)
        fields["authority"] = authority_by_glyph(fields["authority"], lines, reread)
    text, lines = _validity_row(page)
    dates = find_dates(text, long_term=True)
    if len(dates) == 1 and _after_dash(compact(text), dates[0]):
        fields["endDate"] = dates[0]  # ``-2029.05.14``: the start date is covered or cut off
    elif dates and dates[0] != LONG_TERM:
        fields["startDate"] = dates[0]
        if len(dates) > 1:
            fields["endDate"] = dates[1]
            # the month and day mended when the years are a term apart, else a year digit (never both)
            first, last = same_day_of_year(*day_with_lost_repeat(dates[0], dates[1], text), lines)
            fields["startDate"], fields["endDate"] = years_a_term_apart(first, last, lines)


def _validity_row(page: Page) -> tuple[str, list[Line]]:
    """The 有效期限 row's text (``validity_text``) and its lines: right of the caption, or (caption unread)
    the row holding a date, else a year and 长期."""
    hit = find_label(page, "有效期限")
    if hit is not None:
        text, lines = row_value(page, hit)
        if find_dates(validity_text(text)):
            return validity_text(text), lines
    rows = [(validity_text(compact(ln.text)), ln) for ln in page.lines]
    dated = next(((row, [ln]) for row, ln in rows if find_dates(row)), None)
    long_term = ((row, [ln]) for row, ln in rows
                 if re.search(r"(?:19|20)\d\d", row) and find_dates(row, long_term=True))
    if dated is None:
        dated = next(long_term, None)
    if dated is not None:
        return dated
    return (validity_text(row_value(page, hit)[0]), []) if hit is not None else ("", [])


# The card is valid for 5, 10 or 20 years to the day (GA 490): the end date repeats the start's month and day.
_VALID_YEARS = (5, 10, 20)


def same_day_of_year(start: str, end: str, lines: Sequence[Line]) -> tuple[str, str]:
    """``start`` and ``end`` (YYYY-MM-DD) given the one month and day both reads can be, each with at most
    one digit of its MMDD taken from the recogniser's alternatives, when they differ there and their years
    are a validity term apart (``2014-05-15`` / ``2019-05-16``: 5 offered for 6 only in the first read);
    unchanged when no MMDD or two fit."""
    if end == LONG_TERM or start[5:] == end[5:] or int(end[:4]) - int(start[:4]) not in _VALID_YEARS:
        return start, end
    found = _date_digits(start, end, lines)
    if found is None:
        return start, end
    options = [_one_digit_options(dates[4:8]) for dates in found]
    agreed = {mmdd for mmdd in options[0] & options[1] if find_dates(f"{start[:4]}{mmdd}")}
    if len(agreed) != 1:
        return start, end
    mmdd = agreed.pop()
    day = f"{mmdd[:2]}-{mmdd[2:]}"
    return f"{start[:4]}-{day}", f"{end[:4]}-{day}"


def _date_digits(start: str, end: str, lines: Sequence[Line],
                 ) -> tuple[list[CharCandidates], list[CharCandidates]] | None:
    """The recogniser's candidates for the 8 digits of ``start`` and of ``end`` as read in ``lines``."""
    digits = [c for ln in lines for c in line_chars(ln) if c.best.isdigit()]
    read = "".join(c.best for c in digits)
    at_start, at_end = read.find(start.replace("-", "")), read.rfind(end.replace("-", ""))
    if at_start < 0 or at_end < at_start + 8:
        return None
    return digits[at_start:at_start + 8], digits[at_end:at_end + 8]


def day_with_lost_repeat(start: str, end: str, text: str) -> tuple[str, str]:
    """``start`` and ``end`` (YYYY-MM-DD, read from the validity ``text``) when their years are a validity
    term apart but one date's month and day, read one digit short, differ: that one takes the other's
    (``2007.04.11-2012.04.1``: the recogniser's CTC decoding merges a repeat it sees as one stroke, and
    the card is valid to the day)."""
    if end == LONG_TERM or start[5:] == end[5:] or int(end[:4]) - int(start[:4]) not in _VALID_YEARS:
        return start, end
    digits = re.sub(r"\D", "", text)
    whole_start, whole_end = start.replace("-", ""), end.replace("-", "")
    if digits.startswith(whole_start) and whole_end[:4] + whole_start[4:] in one_doubled(digits[8:]):
        return start, f"{end[:4]}-{start[5:]}"
    if digits.endswith(whole_end) and whole_start[:4] + whole_end[4:] in one_doubled(digits[:-8]):
        return f"{start[:4]}-{end[5:]}", end
    return start, end


def years_a_term_apart(start: str, end: str, lines: Sequence[Line]) -> tuple[str, str]:
    """``start`` and ``end`` (YYYY-MM-DD) with one year digit taken from the recogniser's alternatives,
    when their years are no validity term apart (5, 10 or 20) as read and exactly one such change makes
    them one (``2028`` / ``2023`` with 1 offered for the start's 2: 2018); unchanged otherwise."""
    if end == LONG_TERM or int(end[:4]) - int(start[:4]) in _VALID_YEARS:
        return start, end
    found = _date_digits(start, end, lines)
    if found is None:
        return start, end
    fits = {(year, end[:4]) for year in _one_digit_options(found[0][:4]) - {start[:4]}
            if int(end[:4]) - int(year) in _VALID_YEARS}
    fits |= {(start[:4], year) for year in _one_digit_options(found[1][:4]) - {end[:4]}
             if int(year) - int(start[:4]) in _VALID_YEARS}
    if len(fits) != 1:
        return start, end
    first, last = fits.pop()
    return first + start[4:], last + end[4:]


_MIN_DIGIT_PROB = 0.02


def _one_digit_options(chars: Sequence[CharCandidates]) -> set[str]:
    """The digits (an MMDD, a year) as read and with one digit replaced by an alternative the recogniser
    scored."""
    read = "".join(c.best for c in chars)
    out = {read}
    for i, c in enumerate(chars):
        for alt, p in zip(c.chars[1:], c.probs[1:], strict=True):
            if alt.isdigit() and p >= _MIN_DIGIT_PROB:
                out.add(read[:i] + alt + read[i + 1:])
    return out


def validity_text(text: str) -> str:
    """The 有效期限 row with the separators OCR lost put back: the dash between a whole date and 长期 or
    the next date (``2016.11.04长期``, ``2018.09.282023.09.28``; a day cut short stays no date), the dot
    between month and day (``2011.1210-长期``) or year and month (``-204201.07``), and 长期 that lost
    its 期 at the row's end (``2018.07.07-长``: nothing else follows a start date there). A colon between
    digits is a dot read in a blur (``2014:05.15``), before two digits only (``2014.07:2``, a day that lost
    a digit, stays no date)."""
    text = re.sub(r"(?<=\d)[:：](?=\d\d)", ".", text)
    text = re.sub(r"(?<=(?:19|20)\d\d[.\-/])([01]\d)([0-3]\d)(?=[-—–~至长]|$)", r"\1.\2", text)
    text = re.sub(r"(?<!\d)((?:19|20)\d\d)([01]\d)(?=[.\-/][0-3]\d(?!\d))", r"\1.\2", text)
    text = re.sub(r"(?<=[.\-/]\d\d)(?=长期|(?:19|20)\d\d[.\-/])", "-", text)
    return re.sub(r"(?<=\d)([-—–~至]?)长$", lambda m: (m.group(1) or "-") + "长期", text)


def chars_of(text: str, lines: Sequence[Line]) -> list[CharCandidates] | None:
    """The recogniser's candidates for each character of ``text``, a value read from ``lines`` (None when
    ``text`` is not found whole in their characters, e.g. after an overlap was merged)."""
    chars = [c for ln in lines for c in line_chars(ln) if c.best.strip()]
    read = "".join(unicodedata.normalize("NFKC", c.best) for c in chars)
    at = read.find(text) if len(read) == len(chars) else -1
    return chars[at:at + len(text)] if at >= 0 and text else None


def read_authority(read: str, lines: Sequence[Line]) -> str:
    """The bureau ``read`` names: snapped onto the listed bureaus as read (a misread first character:
    雕宁县 is 睢宁县, not 宁县), else without a stray prefix; else its place names checked one by one."""
    for text in dict.fromkeys((read, without_stray_prefix(read))):
        snapped = snap_bureau(text, chars_of(text, lines))
        if snapped != text:
            return snapped
    for text in caption_cuts(read):
        snapped = snap_bureau(text, chars_of(text, lines))
        if snapped != text or text in bureaus():
            return snapped
    return corrected_authority(without_stray_prefix(read))


_CAPTION = frozenset("签发机关")


def caption_cuts(read: str) -> list[str]:
    """``read`` without its first 1-4 characters, when those hold a character of the 签发机关 caption: the
    caption misread and one of its characters lost (``要机美销宁布依族…``: 发机关 with 签 unread) is no
    caption ``match_label`` finds; the rest is then snapped onto the listed bureaus (see read_authority)."""
    head = read.split("公安", 1)[0]
    return [read[k:] for k in range(1, min(4, len(head) - 2) + 1) if _CAPTION & set(read[:k])]


# How far a bureau read alone may be from the first read (one character lost and one misread)
_MAX_REREAD_EDITS = 2


def authority_alone(authority: str, lines: Sequence[Line], reread: RegionReader) -> str:
    """A bureau the division table does not list (``陵县公安局``), read again without its caption: the
    recogniser drops a rare character (沅陵县, 磴口县) at full confidence when it reads it after the
    caption, and often reads it when the value is cut out alone. The value's place is read in a few
    bands at once (starting at the caption's end or half a character before it, tight and a little
    taller); the listed bureau those reads name is taken when they name only one and it is at most
    ``_MAX_REREAD_EDITS`` from the first read."""
    if not authority or not lines or authority in bureaus():
        return authority
    named: set[str] = set()
    for read in reread(value_bands(lines)):
        text = strip_punct(compact(read.text))
        end = match_label(text, "签发机关", max_errors=2)
        bureau = read_authority(text[end:] if end is not None else text, [])
        if bureau in bureaus() and edit_distance(bureau, authority) <= _MAX_REREAD_EDITS:
            named.add(bureau)
    return named.pop() if len(named) == 1 else authority


def value_bands(lines: Sequence[Line]) -> list[np.ndarray]:
    """Quads around the 签发机关 value on its row (``lines``: the caption's line first): from the end of
    the caption, where it shares the value's box (characters spaced evenly), or from half a character
    before the first box (a first character the box left out)."""
    first = lines[0]
    text = compact(first.text)
    end = match_label(text, "签发机关", max_errors=2)
    h = max(ln.height for ln in lines)
    if end is not None and end < len(text):
        pitch = (first.x1 - first.x0) / len(text)
        starts = [first.x0 + (end - 0.5) * pitch, first.x0 + end * pitch]
    else:
        starts = [first.x0 - 0.5 * h, first.x0]
    x1 = max(ln.x1 for ln in lines) + 0.2 * h
    y0, y1 = min(ln.y0 for ln in lines), max(ln.y1 for ln in lines)
    return [rect_quad(x0, y0 - pad, x1, y1 + pad) for x0 in starts for pad in (0.0, 0.15 * h)]


# Where a character lost before the character at a position may start, and how wide the crop is (in the
# line's character pitch, measured with the lost character missing: a little wide): from just before
# the next character's estimated start back past one character; a misread character is cut around it.
_LOST_STARTS, _MISREAD_STARTS, _GLYPH_WIDTHS = (1.25, 1.0, 0.75, 0.5, 0.25), (0.5, 0.25, 0.0), (1.0, 1.5)
# The votes (a choice's probability summed over the crops) the chosen character needs, and how far
# ahead of the next choice
_MIN_GLYPH_VOTE, _GLYPH_MARGIN = 0.5, 2.0


def authority_by_glyph(authority: str, lines: Sequence[Line], reread: RegionReader) -> str:
    """A bureau one character from several listed ones (``陵县公安局``: 鄢陵, 沅陵, 茶陵… with the rare
    first character lost; ``淡江区分局`` for 浈江, 曲江 or 武江): that character's place read again in a
    few crops a character or two wide. The recogniser drops a rare character read within a line, yet
    often names it, or scores it, when the crop shows little else. The choice the crops score clearly
    highest is taken; anything else leaves the read as it was."""
    if not authority or not lines or authority in bureaus():
        return authority
    choices = one_character_choices(authority)
    plans = [(options, _glyph_crops(authority, lines, k, lost)) for (k, lost), options in choices.items()
             if len(options) > 1]
    plans = [(options, crops) for options, crops in plans if crops]
    if not plans:
        return authority
    reads = iter(reread([quad for _, crops in plans for quad in crops]))
    votes: dict[str, float] = {}
    for options, crops in plans:
        for read in (next(reads) for _ in crops):
            for char in options:
                best = max((p for c in read.chars for alt, p in zip(c.chars, c.probs, strict=True)
                            if alt == char), default=0.0)
                votes[options[char]] = votes.get(options[char], 0.0) + best
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if ranked[0][1] >= _MIN_GLYPH_VOTE and ranked[0][1] >= _GLYPH_MARGIN * runner_up:
        return ranked[0][0]
    return authority


def _glyph_crops(authority: str, lines: Sequence[Line], k: int, lost: bool) -> list[np.ndarray]:
    """Quads around the place of the authority's ``k``-th character (``lost``: the place before it), the
    lines' characters taken as evenly spaced in their boxes; none when the authority is not found whole
    in the lines' text."""
    placed = [(ln, i, len(text)) for ln in lines if (text := compact(ln.text)) for i in range(len(text))]
    read = "".join(compact(ln.text) for ln in lines if compact(ln.text))
    at = read.rfind(authority)
    if at < 0 or len(read) != len(placed):
        return []
    index = at + k
    if index >= len(placed):  # lost after the last character: where one more would start
        line, i, count = placed[-1]
        i += 1
    else:
        line, i, count = placed[index]
    pitch = (line.x1 - line.x0) / count
    x = line.x0 + i * pitch
    starts = _LOST_STARTS if lost else _MISREAD_STARTS
    return [rect_quad(x - s * pitch, line.y0, x - s * pitch + w * pitch, line.y1)
            for s in starts for w in _GLYPH_WIDTHS]


def without_stray_prefix(authority: str) -> str:
    """The authority without up to 4 leading characters that are no part of it (a misread caption, a
    speck): cut only where the rest then starts with a division's exact name (``家务平阳县公安局``)."""
    head = authority.split("公安", 1)[0]
    names = place_names()
    if not head or head in names or any(head.startswith(n) for n in names if len(n) >= 3):
        return authority
    for k in range(1, min(4, len(head) - 2) + 1):
        rest = head[k:]
        if rest in names or any(rest.startswith(n) for n in names if len(n) >= 3):
            return authority[k:]
    return authority


def corrected_authority(authority: str) -> str:
    """The place names of ``<city>公安局<district>分局`` checked against the division table."""
    m = re.fullmatch(r"(.+?)(公安局)(.*?)(分局)?", authority)
    if m is None:
        return authority
    head, bureau, district, branch = m.group(1), m.group(2), m.group(3), m.group(4) or ""
    if district and branch:
        district = corrected_place(district)
    return corrected_place(head) + bureau + district + branch


def _labelled_authority(page: Page) -> tuple[str, list[Line]]:
    """The value right of 签发机关. A caption read with its last character wrong (``签发机美灵璧县``) loses
    that character, not the value's first (unless what follows its first three is a place's name)."""
    hit = find_label(page, "签发机关")
    if hit is None:
        return "", []
    value, lines = row_value(page, hit)
    s = compact(hit.line.text)
    if hit.errors and len(s) > 5 and s[:3] == "签发机" and s[3] != "关" and value == strip_punct(s[3:]):
        head = s[3:].split("公安", 1)[0]
        if not any(head.startswith(n) for n in place_names()):
            value = strip_punct(value[1:])
    return value, lines


def _after_dash(text: str, date: str) -> bool:
    """The (only) date found in ``text`` is the second of ``start-end``: a dash comes before it."""
    pos = text.find("长期") if date == LONG_TERM else text.find(date[:4])
    return pos > 0 and re.search(r"[-—–~至]", text[:pos]) is not None


