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

import numpy as np

from certscan.cards.base import CardResult, ScanInput
from certscan.cards.layout import find_label, value_below
from certscan.cards.mrz_read import MrzRead, mrz_date, mrz_like, read_mrz
from certscan.cards.readers import page_rate, read_page
from certscan.cards.text import compact, normalize
from certscan.checks import mrz
from certscan.constants import empty_fields
from certscan.ocr.types import Line, Page

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
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
    m = re.search(r"(\d{1,2})\s*(?:(\d{1,2})\s*月)?\s*/?\s*([A-Z]{3})?\s*(\d{4}|\d{2})(?!\d)", s)
    if m and (m.group(2) or m.group(3)):
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


def _viz_value(page: Page, key: str) -> str:
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


def _split_place(text: str) -> tuple[str, str]:
    cjk = "".join(_CJK.findall(text))
    latin = " ".join(m.strip() for m in _LATIN.findall(text)).upper()
    return cjk, latin


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


PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门",
)


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


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by at most one inserted, deleted or replaced character."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return a[i + 1:] == b[i + 1:] or a[i:] == b[i + 1:] or a[i + 1:] == b[i:]


def _province(text: str) -> tuple[str, str] | None:
    """(Chinese, Latin) of a place row (``广东 GUANGDONG``): its Chinese starting with a province and a
    Latin part; or a Latin part one letter from a province's (``XUNJIANG``, ``SHAANNXI``) beside at most
    three Chinese characters, the Latin settling a Chinese read the recogniser garbled (``新篷``)."""
    cjk, latin = "".join(_CJK.findall(text)), _latin(text)
    if not latin:
        return None
    flat = latin.replace(" ", "")
    exact = [p for p, name in PROVINCE_LATIN.items() if flat == name]
    near = exact or [p for p, name in PROVINCE_LATIN.items() if len(flat) >= 5 and _one_edit(flat, name)]
    printed = next((p for p in PROVINCES if cjk.startswith(p)), None)
    if printed is not None:
        return cjk, PROVINCE_LATIN[printed] if printed in near else latin
    # The Chinese shares a character with the province (a garbled read), or was not read at all.
    if len(near) == 1 and len(cjk) <= 3 and (not cjk or set(cjk) & set(near[0])):
        return near[0], PROVINCE_LATIN[near[0]]
    return None


def _row_texts(page: Page) -> list[tuple[Line, str]]:
    """Each line with the boxes right next to it on its row (``欣燕`` | ``XINYAN``), from bounds computed
    once (the pairwise ``right_of`` over Line properties cost a Chinese page tens of milliseconds)."""
    lines = page.lines
    bounds = [(ln.x0, ln.y0, ln.x1, ln.y1) for ln in lines]
    out = []
    for i, (x0, y0, x1, y1) in enumerate(bounds):
        h = max(y1 - y0, 1.0)
        row = sorted((bx0, j) for j, (bx0, by0, bx1, by1) in enumerate(bounds)
                     if j != i and (bx0 + bx1) / 2 > (x0 + x1) / 2
                     and max(0.0, min(y1, by1) - max(y0, by0)) >= 0.5 * max(1.0, min(h, by1 - by0)))
        parts, right = [lines[i]], x1
        for bx0, j in row:
            if bx0 - right > 2 * h:
                break
            parts.append(lines[j])
            right = bounds[j][2]
        out.append((lines[i], " ".join(normalize(ln.text) for ln in parts)))
    return out


def _latin(text: str) -> str:
    return " ".join(m.strip() for m in _LATIN.findall(text)).upper()


def _same_name(mrz_name: str, printed: str) -> bool:
    """The printed Latin name is the MRZ's, or the MRZ's with at most two letters lost."""
    if mrz_name == printed:
        return True
    if len(printed) == len(mrz_name) and printed.isalpha():
        # a name holds letters only: a digit the MRZ read put in it (9ONG) is the printed letter
        return all(m == p or not m.isalpha() for m, p in zip(mrz_name, printed, strict=True))
    if not 0 < len(printed) - len(mrz_name) <= 2:
        return False
    it = iter(printed)
    return all(ch in it for ch in mrz_name)


def line0_with_names(line0: str, surname: str, given: str) -> str:
    """MRZ line 1 with its name field rewritten from names corrected by the visual zone."""
    names = surname.replace(" ", "<") + ("<<" + given.replace(" ", "<") if given else "")
    return (line0[:5] + names).ljust(44, "<")[:44]


