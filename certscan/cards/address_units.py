"""The words an address's tail is built of, mended from the recogniser's alternatives.

After the divisions and the road, a Chinese address names a housing estate and its units:
``中山街68号玉兰苑24栋3单元803室``. Those few words are a closed set, so a character misread inside one
is told by its neighbours: a number is followed by a unit (栋, 单元, 室, 号 ...), 单元 is the only
``<number>?元`` an address prints, an estate's name ends in 苑 / 园 / 小区 ... right before its building
number, and a street's office is a 街道. A character is replaced only by an alternative the recogniser
scored for it (单元 excepted: its 元 settles it), and only when the read itself is no such word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from certscan.cards.readers import line_chars
from certscan.ocr.types import CharCandidates, Line

# what an address prints right after a number: 号 (the house number) and the units of a building
AFTER_NUMBER = frozenset("号室栋幢单元组楼层弄巷户队排座区街路里村支附期甲乙丙-")
_BUILDING = ("栋", "幢")
_ROOM = ("室", "号")
_UNSURE = 0.6
# the last character of an estate's (or village's) name, printed right before its building number
ESTATE_ENDS = frozenset("苑园院城庭府居湾里坊寓厦区楼村舍阁轩邸庄景都汇港")
# a road's name ends in one of these before its house number (花园大道710号); a town's (镇, 乡) before
# its village's name (平安镇黄庄村)
_ROAD_ENDS = "路道街巷"
_TOWN_ENDS = "镇乡"
_TOP = 3  # alternatives looked at: the recogniser's first few (further ones are rarely right)
_MIN_PROB = 0.02
# a road's or a town's last character is replaced only by an alternative this likely: unlike a unit after a
# number, the word before a house number or a village is not always one of them (广场8号, 金台大厦6层)
_MIN_WORD_PROB = 0.1


def _offered(cand: CharCandidates, wanted: Sequence[str] | frozenset[str],
             min_prob: float = _MIN_PROB) -> str:
    """The first of the recogniser's alternatives for ``cand`` that is in ``wanted``, or ""."""
    for alt, p in zip(cand.chars[1:_TOP], cand.probs[1:_TOP], strict=False):
        if alt in wanted and p >= min_prob:
            return alt
    return ""


def _line_fixes(line: Line) -> list[tuple[str, str]]:
    """(read, mended) pairs of a few characters each for one line of the address."""
    chars = [c for c in line_chars(line) if c.best.strip()]
    text = "".join(c.best for c in chars)
    cjk = [bool(re.fullmatch(r"[\u4e00-\u9fff]", c)) for c in text]
    mended = list(text)
    for i, cand in enumerate(chars):
        if cjk[i] and i and text[i - 1].isdigit() and text[i] not in AFTER_NUMBER:
            # a building between two numbers (24档3 → 24栋3), else a room or a house (902星 → 902室)
            between = text[i + 1:i + 2].isdigit()
            mended[i] = _offered(cand, _BUILDING if between else _ROOM) or mended[i]
    for i, cand in enumerate(chars):
        before = text[i - 1] if i else ""
        if not cjk[i] or mended[i] != text[i]:
            continue
        if before == "街" and text[i] != "道" and text[i + 1:i + 2] != "道":
            mended[i] = _offered(cand, ("道",)) or mended[i]  # 龙泉街通振兴北路 → 街道
        elif text[i + 1:i + 2] == "道" and text[i] != "街" and cand.confidence < _UNSURE:
            mended[i] = _offered(cand, ("街",)) or mended[i]  # 安乐海道 → 街道 (a 大道 read surely stays)
        elif (i and cjk[i - 1] and text[i] not in ESTATE_ENDS
              and re.match(r"\d+[栋幢]", "".join(mended[i + 1:]))):
            mended[i] = _offered(cand, ESTATE_ENDS) or mended[i]  # 紫荆纯9栋 → 紫荆苑9栋
        elif i >= 2 and text[i] not in _ROAD_ENDS and re.match(r"\d+号", text[i + 1:]):
            mended[i] = _offered(cand, _ROAD_ENDS, _MIN_WORD_PROB) or mended[i]  # 花园大适710号 → 大道
        elif i >= 2 and text[i] not in _TOWN_ENDS and re.match(r"[\u4e00-\u9fff]{1,3}村", text[i + 1:]):
            mended[i] = _offered(cand, _TOWN_ENDS, _MIN_WORD_PROB) or mended[i]  # 平安锁黄庄村 → 平安镇
    # each change with a neighbour (the left one; a line's first character the right one), so that the
    # replaced text is found in the address
    spans = [(i - 1, i + 1) if i else (0, 2) for i in range(len(text)) if mended[i] != text[i]]
    return [(text[a:b], "".join(mended[a:b])) for a, b in spans]


def mend_address_units(address: str, lines: Sequence[Line]) -> str:
    """``address`` (read from ``lines``) with its unit words mended (see the module doc); a read found
    more than once in the address is left alone (which one would be meant is unknown)."""
    for line in lines:
        for read, mended in _line_fixes(line):
            if address.count(read) == 1:
                address = address.replace(read, mended)
    # a number, one character and 元 before the next number is 单元 (3维元803室), also across two lines
    address = re.sub(r"(?<=\d)(?!单)[\u4e00-\u9fff]元(?=\d)", "单元", address)
    # a village's group: 青山村3姐59号 → 3组59号 (any other unit there is kept)
    return re.sub(r"(?<=村\d)[\u4e00-\u9fff](?=\d+号)|(?<=村\d\d)[\u4e00-\u9fff](?=\d+号)",
                  lambda m: m.group(0) if m.group(0) in AFTER_NUMBER else "组", address)
