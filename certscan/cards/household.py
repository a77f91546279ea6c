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

import numpy as np

from certscan.cards.base import CardResult, ScanInput
from certscan.cards.household_reread import HEAD_CHECKS, RESIDENT_CHECKS, closer_if_failed
from certscan.cards.household_values import (
    BLOOD_TYPES,
    HOUSEHOLD_TYPES,
    VOCABULARIES,
    WHOLE_MIGRATION,
    birthday_from_number,
    last_date_line,
    migrations_by_content,
    page_id_number,
    snap_word,
)
from certscan.cards.idcard import ETHNIC_GROUPS, number_valid
from certscan.cards.ink import drop_red_lines
from certscan.cards.labelled import Fields, LabelSet, pieces, same_row
from certscan.cards.places import fix_place_prefix, self_governing, township
from certscan.cards.readers import page_rate
from certscan.cards.table import Cell, cell_crops, find_grid
from certscan.cards.table_values import grid_values
from certscan.cards.text import compact, digits_with_lookalikes, hamming, parse_date, strip_punct
from certscan.checks import idnumber
from certscan.constants import empty_fields
from certscan.ocr.engine import OcrEngine
from certscan.ocr.types import Line, Page

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

# Digits OCR swaps inside ID numbers (tried one position at a time against the check digit).
_ID_SWAPS = {"0": "86", "1": "7", "3": "8", "5": "6", "6": "058", "7": "1", "8": "036", "9": "0", "X": "8"}


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
    wanted = [(k, c) for k, c in zip(keys, crops, strict=True) if c is not None]
    if not wanted:
        return {}
    reads = engine.recognize([c for _, c in wanted])
    return {k: strip_punct(compact(r.text)) for (k, _), r in zip(wanted, reads, strict=True)
            if compact(r.text) and (r.confidence >= 0.85 or _lone_blood_type(k, r.text, r.confidence))}


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
    box = np.array([[cell.x0, cell.y0], [cell.x1, cell.y0], [cell.x1, cell.y1], [cell.x0, cell.y1]],
                   dtype=np.float32)
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


