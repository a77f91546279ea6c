"""Passport data page: the MRZ (TD3) for identity fields, the visual zone for what only it prints.

The MRZ is the source of surname, given names, number, nationality, dates and personal number: every
check digit is validated and repaired from the recogniser's alternatives. Chinese passports also print
the Chinese name, places of birth and issue (``广东 GUANGDONG``), issue date and authority under
bilingual labels (``签发日期/Date of issue``); Latin-only passports print English labels.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from certscan.cards.base import CardResult, ScanInput
from certscan.cards.layout import find_label, right_of, value_below
from certscan.cards.mrz_read import MrzRead, mrz_date, read_mrz
from certscan.cards.readers import page_rate, read_page
from certscan.cards.text import compact, normalize
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
    s = re.sub(r"(?<=\d)0(?=[A-Z])", "O", s)  # undo the O→0 inside month names like N0V
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
    if hit is None:
        return ""
    line = value_below(page, hit.line)
    return normalize(line.text) if line is not None else ""


def _split_place(text: str) -> tuple[str, str]:
    cjk = "".join(_CJK.findall(text))
    latin = " ".join(m.strip() for m in _LATIN.findall(text)).upper()
    return cjk, latin


def _fill_mrz(fields: dict[str, Any], extra: dict[str, Any], read: MrzRead) -> None:
    line0, line1 = read.line0, read.line1
    fields["line0"], fields["line1"] = line0, line1
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


def _row_text(page: Page, line: Line) -> str:
    """A value line plus the boxes right next to it on its row (``欣燕`` | ``XINYAN``)."""
    parts = [line]
    for other in right_of(page, line):
        if other.x0 - parts[-1].x1 > 2 * max(line.height, 1.0):
            break
        parts.append(other)
    return " ".join(normalize(ln.text) for ln in parts)


def _latin(text: str) -> str:
    return " ".join(m.strip() for m in _LATIN.findall(text)).upper()


def _same_name(mrz_name: str, printed: str) -> bool:
    """The printed Latin name is the MRZ's, or the MRZ's with at most two letters lost."""
    if mrz_name == printed:
        return True
    if not 0 < len(printed) - len(mrz_name) <= 2:
        return False
    it = iter(printed)
    return all(ch in it for ch in mrz_name)


def _chinese_viz(page: Page, fields: dict[str, Any]) -> None:
    """Chinese data page by content: its labels are small and often misread, its values are not."""
    rows = [(ln, _row_text(page, ln)) for ln in page.lines]
    for key in ("surname", "givenName"):
        target = fields[key].replace(" ", "")
        for _, text in rows:
            cjk, latin = "".join(_CJK.findall(text)), _latin(text).replace(" ", "")
            if target and cjk and len(cjk) <= 4 and _same_name(target, latin):
                fields["cnName"] += cjk
                if latin != target:  # the MRZ read dropped a letter the printed name has
                    fields[key] = latin
                break
    fields["name"] = f"{fields['surname']} {fields['givenName']}".strip()
    if not fields["cnName"]:  # no MRZ names to match: the values under the name labels
        surname_v, given_v = _viz_value(page, "surname"), _viz_value(page, "given")
        fields["cnName"] = "".join(_CJK.findall(surname_v)) + "".join(_CJK.findall(given_v))
        raw = " ".join(p for p in (_latin(surname_v), _latin(given_v)) if p)
        fields["cnNameRaw"] = raw if fields["cnName"] else ""
    else:
        fields["cnNameRaw"] = fields["name"]
    places = [(ln, text) for ln, text in rows
              if any("".join(_CJK.findall(text)).startswith(p) for p in PROVINCES) and _latin(text)]
    places.sort(key=lambda item: (round(item[0].cy / max(item[0].height, 1.0)), item[0].x0))
    for key, (_, text) in zip(("birthPlace", "issuePlace"), places, strict=False):
        fields[key] = "".join(_CJK.findall(text))
        fields[f"{key}Raw"] = _latin(text)
    for ln, _text in rows:
        cjk = "".join(_CJK.findall(ln.text))
        if cjk.endswith("局") and len(cjk) >= 5:
            fields["authority"] = cjk
            break


def _fill_viz(page: Page, fields: dict[str, Any]) -> None:
    chinese = bool(_CJK.search(page.text))
    if chinese:
        _chinese_viz(page, fields)
    for key in ("birthPlace", "issuePlace"):
        if fields[key]:
            continue
        cjk, latin = _split_place(_viz_value(page, key))
        fields[key] = cjk or latin
        fields[f"{key}Raw"] = latin
    if not fields["authority"]:
        authority = _viz_value(page, "authority")
        fields["authority"] = "".join(_CJK.findall(authority)) if _CJK.search(authority) else authority
    printed = [printed_date(ln.text) for ln in page.lines]
    known = {fields["birthDate"], fields["expireDate"]}
    issue = printed_date(_viz_value(page, "issueDate"))
    others = [d for d in printed if d and d not in known]
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


def parse(scan: ScanInput) -> CardResult:
    page = read_page(scan)
    fields = empty_fields(scan.card)
    if not page.lines:
        return CardResult(card=scan.card, fields=fields, text_found=False)
    extra: dict[str, Any] = {"passportNumber": "", "mrzValid": False}
    regions = getattr(scan.engine, "read_regions", None)
    reread = (lambda quads: regions(scan.image, page, quads)) if regions is not None else None
    read = read_mrz(page, reread)
    if read is not None:
        _fill_mrz(fields, extra, read)
    _fill_viz(page, fields)
    rate = page_rate(page, read.lines) if read and read.lines else page_rate(page)
    return CardResult(card=scan.card, fields=fields, rate=rate, extra=extra)
