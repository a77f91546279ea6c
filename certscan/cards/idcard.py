"""Resident identity card (居民身份证), both sides, by labels and geometry.

Portrait side: 姓名 / 性别 … 民族 / 出生 / 住址 (multi-line) / 公民身份号码 at the bottom. Emblem side:
签发机关 / 有效期限 ``start-end`` (or 长期). One image holding both sides is ``front_back``; a temporary
card (临时居民身份证) is ``interim_*``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from certscan.cards import reread
from certscan.cards.address_units import mend_address_units
from certscan.cards.base import CardResult, ScanInput
from certscan.cards.evidence_forms import ISO_DATE
from certscan.cards.idcard_address import address_with_region_names
from certscan.cards.idcard_back import chars_of, fill_back
from certscan.cards.idcard_name import (
    CJK_NAME,
    COMMON_SURNAMES,
    name_with_lost_head,
    name_with_lost_tail,
    surname_from_alternatives,
)
from certscan.cards.idcard_reread import ID_ALPHABET, back_region, front_region, reread_side
from certscan.cards.layout import find_label, group_rows, match_label, right_of, row_value
from certscan.cards.places import PROVINCE_SHORT_NAMES, fix_place_prefix
from certscan.cards.readers import char_runs, line_chars, page_rate, read_page
from certscan.cards.text import compact, hamming, one_doubled, parse_date, strip_punct
from certscan.checks import idnumber
from certscan.checks.repair import DIGIT_MAP, repair
from certscan.constants import LONG_TERM, empty_fields
from certscan.ocr.engine import RegionReader
from certscan.ocr.types import Line, Page, rect_quad

FRONT_LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码")
BACK_LABELS = ("签发机关", "有效期限")
NUMBER_LABELS = ("公民身份号码", "身份号码", "公民身份号")


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
            if len(run) in (17, 18):  # 17: a doubled digit emitted once (see with_doubled_digit)
                out.append((line, run))
            elif len(run) > 18:  # label digits or noise glued on: the number is the last 18
                out.append((line, run[-18:]))
    return out


def read_number(page: Page) -> tuple[str, bool, Line | None]:
    """The ID number (repaired from alternatives when its checks fail and exactly one fix passes)."""
    first: tuple[str, bool, Line | None] = ("", False, None)
    short: list[tuple[Line, str]] = []
    for line, run in _number_candidates(page):
        if len(run) == 17:
            short.append((line, "".join(DIGIT_MAP.get(c.best, c.best).upper() for c in run)))
            continue
        result = repair(run, number_valid, ID_ALPHABET, max_changes=1)
        if result.valid:
            return result.text, True, line
        if not first[0]:
            first = (result.text, False, line)
    for line, read in short:
        doubled = with_doubled_digit(read)
        if doubled:
            return doubled, True, line
    return first


def with_doubled_digit(read: str) -> str:
    """The number a 17-character read lost a doubled digit of (the recogniser emits ``00`` printed tight
    as one 0), when exactly one doubling passes every check (date, region, check character); else ""."""
    passing = {text for text in one_doubled(read) if number_valid(text)}
    return passing.pop() if len(passing) == 1 else ""


# digits of the number's date part the row's birth date may replace: more would let a row misread as
# well pass the check character by chance (about one in eleven)
_BIRTH_DIGITS_REPLACED = 2


def number_with_printed_birth(number: str, birth: str) -> tuple[str, bool]:
    """An 18-character number failing its checks with its date digits (7-14) replaced by the birth date
    read on its own row (YYYY-MM-DD), when they differ in at most two digits and the number then passes;
    else the number as read, invalid. The card prints the same date in both places."""
    if len(number) != 18 or not birth:
        return number, False
    mended = number[:6] + birth.replace("-", "") + number[14:]
    if 0 < hamming(mended, number) <= _BIRTH_DIGITS_REPLACED and number_valid(mended):
        return mended, True
    return number, False


# The 56 officially recognised ethnic groups, as the card prints them (without 族).
ETHNIC_GROUPS: tuple[str, ...] = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
    "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
    "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
    "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
_ROW_LABELS = ("姓名", "性别", "民族", "出生", "住址")


def _value(page: Page, label: str, stop: tuple[str, ...] = ()) -> tuple[str, list[Line]]:
    hit = find_label(page, label)
    if hit is None:
        return "", []
    return row_value(page, hit, stop)


def known_ethnic_suffix(text: str) -> str:
    """The listed ethnic group ``text`` ends with (``民族汉``, ``民旅汉`` → 汉), or ""."""
    s = compact(text)
    for n in (4, 3, 2, 1):
        if len(s) >= n and s[-n:] in ETHNIC_GROUPS:
            return s[-n:]  # a bare label 民族 never matches: 族 is no group
    return ""


def ethnic_group(text: str) -> str:
    """The ethnic group a 民族 value names; an unlisted one is returned as printed (CJK only)."""
    known = known_ethnic_suffix(text)
    if known:
        return known
    value = _strip_label(text)
    if len(value) > 2 and hamming(value[:2], "民族") == 1:
        value = value[2:]  # the caption read with a wrong character (民旅鑫): no group starts like it
    m = CJK_NAME.findall(value)
    # the caption alone (民族 with its value unread; its head 民, or read 民旅) is no value
    if not m or m[-1] in ("民", "族") or (len(m[-1]) == 2 and hamming(m[-1], "民族") <= 1):
        return ""
    return m[-1]


def listed_group_from_alternatives(lines: list[Line], group: str) -> str:
    """A group the list does not have (``鑫``; ``美次``: the caption's 民 misread and kept, 汉 read 次): the
    recogniser's best alternative for its last character that is a listed group (``畲``, ``汉``), when
    it scored one; else the group as read (no card prints an unlisted group, but nothing better is
    known then)."""
    if not group or group in ETHNIC_GROUPS:
        return group
    last = group[-1]
    for ln in lines:
        for c in reversed(line_chars(ln)):  # the group is printed last on its row
            if c.best == last:
                listed = [alt for alt in c.chars[1:] if alt in ETHNIC_GROUPS]
                return listed[0] if listed else group
    return group


def _strip_label(text: str, in_label_column: bool = False, in_value_column: bool = False) -> str:
    """``text`` without a leading row label read exactly or, for a line starting in the label column,
    with one wrong character (``姓老赵佳英``; a value line may start like a label: ``住宅``)."""
    s = compact(text)
    for label in _ROW_LABELS:
        end = match_label(s, label, max_errors=0)
        if end is not None:
            return strip_punct(s[end:])
    for label in _ROW_LABELS:
        if in_label_column and len(s) > 3 and hamming(s[:2], label) == 1:
            if label == "姓名" and s[0] == "姓" and s[1] in COMMON_SURNAMES and len(s) <= 5:
                return strip_punct(s[1:])  # 名 lost, not misread: the name's surname follows 姓 (姓陈颖梓)
            return strip_punct(s[2:])
    if not in_value_column and len(s) > 2 and s[0] in {label[1] for label in _ROW_LABELS}:
        # the label's first character was not read (``名杨振``); a line starting right of the label
        # column (the address's continuation 名苑23栋) keeps its first character
        return strip_punct(s[1:])
    return strip_punct(s)


@dataclass
class _Row:
    lines: list[Line]
    values: list[str]  # value texts left to right, labels removed

    @property
    def text(self) -> str:
        return "".join(self.values)


def _card_rows(page: Page, number_line: Line) -> list[_Row]:
    """Rows above the number, split into label column and values (labels read or not).

    The card's label column starts about half the number's width left of it; a box there with a value
    box right of it on its row is a label whatever OCR made of it.
    """
    nw = number_line.x1 - number_line.x0
    label_x = number_line.x0 - 0.5 * nw
    value_x = label_x + 0.15 * nw
    above = [ln for ln in page.lines if ln.cy < number_line.y0 and ln.x1 > label_x - 0.2 * nw
             and ln.x0 < number_line.x1 and number_line.y0 - ln.cy < 1.3 * nw]
    rows: list[_Row] = []
    for row in group_rows(above, min_overlap=0.5):
        values: list[str] = []
        for i, ln in enumerate(row):
            at_label = ln.x0 < value_x
            if at_label and i + 1 < len(row) and len(compact(ln.text)) <= 3:
                continue  # a label box with its value beside it
            value = (_strip_label(ln.text, at_label, in_value_column=not at_label) if at_label or i == 0
                     else strip_punct(compact(ln.text)))
            if value:
                values.append(value)
        if values:
            rows.append(_Row(lines=row, values=values))
    return rows


def _is_birth_row(row: _Row) -> bool:
    return bool(re.search(r"(18|19|20)\d\d", row.text)) or ("年" in row.text and "月" in row.text)


def _is_sex_row(row: _Row) -> bool:
    return any(v[:1] in ("男", "女") and len(v) <= 2 for v in row.values) or "民族" in row.text or any(
        known_ethnic_suffix(v) and len(v) <= 4 for v in row.values[1:])


def nationality_band(sex_row: Sequence[Line], number_line: Line) -> np.ndarray:
    """Where the 民族 caption and its value are printed: the sex row, from right of the sex value to
    about the middle of the number's width (the photo starts further right)."""
    nw = number_line.x1 - number_line.x0
    y0, y1 = min(ln.y0 for ln in sex_row), max(ln.y1 for ln in sex_row)
    h = y1 - y0
    sex_lines = [ln for ln in sex_row
                 if compact(ln.text)[:1] in ("男", "女") and ln.x1 < number_line.x0 + 0.3 * nw]
    x0 = max(ln.x1 for ln in sex_lines) + 0.3 * h if sex_lines else number_line.x0 - 0.2 * nw
    x1 = number_line.x0 + 0.6 * nw
    return rect_quad(x0, y0 - 0.2 * h, x1, y1 + 0.2 * h)


def fill_front(page: Page, fields: dict[str, Any], extra: dict[str, Any],
               reread: RegionReader | None = None) -> None:
    number, valid, number_line = read_number(page)
    fields["number"], fields["numberValid"] = number, valid
    rows = _card_rows(page, number_line) if number_line is not None else []
    birth_i = next((i for i, r in enumerate(rows) if _is_birth_row(r)), None)
    sex_i = next((i for i, r in enumerate(rows[: birth_i]) if _is_sex_row(r)), None)
    if sex_i is None and birth_i is not None and birth_i >= 1:
        sex_i = birth_i - 1
    if sex_i is not None:
        name_i = sex_i - 1 if sex_i >= 1 else None
    else:
        name_i = 0 if rows and (birth_i is None or birth_i >= 2) else None

    if name_i is not None:
        m = CJK_NAME.search(rows[name_i].text)
        fields["name"] = m.group(0) if m else rows[name_i].text
        fields["name"] = surname_from_alternatives(fields["name"], rows[name_i].lines)
        if reread is not None:
            fields["name"] = name_with_lost_head(fields["name"], rows[name_i].lines, reread)
        if reread is not None and len(fields["name"]) == 2:
            fields["name"] = name_with_lost_tail(fields["name"], rows[name_i].lines[-1], reread)
    sex = ""
    if sex_i is not None:
        sex_row = rows[sex_i]
        sex = next((v[0] for v in sex_row.values if v[:1] in ("男", "女")), "")
        rest = [v for v in sex_row.values if v[:1] not in ("男", "女") or len(v) > 2]
        fields["nationality"] = ethnic_group(rest[-1]) if rest else ""
        if not fields["nationality"] and len(sex_row.values[-1]) > 1 and sex_row.values[-1][0] in "男女":
            fields["nationality"] = ethnic_group(sex_row.values[-1][1:])
        fields["nationality"] = listed_group_from_alternatives(sex_row.lines, fields["nationality"])
        if not fields["nationality"] and reread is not None and number_line is not None:
            # A one-character value (汉) under a faint caption is often not detected at all: read the
            # place it is printed at; only a listed group is taken from that read.
            band = reread([nationality_band(sex_row.lines, number_line)])
            fields["nationality"] = known_ethnic_suffix(band[0].text) if band else ""
    birth = parse_date(rows[birth_i].text) if birth_i is not None else ""
    if not valid:
        number, valid = number_with_printed_birth(number, birth)
        fields["number"], fields["numberValid"] = number, valid
    printed = f"{number[6:10]}-{number[10:12]}-{number[12:14]}" if valid else ""
    # The printed date is the number's by law; a valid number settles a misread or missing date.
    fields["birth"] = printed or birth
    if birth_i is not None:
        address_rows = rows[birth_i + 1:]
        fields["address"] = "".join(r.text for r in address_rows)
        # its unit words (栋, 单元, 街道, an estate's 苑) mended from the recogniser's alternatives
        address_lines = [ln for r in address_rows for ln in r.lines]
        fields["address"] = mend_address_units(fields["address"], address_lines)
        if valid:
            fields["address"] = address_with_region_names(fields["address"], number[:6],
                                                          chars_of(fields["address"], address_lines))
        # the holder may live elsewhere than the number's region: the leading division names are still
        # from the table (宿州市桥区 is 埇桥区, a character the recogniser has no class for)
        fields["address"] = fix_place_prefix(fields["address"])
    if valid:
        # the 17th digit's parity is the holder's sex (GB 11643): a valid number settles a row read wrong
        sex = "男" if int(number[16]) % 2 else "女"
    extra["sex"] = sex


def _has_labels(page: Page, labels: tuple[str, ...], needed: int) -> bool:
    return sum(find_label(page, label, anywhere=True, max_errors=0) is not None for label in labels) >= needed


# A value that looks right: the number's checks are strong, the others' only catch a value lost or cut.
FRONT_CHECKS: reread.Checks = {
    "number": number_valid,
    "name": lambda value: bool(CJK_NAME.fullmatch(value)) and len(value) >= 2,
    "nationality": lambda value: value in ETHNIC_GROUPS,
    "birth": lambda value: bool(ISO_DATE.fullmatch(value)),
    # an address starts with its province (or municipality): a garbled read rarely does
    "address": lambda value: len(value) >= 6 and value.startswith(PROVINCE_SHORT_NAMES),
}
BACK_CHECKS: reread.Checks = {
    "authority": lambda value: len(value) >= 5 and value.endswith(("公安局", "分局")),
    "startDate": lambda value: bool(ISO_DATE.fullmatch(value)),
    "endDate": lambda value: value == LONG_TERM or bool(ISO_DATE.fullmatch(value)),
}


def _parse(scan: ScanInput, side: str) -> CardResult:
    page = read_page(scan)
    if not page.lines:
        # nothing boxed at all: a small card far away in a large photo, seen closer
        page = reread.read_closer(scan.engine, scan.image) or page
    fields = empty_fields(scan.card)
    fields["angle"] = float(page.angle)
    extra: dict[str, Any] = {}
    if not page.lines:
        return CardResult(card=scan.card, fields=fields, text_found=False)
    front = side == "front" or _has_labels(page, ("姓名", "公民身份号码", "住址", "出生"), 2)
    back = side == "back" or _has_labels(page, BACK_LABELS, 1)

    def front_of(read: Page, reader: RegionReader | None) -> tuple[dict[str, Any], dict[str, Any]]:
        values: dict[str, Any] = {**fields, "angle": float(read.angle)}
        extras: dict[str, Any] = {}
        fill_front(read, values, extras, reader)
        return values, extras

    def back_of(read: Page, reader: RegionReader | None) -> tuple[dict[str, Any], dict[str, Any]]:
        values: dict[str, Any] = {**fields, "angle": float(read.angle)}
        fill_back(read, values, reader)
        return values, extra

    if front:
        fields, extra = front_of(page, scan.region_reader(page))
        fields, extra = reread_side(scan, page, fields, extra, front_of, FRONT_CHECKS, front_region)
    if back:
        fields, extra = back_of(page, scan.region_reader(page))
        if not front:  # both sides in one photo: the card is large in it, and the front's re-read is done
            fields, extra = reread_side(scan, page, fields, extra, back_of, BACK_CHECKS, back_region)
    interim = "临时" in page.text
    kind = "front_back" if front and back else side
    fields["type"] = f"interim_{kind}" if interim else kind
    return CardResult(card=scan.card, fields=fields, rate=page_rate(page), extra=extra)


def parse_front(scan: ScanInput) -> CardResult:
    return _parse(scan, "front")


def parse_back(scan: ScanInput) -> CardResult:
    return _parse(scan, "back")

