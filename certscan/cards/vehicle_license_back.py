"""Vehicle licence 副页 (back): file number, seats, masses, dimensions, inspection record and plate.

Cells are read right of their labels like the front's (``vehicle_license``); values whose label was
not read are found by their shape, the masses by their place in the grid, and the plate and the
inspection record (which ends with the plate's first two characters) repair each other.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from certscan.cards import layout, reread, vehicle_cells
from certscan.cards.base import CardResult, ScanInput
from certscan.cards.driver import without_red
from certscan.cards.plate import read_plates
from certscan.cards.readers import page_rate
from certscan.cards.text import compact
from certscan.cards.vehicle_license import cell_texts, cell_value, find_caption, first_match
from certscan.cards.vehicle_plate import civil_plate, page_plate, plate_number, province_from_address
from certscan.checks import plate as plate_rules
from certscan.checks import regions
from certscan.constants import empty_fields
from certscan.ocr.types import Line, Page

BACK_LABELS = ["号牌号码", "档案编号", "核定载人数", "总质量", "整备质量", "核定载质量", "外廓尺寸",
               "准牵引总质量", "备注", "检验记录"]
_DIMENSIONS = re.compile(r"(\d{3,5})\D{1,3}?(\d{3,5})\D{1,3}?(\d{3,5})")


# The g of kg is often blurred into E, 9 or lost: a k right after the digits is enough; so is a g ending
# the text (3432g: the k lost).
_MASS = re.compile(r"(?<!\d)(\d{2,6})\s*(?:[kK](?:[gG9eE]|$)|[gG]$)")
# a box of digits alone, its kg lost: a mass only where the grid places one
_BARE_MASS = re.compile(r"[1-9]\d{2,5}")


def _mass(text: str) -> str:
    m = _MASS.search(compact(text))
    return f"{m.group(1)}kg" if m else ""


def _mass_x(line: Line) -> float:
    """Where the mass sits across its line (a merged 整备质量1730kg box is mostly caption)."""
    text = compact(line.text)
    m = _MASS.search(text)
    share = (m.start() + m.end()) / 2 / max(1, len(text)) if m else 0.5
    return line.x0 + share * (line.x1 - line.x0)


def masses_by_place(page: Page) -> dict[str, str] | None:
    """The four masses by their cells in the grid around the dimensions row, whatever their captions
    read: the row above it is 整备质量 | 核定载质量, the one above that 核定载人数 | 总质量, the one
    below 准牵引总质量. None when the dimensions row is not found or the rows above are not evenly
    spaced (a row lost to the detector would shift every mass)."""
    dims = [ln for ln in page.lines if _DIMENSIONS.search(compact(ln.text)) and not _mass(ln.text)]
    if not dims:
        return None
    dim = dims[0]
    above = sorted(layout.group_rows([ln for ln in page.lines if ln.cy < dim.cy - dim.height / 2]),
                   key=lambda row: -_centre(row))
    if len(above) < 2:
        return None
    gap, next_gap = dim.cy - _centre(above[0]), _centre(above[0]) - _centre(above[1])
    if not 0.6 * gap <= next_gap <= 1.5 * gap:
        return None
    mid = (min(ln.x0 for ln in page.lines) + max(ln.x1 for ln in page.lines)) / 2
    below = [ln for ln in page.lines if 0.5 * gap < ln.cy - dim.cy < 1.5 * gap]

    def cell(row: list[Line], right: bool) -> str:
        side = [ln for ln in row if (_mass_x(ln) > mid) == right]
        found = [_mass(ln.text) for ln in side if _mass(ln.text)]
        # in a mass's own cell a box of bare digits is the mass whose small kg the blur took (2448)
        found = found or [f"{compact(ln.text)}kg" for ln in side if _BARE_MASS.fullmatch(compact(ln.text))]
        return found[0] if len(found) == 1 else ""

    traction = [_mass(ln.text) for ln in below if _mass(ln.text)]
    return {
        "grossMass": cell(above[1], True),
        "unladenMass": cell(above[0], False),
        "approvedLoad": cell(above[0], True),
        "tractionMass": traction[0] if len(traction) == 1 else "",
    }


def _centre(row: list[Line]) -> float:
    return sum(ln.cy for ln in row) / len(row)


def dimensions(text: str) -> dict[str, int | str]:
    """``4546×1710×1427mm`` → {length, width, height} in mm ("" each when unreadable)."""
    # a 1 or 0 read as a letter inside or at the end of a number (371lmm, 2O34)
    text = re.sub(r"(?<=\d)[lI|iO](?=\d|mm)", lambda m: "0" if m.group() == "O" else "1", compact(text))
    m = _DIMENSIONS.search(text)
    if m:
        return {"length": int(m.group(1)), "width": int(m.group(2)), "height": int(m.group(3))}
    # A separator lost to OCR (11182x21832981mm): width and height are 4 digits, the length the rest.
    digits = re.sub(r"\D", "", text.split("m")[0])
    if 11 <= len(digits) <= 13:
        return {"length": int(digits[:-8]), "width": int(digits[-8:-4]), "height": int(digits[-4:])}
    return {"length": "", "width": "", "height": ""}


def _back_fallbacks(page: Page, fields: dict[str, Any]) -> None:
    """Fields whose label was not read, found by the shape of their value alone."""
    texts = [compact(ln.text) for ln in page.lines]
    # Row neighbours on the 副页 (a caption's remnant and a mass or the file number) make a plate with
    # one change too often: a page-wide plate is taken only as read.
    fields["plateNum"] = page_plate(page, fields["plateNum"], max_repairs=0)
    if not civil_plate(fields["plateNum"]):  # the plate's own row, the top one: one change
        top = layout.group_rows(page)[:1]
        plates = [r.number for r in read_plates(replace(page, lines=top[0] if top else []))
                  if plate_rules.kind(r.number) != "military" and r.repairs <= 1]
        fields["plateNum"] = plates[0] if plates else fields["plateNum"]
    if not fields["fileNum"]:
        twelve = [d for t in texts for d in re.findall(r"(?<!\d)\d{12}(?!\d)", t)]
        fields["fileNum"] = twelve[0] if len(twelve) == 1 else ""
    if fields["appprovedPassengerCapacity"] == "":
        seats = [m.group(1) for t in texts if (m := re.search(r"(?<!\d)(\d{1,2})人", t))]
        fields["appprovedPassengerCapacity"] = int(seats[0]) if len(seats) == 1 else ""
    if fields["overallDimension"]["length"] == "":
        for t in texts:
            if re.search(r"\d{3,5}\D?\d{4}\D?\d{4}m", t):
                fields["overallDimension"] = dimensions(t)
                break
    if not fields["unladenMass"]:  # 整备质量 shares its row with 核定载质量, left of it
        load = layout.find_label(page, "核定载质量")
        left = [ln for ln in page.lines if load and layout.same_row(ln, load.line) and ln.x1 <= load.line.x0]
        masses = [_mass(ln.text) for ln in left if _mass(ln.text)]
        fields["unladenMass"] = masses[0] if len(masses) == 1 else ""
    record = fields["inspectionRecord"]
    if not _RECORD_FORMAT.fullmatch(record):
        found = [r for t in [record, *texts] if (r := inspection_record(t))]
        record = found[0] if found else record
    fields["inspectionRecord"] = record


_RECORD_FORMAT = re.compile(r"检验有效期至\d{4}年\d{2}月\w{0,3}")
# The only year-and-month on the page: 2027年01月, or with 年 read as 月 or lost, and the plate's head
_RECORD = re.compile(r"(?<!\d)((?:19|20)\d{2})[年月]?(\d{1,2})月(\w{0,3})$")


def inspection_record(text: str) -> str:
    """The record as printed (检验有效期至2027年01月辽F) from a read of its year and month, whatever
    became of its words (期至2027月01月, 禁效期些2010年11月过); "" without one."""
    m = _RECORD.search(compact(text))
    if m is None or not 1 <= int(m.group(2)) <= 12:
        return ""
    return f"检验有效期至{m.group(1)}年{int(m.group(2)):02d}月{m.group(3)}"


def _serial_left_of(page: Page, file_num: str) -> str:
    """The plate's serial (084437) left of the file number on their row, when neither the plate's
    caption nor its province was read: the inspection record may supply the rest."""
    anchor = next((ln for ln in page.lines if file_num and file_num in compact(ln.text)), None)
    if anchor is None:
        return ""
    left = [ln for ln in page.lines if layout.same_row(ln, anchor) and ln.x1 <= anchor.x0]
    serials = [s for ln in left if 5 <= len(s := re.sub(r"[^A-Z0-9]", "", ln.text.upper())) <= 7]
    return serials[0] if len(serials) == 1 else ""


def plate_and_record_agree(plate: str, record: str) -> tuple[str, str]:
    """The inspection record ends with the plate's first two characters (…09月晋V) when it names the
    plate: a province lost from the plate is taken from the record, as are both when the plate's
    serial alone was read (084437 beside a record ending 黑C); a record tail that is no province
    (过 for 辽W) or disagrees with a valid plate on one character only (辽0 for 辽Q, 藏 for 藏J, 京F
    for 琼F) takes the plate's; one that differs in both is another office's and stays."""
    m = re.search(r"月(\w{1,3})$", record)
    if m is None:
        return plate, record
    tail = without_strokes(m.group(1))
    record = record[: m.start(1)] + tail
    if len(tail) == 2 and tail[0] in plate_rules.PROVINCES and not civil_plate(plate):
        serial = re.sub(r"[^A-Z0-9]", "", plate.upper())
        completed = [tail[0] + plate, *(tail + serial[-n:] for n in (5, 6) if len(serial) >= n)]
        plate = next((c for c in completed if c[:2] == tail and civil_plate(c)), plate)
    if civil_plate(plate) and tail != plate[:2]:
        # the letter misread or lost (辽0, 藏), or the province alone misread (京F for 琼F: the plate,
        # printed larger and checked by the plate rules, is the better read)
        slipped = len(tail) <= 2 and (tail[0] == plate[0] or tail[1:] == plate[1])
        if slipped or (len(tail) <= 2 and tail[0] not in plate_rules.PROVINCES):
            record = record[: -len(tail)] + plate[:2]
    return plate, record


# What no office letter is (GA 36 leaves out I and O): a stroke of the seal or the box's edge read as a
# character beside the record's province and letter
_NO_OFFICE_LETTER = set("0123456789IO|l")


def without_strokes(tail: str) -> str:
    """The record's tail (a province and its office letter) without the strokes read around them: what
    comes before the province (J川H) and what no office letter is between it and the letter (川IN, 川1Q).
    A tail without a province, or whose letter is not the one left, stays as read."""
    at = next((k for k, ch in enumerate(tail) if ch in plate_rules.PROVINCES), -1)
    if at < 0:
        return tail
    letters = [ch for ch in tail[at + 1 :] if ch not in _NO_OFFICE_LETTER]
    if len(letters) == 1 and letters[0].isascii() and letters[0].isupper():
        return tail[at] + letters[0]
    return tail if tail[at + 1 :] else tail[at]


# Values every 副页 prints, with their formats: a value failing one was misread or not read (the load
# and traction masses are blank on most vehicles: no check).
BACK_CHECKS: reread.Checks = {
    "plateNum": lambda value: civil_plate(value),
    "fileNum": lambda value: bool(re.fullmatch(r"\d{12}", value)),
    "appprovedPassengerCapacity": lambda value: isinstance(value, int) and value > 0,
    "grossMass": lambda value: bool(_MASS.fullmatch(value)),
    "unladenMass": lambda value: bool(_MASS.fullmatch(value)),
    "overallDimension": lambda value: _whole_dimensions(value),
    "inspectionRecord": lambda value: bool(re.fullmatch(r"检验有效期至\d{4}年\d{2}月.*", value)),
}


def _whole_dimensions(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, int) for v in value.values())


def parse_back(scan: ScanInput) -> CardResult:
    image = without_red(scan.image)
    page = scan.engine.read(image)
    fields = back_fields(page)
    fields = reread.better_fields(fields, page, image, scan.engine, back_fields, BACK_CHECKS, fill_only=True)
    if fields["appprovedPassengerCapacity"] == "":
        caption = find_caption(page, "核定载人数", BACK_LABELS)
        reader = scan.region_reader(page, image)
        fields["appprovedPassengerCapacity"] = vehicle_cells.reread_seats(page, caption, reader)
    settle_plate(fields)  # the plate and the record may come from different reads
    if fields == empty_fields("vehicle-license-back"):
        return CardResult.empty("vehicle-license-back")
    return CardResult(card="vehicle-license-back", fields=fields, rate=page_rate(page))


def back_fields(page: Page) -> dict[str, Any]:
    """The 副页's values read from one page."""
    fields = empty_fields("vehicle-license-back")
    fields["plateNum"] = plate_number(cell_value(page, "号牌号码", BACK_LABELS))
    fields["fileNum"] = first_match(cell_texts(page, "档案编号", BACK_LABELS), r"(?<!\d)(\d{10,14})(?!\d)")
    seats = first_match(cell_texts(page, "核定载人数", BACK_LABELS), r"(?<!\d)(\d{1,3})人?")
    fields["appprovedPassengerCapacity"] = int(seats) if seats else ""
    for key, label in (
        ("grossMass", "总质量"),
        ("unladenMass", "整备质量"),
        ("approvedLoad", "核定载质量"),
        ("tractionMass", "准牵引总质量"),
    ):
        fields[key] = next((m for t in cell_texts(page, label, BACK_LABELS) if (m := _mass(t))), "")
    # Mass captions differ by a character or two (总质量, 准牵引总质量, 整备质量, 核定载质量) and are
    # often half read: the grid decides whenever it finds a mass in the cell.
    for key, mass in (masses_by_place(page) or {}).items():
        fields[key] = mass or fields[key]
    fields["overallDimension"] = dimensions(cell_value(page, "外廓尺寸", BACK_LABELS))
    fields["inspectionRecord"] = cell_value(page, "检验记录", BACK_LABELS)
    _back_fallbacks(page, fields)
    if not fields["plateNum"]:  # page_plate in the fallbacks tried the alternatives and the whole page
        fields["plateNum"] = _serial_left_of(page, fields["fileNum"])
    settle_plate(fields)
    return fields


def settle_plate(fields: dict[str, Any]) -> None:
    """The plate and the inspection record made to agree (``plate_and_record_agree``), a plate still
    without its province completed from the file number's, whose first digits are the registering
    office's division code (GB/T 2260), and the record's tail once more from that plate."""
    plate, record = plate_and_record_agree(fields["plateNum"], fields["inspectionRecord"])
    if re.fullmatch(r"\d{12}", fields["fileNum"]) and not civil_plate(plate):
        region = regions.region_name(fields["fileNum"][:2] + "0000")
        plate = province_from_address(plate, region)
        plate, record = plate_and_record_agree(plate, record)
    fields["plateNum"], fields["inspectionRecord"] = plate, record
