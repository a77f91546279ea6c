"""The holder's name on the resident identity card's portrait side: mended from what the recogniser
offered for it (a look-alike of a common surname) or read again where the detector cut its last
character off.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from certscan.cards.idcard_back import chars_of
from certscan.cards.text import compact
from certscan.ocr.engine import RegionReader
from certscan.ocr.types import CharCandidates, Line, rect_quad

CJK_NAME = re.compile(r"[\u4e00-\u9fff·•]+")

# The hundred commonest Chinese surnames (about 85 % of the population): after a caption's 姓, one of them
# is the name's first character rather than the caption's 名 misread.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)


# A name whose first character is no common surname but a look-alike of one (消 for 肖): the recogniser's
# alternative that is one, when it scored it at least this and its own read at most _UNSURE_SURNAME.
_SURNAME_ALTERNATIVE = 0.1
_UNSURE_SURNAME = 0.9


def surname_from_alternatives(name: str, lines: Sequence[Line]) -> str:
    """``name`` with a first character read unsure and no common surname (``消丽``) replaced by the
    recogniser's alternative that is one (``肖丽``); a rarer surname read surely stays as read."""
    if not name or name[0] in COMMON_SURNAMES:
        return name
    chars = chars_of(name, lines)
    if not chars or chars[0].confidence > _UNSURE_SURNAME:
        return name
    first = chars[0]
    listed = [
        alt
        for alt, p in zip(first.chars[1:], first.probs[1:], strict=True)
        if alt in COMMON_SURNAMES and p >= _SURNAME_ALTERNATIVE
    ]
    return listed[0] + name[1:] if listed else name


# how far left of the name's box its lost first character may start, and the bands' vertical pads (of
# the line height)
_HEAD_LEFTS, _HEAD_PADS = (0.3, 0.8), (0.1, 0.25)


def name_with_lost_head(name: str, lines: Sequence[Line], reread: RegionReader) -> str:
    """A name whose first character is no common surname (``建轩``, ``佳``: a small card's surname left
    at the box's edge unread) read again in bands reaching a little left of its box (one recognition
    call); the common surname those reads put right before the name is added when they agree on one."""
    if not name or name[0] in COMMON_SURNAMES:
        return name
    line = next((ln for ln in lines if compact(ln.text).endswith(name)), None)
    if line is None:
        return name
    h = line.height
    bands = [rect_quad(line.x0 - left * h, line.y0 - pad * h, line.x1 + 0.2 * h, line.y1 + pad * h)
             for left in _HEAD_LEFTS for pad in _HEAD_PADS]
    heads = set()
    for read in reread(bands):
        text = "".join(CJK_NAME.findall(read.text))
        if text.endswith(name) and len(text) > len(name) and text[-len(name) - 1] in COMMON_SURNAMES:
            heads.add(text[-len(name) - 1])
    return heads.pop() + name if len(heads) == 1 else name


# a name's last character, faint or small, is often outside the box the detector drew (曹飞振 boxed as 曹飞)
_NAME_TAIL_CONFIDENCE = 0.6
_NAME_TAIL_PAD_TIGHT, _NAME_TAIL_PAD_TALL = 0.1, 0.2  # of the line height, above and below


def name_with_lost_tail(name: str, line: Line, reread: RegionReader) -> str:
    """A two-character name with the third character the detector left outside its box: the box read
    again widened right by a character or so; taken only when that read is the name plus one confident
    CJK character. Two bands in one recognition call: a tenth of the height above and below, and a fifth
    for a tall, dense character (鑫) reaching past the box's edges, which the tight band reads as nothing
    (while the tall band can take in the row above and lose a character the tight one reads: 李雨敏)."""
    if not compact(line.text).endswith(name):
        return name
    h = line.height
    bands = [
        rect_quad(line.x0, line.y0 - pad, line.x1 + 1.6 * h, line.y1 + pad)
        for pad in (_NAME_TAIL_PAD_TIGHT * h, _NAME_TAIL_PAD_TALL * h)
    ]
    for read in reread(bands):
        tail = _lost_tail(name, read.chars)
        if tail:
            return name + tail
    return name


def _lost_tail(name: str, chars: Sequence[CharCandidates]) -> str:
    """The one confident CJK character a widened read adds after ``name`` ("" if it is not just that)."""
    chars = [c for c in chars if c.best.strip()]
    text = "".join(c.best for c in chars)
    if not chars or text.endswith(name) or not text.endswith(name[-1], 0, len(text) - 1):
        return ""
    tail = chars[-1]
    at = text.rfind(name)
    if at < 0 or at + len(name) != len(text) - 1 or not CJK_NAME.fullmatch(tail.best):
        return ""
    return tail.best if tail.confidence >= _NAME_TAIL_CONFIDENCE else ""