def _chinese_viz(page: Page, fields: dict[str, Any]) -> None:
    """Chinese data page by content: its labels are small and often misread, its values are not."""
    rows = [(ln, text) for ln, text in _row_texts(page) if "/" not in text]  # not a caption row
    named = [(ln, cjk, _latin(text)) for ln, cjk, text in
             ((ln, "".join(_CJK.findall(text)), text) for ln, text in rows) if cjk and len(cjk) <= 4]
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
        near = [m for m in named if m[0] is not ln and abs(m[0].x0 - ln.x0) < 2 * h and m[2]
                and 0 < (m[0].y0 - ln.y1 if below else ln.y0 - m[0].y1) < 3.5 * h]
        if near:
            other = "givenName" if below else "surname"
            found[other] = min(near, key=lambda m: abs(m[0].cy - ln.cy))
    for key in ("surname", "givenName"):
        if key not in found:
            continue
        _, cjk, latin = found[key]
        fields["cnName"] += cjk
        mrz_name = fields[key].replace(" ", "")
        printed = latin.replace(" ", "")
        if printed != mrz_name and (not mrz_name or _same_name(mrz_name, printed)):
            fields[key] = latin  # the MRZ read lost (or misread) letters the print has
            corrected = True
    if corrected and fields["line0"]:
        fields["line0"] = line0_with_names(fields["line0"], fields["surname"], fields["givenName"])
    fields["name"] = f"{fields['surname']} {fields['givenName']}".strip()
    if not fields["cnName"]:  # no MRZ names to match: the values under the name labels
        surname_v, given_v = _viz_value(page, "surname"), _viz_value(page, "given")
        fields["cnName"] = "".join(_CJK.findall(surname_v)) + "".join(_CJK.findall(given_v))
        raw = " ".join(p for p in (_latin(surname_v), _latin(given_v)) if p)
        fields["cnNameRaw"] = raw if fields["cnName"] else ""
    else:
        fields["cnNameRaw"] = fields["name"]
    names = {id(m[0]) for m in found.values()}
    places = [(ln, place) for ln, text in rows if id(ln) not in names and (place := _province(text))]
    places.sort(key=lambda item: item[0].cy)  # birth place a row above the place of issue
    # one place per row: 广东 and GUANGDONG may be two boxes, each a place
    places = [pl for i, pl in enumerate(places)
              if i == 0 or abs(pl[0].cy - places[i - 1][0].cy) > 0.5 * max(pl[0].height, 1.0)]
    for key, (_, (cjk, latin)) in zip(("birthPlace", "issuePlace"), places, strict=False):
        fields[key], fields[f"{key}Raw"] = cjk, latin
    for ln, _text in rows:
        cjk = "".join(_CJK.findall(ln.text))
        if cjk.endswith("局") and len(cjk) >= 5:
            fields["authority"] = next((a for a in CN_AUTHORITIES if _edit_distance(cjk, a) <= 2), cjk)
            break


def _fill_viz(page: Page, fields: dict[str, Any]) -> None:
    chinese = bool(_CJK.search(page.text))
    if chinese:
        _chinese_viz(page, fields)
    for key in ("birthPlace", "issuePlace"):
        if fields[key]:
            continue
        place = _viz_value(page, key)
        cjk, latin = _split_place(place)
        latin_only = latin and not cjk and re.fullmatch(r"[A-Za-z][A-Za-z .,'-]*", place)
        fields[key] = cjk or (place.upper() if latin_only else latin)  # NEW YORK U.S.A. keeps its dots
        fields[f"{key}Raw"] = place.upper() if latin_only else latin
    if not fields["authority"]:
        authority = _viz_value(page, "authority") or _authority_by_name(page)
        fields["authority"] = "".join(_CJK.findall(authority)) if _CJK.search(authority) else authority
    printed = [printed_date(ln.text) for ln in page.lines]
    known = {fields["birthDate"], fields["expireDate"]}
    issue = printed_date(_viz_value(page, "issueDate"))
    others = [d for d in printed if d and d not in known]
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
    for key in ("birthDate", "expireDate"):
        if not fields[key]:  # the MRZ was unreadable: the printed date
            fields[key] = printed_date(_viz_value(page, key))
            fields[key.replace("Date", "Day")] = fields[key][5:]
    if not fields["type"]:
        hit = find_label(page, ("类型/Type", "Type"), max_errors=1)
        below = value_below(page, hit.line) if hit else None
        fields["type"] = compact(below.text)[:2] if below else ""


# Words naming the issuing body of a Latin-script data page (ministries, prefectures, passport offices).
AUTHORITY_WORDS = ("MINISTRY", "MINISTERE", "PREFECTURE", "AUTHORITY", "OFFICE", "DEPARTMENT", "EMBASSY",
                   "CONSULATE", "BUREAU", "AGENCY", "SERVICE", "POLICE", "IMMIGRATION", "GOVERNMENT", "STADT",
                   "HMPO", "PASSPORTOFFICE")


