"""A business licence's address cut short by the round seal, read once more from where it stops.

The 登记机关 seal is stamped over the lower right of the licence, where the address (住所 / 经营场所)
wraps: the detector often stops a line at the seal's rim (``…3单元18``) or finds no box for the
address's last line at all (``…桐城市前`` | 进乡兴隆村5组24号 under the seal). An address ends with a
house, room or village unit (号, 室, 组, 村 ...); one that does not is read again from two crops, in one
recognition call: its last line continued to the right edge of the address column, and the row below
it across that column, each also with the seal's red ink painted out. A re-read is kept only when it
is confident, continues what was read and makes the address end as an address does. Only then: one
small recognition on a failed check. Lines the seal covers are read again with its ink painted out, and
an address that ended with its house or room number takes no foreign line below it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from certscan.cards.ink import seal_share, without_seal
from certscan.cards.labelled import Piece
from certscan.cards.text import compact, strip_punct
from certscan.ocr.engine import OcrEngine
from certscan.ocr.recognize import crop_quad
from certscan.ocr.types import Line, Page, rect_quad

# the last unit of an address as printed (a house number, room, village group, building ...)
_END = re.compile(r"[号室组村楼层栋座户院铺场厦屯社队]$")
# what a continuation line must not be: the issuing authority's caption, a date, the seal's name
_NOT_ADDRESS = re.compile(r"登记|机关|\d{4}年|市场监督|管理局|工商")
_MIN_CONFIDENCE = 0.8
# a house or room number ends an address for good: a line below it continues it only as a unit of its own
_FINAL = re.compile(r"[号室]$")
SEAL_SHARE = 0.01  # share of a line's pixels in seal ink that makes it worth a second look
MIN_GAIN = 0.02  # how much surer of the read without the seal the recogniser must be


def ends_as_address(text: str) -> bool:
    return bool(_END.search(text))


def trimmed_end(address: str) -> str:
    """A room number is an address's last unit: one to three characters after ``1803室`` are the seal's
    or a neighbouring line's ink (``2202室动监``)."""
    return re.sub(r"(?<=\d室)[\u4e00-\u9fff]{1,3}$", "", address)


def address_lines(parts: list[Piece]) -> list[Piece]:
    """The pieces of the address: after a line that ends it with a house or room number, a piece below is
    another's ink (the seal's text, the 登记机关 caption read 登记桃, a speck read 市) unless it continues
    the address with a number or a unit of its own (``翠湖花园3栋`` | ``2单元301室``)."""
    text = ""
    for i, part in enumerate(parts[:-1]):
        text = strip_punct(text + part.text)
        nxt = strip_punct(parts[i + 1].text)
        continues = (ends_as_address(nxt) or bool(re.search(r"\d", nxt))) and not _NOT_ADDRESS.search(nxt)
        if _FINAL.search(text) and not continues:
            return parts[: i + 1]
    return parts


def reread_under_seal(image: np.ndarray, page: Page, lines: Sequence[Line], engine: OcrEngine) -> Page:
    """``page`` with those of ``lines`` the seal covers read again, in one recognition call, from crops
    with the seal's ink painted out (``3T栋`` -> ``21栋``, ``黄庄锁`` -> ``黄庄镇``, ``5室场`` -> ``502室``);
    a re-read replaces its line only when the recogniser is surer of it."""
    todo: list[Line] = []
    crops: list[np.ndarray] = []
    for line in lines:
        crop = crop_quad(image, page.image_points(np.asarray(line.box, dtype=np.float32)))
        if min(crop.shape[:2]) >= 4 and seal_share(crop) > SEAL_SHARE:
            todo.append(line)
            crops.append(without_seal(crop))
    if not todo:
        return page
    better: dict[int, Line] = {}
    for line, read in zip(todo, engine.recognize(crops), strict=True):
        if read.confidence >= line.confidence + MIN_GAIN and len(compact(read.text)) >= 2:
            better[id(line)] = replace(line, text=read.text, confidence=read.confidence,
                                       chars=list(read.chars))
    if not better:
        return page
    return replace(page, lines=[better.get(id(ln), ln) for ln in page.lines])


def completed_address(address: str, parts: list[Piece], image: np.ndarray, page: Page,
                      engine: OcrEngine) -> str:
    """``address`` (read from ``parts``, its pieces in reading order) with its lost end read again; the
    address as given when it already ends as one or the re-reads do not complete it."""
    if not address or not parts or ends_as_address(address):
        return address
    last = parts[-1]
    h = last.height
    col_x0 = parts[1].x0 if len(parts) > 1 else parts[0].x0
    col_x1 = max(p.x1 for p in parts)
    right = min(float(page.width), col_x1 + 2 * h)
    bottom = min(float(page.height), last.y1 + 1.25 * h)
    quads = [
        rect_quad(last.x0, last.y0 - 0.1 * h, right, last.y1 + 0.1 * h),  # the last line, to the column edge
        rect_quad(col_x0, last.y1 + 0.05 * h, right, bottom),  # the row below, across the column
    ]
    crops = [crop_quad(image, page.image_points(q)) for q in quads]
    if any(c.size == 0 or min(c.shape[:2]) < 4 for c in crops):
        return address
    # The seal's ink painted out too, when it covers these rows (its characters read into the address:
    # 310案 for 3101室); the crops as they are come first (the painted ones may keep a speck of the seal).
    cleaned = [without_seal(c) for c in crops]
    sealed = any(c is not o for c, o in zip(cleaned, crops, strict=True))
    reads = list(engine.recognize(crops + cleaned if sealed else crops))
    tail = strip_punct(compact(last.text))
    for same_line, below in zip(reads[::2], reads[1::2], strict=True):
        longer = strip_punct(compact(same_line.text))
        if (same_line.confidence >= _MIN_CONFIDENCE and tail and longer.startswith(tail)
                and len(longer) > len(tail) and ends_as_address(longer)):
            return address + longer[len(tail):]
        nxt = strip_punct(compact(below.text))
        if (below.confidence >= _MIN_CONFIDENCE and 2 <= len(nxt) <= 30 and not _NOT_ADDRESS.search(nxt)
                and ends_as_address(nxt)):
            return address + nxt
    return address
