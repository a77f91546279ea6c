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

from collections.abc import Sequence

from certscan.cards.idcard import ID_ALPHABET, number_valid
from certscan.cards.readers import char_runs, line_chars
from certscan.cards.text import compact
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
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "maritalStatus": MARITAL,
    "militaryService": MILITARY,
    "education": EDUCATION,
    "religion": RELIGION,
    "relationTo": RELATION,
}


def snap_word(text: str, words: Sequence[str]) -> str:
    """``text`` when listed (or not near any word); else the one listed word of 2+ characters it
    differs from by one substituted character, or (words of 3+) by one lost character."""
    s = compact(text)
    if not s or s in words:
        return s if s else text
    near = {w for w in words if len(w) >= 2 and len(w) == len(s)
            and sum(a != b for a, b in zip(w, s, strict=True)) == 1}
    near |= {w for w in words if len(w) >= 3 and len(w) == len(s) + 1
             and any(w[:i] + w[i + 1:] == s for i in range(len(w)))}
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
    return min(found, key=lambda n: sum(a != b for a, b in zip(n, cell_read.ljust(18), strict=False)))


def birthday_from_number(read_date: str, number: str) -> str:
    """``read_date`` (YYYY-MM-DD) checked against the birth date inside a valid citizen number: the
    number's date when the cell was unread or differs from it in one or two digits."""
    born_on = idnumber.birth_date(number)
    if not idnumber.checksum_ok(number) or born_on is None:
        return read_date
    born = born_on.isoformat()
    if not read_date:
        return born
    if len(read_date) == len(born) and sum(a != b for a, b in zip(read_date, born, strict=True)) <= 2:
        return born
    return read_date
