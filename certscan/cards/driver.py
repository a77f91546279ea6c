"""Driving licence (机动车驾驶证): the main page (front) and the 副页 (back).

Front: 证号 (an ID number), 姓名, 住址 (may wrap onto a second line), 准驾车型, and the validity in either
generation: ``有效起始日期 D`` + ``有效期限 6年/10年/长期`` (the end date is computed: start + period) or
``有效期限 D1 至 D2`` (``driver_validity``). Back / 副页: the 12-digit 档案编号, also when the photo shows
both pages open.
"""

from __future__ import annotations

import re

import numpy as np

from certscan.cards import layout
from certscan.cards.address_units import mend_address_units
from certscan.cards.base import CardResult, ScanInput
from certscan.cards.driver_address import (
    place_by_alternatives,
    repeated_name_repair,
)
from certscan.cards.driver_reread import better_fields, name_read_whole
from certscan.cards.driver_validity import dates_in, text_after, validity
from certscan.cards.idcard import ID_ALPHABET, number_valid, number_with_printed_birth
from certscan.cards.readers import char_runs, line_chars, page_rate
from certscan.cards.text import compact, find_dates, strip_punct, to_digits
from certscan.checks import idnumber
from certscan.checks.repair import repair
from certscan.constants import empty_fields
from certscan.ocr.recognize import crop_quad
from certscan.ocr.types import Line, Page, rect_quad

FRONT_LABELS = [
    "证号",
    "姓名",
    "性别",
    "国籍",
    "住址",
    "出生日期",
    "初次领证日期",
    "准驾车型",
    "有效起始日期",
    "有效期限",
]
_ENGLISH = re.compile(r"(?i)(name|sex|m&f|nationality|address|birthday|date|class|valid|from|for|period)")
_CLASS_TOKEN = re.compile(r"[ABC][1-6]|[DEFMNP]")
_CLASS_DIGIT = str.maketrans(
    {"L": "1", "I": "1", "l": "1", "|": "1", "Z": "2", "A": "4", "S": "5", "G": "6", "O": "0"}
)


def _id_number(page: Page) -> str:
    """The 18-character 证号: a check-digit-valid one anywhere on the page, else the one after 证号."""
    fallback = ""
    for line in page.lines:
        s = compact(line.text).upper()
        for m in re.finditer(r"\d{17}[\dX]", s):
            # a longer run (the 证号 label read as digits, 15411…) holds the number at any offset
            run = re.match(r"[\dX]+", s[m.start() :])
            text = run.group() if run else m.group()
            windows = [text[k : k + 18] for k in range(len(text) - 17)]
            valid = [w for w in windows if re.fullmatch(r"\d{17}[\dX]", w) and idnumber.is_valid(w)]
            if valid:
                return valid[-1]  # digits glued in front are the label's (a glued tail is rarer)
            fallback = fallback or m.group()
    repaired = _repaired_number(page)
    if repaired:
        return repaired
    if not fallback:
        value = layout.value_right_of(page, "证号")
        fallback = value if re.fullmatch(r"\d{17}[\dXx]", value) else ""
    return number_with_printed_birth(fallback.upper(), _birth_date(page))[0]


def _birth_date(page: Page) -> str:
    """The 出生日期 value: the date after its label, else the page's earliest date (the holder was born
    before the first licence and its validity)."""
    labelled = dates_in(text_after(page, ["出生日期"]))
    if labelled:
        return labelled[0]
    return min((d for ln in page.lines for d in dates_in(ln.text)), default="")


def _repaired_number(page: Page) -> str:
    """An 18-character run failing its check digit made valid by one of the recogniser's alternatives,
    when exactly one passes (as the ID card's number is; the last 18 of a longer run, the label's
    characters read as digits in front)."""
    for line in page.lines:
        for run in char_runs(line_chars(line), ID_ALPHABET, max_gap=1):
            if len(run) >= 18:
                result = repair(run[-18:], number_valid, ID_ALPHABET, max_changes=1)
                if result.valid:
                    return result.text
    return ""


