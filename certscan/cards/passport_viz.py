"""Passport visual zone: English and bilingual captions, printed dates, and the Chinese data page read by
content (its labels are small and often misread, its values are not): names beside their pinyin,
province places, the issuing authority.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from certscan.cards.layout import find_label, value_below
from certscan.cards.passport_pinyin import MIN_PROB, pinyin_name, repair_by_pinyin, spells
from certscan.cards.places import PROVINCE_SHORT_NAMES
from certscan.cards.readers import line_chars
from certscan.cards.text import edit_distance, is_subsequence, normalize
from certscan.checks.mrz_codes import known_state
from certscan.ocr.engine import RegionReader
from certscan.ocr.types import Line, Page, rect_quad

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z ]*[A-Za-z]|[A-Za-z]")

# Label variants as OCR returns them (compacted: no spaces); Chinese first, then English.
LABELS: dict[str, tuple[str, ...]] = {
    "surname": ("姓/Surname", "姓/", "Surname"),
    "given": ("名/Givennames", "名/", "Givennames"),
    "birthPlace": ("出生地点", "Placeofbirth"),
    "issuePlace": ("签发地点", "Placeofissue"),
    "issueDate": ("签发日期", "Dateofissue"),
    "authority": ("签发机关", "Authority"),
    "birthDate": ("出生日期", "Dateofbirth"),
    "expireDate": ("有效期至", "Dateofexpiry"),
}


def printed_date(text: str) -> str:
    """``15 3月/MAR 2019``, ``15 MAR 2019``, ``01 JAN 76``, ``01.01.1911`` → YYYY-MM-DD ("" if none)."""
    s = normalize(text).upper().replace("O", "0") if re.search(r"\d", text) else ""
    for abbr in ("OCT", "NOV"):  # undo the O→0 inside month names (150CT, N0V), not after a day (10MAR)
        s = s.replace(abbr.replace("O", "0"), abbr)
    # a speck between the day and the month (02.9月/SEP) is no separator of a numeric date
    # The month's abbreviation may be garbled (5EP) when its number is printed too (9月/SEP).
    m = re.search(r"(\d{1,2})[\s.,'`]*(?:(\d{1,2})\s*月)?\s*/?\s*([A-Z][A-Z0-9]{1,2}|\d[A-Z][A-Z0-9]?)?\s*"
                  r"(\d{4}|\d{2})(?!\d)", s)
    if m and (m.group(2) or (m.group(3) or "").isalpha()):
        day, month_num, month_abbr, year = m.groups()
        month = int(month_num) if month_num else (MONTHS.index(month_abbr) + 1 if month_abbr in MONTHS else 0)
        y = int(year) if len(year) == 4 else 2000 + int(year)
        try:
            return dt.date(y, month, int(day)).isoformat()
        except ValueError:
            return ""
    m = re.search(r"(\d{2})[./-](\d{2})[./-](\d{4})", s)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            return ""
    return ""


def viz_value(page: Page, key: str) -> str:
    hit = find_label(page, LABELS[key], max_errors=1)
    if hit is None:  # small English captions lose two letters (Placc of fbirth); none is two from another
        hit = find_label(page, [label for label in LABELS[key] if len(label) >= 10], max_errors=2)
    if hit is None:
        return ""
    line = value_below(page, hit.line) or _value_under(page, hit.line)
    return normalize(line.text) if line is not None else ""


def _value_under(page: Page, label: Line) -> Line | None:
    """The value printed under a caption whose box overlaps the caption's (a tilted page, tall boxes):
    the nearest line whose centre is clearly lower, starting in the caption's column."""
    h = max(label.height, 1.0)
    below = [ln for ln in page.lines if ln is not label and ln.cy > label.cy + 0.4 * h
             and ln.y0 - label.y1 < 2 * h and label.x0 - 1.5 * h <= ln.x0 <= label.x1]
    return min(below, key=lambda ln: (ln.cy, ln.x0)) if below else None


def split_place(text: str) -> tuple[str, str]:
    cjk = "".join(CJK_RUN.findall(text))
    latin = " ".join(m.strip() for m in _LATIN.findall(text)).upper()
    return cjk, latin


PROVINCES = PROVINCE_SHORT_NAMES