def _authority_by_name(page: Page) -> str:
    """An authority whose caption was not read: the line naming an issuing body (not the caption)."""
    for ln in page.lines:
        text = compact(ln.text).upper()
        if mrz_like(ln.text) or text in ("AUTHORITY", "ISSUINGAUTHORITY") or _CJK.search(ln.text):
            continue
        if any(word in text for word in AUTHORITY_WORDS):
            return normalize(ln.text)
    return ""


def latin_runs(page: Page) -> set[str]:
    """Capital Latin words and phrases printed outside the MRZ, spaces removed (``MEI HUA`` → MEIHUA)."""
    runs: set[str] = set()
    for ln in page.lines:
        if mrz_like(ln.text):
            continue
        for run in re.findall(r"[A-Z]+(?: [A-Z]+)*", normalize(ln.text)):
            runs.add(run.replace(" ", ""))
    return runs


def names_confirmed(read: MrzRead, runs: set[str]) -> bool:
    """Line 1 of the MRZ agrees with the visual zone: its surname and given names are printed there as
    whole words, and its issuing state is the holder's nationality or printed too."""
    line0 = read.line0
    if not re.fullmatch(r"P[A-Z<][A-Z<]{3}[A-Z][A-Z<]*", line0):
        return False
    names = line0[5:].split("<<", 1)
    surname = names[0].replace("<", "")
    given = names[1].replace("<", "") if len(names) > 1 else ""
    state = line0[2:5]
    return (surname in runs and (not given or given in runs)
            and (state == read.line1[10:13] or state.replace("<", "") in runs))


_LOOKALIKES = {c: group[0] for group in ("0ODQ", "1IL", "2Z", "5S", "6G", "8B") for c in group}


def _lookalike(a: str, b: str) -> bool:
    same = (_LOOKALIKES.get(x, x) == _LOOKALIKES.get(y, y) for x, y in zip(a, b, strict=True))
    return len(a) == len(b) and all(same)


def cross_check_number(page: Page, read: MrzRead) -> None:
    """The document number as the visual zone prints it, when the MRZ read differs from it only by
    look-alike characters (B/8, O/0/D, S/5, ...) and the printed one passes the same check digits: a
    swap the check sum cannot see (B and 8 are 3 apart, twice) is settled by the second print."""
    line1 = read.line1
    number = line1[0:9]
    before = sum(read.checks.values())
    for ln in page.lines:
        printed = compact(ln.text).upper()
        if printed == number.rstrip("<") or not re.fullmatch(r"[A-Z0-9]{6,9}", printed) or mrz_like(ln.text):
            continue
        printed = printed.ljust(9, "<")
        differing = sum(a != b for a, b in zip(printed, number, strict=True))
        if not _lookalike(printed, number) and differing > 4:
            continue
        fixed = printed + line1[9:]
        checks = mrz.td3_checks(fixed)
        # Look-alikes need the number's check digit; other differences (a blurred 66UC read GOOO whose
        # sum happened to pass) need the composite check digit too.
        confirmed = checks["number"] and (_lookalike(printed, number) or checks["composite"])
        if confirmed and sum(checks.values()) >= before:
            read.line1, read.checks = fixed, checks
            return


def repair_nationality(read: MrzRead, runs: set[str]) -> None:
    """A nationality read with a non-letter (``9GP``) is the issuing state of line 1 or a code the
    visual zone prints, when that code agrees with the letters that were read."""
    nationality = read.line1[10:13]
    if not any(ch.isdigit() for ch in nationality):  # D<< (Germany) is a code as printed
        return
    for code in (read.line0[2:5], *sorted(r for r in runs if len(r) == 3)):
        if code.isalpha() and all(a == b for a, b in zip(nationality, code, strict=True) if a.isalpha()):
            read.line1 = read.line1[:10] + code + read.line1[13:]
            return


def repair_header(read: MrzRead, runs: set[str]) -> None:
    """Line 1 whose issuing state lost or gained a character (``P<HNLIN<<LI``) shifts every name: when the
    holder's nationality is printed in the visual zone, try it as the state with the names starting
    1-4 characters on, and keep the first variant whose names the visual zone confirms."""
    nationality = read.line1[10:13]
    state = read.line0[2:5]
    if (names_confirmed(read, runs) or not re.fullmatch(r"[A-Z]{3}", nationality) or nationality not in runs
            or state == nationality or state.replace("<", "") in runs):
        return
    rest = read.line0[2:]
    for k in range(1, 5):  # the smallest shift the visual zone confirms
        variant = (read.line0[:2] + nationality + rest[k:]).ljust(44, "<")[:44]
        if variant != read.line0 and names_confirmed(MrzRead(line0=variant, line1=read.line1), runs):
            read.line0 = variant
            return


