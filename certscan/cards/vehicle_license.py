"""Vehicle licence (机动车行驶证): the main page (front), and the cell readers the 副页 (back,
``vehicle_license_back``) shares.

Both pages print ``label value`` cells in rows, two cells to a row for the short ones. Values are read
right of their label (merged into the label's line or as the next box on the row), cut where the next
label on the same line starts. The VIN is repaired by its check digit, the plate by the plate rules
(``vehicle_plate``), the dimensions are parsed into integers; the owner is settled in ``vehicle_owner``,
the address's divisions and unit words by the place table and the recogniser's alternatives.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from certscan.cards import layout, reread, vehicle_cells, vehicle_dates, vehicle_engine, vehicle_terms, vin
from certscan.cards.address_units import mend_address_units
from certscan.cards.base import CardResult, ScanInput
from certscan.cards.driver import date_in, without_red
from certscan.cards.places import fix_place_prefix
from certscan.cards.readers import page_rate
from certscan.cards.text import compact, hamming, strip_punct
from certscan.cards.vehicle_engine import ENGINE_LABELS, code_runs, looks_like_engine_number
from certscan.cards.vehicle_owner import owner_value
from certscan.cards.vehicle_plate import page_plate, plate_number, province_from_address
from certscan.cards.vin import repair as vin_repair
from certscan.checks import plate as plate_rules
from certscan.checks import vin as vin_check
from certscan.constants import empty_fields
from certscan.ocr.engine import RegionReader
from certscan.ocr.types import Line, Page

FRONT_LABELS = [
    "号牌号码",
    "车辆类型",
    "所有人",
    "住址",
    "使用性质",
    "品牌型号",
    "车辆识别代号",
    "发动机号码",
    "注册日期",
    "发证日期",
]
_ENGLISH = re.compile(
    r"(?i)(plate ?no\.?|vehicle ?type|owner|address|use ?character|model|"
    r"vehicle identification number|engine ?no\.?|register ?date|issue ?date)"
)


def find_caption(page: Page, label: str, labels: list[str]) -> layout.LabelHit | None:
    """The caption ``label`` (one slip allowed), else an exact tail of it that no other caption holds
    (性质 of 使用性质, 有人 of 所有人: the seal or a fold ate its head)."""
    hit = layout.find_label(page, label)
    if hit is not None:
        return hit
    others = [lb for lb in labels if lb != label]
    tails = [label[k:] for k in range(1, len(label) - 1) if not any(label[k:] in lb for lb in others)]
    return layout.find_label(page, tails, max_errors=0) if tails else None


def beside(page: Page, caption: Line, min_overlap: float = 0.5) -> list[Line]:
    """The boxes on the caption's row right of it, nearest first. A box starting left of the caption's
    middle is under it, not beside it: its English caption (Addres) reaching into the row of a tall
    caption box, which sorts first by its left edge."""
    return [ln for ln in layout.right_of(page, caption, min_overlap) if ln.x0 > caption.cx]


def cell_value(page: Page, label: str, labels: list[str]) -> str:
    stops = [lb for lb in labels if lb != label and label not in lb]
    hit = find_caption(page, label, labels)
    if hit is None:
        return ""
    value = hit.rest
    nearest = beside(page, hit.line)
    if len(value) <= 1 and nearest:
        # no value is one character: one left over is the caption's own last one misread (住验 for 住址,
        # matched as 住 with a dropped character), the value is the box beside it
        value = strip_punct(compact(nearest[0].text))
    value = layout.cut_at_labels(value, stops)
    if value and any(layout.match_label(value, other, 0) is not None for other in stops):
        return ""  # the nearest box on the row is the next label: this cell is blank
    return strip_punct(_ENGLISH.sub("", value))


def _term_value(page: Page, label: str, terms: frozenset[str]) -> str:
    """The first box of the cell that is (or snaps to) one of the printed ``terms``: a speck or a
    caption remnant before the value (车辆类型 | 5 | 中型普通客车) is passed over."""
    for text in cell_texts(page, label, FRONT_LABELS):
        term = vehicle_terms.snap(strip_punct(_ENGLISH.sub("", text)), terms)
        if term in terms:
            return term
    return ""


def without_caption_tail(value: str, label: str) -> str:
    """``value`` without what is left of its caption in front (号长安牌… for 品牌型号, 品!本田牌…, 人 of
    所有人): the caption was half read and the detector merged the rest into the value's box. No owner,
    address or model starts with one of its caption's characters."""
    head = len(value) - len(value.lstrip(label + "!！|:：.,，'\""))
    return value[head:] if len(value) - head >= 2 else value


