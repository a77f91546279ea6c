"""Household register (户口簿) parsers: the head-of-household page and the resident page (常住人口登记卡).

Both pages are ruled tables: every label sits in its own cell and its value in the cell to its right.
The parser finds the label cells (``certscan.cards.labelled``) and reads each value from the cell right of
its label: the label's row band (half way to the label rows above and below) between the label and the
next label on its row, so a value wrapped into two lines inside its cell is read whole, in order.

Output formats (the contract says "as printed unless a format is given"):
- Dates (issueDate, birthday, registerDate) are YYYY-MM-DD, as on business licenses.
- migrationDate1 (何时由何地迁来本址) and migrationDate2 (何时由何地迁来本市(县)), as the reference
  defines them, are returned as printed: they carry a date and a place (``2005年03月12日由…迁来``).
- idNumber: 18 characters, repaired only when one look-alike substitution satisfies its check digit.
- undertaker: the name in the clerk's red stamp (a trailing 印 dropped). The resident page's 性别 is
  returned as the extra key ``sex``. ``type`` is the reference's fixed string.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from certscan.cards.base import CardResult, ScanInput
from certscan.cards.household_reread import HEAD_CHECKS, RESIDENT_CHECKS, closer_if_failed, title_line
from certscan.cards.household_values import (
    BLOOD_TYPES,
    VOCABULARIES,
    WHOLE_MIGRATION,
    birthday_from_number,
    blood_type,
    height,
    household_number,
    household_type,
    id_number,
    last_date_line,
    migration,
    migrations_by_content,
    nation,
    occupation,
    page_id_number,
    person_name,
    printed_date,
    snap_word,
    stamp_name,
)
from certscan.cards.household_words import NATIONS, word_from_alternatives
from certscan.cards.idcard import number_valid
from certscan.cards.idcard_name import surname_from_alternatives
from certscan.cards.ink import drop_red_lines
from certscan.cards.labelled import Fields, LabelSet, pieces, same_row
from certscan.cards.places import fix_place_prefix, self_governing, township
from certscan.cards.readers import page_rate
from certscan.cards.table import Cell, cell_crops, find_grid
from certscan.cards.table_values import grid_values
from certscan.cards.text import compact, hamming, strip_punct
from certscan.constants import empty_fields
from certscan.ocr.engine import OcrEngine
from certscan.ocr.types import Line, Page, rect_quad

HEAD = "household-head"
RESIDENT = "household-resident"

HEAD_LABELS = LabelSet(
    {
        "householdType": ["户别"],
        "houseHolder": ["户主姓名"],
        "householdNumber": ["户号"],
        "address": ["住址"],
        "undertaker": ["承办人签章", "承办人签字"],
        "issueDate": ["签发日期"],
        "locationNumber": ["地段号"],
        "community": ["社区", "所属社区"],
        "_seal": ["户口专用章"],
    }
)

RESIDENT_LABELS = LabelSet(
    {
        "name": ["姓名"],
        "relationTo": ["户主或与户主关系"],
        "formerName": ["曾用名"],
        "sex": ["性别"],
        "birthPlace": ["出生地"],
        "nation": ["民族"],
        "hometown": ["籍贯"],
        "birthday": ["出生日期"],
        "otherAddress": ["本市(县)其他住址", "本市县其他住址"],
        "religion": ["宗教信仰"],
        "idNumber": ["公民身份证件编号", "公民身份证号码"],
        "height": ["身高"],
        "bloodType": ["血型"],
        "education": ["文化程度"],
        "maritalStatus": ["婚姻状况"],
        "militaryService": ["兵役状况"],
        "servicePremises": ["服务处所"],
        "occupation": ["职业"],
        "migrationDate2": ["何时由何地迁来本市(县)", "何时由何地迁来本市县"],
        "migrationDate1": ["何时由何地迁来本址"],
        "undertaker": ["承办人签章", "承办人签字"],
        "registerDate": ["登记日期"],
        "householdNumber": ["户号"],
    }
)

# The 常住人口登记卡's rows as printed (label, value, label, value ...): places values whose label cells are
# unreadable (a small, blurred photo) when the ruled table has exactly this shape.
RESIDENT_ROWS = (
    ("name", "relationTo"),
    ("formerName", "sex"),
    ("birthPlace", "nation"),
    ("hometown", "birthday"),
    ("otherAddress", "religion"),
    ("idNumber", "height", "bloodType"),
    ("education", "maritalStatus", "militaryService"),
    ("servicePremises", "occupation"),
    ("migrationDate2",),
    ("migrationDate1",),
    ("undertaker", "registerDate"),
)

# The head page's two rows of label and value cells (户别 | … | 户主姓名 | …; 户号 | … | 住址 | …).
HEAD_ROWS = (("householdType", "houseHolder"), ("householdNumber", "address"))


def parse_head(scan: ScanInput) -> CardResult:
    page = scan.engine.read(scan.image)
    return closer_if_failed(parse_head_page(page, scan.image, scan.engine), page, scan, parse_head_page,
                            HEAD_CHECKS)


def parse_resident(scan: ScanInput) -> CardResult:
    page = scan.engine.read(scan.image)
    return closer_if_failed(parse_resident_page(page, scan.image, scan.engine), page, scan,
                            parse_resident_page, RESIDENT_CHECKS)


def _values(page: Page, labels: LabelSet, image: np.ndarray | None, engine: OcrEngine | None = None,
            template: Sequence[Sequence[str]] = (), cells: dict[str, Cell] | None = None) -> dict[str, str]:
    """Each field's cell text. The clerk's stamp (undertaker) is red ink; every other value is black,
    so with the image at hand red lines (the round seal across the cells) are kept out of them.

    With the image, the table's ruling lines give the cells (``certscan.cards.table``); a field whose
    cell they do not settle is read by the label geometry of ``Fields.cell``."""
    fields = Fields(pieces(page, labels))
    black_page = drop_red_lines(image, page) if image is not None else page
    black = Fields(pieces(black_page, labels)) if image is not None else fields
    table: dict[str, str] = {}
    stamp: dict[str, str] = {}
    grid = find_grid(image, page) if image is not None else None
    if grid is not None and image is not None:
        cells = {} if cells is None else cells
        table = grid_values(grid, black_page.lines, labels, template, cells)
        stamp = grid_values(grid, page.lines, labels, template)
        for key, text in stamp.items():
            # A black value under the round seal can read red enough to be dropped with it.
            if not table.get(key) and len(text) >= 4:
                table[key] = text
            elif tail := _tail_under_seal(table.get(key, ""), text):
                table[key] = tail
        if engine is not None:
            table.update(_reread_blank_cells(image, page, engine, cells, table))
    out: dict[str, str] = {}
    for key in labels.by_label.values():
        if key.startswith("_") or key in out:
            continue
        found = stamp if key == "undertaker" else table
        out[key] = strip_punct(found[key]) if key in found else (
            fields if key == "undertaker" else black).cell(key)
    if "undertaker" in out and "undertaker" not in stamp:
        out["undertaker"] = _stamp_cell(fields)
    return out


def _number_beside_title(page: Page) -> str:
    """The resident page's 户号, printed right of its title (常住人口登记卡 | 户号 336723208), read by
    place when its caption was not (lost, or read into the number: 户988907558): a run of 8 or 9 digits
    (without the caption to say so, a household number's usual length; a shorter or longer run there
    is a blurred read of one, or of the caption with it: P1386590284) on the title's row, right of it.
    Empty when the title was not read or no such number is printed there."""
    title = title_line(page)
    if title is None:
        return ""
    beside = [ln for ln in page.lines if ln.x0 > title.x1 - 0.1 * title.height
              and abs(ln.cy - title.cy) < 0.6 * title.height]
    return next((n for n in (household_number(ln.text) for ln in beside) if len(n) in (8, 9)), "")


def _tail_under_seal(black: str, every_ink: str) -> str:
    """A migration (``1994年12月09日由…``) read without its closing ``迁来`` whose cell, read with every
    ink, has it: the last words under the round seal read red enough to be dropped with it (``…自治县`` |
    ``迁来``, the seal's own 派出所 beside them). Else empty."""
    if not re.match(r"\d{4}年.*由", black) or black.endswith("来") or black not in every_ink:
        return ""
    return black + "迁来" if "迁来" in every_ink.replace(black, "") else ""


def _stamp_cell(fields: Fields) -> str:
    """The clerk's stamp beside 承办人签章: one character merged into the caption's own line before the
    stamp's name is the round seal's ink (``承办人签章：国`` | ``王林凯``), not part of the name."""
    parts = fields.cell_pieces("undertaker")
    anchor = fields.label("undertaker")
    if anchor is not None and len(anchor.rest) == 1 and len(parts) > 1 and len(parts[1].text) >= 2:
        parts = parts[1:]
    if not parts and anchor is not None and not anchor.rest:
        # the cell's filter drops faint short reads (seal characters across a cell), but the small red
        # name stamp reads faint too: a name of 2-4 characters right against the caption is it
        parts = [p for p in fields.parts if p.key is None and same_row(p, anchor)
                 and -0.5 * anchor.height <= p.x0 - anchor.x1 <= anchor.height
                 and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", p.text)][:1]
    return strip_punct("".join(p.text for p in parts))


def _reread_blank_cells(image: np.ndarray, page: Page, engine: OcrEngine, cells: dict[str, Cell],
                        table: dict[str, str]) -> dict[str, str]:
    """Values of cells the page read left blank although they hold black ink (the detector skips a
    lone letter such as blood type O, or a line half under the seal): each cell recognised whole,
    kept when read confidently. The seal's red is lightened out of the crop (the line under it is
    the one the detector lost)."""
    keys = [k for k, c in cells.items() if not table.get(k) and k != "undertaker"]
    crops = cell_crops(image, page, [cells[k] for k in keys], without_red=True)
    if "bloodType" in keys and crops[keys.index("bloodType")] is None:
        # a lone letter (A) covers under the usual share of its cell (0.95 % seen): the cell is cut
        # at less ink, its read kept only as a blood type (``_lone_blood_type``) or read surely
        (crops[keys.index("bloodType")],) = cell_crops(image, page, [cells["bloodType"]],
                                                       min_ink=LONE_LETTER_INK, without_red=True)
    wanted = [(k, c) for k, c in zip(keys, crops, strict=True) if c is not None]
    if not wanted:
        return {}
    reads = engine.recognize([c for _, c in wanted])
    return {k: strip_punct(compact(r.text)) for (k, _), r in zip(wanted, reads, strict=True)
            if compact(r.text) and (r.confidence >= 0.85 or _lone_blood_type(k, r.text, r.confidence))}


# the share of a cell's area a lone printed letter covers at the least (A, thin strokes in a wide cell)
LONE_LETTER_INK = 0.003


def _lone_blood_type(key: str, text: str, confidence: float) -> bool:
    """A blood type cell's lone letter read unsure (O alone in its cell reads as 0 at about 0.5): the
    cell holds one of four answers, so a read that is one of them is kept at a lower confidence."""
    return key == "bloodType" and confidence >= 0.4 and blood_type(text) in BLOOD_TYPES


def _reread_cell(image: np.ndarray, page: Page, engine: OcrEngine, cell: Cell) -> list[Line]:
    """The cell recognised whole, as one line (the detector may have cut its text short or split it)."""
    (crop,) = cell_crops(image, page, [cell])
    if crop is None:
        return []
    (read,) = engine.recognize([crop])
    box = rect_quad(cell.x0, cell.y0, cell.x1, cell.y1)
    return [Line(text=read.text, box=box, confidence=read.confidence, chars=list(read.chars))]


# The cells the round seal is stamped across (the form's bottom right)
_UNDER_SEAL = ("registerDate", "migrationDate1", "migrationDate2")


def _read_without_seal(out: dict[str, str], image: np.ndarray, page: Page, engine: OcrEngine,
                       cells: dict[str, Cell]) -> dict[str, str]:
    """The values of the cells under the round seal that came out malformed (a date that does not
    parse, a migration without its closing 迁来) read once more with the seal's red lightened out (its
    strokes across the print read as digits and characters): kept when well formed. (Taking the
    lightened read over a well-formed one read less surely traded as many right dates and migrations
    for wrong ones as it gained, on seeds 8700 and 8701.)"""
    keys = [k for k in _UNDER_SEAL
            if k in cells and not _well_formed(k, out[k]) and (out[k] or k == "registerDate")]
    crops = cell_crops(image, page, [cells[k] for k in keys], without_red=True)
    wanted = [(k, c) for k, c in zip(keys, crops, strict=True) if c is not None]
    reads = engine.recognize([c for _, c in wanted]) if wanted else []
    found: dict[str, str] = {}
    for (key, _), read in zip(wanted, reads, strict=True):
        text = strip_punct(compact(read.text))
        again = printed_date(text) if key == "registerDate" else migration(text)
        if _well_formed(key, again):
            found[key] = again
    return found


def _well_formed(key: str, value: str) -> bool:
    return bool(printed_date(value) if key == "registerDate" else WHOLE_MIGRATION.fullmatch(value))


def _closing_words(value: str, image: np.ndarray, page: Page, engine: OcrEngine, cell: Cell) -> str:
    """A migration read without its closing 迁来: the page's line that starts with it and ends with 迁来
    (the grid cut the line at a rule it saw inside the cell), else the cell read once more whole (the
    detector's box stopped where the round seal covers the last words), kept only when it is the same
    migration (same date, the first read's place) with 迁来 at its end. One small recognition."""
    if not re.match(r"\d{4}年\d{1,2}月\d{1,2}日由", value) or value.endswith("迁来"):
        return value
    for ln in page.lines:  # the line read whole, cut at a rule the grid saw inside the cell
        if not cell.y0 <= ln.cy <= cell.y1:
            continue  # another row's line (迁来本址's value starts as 迁来本市(县)'s does)
        whole = migration(strip_punct(compact(ln.text)))
        if whole.startswith(value) and whole.endswith("迁来"):
            return whole
    again = [migration(strip_punct(compact(ln.text))) for ln in _reread_cell(image, page, engine, cell)]
    whole = again[0] if again else ""
    same = whole[:11] == value[:11] and whole.endswith("迁来") and len(whole) > len(value)
    return whole if same and hamming(whole[: len(value)], value) <= 2 else value


def _date_line_cut(value: str, page: Page, cell: Cell | None) -> str:
    """A date cell's value that is no date (``2025年``) but begins the page's line on the cell's row that
    is one (``2025年02月14日``): a rule the grid saw inside the cell (a stroke of the print closing a
    small region) cut the line short. That line; else ``value``."""
    if cell is None or not value or printed_date(value):
        return value
    for ln in page.lines:
        text = strip_punct(compact(ln.text))
        if cell.y0 <= ln.cy <= cell.y1 and text.startswith(compact(value)) and printed_date(text):
            return text
    return value


def _whole_row(cell: Cell, cells: dict[str, Cell]) -> Cell:
    """``cell`` widened to the table's right edge: a migration's row is one cell the form's width, and
    a rule the grid saw inside it (a column of the rows above) cut it short of its last words."""
    return replace(cell, x1=max([cell.x1, *(c.x1 for c in cells.values())]))


def parse_head_page(page: Page, image: np.ndarray | None = None,
                    engine: OcrEngine | None = None) -> CardResult:
    if not page.lines:
        return CardResult.empty(HEAD)
    v = _values(page, HEAD_LABELS, image, engine, HEAD_ROWS)
    out = empty_fields(HEAD)
    out.update(
        householdType=household_type(v["householdType"]),
        houseHolder=surname_from_alternatives(person_name(v["houseHolder"]), page.lines),
        address=township(fix_place_prefix(v["address"])),
        householdNumber=household_number(v["householdNumber"]),
        issueDate=printed_date(v["issueDate"]),
        undertaker=surname_from_alternatives(stamp_name(v["undertaker"]), page.lines),
        locationNumber=v["locationNumber"],
        community=v["community"],
        type=HEAD,
    )
    return CardResult(card=HEAD, fields=out, rate=page_rate(page))


def parse_resident_page(page: Page, image: np.ndarray | None = None,
                        engine: OcrEngine | None = None) -> CardResult:
    if not page.lines:
        return CardResult.empty(RESIDENT)
    cells: dict[str, Cell] = {}
    v = _values(page, RESIDENT_LABELS, image, engine, RESIDENT_ROWS, cells)
    out = empty_fields(RESIDENT)
    for key in out:
        if key in v:
            out[key] = v[key]
    out["migrationDate1"], out["migrationDate2"] = migrations_by_content(
        out["migrationDate1"], out["migrationDate2"], page.lines)
    for key in ("migrationDate1", "migrationDate2"):
        out[key] = migration(out[key])
        if image is not None and engine is not None and key in cells:
            out[key] = _closing_words(out[key], image, page, engine, _whole_row(cells[key], cells))
    for key in ("birthPlace", "hometown", "otherAddress"):
        out[key] = township(self_governing(fix_place_prefix(out[key])))
    out["servicePremises"] = self_governing(out["servicePremises"])
    for key in ("birthday", "registerDate"):
        v[key] = _date_line_cut(v[key], page, cells.get(key))
    read_birthday = printed_date(v["birthday"])
    number = page_id_number(id_number(v["idNumber"]), page.lines, read_birthday)
    if not number_valid(number) and image is not None and engine is not None and "idNumber" in cells:
        number = page_id_number(number, _reread_cell(image, page, engine, cells["idNumber"]), read_birthday)
    out.update(
        birthday=birthday_from_number(read_birthday, number),
        registerDate=printed_date(v["registerDate"] or last_date_line(page.lines, compact(v["birthday"]))),
        idNumber=number,
        householdNumber=household_number(v["householdNumber"]) or _number_beside_title(page),
        undertaker=surname_from_alternatives(stamp_name(v["undertaker"]), page.lines),
        type=RESIDENT,
    )
    if image is not None and engine is not None:
        out.update(_read_without_seal(out, image, page, engine, cells))
    out["bloodType"] = blood_type(out["bloodType"])
    out["height"] = height(out["height"])
    out["nation"] = nation(out["nation"])
    out["occupation"] = occupation(out["occupation"])
    out["nation"] = word_from_alternatives(out["nation"], NATIONS, page.lines)
    for key, words in VOCABULARIES.items():
        out[key] = word_from_alternatives(snap_word(out[key], words), words, page.lines)
    for key in ("name", "formerName"):
        # a first character read unsure and no common surname: the recogniser's alternative that is one
        out[key] = surname_from_alternatives(person_name(out[key]), page.lines)
    extra = {"sex": v["sex"][:1] if v["sex"][:1] in ("男", "女") else ""}
    return CardResult(card=RESIDENT, fields=out, rate=page_rate(page), extra=extra)
