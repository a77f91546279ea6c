"""Values of the resident page (常住人口登记卡) checked against what they must be.

- The citizen number carries its own check character (GB 11643): when the number read in its cell fails
  it, every 18-character run on the page is tried, each repaired from the recogniser's per-character
  alternatives (one change at most, accepted only when exactly one change passes). A page holds one
  citizen number; the household number (户号) is 9 digits.
- The birth date printed on the page is the one inside the citizen number: a valid number settles a date
  whose cell was unread or read with a digit or two wrong.
- Several cells take their words from closed lists of the household register (婚姻状况, 兵役状况, 文化程度,
  宗教信仰, 户主或与户主关系): a read one character from exactly one listed word is that word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from certscan.cards.idcard import ID_ALPHABET, number_valid
from certscan.cards.layout import group_rows
from certscan.cards.readers import char_runs, line_chars
from certscan.cards.text import compact, hamming
from certscan.checks import idnumber
from certscan.checks.repair import repair
from certscan.ocr.types import Line

MARITAL = ("未婚", "已婚", "初婚", "再婚", "复婚", "丧偶", "离婚")
MILITARY = ("未服兵役", "退出现役", "服现役", "预备役", "服预备役", "不服兵役", "退役")
EDUCATION = (
    "博士研究生", "硕士研究生", "研究生", "大学本科", "大学专科", "大学", "中等专科", "中专", "中技",
    "技工学校", "高中", "职业高中", "初中", "小学", "文盲或半文盲", "文盲", "半文盲", "学龄前儿童",
)
RELIGION = ("无", "佛教", "道教", "伊斯兰教", "天主教", "基督教")
RELATION = (
    "户主", "配偶", "妻", "夫", "子", "女", "长子", "次子", "三子", "四子", "五子", "独生子",
    "长女", "次女", "三女", "四女", "五女", "独生女", "养子", "养女", "继子", "继女", "儿媳", "女婿",
    "孙子", "孙女", "外孙子", "外孙女", "父亲", "母亲", "公公", "婆婆", "岳父", "岳母", "祖父", "祖母",
    "兄", "弟", "姐", "妹", "侄子", "侄女", "外甥", "外甥女", "其他",
)
HOUSEHOLD_TYPES = ("家庭户", "集体户")
BLOOD_TYPES = ("A", "B", "O", "AB")
# a migration (何时由何地迁来) as printed whole: its date, 由, a place, 迁来
WHOLE_MIGRATION = re.compile(r"\d{4}年\d{2}月\d{2}日由.+迁来")
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "maritalStatus": MARITAL,
    "militaryService": MILITARY,
    "education": EDUCATION,
    "religion": RELIGION,
    "relationTo": RELATION,
}


# Whole reads OCR makes of a short listed word: 户主 squeezed into one character (住: 户's dot over 主),
# 子 read as the digit or the particle it resembles, 妻 read as 要 or 安 (its top and bottom halves).
LOOK_ALIKES = {"住": "户主", "7": "子", "了": "子", "要": "妻", "安": "妻"}


def snap_word(text: str, words: Sequence[str]) -> str:
    """``text`` when listed (or not near any word); else the one listed word of 2+ characters it
    differs from by one substituted character, or (words of 3+) by one lost character, or (a lone
    character) the one 2-character word it begins (丧 for 丧偶: its second character lost), else the
    one it ends (主 for 户主); a known
    whole misread of a listed word (``LOOK_ALIKES``) is that word.

    Why not ``vehicle_terms.snap`` or the places matcher: these cells hold a word and nothing else (no
    caption remnant before it, unlike the vehicle licence's terms, so no ending is kept), the lists
    hold many one- and two-character words that differ in one character (子/女, 长子/次子), so only a
    single candidate at one edit is taken (no nearest-of-several), and unlike place names a lost
    character is only recovered where the word is long enough or its remaining character unique."""
    s = compact(text)
    if LOOK_ALIKES.get(s) in words:
        return LOOK_ALIKES[s]
    if not s or s in words:
        return s if s else text
    near = {w for w in words if len(w) >= 2 and len(w) == len(s)
            and hamming(w, s) == 1}
    near |= {w for w in words if len(w) >= 3 and len(w) == len(s) + 1
             and any(w[:i] + w[i + 1:] == s for i in range(len(w)))}
    if len(s) == 1 and not near:
        near = {w for w in words if len(w) == 2 and w[0] == s}
    if len(s) == 1 and not near:  # the first character lost instead (户主 read as 主)
        near = {w for w in words if len(w) == 2 and w[1] == s}
    return near.pop() if len(near) == 1 else text


def page_id_number(cell_read: str, lines: Sequence[Line]) -> str:
    """``cell_read`` when it passes its checks; else the one valid (or repairable) 18-character run on
    the page, the one nearest ``cell_read`` when several differ; else ``cell_read``."""
    if number_valid(cell_read):
        return cell_read
    found: list[str] = []
    for line in lines:
        for run in char_runs(line_chars(line), ID_ALPHABET, max_gap=1):
            if len(run) < 18:
                continue
            result = repair(run[-18:], number_valid, ID_ALPHABET, max_changes=1)
            if result.valid and result.text not in found:
                found.append(result.text)
    if not found:
        return cell_read
    if len(found) == 1:
        return found[0]
    # several numbers on the page (a neighbour's card in the photo): the one the cell was read as
    return min(found, key=lambda n: hamming(n, cell_read.ljust(18)))


def birthday_from_number(read_date: str, number: str) -> str:
    """``read_date`` (YYYY-MM-DD) checked against the birth date inside a valid citizen number: the
    number's date when the cell was unread or differs from it in one or two digits."""
    born_on = idnumber.birth_date(number)
    if not idnumber.checksum_ok(number) or born_on is None:
        return read_date
    born = born_on.isoformat()
    if not read_date:
        return born
    if len(read_date) == len(born) and hamming(read_date, born) <= 2:
        return born
    return read_date


_MIGRATION_VALUE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日?由")


def _same_value(read: str, line_text: str) -> bool:
    return bool(read) and (read in line_text or line_text in read)


def migrations_by_content(moved_to_address: str, moved_to_city: str,
                          lines: Sequence[Line]) -> tuple[str, str]:
    """(何时由何地迁来本址, 何时由何地迁来本市(县)) with either left unread (its caption and rules lost to
    blur) filled from the lines that read as a migration (``1994年12月09日由…``): the one beside a
    remnant of its caption (``也迁来本址``, ``市(县)``), or, both unread and exactly two such lines, by the
    form's order (本市(县) above 本址). A single line with no caption is left out: either could be it."""
    if moved_to_address and moved_to_city:
        return moved_to_address, moved_to_city
    found = {"address": moved_to_address, "city": moved_to_city}
    loose: list[str] = []
    for row in group_rows(list(lines)):
        for i, ln in enumerate(row):
            text = compact(ln.text)
            start = _MIGRATION_VALUE.search(text)
            if start is None or start.start() > 3:
                continue
            value = text[start.start():]
            caption = "".join(compact(other.text) for other in row[:i]) + text[: start.start()]
            key = "address" if caption.endswith("本址") else ""
            key = "city" if re.search(r"本市|市\(县\)|县\)$", caption) else key
            other = "city" if key == "address" else "address"
            if key and not found[key] and _same_value(found[other], value):
                # given to the other caption (its own caption unread, the other's band reaching it)
                found[key], found[other] = value, ""
            elif any(_same_value(v, value) for v in found.values()):
                continue  # read in its cell already
            elif key and not found[key]:
                found[key] = value
            elif not key:
                loose.append(value)
    if not any(found.values()) and len(loose) == 2:
        found["city"], found["address"] = loose
    return found["address"], found["city"]


_DATE_ONLY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日?")


def last_date_line(lines: Sequence[Line], other_date: str) -> str:
    """The registration date (登记日期) by content, for a page whose caption was not read (half under
    the thumb or the seal: ``日期``): the lowest line holding a date and nothing else (the form's last
    row holds it; the birth date's row is higher and a migration's date is followed by its place),
    unless it is ``other_date`` (the birth date, already read) or most of the page's lines are below it
    (the birth date's row, 登记日期's unread). Empty when there is none."""
    dates = [ln for ln in lines if _DATE_ONLY.fullmatch(compact(ln.text))]
    if not dates:
        return ""
    last = max(dates, key=lambda ln: ln.cy)
    above = sum(ln.cy < last.cy for ln in lines)
    text = compact(last.text)
    return "" if text == other_date or above < 0.7 * len(lines) else text