def vin_number(text: str) -> str:
    s = re.sub(r"[^A-Z0-9]", "", compact(text).upper()).translate(str.maketrans("IOQ", "100"))
    if len(s) != 17:
        return s
    return vin_repair([(c, (), 1.0) for c in s])[0]


def _row_texts(page: Page, label: str | list[str], labels: list[str] = FRONT_LABELS) -> list[str]:
    """What follows a label on its own line, then each box right of it on its row, nearest first."""
    hit = find_caption(page, label, labels) if isinstance(label, str) else layout.find_label(page, label)
    if hit is None:
        return []
    return [hit.rest] + [compact(ln.text) for ln in beside(page, hit.line, min_overlap=0.3)]


def cell_texts(page: Page, label: str, labels: list[str]) -> list[str]:
    """``_row_texts`` up to the next label on the row: the texts of this cell only (a speck the
    detector boxed between label and value is one of them, not the value)."""
    out = []
    for text in _row_texts(page, label, labels):
        if any(other != label and label not in other and text.startswith(other) for other in labels):
            break
        out.append(text)
    return out


def first_match(texts: list[str], pattern: str) -> str:
    for text in texts:
        m = re.search(pattern, text)
        if m:
            return m.group(1)
    return ""


def _code(page: Page, label: str | list[str]) -> str:
    """The first code after a label (``vehicle_engine.code_runs``: seal remnants, printed in Chinese,
    are skipped; so is the English caption: codes carry digits)."""
    for text in _row_texts(page, label):
        runs = code_runs(text)
        if runs:
            return max(runs, key=len)
    return ""


def _date(page: Page, label: str) -> str:
    """The date in the label's cell (never the next cell's: 注册日期 | unreadable | 发证日期 | date, nor
    after the other date's caption read with a slip: 发诚日期 | 2025-10-27)."""
    other = "发证日期" if label == "注册日期" else "注册日期"
    for text in cell_texts(page, label, FRONT_LABELS):
        if layout.match_label(text, other) is not None:
            break
        date = vehicle_dates.date_of(text)
        if date:
            return date
    return ""


def without_specks(page: Page) -> Page:
    """The page without boxes of one or two characters read with little confidence: remnants of the red
    seal or the guilloche that the detector boxed between a label and its value (品牌型号 | 福 | 解放牌…)."""
    caption_chars = set("".join(FRONT_LABELS))  # a caption's remnant (住 of 住址) still anchors its value
    kept = [ln for ln in page.lines
            if len(compact(ln.text)) > 2 or ln.confidence >= 0.3 or set(compact(ln.text)) <= caption_chars]
    return replace(page, lines=kept)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A wrong value usually fails its check: the VIN's check digit, the plate rules, a printed term, a date
# read whole. The engine number has no check digit: letters and digits, most of them digits.
FRONT_CHECKS: reread.Checks = {
    "plateNum": plate_rules.is_valid,
    "vin": vin_check.is_valid,
    "engineNum": looks_like_engine_number,
    "vehicleType": lambda value: value in vehicle_terms.VEHICLE_TYPES,
    "useCharacter": lambda value: value in vehicle_terms.USE_CHARACTERS,
    "owner": lambda value: len(value) >= 2,
    "address": lambda value: len(value) >= 6,
    "model": lambda value: bool(re.search(r"牌[A-Z0-9]{3}", value)),  # the maker's brand (…牌), its code
    "registerDate": lambda value: bool(_ISO_DATE.fullmatch(value)),
    "issueDate": lambda value: bool(_ISO_DATE.fullmatch(value)),
}


def parse_front(scan: ScanInput) -> CardResult:
    image = without_red(scan.image)
    page = without_specks(scan.engine.read(image))
    fields = front_fields(page)
    first_engine = fields["engineNum"]
    fields = reread.better_fields(fields, page, image, scan.engine,
                                  lambda again: front_fields(without_specks(again)), FRONT_CHECKS,
                                  fill_only=True)
    reader = scan.region_reader(page, image)
    if fields["engineNum"] == first_engine:  # read from this page: its box may have cut the head off
        fields["engineNum"] = vehicle_engine.with_lost_head(first_engine, page, reader)
    _reread_dates(page, fields, reader)
    if not any(fields.values()):
        return CardResult.empty("vehicle-license-front")
    return CardResult(card="vehicle-license-front", fields=fields, rate=page_rate(page))