# The provinces' names as Chinese passports print them in Latin letters (Hanyu Pinyin, and the
# customary spellings of Shaanxi, Inner Mongolia, Hong Kong and Macao).
PROVINCE_LATIN = dict(zip(PROVINCES, (
    "BEIJING", "TIANJIN", "HEBEI", "SHANXI", "NEIMENGGU", "LIAONING", "JILIN", "HEILONGJIANG", "SHANGHAI",
    "JIANGSU", "ZHEJIANG", "ANHUI", "FUJIAN", "JIANGXI", "SHANDONG", "HENAN", "HUBEI", "HUNAN", "GUANGDONG",
    "GUANGXI", "HAINAN", "CHONGQING", "SICHUAN", "GUIZHOU", "YUNNAN", "XIZANG", "SHAANXI", "GANSU",
    "QINGHAI", "NINGXIA", "XINJIANG", "TAIWAN", "HONGKONG", "MACAO"), strict=True))


# The bodies that issue Chinese passports: the Exit and Entry Administration of the Ministry of Public
# Security until 2018, the National Immigration Administration since.
CN_AUTHORITIES = ("国家移民管理局", "公安部出入境管理局")
# Their English names as the data page prints them under the Chinese, letters only.
CN_AUTHORITIES_EN = (("NATIONALIMMIGRATIONADMINISTRATIONPRC", "国家移民管理局"),
                     ("EXITENTRYADMINISTRATIONMINISTRYOFPUBLICSECURITY", "公安部出入境管理局"))


def _province(text: str) -> tuple[str, str] | None:
    """(Chinese, Latin) of a place row (``广东 GUANGDONG``): its Chinese starting with a province and a
    Latin part; or a Latin part one letter from a province's (``XUNJIANG``, ``SHAANNXI``) beside at most
    three Chinese characters, the Latin settling a Chinese read the recogniser garbled (``新篷``)."""
    cjk, latin = "".join(CJK_RUN.findall(text)), _latin(text)
    if not latin:
        return None
    flat = latin.replace(" ", "")
    exact = [p for p, name in PROVINCE_LATIN.items() if flat == name]
    near = exact or [p for p, name in PROVINCE_LATIN.items()
                     if len(flat) >= 5 and edit_distance(flat, name) <= 1]
    printed = next((p for p in PROVINCES if cjk.startswith(p)), None)
    if printed is not None:
        # the Chinese names the province: its Latin read two letters off is its pinyin (SHAANOO)
        # (read wholly and naming no other, the Chinese settles a Latin read half off: JANGO, 江西)
        off = edit_distance(flat, PROVINCE_LATIN[printed])
        alone = cjk == printed and not near and off <= len(PROVINCE_LATIN[printed]) // 2
        own = not exact and len(flat) >= 4 and (off <= 2 or alone)
        return cjk, PROVINCE_LATIN[printed] if printed in near or own else latin
    # The Chinese shares a character with the province (a garbled read), or was not read at all.
    if len(near) == 1 and len(cjk) <= 3 and (not cjk or set(cjk) & set(near[0])):
        return near[0], PROVINCE_LATIN[near[0]]
    return None


def _row_texts(page: Page) -> list[tuple[Line, str, list[Line]]]:
    """Each line with the boxes right next to it on its row (``欣燕`` | ``XINYAN``): the row's text and its
    lines, from bounds computed once (the pairwise ``right_of`` over Line properties cost a Chinese page
    tens of milliseconds)."""
    lines = page.lines
    bounds = [(ln.x0, ln.y0, ln.x1, ln.y1) for ln in lines]
    out = []
    for i, (x0, y0, x1, y1) in enumerate(bounds):
        h = max(y1 - y0, 1.0)
        # a box starting over the line's first half is stacked on it, not beside it (a caption above a
        # tilted value, ``姓/Surname`` over ``胡HU``, wider and overlapping it by half a line)
        row = sorted((bx0, j) for j, (bx0, by0, bx1, by1) in enumerate(bounds)
                     if j != i and (bx0 + bx1) / 2 > (x0 + x1) / 2 and bx0 > (x0 + x1) / 2
                     and max(0.0, min(y1, by1) - max(y0, by0)) >= 0.5 * max(1.0, min(h, by1 - by0)))
        parts, right = [lines[i]], x1
        for bx0, j in row:
            if bx0 - right > 2 * h:
                break
            parts.append(lines[j])
            right = bounds[j][2]
        out.append((lines[i], " ".join(normalize(ln.text) for ln in parts), parts))
    return out