def _left_of_sex(page: Page) -> str:
    """The name when its label was not read: the box left of 性别 on its row."""
    sex = layout.find_label(page, "性别", anywhere=True)
    if sex is None:
        return ""
    left = [
        ln
        for ln in page.lines
        if ln is not sex.line
        and layout.same_row(ln, sex.line)
        and ln.x1 <= sex.line.x0 + 0.5 * sex.line.height
    ]
    return compact(max(left, key=lambda ln: ln.x0).text) if left else ""


def _number_line(page: Page) -> Line | None:
    """The 证号 value's line: the first line holding 18 ID-number characters."""
    return next((ln for ln in page.lines if re.search(r"\d{17}[\dXx]", compact(ln.text))), None)


def _is_caption(text: str) -> bool:
    """A front label read with at most one slip (住址 read as 性址): never a name."""
    return any(layout.match_label(text, label) is not None for label in FRONT_LABELS)


def _under_number(page: Page) -> str:
    """The name when neither 姓名 nor 性别 was read: on the first row under the 证号 line, the box of two
    to four Chinese characters that starts in the value column (where the address's first line starts:
    the box left of it is the 姓名 caption read as two other characters), else the leftmost one. The
    性别 value 男/女, 中国 and captions are never a name."""
    number = _number_line(page)
    if number is None:
        return ""
    window = [ln for ln in page.lines if number.y1 <= ln.cy <= number.y1 + 2.5 * number.height]
    names = [
        ln
        for ln in window
        if re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", compact(ln.text))
        and compact(ln.text) != "中国"
        and not _is_caption(compact(ln.text))
    ]
    if not names:
        return ""
    top = min(names, key=lambda ln: ln.cy)
    row = [ln for ln in names if layout.same_row(ln, top, 0.3)]
    column = _value_column(page, top)
    aligned = [ln for ln in row if column is not None and abs(ln.x0 - column) < 1.5 * ln.height]
    chosen = min(aligned or row, key=lambda ln: ln.x0 if not aligned else abs(ln.x0 - (column or 0.0)))
    return compact(chosen.text)


def _value_column(page: Page, name_row: Line) -> float | None:
    """Where values start: the left edge of the address's first line (more than seven Chinese characters)
    on the rows under the name row."""
    h = max(name_row.height, 1.0)
    below = [
        ln
        for ln in page.lines
        if name_row.y1 < ln.cy < name_row.y1 + 3 * h and len(re.findall(r"[\u4e00-\u9fff]", ln.text)) > 7
    ]
    return min(below, key=lambda ln: ln.y0).x0 if below else None


def _name(page: Page) -> str:
    stops = ["性别", "国籍", "档案编号", "Name"]
    hit = layout.find_label(page, "姓名")
    if hit is not None and hit.errors and re.search(r"\d", hit.rest):
        # a near match in the address's second line (光名苑15栋…: 名 of a building), not the label: a
        # name holds no digits
        hit = None
    if hit is None:
        value = _left_of_sex(page) or _under_number(page)
    else:
        value = layout.cut_at_labels(hit.rest, stops)
        right = layout.right_of(page, hit.line)
        # a misread label (姓书) matches as 姓 + a one-character "name": the box on its right is the name
        if right and len(re.sub(r"[^\u4e00-\u9fff]", "", value)) < 2:
            value = layout.cut_at_labels(strip_punct(compact(right[0].text)), stops)
    value = _ENGLISH.split(value)[0] if value else ""
    return re.sub(r"[^\u4e00-\u9fff·]", "", value)