def _reread_dates(page: Page, fields: dict[str, Any], reader: RegionReader | None) -> None:
    """A date whose cell held no whole date (the seal cut its box: 2008 of 2008-05-28) read again in the
    strip beside its caption; kept only when read whole, then held against the other date."""
    for key, label in (("registerDate", "注册日期"), ("issueDate", "发证日期")):
        if _date(page, label):
            continue
        again = vehicle_cells.reread_date(page, find_caption(page, label, FRONT_LABELS), reader)
        fields[key] = again or fields[key]
    if fields["registerDate"] and fields["issueDate"]:
        fields["registerDate"] = vehicle_dates.issued_after_registration(fields["registerDate"],
                                                                         fields["issueDate"])


def front_fields(page: Page) -> dict[str, Any]:
    """The front's values read from one page."""
    fields = empty_fields("vehicle-license-front")
    for key, label in (("owner", "所有人"), ("address", "住址"), ("model", "品牌型号")):
        fields[key] = cell_value(page, label, FRONT_LABELS)
    for key, label, terms in (
        ("vehicleType", "车辆类型", vehicle_terms.VEHICLE_TYPES),
        ("useCharacter", "使用性质", vehicle_terms.USE_CHARACTERS),
    ):
        fields[key] = _term_value(page, label, terms) or cell_value(page, label, FRONT_LABELS)
    fields["plateNum"] = page_plate(page, cell_value(page, "号牌号码", FRONT_LABELS))
    fields["vin"] = _vin(page)
    fields["engineNum"] = _code(page, ENGINE_LABELS) or _code_below_vin(page, fields["vin"])
    fields["registerDate"] = _date(page, "注册日期")
    fields["issueDate"] = _date(page, "发证日期")
    if fields["vin"] and not all(fields[k] for k in ("plateNum", "vehicleType", "owner", "address",
                                                        "useCharacter", "model")):
        _rows_above_vin(page, fields)
    for key, label in (("owner", "所有人"), ("address", "住址"), ("model", "品牌型号")):
        fields[key] = without_caption_tail(fields[key], label)
    # its unit words (栋, 单元, an estate's 园) mended from the recogniser's alternatives, its divisions
    # from the table
    address_lines = [ln for ln in page.lines
                     if len(compact(ln.text)) >= 3 and compact(ln.text) in fields["address"]]
    fields["address"] = fix_place_prefix(mend_address_units(fields["address"], address_lines))
    fields["owner"] = owner_value(fields["owner"], fields["address"], _line_holding(page, fields["owner"]))
    fields["model"] = vehicle_terms.model_with_brand(
        vehicle_terms.brand_by_alternatives(fields["model"], _line_holding(page, fields["model"])))
    fields["vehicleType"] = vehicle_terms.snap(fields["vehicleType"], vehicle_terms.VEHICLE_TYPES)
    fields["useCharacter"] = vehicle_terms.snap(fields["useCharacter"], vehicle_terms.USE_CHARACTERS)
    fields["plateNum"] = province_from_address(fields["plateNum"], fields["address"])
    fields["registerDate"], fields["issueDate"] = vehicle_dates.settled(
        page, fields["registerDate"], fields["issueDate"], cell_texts(page, "注册日期", FRONT_LABELS)
    )
    register, issue = fields["registerDate"], fields["issueDate"]
    read_from = next((ln for ln in page.lines if vehicle_dates.date_of(ln.text) == register), None)
    fields["registerDate"] = vehicle_dates.register_by_alternatives(register, issue, read_from)
    return fields


def _line_holding(page: Page, value: str) -> Line | None:
    """The box ``value`` was read from (the first holding it as read), None when not one box's."""
    return next((ln for ln in page.lines if value and value in ln.text), None)


def _vin(page: Page) -> str:
    """The VIN on the 车辆识别代号 row (repaired with the recogniser's alternatives), else any
    check-digit-valid 17-character run on the page (the label was not read)."""
    hit = layout.find_label(page, "车辆识别代号")
    if hit is not None:
        row = [
            ln
            for ln in [hit.line, *layout.right_of(page, hit.line, min_overlap=0.3)]
            if not re.search(r"(?i)vehic|ident|number", ln.text)
        ]  # the English caption
        found = vin.find_vins(Page(width=page.width, height=page.height, lines=row))
        if found:
            return found[0][0]
    # Away from its label, a 17-character run that passes the check digit by chance (1 in 11: the
    # English title read as letters) is told apart by the serial's end: GB 16735 prints digits there.
    anywhere = [f for f in vin.find_vins(page) if f[2] >= 0 and f[0][-4:].isdigit()]
    return anywhere[0][0] if anywhere else ""