def _names_unread_in_mrz(rows: list[tuple[Line, str, list[Line]]], fields: dict[str, Any]) -> dict[str, Any]:
    """MRZ line 1 unread (its names lost): the names as the visual zone prints them, the top two rows
    whose characters spell their own pinyin (王 WANG over 红晶 HONGJING; the province rows spell theirs
    too, so a province's name is skipped), the second right under the first. Line 1 is written from
    them when line 2 gives the holder as Chinese: its names are the printed pinyin."""
    named = []
    for ln, _, parts in rows:
        kept = [normalize(p.text) for p in parts]
        # the row up to a caption beside it (红晶 HONGJING | 出生地点/Place of birth)
        text = " ".join(kept[:next((i for i, t in enumerate(kept) if "/" in t), len(kept))])
        cjk = "".join(CJK_RUN.findall(text))
        if cjk and len(cjk) <= 4:
            named.append((ln, cjk, _latin(text)))
    spelled = sorted((m for m in named if m[2] and m[2].replace(" ", "") not in PROVINCE_LATIN.values()
                      and spells(m[1], m[2].replace(" ", ""))), key=lambda m: m[0].cy)
    if len(spelled) < 2:
        return {}
    (top, cjk, surname), (under, _, given) = spelled[:2]
    h = max(top.height, 1.0)
    if len(cjk) > 2 or not (0 < under.y0 - top.y1 < 3.5 * h and abs(under.x0 - top.x0) < 2 * h):
        return {}
    fields["surname"], fields["givenName"] = surname.replace(" ", ""), given.replace(" ", "")
    if not fields["line0"] and fields["srcCountry"] == "CHN":
        fields["line0"] = line0_with_names("P<CHN", fields["surname"], fields["givenName"])
        fields["type"] = fields["type"] or "P"
    return {"surname": spelled[0], "givenName": spelled[1]}


def _checked_by_pinyin(cjk: str, parts: list[Line], pinyin: str, keep: int) -> str:
    """A name row's characters checked against the name's pinyin, a misread one replaced by one of the
    recogniser's alternatives that spells it (``passport_pinyin``); as read when its characters cannot
    be lined up with the row's candidates."""
    best: list[str] = []
    alternatives: list[list[str]] = []
    for part in parts:
        for cand in line_chars(part):
            if CJK_RUN.fullmatch(cand.best):
                best.append(cand.best)
                alternatives.append([c for i, (c, p) in enumerate(zip(cand.chars, cand.probs, strict=True))
                                     if i == 0 or p >= MIN_PROB])
    if "".join(best) != cjk:
        return cjk  # the row's text was changed on the way (a dash read for 一)
    return repair_by_pinyin(cjk, alternatives, pinyin.replace(" ", ""), keep)


def _latin(text: str) -> str:
    return " ".join(m.strip() for m in _LATIN.findall(text)).upper()


# The sex row (女F under a given name) is no name row.
_SEXES = ("男", "女")


def characters_beside_pinyin(page: Page, pinyin: str, column: float | None, reader: RegionReader) -> str:
    """A name's characters the detector did not box, read again with their printed pinyin (马 | XIAO:
    小 unread): from the names' column (``column``, where the other name's characters start; else four
    line heights left of the pinyin) to the pinyin's end (the recogniser reads two lone blurred
    characters as nothing more often), in one recognition call, tight and a little taller; the
    characters taken when they spell the pinyin, else "". A run of dashes is 一 (YI) when the pinyin
    has that syllable: its one stroke, alone in the band, is read as one dash or two (``——YI``)."""
    boxes = [ln for ln in page.lines if not CJK_RUN.search(ln.text)
             and _same_name(pinyin, re.sub(r"[^A-Z]", "", ln.text.upper()))]
    if len(boxes) != 1:
        return ""
    box, h = boxes[0], boxes[0].height
    left = column - 0.2 * h if column is not None and column < box.x0 - 0.5 * h else box.x0 - 4 * h
    quads = [rect_quad(left, box.y0 - pad, box.x1, box.y1 + pad) for pad in (0.1 * h, 0.25 * h)]
    for read in reader(quads):
        text = _DASHES.sub("一", read.text) if "YI" in pinyin else read.text
        cjk = "".join(CJK_RUN.findall(text))
        if cjk and spells(cjk, pinyin):
            return cjk
    return ""


def _same_name(mrz_name: str, printed: str) -> bool:
    """The printed Latin name is the MRZ's, or the MRZ's with at most two letters lost."""
    if mrz_name == printed:
        return True
    if len(printed) == len(mrz_name) and printed.isalpha():
        # a name holds letters only: a digit the MRZ read put in it (9ONG) is the printed letter
        return all(m == p or not m.isalpha() for m, p in zip(mrz_name, printed, strict=True))
    if not 0 < len(printed) - len(mrz_name) <= 2:
        return False
    return is_subsequence(mrz_name, printed)