def _address(page: Page) -> str:
    hit = layout.find_label(page, "住址")
    if hit is None:
        return _address_band(page)
    first = hit.rest
    anchor = hit.line
    # the value's box, not the English caption that overlaps the label's row
    right = [ln for ln in layout.right_of(page, hit.line) if ln.x0 > hit.line.cx]
    # a misread label (住域) matches as 住 + a one-character "address": the box on its right is the value;
    # after a label read exactly, that one character is the value's first, cut off by the detector
    if len(first) <= 1 and right:
        anchor, first = right[0], (first if hit.errors == 0 else "") + compact(right[0].text)
    elif not first:
        return ""
    stops = ["出生日期", "初次领证日期", "准驾车型", "Birthday"]
    below = layout.lines_below(page, anchor, stop_labels=stops)
    floor = layout.find_label(page, stops)
    if floor is not None:  # the birth date's value can sit in the address column's path
        below = [ln for ln in below if ln.cy < floor.line.y0]
    rows: list[Line] = []
    for ln in below:
        text = compact(ln.text)
        if _next_row(text, stops):
            break
        if not _ENGLISH.fullmatch(text):
            rows.append(ln)
    # a continuation line starts where the value starts; a box right of that (the next row's misread
    # caption, 生日租) belongs only when it continues a line that does
    start = _value_start(hit, anchor)
    lines = [ln for ln in rows if ln.x0 <= start + 1.5 * anchor.height]
    lines += [ln for ln in rows if ln not in lines and any(layout.same_row(ln, other) for other in lines)]
    lines = sorted(lines, key=lambda ln: (min(o.y0 for o in lines if layout.same_row(ln, o)), ln.x0))
    parts = [first, *(compact(ln.text) for ln in lines)]
    raw = strip_punct(re.sub(r"(?i)address", "", "".join(parts)))
    lines = [anchor, *lines]
    address = place_by_alternatives(raw, lines)
    return mend_address_units(repeated_name_repair(address, lines), lines)


def _value_start(hit: layout.LabelHit, anchor: Line) -> float:
    """Where the address's first line starts: its own box, or past the label merged into it."""
    if anchor is not hit.line:
        return anchor.x0
    share = hit.end / max(1, len(compact(hit.line.text)))
    return hit.line.x0 + share * (hit.line.x1 - hit.line.x0)


def _next_row(text: str, labels: list[str]) -> bool:
    """A line of the row under the address (a date, or a misread 出生日期 label), never part of it."""
    return bool(dates_in(text)) or any(layout.match_label(text, label) is not None for label in labels)


def _address_band(page: Page) -> str:
    """The address when its label was not read: the lines between the 性别 row and 出生日期."""
    sex = layout.find_label(page, "性别", anywhere=True)
    name = layout.find_label(page, "姓名")
    # 性别 misread too: the name row bounds the band; both misread: the 证号 line over the name row
    top = sex.line if sex else name.line if name else _number_line(page)
    if top is None:
        return ""
    birth = layout.find_label(page, ["出生日期", "初次领证日期"])
    dated = [ln for ln in page.lines if ln.y0 > top.y1 and dates_in(ln.text)]
    floor = birth.line.y0 if birth else min((ln.y0 for ln in dated), default=None)  # else the birth date
    if floor is None:
        return ""
    band = sorted((ln for ln in page.lines if top.y1 < ln.cy < floor), key=lambda ln: ln.y0)

    def long_enough(ln: Line) -> bool:  # reaches under 性别, or (性别 unread) a long line of text
        return (sex is not None and ln.x1 > sex.line.x0) or len(re.findall(r"[\u4e00-\u9fff]", ln.text)) > 7

    first = next((ln for ln in band if re.search(r"[\u4e00-\u9fff]{2}", ln.text) and long_enough(ln)), None)
    if first is None:
        return ""
    # continuation lines start where the first line starts (a short last line ends left of 性别)
    lines = [
        ln for ln in band if ln is first or (ln.y0 > first.cy and abs(ln.x0 - first.x0) < 1.5 * first.height)
    ]
    lines = [ln for ln in lines if not _ENGLISH.fullmatch(compact(ln.text))]
    address = place_by_alternatives(strip_punct("".join(compact(ln.text) for ln in lines)), lines)
    return mend_address_units(address, lines)