def parse_head_page(page: Page, image: np.ndarray | None = None,
                    engine: OcrEngine | None = None) -> CardResult:
    if not page.lines:
        return CardResult.empty(HEAD)
    v = _values(page, HEAD_LABELS, image, engine, HEAD_ROWS)
    out = empty_fields(HEAD)
    out.update(
        householdType=household_type(v["householdType"]),
        houseHolder=person_name(v["houseHolder"]),
        address=township(fix_place_prefix(v["address"])),
        householdNumber=_number(v["householdNumber"]),
        issueDate=printed_date(v["issueDate"]),
        undertaker=stamp_name(v["undertaker"]),
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
            out[key] = _closing_words(out[key], image, page, engine, cells[key])
    for key in ("birthPlace", "hometown", "otherAddress"):
        out[key] = township(self_governing(fix_place_prefix(out[key])))
    out["servicePremises"] = self_governing(out["servicePremises"])
    number = page_id_number(id_number(v["idNumber"]), page.lines)
    if not number_valid(number) and image is not None and engine is not None and "idNumber" in cells:
        number = page_id_number(number, _reread_cell(image, page, engine, cells["idNumber"]))
    out.update(
        birthday=birthday_from_number(printed_date(v["birthday"]), number),
        registerDate=printed_date(v["registerDate"] or last_date_line(page.lines, compact(v["birthday"]))),
        idNumber=number,
        householdNumber=_number(v["householdNumber"]),
        undertaker=stamp_name(v["undertaker"]),
        type=RESIDENT,
    )
    if image is not None and engine is not None:
        out.update(_read_without_seal(out, image, page, engine, cells))
    out["bloodType"] = blood_type(out["bloodType"])
    out["height"] = height(out["height"])
    out["nation"] = nation(out["nation"])
    for key, words in VOCABULARIES.items():
        out[key] = snap_word(out[key], words)
    for key in ("name", "formerName"):
        out[key] = person_name(out[key])
    extra = {"sex": v["sex"][:1] if v["sex"][:1] in ("男", "女") else ""}
    return CardResult(card=RESIDENT, fields=out, rate=page_rate(page), extra=extra)


def printed_date(text: str) -> str:
    """The cell's ``YYYY年MM月DD日`` as YYYY-MM-DD; 月 read as 日 (its look-alike and neighbour) is put
    back first: 2013年11日26日 is 2013年11月26日, and a closing 日 read as a stroke after a two-digit day
    is dropped (2021年08月111: no day has three digits)."""
    text = re.sub(r"(\d{4}年\d{1,2})[日曰](?=\d{1,2}[日曰]?$)", r"\1月", compact(text))
    return parse_date(re.sub(r"(?<=\d{4}年\d{2}月\d{2})[1lI|]$", "日", text))


# What a migration's place ends with before 迁来: a division (县, 区, 乡 ...) or a house number.
_DIVISIONS = "省市县区州旗盟镇乡村组号路街道巷弄"
_PLACE_END = rf"[{_DIVISIONS}\d]"
# Characters the recogniser reads for 迁 (the walking radical and a similar right side; 狂/猛 for its
# blurred shape): after a place's end, where no place name goes on with them.
_GO_LOOK_ALIKES = "连进近适过还迂狂猛"

_MIGRATION = re.compile(
    r"^(?P<date>\d{4}年\d{1,2}月\d{1,2})[日曰目门]?(?P<by>由)?(?P<place>.*?)(?P<end>[迁送旺]?来|迁[米未末采莱乘])?$"
)


def migration(text: str) -> str:
    """何时由何地迁来 as printed, ``YYYY年MM月DD日由<place>迁来``, with OCR slips in its fixed words and in
    the place's division names repaired; a cell holding one or two stray characters (seal ink) is empty."""
    if not re.search(r"\d", text) and len(text) <= 2:
        return ""
    text = re.sub(r"^\D{1,2}(?=\d{4}年)", "", text)  # ink before the date: the caption's or a speck
    text = re.sub(r"(?<=\d)易(?=\D|$)", "号", text)  # a house number's 号 read as its look-alike 易
    # 迁 misread as a look-alike right after the place (a division or house number ends it), read twice
    # (号连迁来) or read alone (县猛来): the place never ends in these characters there
    text = re.sub(rf"(?<={_PLACE_END})[{_GO_LOOK_ALIKES}]迁?(?=来)", "迁", text)
    text = re.sub(r"(?<=\d号)[^迁\d](?=迁来)", "", text)  # nothing follows a house number but 迁来
    came = re.search(r"[迁过送旺出]来|迁[米未末采莱乘]", text)
    if came:  # the printed text ends there (迁 or 来 misread); anything after is a neighbour's ink
        text = text[: came.start()] + "迁来"
    else:  # 来 under the clerk's stamp, read as the stamp's name (县迁李永安): no place follows there
        text = re.sub(rf"(?<={_PLACE_END})迁[^来{_DIVISIONS}]{{1,4}}$", "迁来", text)
    m = _MIGRATION.match(text)
    if not m or not m["by"]:
        return text
    end = "迁来" if m["end"] or text.endswith("迁") else ""
    place = m["place"].removesuffix("迁") if end else m["place"]
    if end:  # a house number read with 月 (its neighbour in the date): 开元西路710月迁来
        place = re.sub(r"(?<=\d)月$", "号", place)
    return f"{m['date']}日由{township(self_governing(fix_place_prefix(place)))}{end}"


def household_type(text: str) -> str:
    """户别 as printed; a three-character read one character away from 家庭户 / 集体户 (or missing one)
    is that word (the cell's small print is often read with one slip)."""
    s = compact(text)
    for word in HOUSEHOLD_TYPES:
        if s == word:
            return s
    for word in HOUSEHOLD_TYPES:
        if len(s) == 3 and hamming(s, word) == 1 and s[-1] == "户":
            return word
        if len(s) == 2 and s[-1] == "户" and s[0] in word[:2]:
            return word
    return text


def blood_type(text: str) -> str:
    """A, B, O or AB with digit look-alikes fixed (O read as 0, B as 8) and specks around it (a rule
    read as 1) dropped; 不明 (unknown) from its first character; anything else as read."""
    if compact(text).startswith("不"):
        return "不明"  # the one Chinese answer: a lost 明 leaves it alone
    core = compact(text).strip("lI1|丨")  # a cell's rule read beside the letter
    s = re.sub(r"[^A-Z]", "", core.upper().translate(str.maketrans("08", "OB")))
    return s if s in BLOOD_TYPES else text


def height(text: str) -> str:
    """身高 as printed (``175`` or ``175cm``); the c of cm read as 0, ( or e is restored (1820m → 182cm)."""
    m = re.fullmatch(r"(\d{2,3})[0oO(（eé]m", compact(text))
    return f"{m[1]}cm" if m else text


def nation(text: str) -> str:
    """民族 as printed (``汉族``); a read whose group is listed but whose 族 was misread (``汉旅``) is
    given its 族 back."""
    s = compact(text)
    if s.endswith("族") or len(s) < 2:
        return s
    group = s[:-1]
    return f"{group}族" if group in ETHNIC_GROUPS else s


def person_name(text: str) -> str:
    """A name is Chinese characters (and the · of transliterated names): marks around it are specks.
    Dashes a character wide (``——``) or ending the name are its 一 (杨健一 read as 杨健——)."""
    text = re.sub(r"[—－\-–]+$|[—－\-–]{2,}", "一", compact(text))
    return re.sub(r"[^\u4e00-\u9fff·]", "", text).translate(_NAME_LOOK_ALIKES)


# The recogniser reads 涵, common in given names, as 酒, which names never use (seen on both pages and in
# the stamp), the surname 曾 as 會, a traditional form the simplified print of a register never
# shows, and 宇 as 字 (one dot apart; 字 is no name character); a name character is given back.
_NAME_LOOK_ALIKES = str.maketrans({"酒": "涵", "會": "曾", "字": "宇"})


def _number(text: str) -> str:
    m = re.search(r"\d{5,}", compact(text))
    return m[0] if m else ""


def stamp_name(text: str) -> str:
    """The clerk's name in the stamp: Chinese characters, a trailing 印 dropped, and the remnant of the
    next caption (登记日期 / 签发日期 read as ``日期`` into the stamp's cell when its rule was lost) and
    whatever followed it."""
    s = re.sub(r"[^\u4e00-\u9fff]", "", compact(text)).translate(_NAME_LOOK_ALIKES)
    s = re.sub(r"(?<=..)(登记|签发)?日期.*$", "", s)
    return s[:-1] if len(s) >= 3 and s.endswith("印") else s


def id_number(text: str) -> str:
    """The 18-char citizen number, check-digit repaired by one look-alike swap when that is unique."""
    s = digits_with_lookalikes(strip_punct(text))
    if len(s) != 18 or idnumber.checksum_ok(s):
        return s
    found = set()
    for i, c in enumerate(s):
        for alt in _ID_SWAPS.get(c, ""):
            trial = s[:i] + alt + s[i + 1 :]
            if (alt != "X" or i == 17) and idnumber.is_valid(trial):
                found.add(trial)
    if i := len(s):  # a misread final X
        trial = s[:17] + "X"
        if i == 18 and idnumber.is_valid(trial):
            found.add(trial)
    return found.pop() if len(found) == 1 else s
