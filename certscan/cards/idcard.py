"""Resident identity card (居民身份证), both sides, by labels and geometry.

Portrait side: 姓名 / 性别 … 民族 / 出生 / 住址 (multi-line) / 公民身份号码 at the bottom. Emblem side:
签发机关 / 有效期限 ``start-end`` (or 长期). One image holding both sides is ``front_back``; a temporary
card (临时居民身份证) is ``interim_*``.
"""

from __future__ import annotations

import re
from typing import Any

from certscan.cards.base import CardResult, ScanInput
from certscan.cards.layout import find_label, lines_below, right_of, row_value
from certscan.cards.readers import char_runs, line_chars, page_rate, read_page
from certscan.cards.text import compact, find_dates, parse_date, strip_punct
from certscan.checks import idnumber
from certscan.checks.repair import repair
from certscan.constants import empty_fields
from certscan.ocr.types import Line, Page

ID_ALPHABET = "0123456789X"
FRONT_LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码")
BACK_LABELS = ("签发机关", "有效期限")
NUMBER_LABELS = ("公民身份号码", "身份号码", "公民身份号")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff·•]+")


def region_known(number: str) -> bool | None:
    """GB/T 2260 test of the first six digits (None when the table is unavailable)."""
    try:
        from certscan.checks.regions import is_known_region
    except ImportError:  # pragma: no cover - the table ships with the package
        return None
    return is_known_region(number[:6])


def number_valid(number: str) -> bool:
    return idnumber.is_valid(number, region_known(number)) if len(number) == 18 else False


def _number_candidates(page: Page) -> list[tuple[Line, list[Any]]]:
    """18-char runs of the ID alphabet, the labelled line's first, then bottom-up."""
    hit = find_label(page, NUMBER_LABELS, anywhere=True)
    ordered: list[Line] = []
    if hit is not None:
        ordered += [hit.line, *right_of(page, hit.line)]
    ordered += [ln for ln in sorted(page.lines, key=lambda ln: -ln.cy) if ln not in ordered]
    out = []
    for line in ordered:
        for run in char_runs(line_chars(line), ID_ALPHABET, max_gap=1):
            if len(run) == 18:
                out.append((line, run))
            elif len(run) > 18:  # label digits or noise glued on: the number is the last 18
                out.append((line, run[-18:]))
    return out


def read_number(page: Page) -> tuple[str, bool]:
    """The ID number (repaired from alternatives when its checks fail and exactly one fix passes)."""
    first: str = ""
    for _line, run in _number_candidates(page):
        result = repair(run, number_valid, ID_ALPHABET, max_changes=1)
        if result.valid:
            return result.text, True
        first = first or result.text
    return first, False


def _value(page: Page, label: str, stop: tuple[str, ...] = ()) -> tuple[str, list[Line]]:
    hit = find_label(page, label)
    if hit is None:
        return "", []
    return row_value(page, hit, stop)


def _nationality(page: Page) -> str:
    hit = find_label(page, "民族", anywhere=True, max_errors=0)
    if hit is None:
        sex = find_label(page, "性别")
        row = [sex.line, *right_of(page, sex.line)] if sex else []
        hit = find_label(row, "民族", anywhere=True)
    if hit is None:
        return ""
    value, _ = row_value(page, hit)
    m = _CJK_NAME.search(value)
    return m.group(0) if m else ""


def _address(page: Page) -> str:
    hit = find_label(page, "住址")
    if hit is None:
        return ""
    first, row = row_value(page, hit)
    below = lines_below(page, row, stop_labels=NUMBER_LABELS)
    return strip_punct(first + "".join(compact(ln.text) for ln in below))


def fill_front(page: Page, fields: dict[str, Any], extra: dict[str, Any]) -> None:
    name, _ = _value(page, "姓名", ("性别",))
    m = _CJK_NAME.search(name)
    fields["name"] = m.group(0) if m else strip_punct(name)
    sex_text, _ = _value(page, "性别", ("民族",))
    fields["nationality"] = _nationality(page)
    number, valid = read_number(page)
    fields["number"], fields["numberValid"] = number, valid
    birth_text, _ = _value(page, "出生")
    birth = parse_date(birth_text)
    if valid and birth != f"{number[6:10]}-{number[10:12]}-{number[12:14]}":
        # The printed date is the number's by law; a valid number settles a misread or missing date.
        birth = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    fields["birth"] = birth
    fields["address"] = _address(page)
    sex = next((c for c in sex_text if c in "男女"), "")
    if not sex and valid:
        sex = "男" if int(number[16]) % 2 else "女"
    extra["sex"] = sex


def fill_back(page: Page, fields: dict[str, Any]) -> None:
    authority, _ = _value(page, "签发机关")
    fields["authority"] = authority
    hit = find_label(page, "有效期限")
    text = row_value(page, hit)[0] if hit else ""
    if hit is None:  # label unread: the row holding two dates
        text = next((compact(ln.text) for ln in page.lines if len(find_dates(ln.text, True)) >= 2), "")
    dates = find_dates(text, long_term=True)
    if dates and dates[0] != "Long-term":
        fields["startDate"] = dates[0]
        if len(dates) > 1:
            fields["endDate"] = dates[1]


def _has_labels(page: Page, labels: tuple[str, ...], needed: int) -> bool:
    return sum(find_label(page, label, anywhere=True, max_errors=0) is not None for label in labels) >= needed


def _parse(scan: ScanInput, side: str) -> CardResult:
    page = read_page(scan)
    fields = empty_fields(scan.card)
    fields["angle"] = float(page.angle)
    extra: dict[str, Any] = {}
    if not page.lines:
        return CardResult(card=scan.card, fields=fields, text_found=False)
    front = side == "front" or _has_labels(page, ("姓名", "公民身份号码", "住址", "出生"), 2)
    back = side == "back" or _has_labels(page, BACK_LABELS, 1)
    if front:
        fill_front(page, fields, extra)
    if back:
        fill_back(page, fields)
    interim = "临时" in page.text
    kind = "front_back" if front and back else side
    fields["type"] = f"interim_{kind}" if interim else kind
    return CardResult(card=scan.card, fields=fields, rate=page_rate(page), extra=extra)


def parse_front(scan: ScanInput) -> CardResult:
    return _parse(scan, "front")


def parse_back(scan: ScanInput) -> CardResult:
    return _parse(scan, "back")