def vehicle_class(text: str) -> str:
    """准驾车型 codes (C1, A2, C1E, A1A2, ...) from OCR text, digits repaired after A/B/C."""
    s = compact(text).upper()
    s = re.sub(r"(?i)class", "", s)
    out = ""
    i = 0
    while i < len(s):
        ch = "C" if s[i] == "G" else s[i]  # G is no class letter: a C read with its bar
        if ch in "ABC" and i + 1 < len(s):
            digit = s[i + 1].translate(_CLASS_DIGIT)
            if digit in "123456":
                out += ch + digit
                i += 2
                continue
        if ch in "DEFMNP":
            out += ch
        elif out:
            break
        i += 1
    return out if _CLASS_TOKEN.match(out) else ""


def _vehicle_type(page: Page) -> str:
    hit = layout.find_label(page, "准驾车型") or layout.find_label(page, "车型", max_errors=0, anywhere=True)
    value = vehicle_class(hit.rest) if hit is not None else ""
    for line in layout.right_of(page, hit.line, min_overlap=0.3) if hit is not None else []:
        if value:
            break
        value = vehicle_class(line.text)
    return value or _class_box(page)


def _class_box(page: Page) -> str:
    """The class when its label was misread past matching (车, 型, 准型, 车泵) or not boxed at all: a box
    holding nothing but a class code, on the row of a box that still shows one of the label's
    characters, else on the class row's place (under the first-issue date, over the validity dates)."""
    codes = [
        (line, value)
        for line in page.lines
        # the whole box must be the code (not "E" of a caption)
        if (value := vehicle_class(compact(line.text).upper())) and len(value) == len(compact(line.text))
    ]
    for line, value in codes:
        if any(
            re.search(r"[准驾车型]", other.text) and layout.same_row(other, line) and other.x1 <= line.x0
            for other in page.lines
        ):
            return value
    # the rows print birth date, first-issue date, class, validity: the class sits between the last two
    # dated rows (the validity row and the first issue's)
    dated = sorted((ln for ln in page.lines if dates_in(ln.text, long_term=True)), key=lambda ln: ln.cy)
    rows = [ln for k, ln in enumerate(dated) if k == 0 or not layout.same_row(ln, dated[k - 1], 0.3)]
    if len(rows) < 2:
        return ""
    between = [value for line, value in codes if rows[-2].y1 <= line.cy <= rows[-1].y0]
    return between[0] if len(between) == 1 else ""


def front_fields(page: Page) -> dict[str, str]:
    """The main page's contract fields from one read of it."""
    fields: dict[str, str] = empty_fields("driver-license-front")
    start, end = validity(page)
    fields.update(
        name=_name(page),
        number=_id_number(page),
        address=_address(page),
        vehicleType=_vehicle_type(page),
        validStartDate=start,
        validEndDate=end,
    )
    return fields


def parse_front(scan: ScanInput) -> CardResult:
    image = without_red(scan.image)
    page = scan.engine.read(image)
    if not page.lines:
        return CardResult.empty("driver-license-front")
    first = front_fields(page)
    fields = better_fields(first, page, image, scan.engine, front_fields)
    if fields["name"] == first["name"]:  # the page's own name: its box may show a character more
        fields["name"] = name_read_whole(first["name"], page, scan.region_reader(page, image))
    return CardResult(card="driver-license-front", fields=fields, rate=page_rate(page))


def without_red(image: np.ndarray) -> np.ndarray:
    """The red channel as grey: red seals stamped over the printed values vanish, black ink stays."""
    return np.ascontiguousarray(np.repeat(image[:, :, :1], 3, axis=2))


def date_in(text: str) -> str:
    """The first date in ``text``; also ``2015-0928`` (a separator lost) read as its 8 digits."""
    dates = dates_in(text)
    if dates:
        return dates[0]
    digits = re.sub(r"\D", "", compact(text))
    return find_dates(digits[:8])[0] if len(digits) >= 8 and find_dates(digits[:8]) else ""