def repair_separator(read: MrzRead, runs: set[str]) -> None:
    """Names read with a single filler between surname and given names (``ZHONG<XINNA``, CTC merged the
    pair): the single filler the visual zone's printed surname ends at becomes the ``<<`` separator."""
    names = read.line0[5:].rstrip("<")
    if "<<" in names or names_confirmed(read, runs):
        return
    for i, ch in enumerate(names):
        variant = (read.line0[:5] + names[:i] + "<" + names[i:]).ljust(44, "<")[:44]
        if ch == "<" and names_confirmed(MrzRead(line0=variant, line1=read.line1), runs):
            read.line0 = variant
            return


def _page_mrz(scan: ScanInput, page: Page) -> tuple[set[str], MrzRead | None]:
    """The page's Latin words outside the MRZ, and its MRZ read (rows re-read from the input image)."""
    regions = getattr(scan.engine, "read_regions", None)
    reread = (lambda quads: regions(scan.image, page, quads)) if regions is not None else None
    runs = latin_runs(page)
    return runs, read_mrz(page, reread, lambda r: names_confirmed(r, runs))


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


def _closer_reads(scan: ScanInput, page: Page) -> Iterator[Page]:
    """The page read again from a crop around its text, for a passport small in the photo whose MRZ
    was not read: at the first read's scale faint filler runs, a tilted line's far end and small
    captions fall below the detector's threshold, and the first detection's extent limits its own
    zoom. The margin is wide because the text found may be a fraction of the data page. Nothing when
    the crop would be most of the image (the read would repeat the first). A crop whose read still
    shows no MRZ is read once more turned by 180°: a blurred page's 0/180 decision can go wrong, and
    upside-down text reads as garbage."""
    h, w = scan.image.shape[:2]
    pts = np.concatenate([page.image_points(ln.box) for ln in page.lines])
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    margin = 0.4 * max(x1 - x0, y1 - y0)
    left, top = int(max(0.0, x0 - margin)), int(max(0.0, y0 - margin))
    right, bottom = int(min(float(w), x1 + margin)), int(min(float(h), y1 + margin))
    if (right - left) * (bottom - top) > 0.6 * w * h:
        return
    crop = np.ascontiguousarray(scan.image[top:bottom, left:right])
    offset = np.array([[0, 0, left], [0, 0, top]], np.float32)
    closer = scan.engine.read(crop)
    yield _in_image(closer, offset)
    turned = scan.engine.read(np.ascontiguousarray(np.rot90(crop, 2)))
    # turned coordinates (u, v) are (cw-1-u, ch-1-v) in the crop
    ch, cw = crop.shape[:2]
    unturn = np.array([[-1, 0, cw - 1], [0, -1, ch - 1]], np.float32)
    to_turned = turned.to_image if turned.to_image is not None else np.eye(2, 3, dtype=np.float32)
    turned.to_image = unturn[:, :2] @ to_turned
    turned.to_image[:, 2] += unturn[:, 2]
    turned.angle = round((turned.angle + 180) % 360, 1)
    yield _in_image(turned, offset)


def _in_image(page: Page, offset: np.ndarray) -> Page:
    """``page`` read from a crop, its map to image pixels moved by the crop's offset."""
    to_crop = page.to_image if page.to_image is not None else np.eye(2, 3, dtype=np.float32)
    page.to_image = (to_crop + offset).astype(np.float32)
    return page


def parse(scan: ScanInput) -> CardResult:
    page = read_page(scan)
    fields = empty_fields(scan.card)
    if not page.lines:
        return CardResult(card=scan.card, fields=fields, text_found=False)
    extra: dict[str, Any] = {"passportNumber": "", "mrzValid": False}
    runs, read = _page_mrz(scan, page)
    if read is None or not read.valid or not names_confirmed(read, runs):
        for closer in _closer_reads(scan, page):
            runs2, read2 = _page_mrz(scan, closer)
            if _better(read2, runs2, read, runs):
                page, runs, read = closer, runs2, read2
            if read2 is not None and (read2.valid or names_confirmed(read2, runs2)):
                break
    if read is not None:
        cross_check_number(page, read)
        repair_nationality(read, runs)
        repair_header(read, runs)
        repair_separator(read, runs)
        _fill_mrz(fields, extra, read)
    _fill_viz(page, fields)
    rate = page_rate(page, read.lines) if read and read.lines else page_rate(page)
    return CardResult(card=scan.card, fields=fields, rate=rate, extra=extra)
