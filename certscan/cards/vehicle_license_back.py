"""Vehicle licence 副页 (back): file number, seats, masses, dimensions, inspection record and plate.

Cells are read right of their labels like the front's (``vehicle_license``); values whose label was
not read are found by their shape, the masses by their place in the grid, and the plate and the
inspection record (which ends with the plate's first two characters) repair each other.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import numpy as np

from certscan.cards import layout, reread, vehicle_cells
from certscan.cards.base import CardResult, ScanInput
from certscan.cards.driver import without_red
from certscan.cards.places import plate_province
from certscan.cards.plate import read_plates
from certscan.cards.readers import page_rate
from certscan.cards.text import compact
from certscan.cards.vehicle_license import cell_texts, cell_value, find_caption, first_match
from certscan.cards.vehicle_plate import (
    DIGIT_NOT_LETTER,
    civil_plate,
    page_plate,
    plate_number,
    province_from_address,
)
from certscan.checks import plate as plate_rules
from certscan.checks import regions
from certscan.constants import empty_fields
from certscan.ocr.types import Line, Page

BACK_LABELS = ["号牌号码", "档案编号", "核定载人数", "总质量", "整备质量", "核定载质量", "外廓尺寸",
               "准牵引总质量", "备注", "检验记录"]
_DIMENSIONS = re.compile(r"(\d{3,5})\D{1,3}?(\d{3,5})\D{1,3}?(\d{3,5})")


# The g of kg is often blurred into E, 9, 8, s or lost: a k right after the digits is enough; so is a g
# ending the text (3432g: the k lost), or a k read as H before its g (20675Hg; an H alone may end a plate).
# No mass begins with 0: a 0 in front is a speck (0 3247kg).
_MASS = re.compile(r"(?<!\d)0*([1-9]\d{1,5})\s*(?:[kK](?:[gG9eEsS8]|$)|H[gG9eE]|[gG]$)")
# a box of digits alone, its kg lost: a mass only where the grid places one
_BARE_MASS = re.compile(r"[1-9]\d{2,5}")


def _mass(text: str) -> str:
    """The mass in ``text`` as ``1730kg``, else "". The box's parts apart first: a gap the detector kept
    inside a box parts a remnant of the caption or a speck from the mass (26 2634g, 0 3247kg)."""
    for part in [*text.split(), text]:  # the first mass of a box spanning two cells, as before
        m = _MASS.search(compact(part))
        if m:
            return f"{m.group(1)}kg"
    return ""


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
    dims = [ln for ln in page.lines
            if (_DIMENSIONS.search(compact(ln.text)) and not _mass(ln.text)) or holds_dimensions(ln.text)]
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


# a box of two or more Chinese characters and no digit: a caption, never a value of the 副页's number cells
_CAPTION_LIKE = re.compile(r"\D*[\u4e00-\u9fff]\D*[\u4e00-\u9fff]\D*")


def _number_cell(page: Page, label: str) -> list[str]:
    """``cell_texts`` of a cell holding a number, up to the next box that reads as a caption: a caption
    misread past matching (总质意, 相定机消量) otherwise leaves its own value in this cell (核定载人数 |
    认 | 总质意 | 21)."""
    texts = cell_texts(page, label, BACK_LABELS)
    ends = [k for k, text in enumerate(texts) if k and _CAPTION_LIKE.fullmatch(text)]
    return texts[: ends[0]] if ends else texts


def _cell_mass(texts: list[str]) -> str:
    """The mass in a mass caption's cell (``_number_cell``): the first box holding one, else the cell's
    first box when it is digits alone, its kg lost (总质量2751, 整备质量 | 11385)."""
    found = next((m for t in texts if (m := _mass(t))), "")
    first = next((t for t in texts if t), "")
    if not found and _BARE_MASS.fullmatch(first):
        return f"{first}kg"
    return found


def _centre(row: list[Line]) -> float:
    return sum(ln.cy for ln in row) / len(row)


def dimensions(text: str) -> dict[str, int | str]:
    """``4546×1710×1427mm`` → {length, width, height} in mm ("" each when unreadable)."""
    # a 1 or 0 read as a letter inside or at the end of a number (371lmm, 2O34)
    text = re.sub(r"(?<=\d)[lI|iO](?=\d|mm)", lambda m: "0" if m.group() == "O" else "1", compact(text))
    text = re.sub(r"(?<=\d)[.,·](?=\d)", "", text)  # a speck read as a dot inside a number (64.5)
    m = _DIMENSIONS.search(text)
    if m:
        return _sized(m.group(1), m.group(2), m.group(3))
    runs = [run for run in re.findall(r"\d+", text) if len(run) >= 3]
    # A separator lost to OCR (11182x21832981mm): width and height are 4 digits, the length the rest.
    if len(runs) == 1 and 11 <= len(runs[0]) <= 13:
        return _sized(runs[0][:-8], runs[0][-8:-4], runs[0][-4:])
    if len(runs) == 2 and len(runs[1]) >= 8:  # 10747x19622510mm: width and height ran together
        return _sized(runs[0], runs[1][:4], runs[1][4:8])
    if len(runs) == 2 and len(runs[0]) >= 7:  # 4495721x1551mm: length and width ran together
        return _sized(*_length_and_width(runs[0]), runs[1])
    return {"length": "", "width": "", "height": ""}


def holds_dimensions(text: str) -> bool:
    """Whether ``text`` reads as the 外廓尺寸 value whatever became of its caption: numbers parted by ×
    or ending in mm (1790 with its mm read 179080m, a separator lost: 10747x19622510mm), no mass, no date
    (the file number's twelve digits hold no ×)."""
    t = compact(text)
    if "年" in t or _mass(t) or not re.search(r"[xX×*]|\dm", t):
        return False
    return all(isinstance(v, int) for v in dimensions(t).values())


def _sized(length: str, width: str, height: str) -> dict[str, int | str]:
    # no vehicle is 10 m high (GB 1589 allows 4 m): a fifth digit of the height is its mm read as a
    # digit (1790 read 179080m)
    return {"length": int(length), "width": int(width), "height": int(height[:4])}


def _length_and_width(run: str) -> tuple[str, str]:
    """Length and width read as one number (4495721 of 4495×1721 with the width's 1 lost too): the
    split that leaves a vehicle's width (1.3 to 2.6 m, GB 1589), else the one leaving a length of 4 or
    5 digits (the width then lost a digit)."""
    splits = [(run[:-4], run[-4:]), (run[:-3], run[-3:])]
    wide = [(a, b) for a, b in splits if 1300 <= int(b) <= 2600]
    lengthy = [(a, b) for a, b in splits if 4 <= len(a) <= 5]
    return (wide or lengthy or splits)[0]


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
        # else a number a digit short or long (it fails the check, but its division code still names
        # the plate's province: settle_plate); never the dimensions' digits run together (…mm)
        near = [d for t in texts if "m" not in t for d in re.findall(r"(?<!\d)\d{10,14}(?!\d)", t)]
        fields["fileNum"] = twelve[0] if len(twelve) == 1 else near[0] if len(near) == 1 else ""
    if fields["appprovedPassengerCapacity"] == "":
        seats = [m.group(1) for t in texts if (m := re.search(r"(?<!\d)(\d{1,2})人", t))]
        fields["appprovedPassengerCapacity"] = int(seats[0]) if len(seats) == 1 else ""
    if fields["overallDimension"]["length"] == "":
        for t in texts:
            if holds_dimensions(t) or re.search(r"\d{3,5}\D?\d{4}\D?\d{4}m", t):
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


def _serial_after_misread_province(text: str) -> str:
    """The plate's office letter and serial (D9D7R1) after a Chinese character that is no province (第
    for 琼): the province misread; the file number or the record may supply it."""
    m = re.search(r"[^\x00-\x7f]([A-Z][A-Z0-9]{5,6})$", compact(text).upper())
    return m.group(1) if m and m.group()[0] not in plate_rules.PROVINCES else ""


def _province_for_latin_head(plate: str, region: str) -> str:
    """A plate of seven or eight characters, all Latin, whose first is the province read as a letter or
    digit (WVK0542 for 闽VK0542, 8A14944 for 粤A14944): that character replaced by the province of
    ``region`` when this makes a valid civil plate (its O and I past the office letter read as 0 and 1);
    else ""."""
    province = plate_province(region)
    if len(plate) not in (7, 8) or not plate.isascii() or not province or not plate[1].isupper():
        return ""
    # the office letter as read, no repair: a second guess on top of the province would invent plates
    replaced = province + plate[1] + plate[2:].translate(DIGIT_NOT_LETTER)
    return replaced if civil_plate(replaced) else ""


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
    # A first read passing most checks keeps its values (a re-read's wrong value passes a format check
    # as well as the right one); one passing few (a blurred or glared card read into fragments) is no
    # better evidence than the enlarged re-read, which then leads.
    trusted = reread.passed(fields, BACK_CHECKS) > len(BACK_CHECKS) // 2
    fields = reread.better_fields(fields, page, image, scan.engine, back_fields, BACK_CHECKS, back_region,
                                  fill_only=trusted)
    if fields["appprovedPassengerCapacity"] == "":
        caption = find_caption(page, "核定载人数", BACK_LABELS)
        reader = scan.region_reader(page, image)
        fields["appprovedPassengerCapacity"] = vehicle_cells.reread_seats(page, caption, reader)
    settle_plate(fields)  # the plate and the record may come from different reads
    if fields == empty_fields("vehicle-license-back"):
        return CardResult.empty("vehicle-license-back")
    return CardResult(card="vehicle-license-back", fields=fields, rate=page_rate(page))


# the 副页's height over its width (ISO 7810 ID-3-like 88 × 60 mm), a little more: the lines span less
# than the whole card, and the region is clipped to the page anyway
CARD_HEIGHT_SHARE = 0.75


def back_region(page: Page) -> np.ndarray | None:
    """The card's region for its enlarged re-read: around every box found (``reread.around_lines``) and,
    when the inspection record, the card's last row, was not among them (glare or blur took the bottom
    rows), reaching down as far as a card as wide as the boxes reaches, so the re-read can see it."""
    quad = reread.around_lines(page)
    if quad is None or any("检验" in (t := compact(ln.text)) or inspection_record(t) for ln in page.lines):
        return quad
    (x0, y0), (x1, y1) = quad[0], quad[2]
    return reread.clipped_quad(page, float(x0), float(y0), float(x1),
                               max(float(y1), float(y0) + CARD_HEIGHT_SHARE * float(x1 - x0)))


def back_fields(page: Page) -> dict[str, Any]:
    """The 副页's values read from one page."""
    fields = empty_fields("vehicle-license-back")
    plate_text = cell_value(page, "号牌号码", BACK_LABELS)
    fields["plateNum"] = plate_number(plate_text)
    fields["fileNum"] = first_match(cell_texts(page, "档案编号", BACK_LABELS), r"(?<!\d)(\d{10,14})(?!\d)")
    # one or two digits opening a box of the cell (5人, 5A): never the head of a longer number (the
    # next cell's 24144g when its caption was misread)
    seats = first_match(_number_cell(page, "核定载人数"), r"^\D?(\d{1,2})(?!\d)")
    fields["appprovedPassengerCapacity"] = int(seats) if seats else ""
    for key, label in (
        ("grossMass", "总质量"),
        ("unladenMass", "整备质量"),
        ("approvedLoad", "核定载质量"),
        ("tractionMass", "准牵引总质量"),
    ):
        fields[key] = _cell_mass(_number_cell(page, label))
    # Mass captions differ by a character or two (总质量, 准牵引总质量, 整备质量, 核定载质量) and are
    # often half read: the grid decides whenever it finds a mass in the cell.
    for key, mass in (masses_by_place(page) or {}).items():
        fields[key] = mass or fields[key]
    fields["overallDimension"] = dimensions(cell_value(page, "外廓尺寸", BACK_LABELS))
    fields["inspectionRecord"] = cell_value(page, "检验记录", BACK_LABELS)
    _back_fallbacks(page, fields)
    if not civil_plate(fields["plateNum"]):  # page_plate in the fallbacks tried the whole page
        serial = _serial_after_misread_province(plate_text)
        fields["plateNum"] = serial or fields["plateNum"] or _serial_left_of(page, fields["fileNum"])
    settle_plate(fields)
    return fields


def settle_plate(fields: dict[str, Any]) -> None:
    """The plate and the inspection record made to agree (``plate_and_record_agree``), a plate still
    without its province completed from the file number's, whose first digits are the registering
    office's division code (GB/T 2260), and the record's tail once more from that plate."""
    plate, record = plate_and_record_agree(fields["plateNum"], fields["inspectionRecord"])
    # the division code heads the number even when a digit further on was lost (11 digits read)
    if re.fullmatch(r"\d{10,14}", fields["fileNum"]) and not civil_plate(plate):
        region = regions.region_name(fields["fileNum"][:2] + "0000")
        completed = province_from_address(plate, region)
        plate = completed if civil_plate(completed) else _province_for_latin_head(plate, region) or completed
        plate, record = plate_and_record_agree(plate, record)
    fields["plateNum"], fields["inspectionRecord"] = plate, record