def _archive(page: Page) -> str:
    """档案编号: the 12 digits after its label (merged or on its row), never the barcode's digits."""
    hit = layout.find_label(page, ["档案编号"], anywhere=True)
    if hit is not None:
        candidates: list[Line | str] = [hit.rest, *layout.right_of(page, hit.line, min_overlap=0.3)]
        for cand in candidates:
            digits = to_digits(cand if isinstance(cand, str) else cand.text)
            if len(digits) >= 12:
                return digits[:12]
    # 13 to 16 digits after the label's first character (代339411665824677): the label's other characters
    # read as digits precede the number (a barcode's digits stand alone; 17 or more are the ID number)
    glued = r"(?<=[\u4e00-\u9fff])\d{13,16}(?![\dXx])"
    # a barcode's human-readable digits come between its start and stop asterisks (*450608756302*)
    alone = r"(?<![\d*])\d{12}(?![\d*])"
    numbers = [d[-12:] for ln in page.lines for d in re.findall(rf"{alone}|{glued}", compact(ln.text))]
    # the label's last character read as a digit on its own (9130159874162: the box starts on 号); a
    # bare 13 to 16 digit run could be a barcode's too, so it counts only by the holder's region below
    bare = r"(?<![\d*])\d{13,16}(?![\dXx*])"
    stray = [d[-12:] for ln in page.lines for d in re.findall(bare, compact(ln.text))]
    ids = [m for ln in page.lines for m in re.findall(r"\d{17}[\dX]", compact(ln.text).upper())]
    for number in [*numbers, *stray]:  # the archive number usually shares the holder's region code
        if any(number[:4] == i[:4] for i in ids):
            return number
    # else the one such run on the row under the 副页's 证号 line (name | 档案编号): no barcode there
    row = [d[-12:] for ln in _archive_row(page) for d in re.findall(rf"{alone}|{bare}", compact(ln.text))]
    if len(row) == 1:
        return row[0]
    return numbers[0] if len(numbers) == 1 else ""


def _archive_row(page: Page) -> list[Line]:
    """The lines on the row right under an ID-number line (the 副页 prints 证号, then 姓名 and
    档案编号 on the next row), right of the number's start."""
    ids = [ln for ln in page.lines if re.search(r"\d{17}[\dXx]", compact(ln.text))]
    return [
        ln
        for ln in page.lines
        if any(0.5 * i.height < ln.cy - i.cy < 2.5 * i.height and ln.x1 > i.x0 for i in ids)
    ]


def parse_back(scan: ScanInput) -> CardResult:
    page = scan.engine.read(without_red(scan.image))
    if not page.lines:
        return CardResult.empty("driver-license-back")
    fields = empty_fields("driver-license-back")
    fields["archiveNum"] = _archive(page) or _archive_zoomed(scan, page)
    return CardResult(card="driver-license-back", fields=fields, rate=page_rate(page))


def _archive_zoomed(scan: ScanInput, page: Page) -> str:
    """档案编号 when the whole-page read missed its row: the band under the 副页's 证号 line, cut from
    the input image and read again on its own (the detector sees it larger)."""
    anchors = [ln for ln in page.lines if re.search(r"\d{17}[\dXx]", compact(ln.text))]
    if not anchors:
        return ""
    number = max(anchors, key=lambda ln: ln.cx)  # the 副页 is the right-hand page in a wallet photo
    h = number.height
    x0, x1 = max(0.0, number.x0 - 6 * h), min(float(page.width), number.x1 + 6 * h)
    y0, y1 = number.y1, min(float(page.height), number.y1 + 4 * h)
    if y1 - y0 < h:
        return ""
    quad = rect_quad(x0, y0, x1, y1)
    crop = crop_quad(without_red(scan.image), page.image_points(quad))
    return _archive(scan.engine.read(crop))