def _pinyin_kept(mrz_name: str, printed: str) -> bool:
    """The MRZ's name is a pinyin name (one or two syllables) and the print's read of it is none: a letter
    doubled (XINLINNG) or a word read beside it (NINGZHI MR) is no letter the MRZ read lost."""
    return pinyin_name(mrz_name) and not pinyin_name(printed)


def line0_with_names(line0: str, surname: str, given: str) -> str:
    """MRZ line 1 with its name field rewritten from names corrected by the visual zone."""
    names = surname.replace(" ", "<") + ("<<" + given.replace(" ", "<") if given else "")
    return (line0[:5] + names).ljust(44, "<")[:44]


_DASH = "[-‐‑–—－_~]"
_DASHES = re.compile(_DASH + "+")
_DASH_BY_CJK = re.compile(rf"(?<=[\u4e00-\u9fff]){_DASH}|{_DASH}(?=[\u4e00-\u9fff])")


def _dash_as_yi(text: str) -> str:
    """A name row's 一 (one stroke) read as a dash beside the other characters (``飞-FEIYI``), when the
    pinyin beside it has the syllable YI."""
    return _DASH_BY_CJK.sub("一", text) if "YI" in _latin(text).replace(" ", "") else text


def chinese_viz(page: Page, fields: dict[str, Any], reread: RegionReader | None = None) -> None:
    """Chinese data page by content: its labels are small and often misread, its values are not. With
    ``reread``, a name whose characters were not read is read again beside its pinyin
    (``characters_beside_pinyin``)."""
    all_rows = _row_texts(page)
    full_rows = [row for row in all_rows if "/" not in row[1]]  # not a caption row
    rows = [(ln, text) for ln, text, _ in full_rows]
    row_lines = {id(ln): parts for ln, _, parts in full_rows}
    row_text = {id(ln): text for ln, text, _ in full_rows}
    named = [(ln, cjk, _latin(text)) for ln, cjk, text in
             ((ln, "".join(CJK_RUN.findall(_dash_as_yi(text))), text) for ln, text in rows)
             if cjk and len(cjk) <= 4]
    corrected = False
    found: dict[str, tuple[Line, str, str]] = {}
    for key in ("surname", "givenName"):
        target = fields[key].replace(" ", "")
        if not target:
            continue
        # The printed name spelled as in the MRZ first; else one the MRZ read lost a letter or two of.
        free = [m for m in named if all(m[0] is not f[0] for f in found.values())]  # LI LI: two rows
        match = next((m for m in free if m[2].replace(" ", "") == target), None) or next(
            (m for m in free if _same_name(target, m[2].replace(" ", ""))), None)
        if match is not None:
            found[key] = match
    if len(found) == 1:
        # One name row matched: the other is the name row printed right under (or above) it, its Chinese
        # part taken; its Latin part only where the MRZ read lost the name entirely.
        (key, (ln, _, _)), = found.items()
        h = max(ln.height, 1.0)
        below = key == "surname"
        other = "givenName" if below else "surname"
        beside = [m for m in named if m[0] is not ln and abs(m[0].x0 - ln.x0) < 2 * h and m[1] not in _SEXES
                  and 0 < (m[0].y0 - ln.y1 if below else ln.y0 - m[0].y1) < 3.5 * h]
        # a row whose characters spell the other name's pinyin (its own pinyin unread: 子 under 余YU),
        # else the nearest with a Latin part (not the sex row 男M under it)
        # (a caption row that lost its slash, 出生扫期Date of birth, prints its English in mixed case:
        # no name; a name row merged with its caption is read again beside its pinyin instead)
        near = ([m for m in beside if spells(m[1], fields[other].replace(" ", ""))]
                or [m for m in beside if m[2] and not re.search(r"[a-z]", row_text[id(m[0])])])
        if near:
            found[other] = min(near, key=lambda m: abs(m[0].cy - ln.cy))
    if not found and not fields["surname"] and not fields["givenName"]:
        found = _names_unread_in_mrz(all_rows, fields)
    column = min((m[0].x0 for m in found.values()), default=None)  # where the names' characters start
    for key in ("surname", "givenName"):
        if key not in found:
            pinyin = fields[key].replace(" ", "")
            if reread is not None and pinyin:
                fields["cnName"] += characters_beside_pinyin(page, pinyin, column, reread)
            continue
        ln, cjk, latin = found[key]
        mrz_name = fields[key].replace(" ", "")
        printed = latin.replace(" ", "")
        # (not when the characters spell the MRZ's name and not the print's: 王 WANG printed WUANG)
        if printed != mrz_name and (not mrz_name or _same_name(mrz_name, printed)) and not _pinyin_kept(
                mrz_name, printed) and not (spells(cjk, mrz_name) and not spells(cjk, printed)):
            fields[key] = latin  # the MRZ read lost (or misread) letters the print has
            corrected = True
        keep = 1 if key == "surname" else 2  # a surname may have one character, a given name two at least
        fields["cnName"] += _checked_by_pinyin(cjk, row_lines.get(id(ln), [ln]), fields[key], keep)
    if corrected and fields["line0"]:
        line0 = fields["line0"]
        if fields["srcCountry"] == "CHN" and not known_state(line0[2:5]):
            line0 = line0[:2] + "CHN" + line0[5:]  # the state lost a letter too (P<HNUO for P<CHNLUO)
        fields["line0"] = line0_with_names(line0, fields["surname"], fields["givenName"])
    fields["name"] = f"{fields['surname']} {fields['givenName']}".strip()
    if not fields["cnName"]:  # no MRZ names to match: the values under the name labels
        surname_v, given_v = viz_value(page, "surname"), viz_value(page, "given")
        fields["cnName"] = "".join(CJK_RUN.findall(surname_v)) + "".join(CJK_RUN.findall(given_v))
        raw = " ".join(p for p in (_latin(surname_v), _latin(given_v)) if p)
        fields["cnNameRaw"] = raw if fields["cnName"] else ""
    else:
        fields["cnNameRaw"] = fields["name"]
    names = {id(m[0]) for m in found.values()}
    # a name's pinyin on its own box is no place, however near a province's (LILIN, JILIN)
    name_words = {fields[key].replace(" ", "") for key in ("surname", "givenName")} - {""}
    places = [(ln, place) for ln, text in rows if id(ln) not in names
              and _latin(text).replace(" ", "") not in name_words and (place := _province(text))]
    places.sort(key=lambda item: item[0].cy)  # birth place a row above the place of issue
    # one place per row: 广东 and GUANGDONG may be two boxes, each a place
    places = [pl for i, pl in enumerate(places)
              if i == 0 or abs(pl[0].cy - places[i - 1][0].cy) > 0.5 * max(pl[0].height, 1.0)]
    for key, (_, (cjk, latin)) in zip(("birthPlace", "issuePlace"), places, strict=False):
        fields[key], fields[f"{key}Raw"] = cjk, latin
    for ln, _text in rows:
        cjk = "".join(CJK_RUN.findall(ln.text))
        if cjk.endswith("局") and len(cjk) >= 5:
            fields["authority"] = next((a for a in CN_AUTHORITIES if edit_distance(cjk, a) <= 2), cjk)
            break
    else:
        fields["authority"] = _authority_in_english(page)