def _code_below_vin(page: Page, vin_text: str) -> str:
    """The engine number when its label was not read: the first code under the VIN row, above the
    dates row (the VIN's English caption may sit on a row of its own in between)."""
    if not vin_text:
        return ""
    rows = layout.group_rows(page)
    at = next((i for i, row in enumerate(rows) if _near_vin(layout.row_text(row), vin_text)), -1)
    if at < 0:
        return ""
    for row in rows[at + 1 : at + 3]:
        if any(date_in(ln.text) for ln in row):
            break  # the dates row: the engine number was not read
        for ln in row:
            text = re.sub(r"[\s·.\-]", "", compact(ln.text).upper())
            runs = [r for r in re.findall(r"[A-Z0-9]{5,}", text)
                    if not date_in(r) and sum(c.isdigit() for c in r) >= 3]  # not the English caption
            if runs:
                return max(runs, key=len).replace("O", "0")
    return ""


def _near_vin(text: str, vin_text: str) -> bool:
    """Whether ``text`` holds the VIN (up to 3 characters read differently)."""
    s = re.sub(r"[^A-Z0-9]", "", text.upper())
    return any(
        hamming(s[k : k + 17], vin_text) <= 3
        for k in range(max(0, len(s) - 16))
    )


def _rows_above_vin(page: Page, fields: dict[str, Any]) -> None:
    """Cells whose labels were unreadable (a small, blurred photo or the seal), taken by their row's
    place above the VIN row: plate | type, owner, address, use | model. Only empty fields are filled.
    The rows are found at whole row pitches above the VIN, the pitch measured down to the dates row;
    without a dates row, by counting rows when the plate row sits where the layout puts it."""
    rows = layout.group_rows(page)
    at = next((i for i, row in enumerate(rows) if _near_vin(layout.row_text(row), fields["vin"])), -1)
    if at < 0:
        return
    above = _rows_by_pitch(rows, at, fields["vin"])
    if above is None:
        if at < 4 or not fields["plateNum"] or fields["plateNum"][1:] not in layout.row_text(rows[at - 4]):
            return
        above = [rows[at - k] for k in range(1, 5)]
    use_row, address_row, owner_row, plate_row = above
    x0, x1 = min(ln.x0 for ln in page.lines), max(ln.x1 for ln in page.lines)
    width, mid = x1 - x0, (x0 + x1) / 2

    def cell(row: list[Line], right: bool) -> str:
        start = x0 + (0.66 if right else 0.2) * width  # values start right of their label column
        kept = [ln for ln in row if (ln.cx >= mid) == right and ln.x1 > start]
        return strip_punct("".join(compact(ln.text) for ln in kept))

    wanted = {
        "vehicleType": cell(plate_row, True),
        "owner": cell(owner_row, False),
        "address": cell(address_row, False) + cell(address_row, True),
        "useCharacter": cell(use_row, False),
        "model": cell(use_row, True),
    }
    for key, value in wanted.items():
        if not fields[key] and value:
            fields[key] = value
    if not plate_rules.is_valid(fields["plateNum"]):
        read = province_from_address(plate_number(cell(plate_row, False)), fields["address"])
        fields["plateNum"] = read if plate_rules.is_valid(read) else fields["plateNum"]


def _rows_by_pitch(rows: list[list[Line]], at: int, vin_text: str) -> list[list[Line]] | None:
    """The four rows above row ``at`` (the VIN's), nearest first. Walking up a row pitch at a time,
    each step takes the row centred nearest its place (within 0.45 pitch) and goes on from that row,
    so a tilted photo's gradually changing spacing is followed. The pitch is half the way from the
    VIN down to the dates (VIN, engine, dates rows)."""
    vin_lines = [ln for ln in rows[at] if _near_vin(ln.text, vin_text)] or rows[at]
    centres = [sum(ln.cy for ln in row) / len(row) for row in rows]
    place = sum(ln.cy for ln in vin_lines) / len(vin_lines)
    below = [y - place for y, row in zip(centres[at + 1 :], rows[at + 1 :], strict=True)
             if any(date_in(ln.text) for ln in row)]
    if not below or below[0] <= 0:
        return None
    pitch = below[0] / 2
    out: list[list[Line]] = []
    for _ in range(4):
        place -= pitch
        nearest = min(range(at), key=lambda i: abs(centres[i] - place), default=None)
        if nearest is not None and abs(centres[nearest] - place) <= 0.45 * pitch:
            out.append(rows[nearest])
            place = centres[nearest]
        else:
            out.append([])
    return out