# Each authority's characters that the title 中华人民共和国 does not have.
_AUTHORITY_MARKS = {a: set(a) - set("中华人民共和国") for a in CN_AUTHORITIES}
# The National Immigration Administration issues since April 2018 (a month's margin either side).
NIA_FROM, MPS_UNTIL = "2018-03-01", "2018-06-01"


def authority_by_characters(page: Page, issued: str) -> str:
    """An authority read garbled (公禁出人##): the name sharing the most of its own characters (two at
    least, more than the other name does) with a line, when the issue date falls in that authority's
    years (the date alone never decides)."""
    if not issued:
        return ""
    best = {a: 0 for a in CN_AUTHORITIES}
    for ln in page.lines:
        cjk = set("".join(CJK_RUN.findall(ln.text)))
        for a in CN_AUTHORITIES:
            best[a] = max(best[a], len(cjk & _AUTHORITY_MARKS[a]))
    (authority, top), (_, runner_up) = sorted(best.items(), key=lambda item: -item[1])
    if top < 2 or runner_up == top:
        return ""
    in_office = issued >= NIA_FROM if authority == CN_AUTHORITIES[0] else issued < MPS_UNTIL
    return authority if in_office else ""


def _authority_in_english(page: Page) -> str:
    """The issuing body by the English name printed under its Chinese one (the Chinese unread): a line
    at most a quarter of its letters from one of them."""
    for ln in page.lines:
        letters = re.sub(r"[^A-Z]", "", ln.text.upper())
        if len(letters) < 20:
            continue
        scored = sorted((edit_distance(letters, english), chinese) for english, chinese in CN_AUTHORITIES_EN)
        if scored[0][0] <= len(letters) // 4:
            return scored[0][1]
    return ""
