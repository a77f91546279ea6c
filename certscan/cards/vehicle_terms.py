"""Closed vocabularies printed on the vehicle licence: 车辆类型 (GA 802 vehicle classes) and 使用性质
(GA 24.4 use characters), and the snap of a slightly misread value onto them.

A value read with a slip (轻型普通货车 as 经型营通货车) or behind a remnant of its own label
(本辆型小型辆车: 车辆类型's tail, then the value) is matched against the printed terms by its ending;
it is snapped only when one term is clearly nearest, so an unlisted value stays as read.
"""

from __future__ import annotations

import re
from itertools import product

from certscan.cards.text import hamming, is_subsequence
from certscan.ocr.types import Line

_SIZES = ("重型", "中型", "轻型", "微型")
_BUS_SIZES = ("大型", "中型", "小型", "微型")
_TRUCK_BODIES = ("普通货车", "厢式货车", "封闭货车", "罐式货车", "平板货车", "集装厢车", "自卸货车",
                 "特殊结构货车", "仓栅式货车", "半挂牵引车", "全挂牵引车", "专项作业车")
_BUS_BODIES = ("普通客车", "双层客车", "卧铺客车", "铰接客车", "越野客车", "轿车", "专用客车", "专用校车")
_TRAILER_BODIES = ("普通半挂车", "厢式半挂车", "罐式半挂车", "平板半挂车", "集装箱半挂车", "自卸半挂车",
                   "特殊结构半挂车", "仓栅式半挂车", "旅居半挂车", "专项作业半挂车", "低平板半挂车",
                   "车辆运输半挂车", "普通全挂车", "厢式全挂车", "罐式全挂车", "平板全挂车", "自卸全挂车",
                   "仓栅式全挂车", "旅居全挂车", "专项作业全挂车")
VEHICLE_TYPES: frozenset[str] = frozenset(
    {a + b for a, b in product(_SIZES, _TRUCK_BODIES)}
    | {a + b for a, b in product(_BUS_SIZES, _BUS_BODIES)}
    | {a + b for a, b in product(("重型", "中型", "轻型"), _TRAILER_BODIES)}
    | {"普通低速货车", "厢式低速货车", "罐式低速货车", "自卸低速货车", "仓栅式低速货车",
       "普通正三轮摩托车", "轻便正三轮摩托车", "正三轮载客摩托车", "正三轮载货摩托车", "侧三轮摩托车",
       "普通二轮摩托车", "轻便二轮摩托车", "三轮汽车", "无轨电车", "有轨电车", "轮式装载机械",
       "轮式挖掘机械", "轮式平地机械", "轮式拖拉机", "手扶拖拉机", "教练汽车"}
)
USE_CHARACTERS: frozenset[str] = frozenset({
    "非营运", "营运", "公路客运", "公交客运", "出租客运", "旅游客运", "预约出租客运", "货运", "租赁",
    "警用", "消防", "救护", "工程救险", "营转非", "出租转非", "预约出租转非", "教练", "幼儿校车",
    "小学生校车", "初中生校车", "中小学生校车", "其他校车", "危化品运输", "营转非营运",
})

# Makers' brands as the licence prints them before 牌 (大众汽车牌SVW7182QQD): the common makes of the
# Chinese market, domestic and joint-venture, cars, trucks and buses. An unlisted brand stays as read.
BRANDS: frozenset[str] = frozenset({
    "大众汽车", "大众", "别克", "雪佛兰", "凯迪拉克", "丰田", "本田", "日产", "马自达", "三菱",
    "铃木", "斯巴鲁", "雷克萨斯", "英菲尼迪", "讴歌", "现代", "起亚", "福特", "林肯", "标致",
    "雪铁龙", "斯柯达", "奥迪", "宝马", "奔驰", "梅赛德斯奔驰", "沃尔沃", "路虎", "捷豹", "保时捷",
    "特斯拉", "比亚迪", "吉利", "领克", "几何", "极氪", "长安", "哈弗", "长城", "坦克",
    "欧拉", "奇瑞", "星途", "捷途", "五菱", "宝骏", "东风", "风神", "风行", "启辰", "岚图", "解放",
    "红旗", "一汽", "奔腾", "福田", "欧曼", "江淮", "江铃", "荣威", "名爵", "上汽大通", "传祺",
    "广汽", "埃安", "北京", "北汽", "海马", "东南", "众泰", "陆风", "猎豹", "中华", "金杯",
    "依维柯", "重汽", "豪沃", "陕汽", "金龙", "宇通", "海格", "庆铃", "开瑞", "蔚来", "理想",
    "小鹏", "零跑", "哪吒", "问界", "赛力斯", "智己", "飞凡", "深蓝", "阿维塔", "腾势", "思皓",
    "凯翼", "汉腾", "北奔", "华菱", "徐工", "三一", "乘龙", "柳汽", "上汽", "一汽解放", "东风柳汽",
    "长安凯程", "跃进", "南骏", "飞碟", "唐骏", "时代",
})
# a make before its own prefix (大众汽车 before 大众)
_BRANDS_LONGEST_FIRST = tuple(sorted(BRANDS, key=len, reverse=True))


def model_with_brand(model: str) -> str:
    """The 品牌型号 value with its brand snapped onto the printed brands (传棋牌… is 传祺牌…, 身五菱牌…
    五菱牌…), and 牌 put back between a listed brand and the model code when it was lost (荣威ETC27326P)."""
    brand, mark, code = _after_caption_remnant(model).partition("牌")
    # The code begins with the maker's letters (GB 9417: SVW, LZW, HFC): a 1 in front of them is a stroke
    # of 牌 or of the seal read as a character (长安牌1NA5256N).
    code = re.sub(r"^[1Il|](?=[A-Z]{2})", "", code)
    # a bracket is no character of a code: J's hook read as one (CSE3797KW2] for CSE3797KW2J)
    code = code.replace("]", "J") if re.fullmatch(r"[A-Z0-9\]]+", code) else code
    code = code_shape(code)
    if not mark:
        listed = next((b for b in _BRANDS_LONGEST_FIRST
                       if model.startswith(b) and model[len(b) : len(b) + 1].isascii()), "")
        return f"{listed}牌{model[len(listed):]}" if listed and len(model) > len(listed) + 2 else model
    # a brand of two characters one slip from a listed one may be an unlisted make (大运, not 大众):
    # only longer ones are snapped, and any brand behind a speck (身五菱)
    ending = next((b for b in BRANDS if brand.endswith(b) and len(brand) - len(b) <= 2), "")
    # one character is no make: the brand's head went to the caption's box (利牌 of 吉利牌) or its
    # second character was lost (传牌 of 传祺牌, a rare character in small print), and is made whole
    # when a single listed brand ends or starts with it
    code_head = code[:1]
    partial = len(brand) == 1 and code_head.isascii() and code_head.isalnum()
    whole = [b for b in BRANDS if b.endswith(brand) or b.startswith(brand)] if partial else []
    if len(whole) == 1:
        return whole[0] + mark + code
    if len(brand) < 3 and not ending:
        return brand + mark + code
    return (ending if ending and brand not in BRANDS else snap(brand, BRANDS)) + mark + code


_AS_LETTER = str.maketrans("8526", "BSZG")
_AS_DIGIT = str.maketrans("BSZGOI", "852601")


def code_shape(code: str) -> str:
    """A model code in the shape GB 9417 gives it: the maker's two or three letters (SVW, LZ), then the
    vehicle's class and parameters, four digits (7182), then any suffix. A look-alike read in the wrong
    kind of place is put back: a digit among the maker's first two letters (K8A72577: KBA72577), or a
    fourth letter after three (FHXS4936F: no maker's code has four letters, FHX54936F). Only when the
    code then has that shape and did not as read."""
    shape = re.compile(r"[A-Z]{2,3}\d{4}")
    if shape.match(code) or not re.fullmatch(r"[A-Z0-9]{6,}", code):
        return code
    head = code[:2].translate(_AS_LETTER) + code[2:]
    if shape.match(head):
        return head
    fourth = code[:3] + code[3:4].translate(_AS_DIGIT) + code[4:]
    return fourth if re.match(r"[A-Z]{3}\d{4}", fourth) else code


def brand_by_alternatives(model: str, line: Line | None) -> str:
    """The 品牌型号 value with the recogniser's other candidates for its brand tried (``line``: the box
    it was read from): 牌 read as a look-alike (荣威津CVR19791W, 牌 offered: 荣威牌…), or one character
    of the brand read as another (传棋牌, 祺 offered: 传祺牌). Taken only when it makes a listed brand,
    and one listed brand alone; a two-character brand one slip from a listed one is otherwise kept
    as read (it may be an unlisted make)."""
    if line is None or len(line.chars) != len(line.text) or model not in line.text:
        return model
    at = line.text.index(model)
    offered = [set(c.chars) for c in line.chars[at : at + len(model)]]
    brand, mark, code = model.partition("牌")
    if not mark:
        marks = [k for k in range(2, min(len(model), 6)) if "牌" in offered[k] and model[:k] in BRANDS]
        return f"{model[:marks[0]]}牌{model[marks[0] + 1:]}" if len(marks) == 1 else model
    if brand in BRANDS:
        return model
    fits = [b for b in BRANDS if len(b) == len(brand) and hamming(b, brand) == 1
            and all(x == y or x in offered[k] for k, (x, y) in enumerate(zip(b, brand, strict=True)))]
    return fits[0] + mark + code if len(fits) == 1 else model


def _after_caption_remnant(model: str) -> str:
    """The value from its listed brand on when a remnant of the 品牌型号 caption, itself read with a 牌
    (晶牌型等长安牌ZMW3137YL), comes before it; else ``model`` as read."""
    marks = [k for k, ch in enumerate(model) if ch == "牌"]
    if len(marks) < 2 or any(model[: marks[0]].endswith(b) for b in BRANDS):
        return model
    for k in marks[1:]:
        listed = next((b for b in _BRANDS_LONGEST_FIRST if model[:k].endswith(b)), "")
        if listed:
            return model[k - len(listed) :]
    return model


def _distances(term: str, text: str) -> tuple[int, int]:
    """(edits from some ending of ``text`` to ``term``, edits from the whole ``text``). One table over
    both strings reversed: its last row holds the cost against every ending of ``text`` at once."""
    rev_term, rev_text = term[::-1], text[::-1]
    row = list(range(len(rev_text) + 1))
    for i, ct in enumerate(rev_term, 1):
        diagonal, row[0] = row[0], i
        for j, cx in enumerate(rev_text, 1):
            diagonal, row[j] = row[j], min(diagonal + (ct != cx), row[j] + 1, row[j - 1] + 1)
    return min(row[1:], default=len(term)), row[-1]


def snap(text: str, terms: frozenset[str]) -> str:
    """``text`` as the printed term it was read from: exact terms and their endings are kept, a read at
    most one slip in three characters away from exactly one nearest term becomes that term (nearest by
    its ending first, then by the whole read: 非菅运 is 非营运, not 营运)."""
    if not text or text in terms:
        return text
    ending = next((term for term in sorted(terms, key=len, reverse=True) if text.endswith(term)), "")
    if ending and len(text) - len(ending) <= 3:  # a label remnant before a correct value
        return ending
    # A term needs most of its characters in the read to be near it (each edit loses at most one):
    # the others are not scored. The bound is the loosest any term allows, so ties are still seen.
    loosest = max(_allowed(t) for t in terms)
    near = [t for t in terms if sum(c in text for c in t) >= len(t) - loosest]
    scored = sorted((_distances(term, text), term) for term in near)
    if not scored:
        return text
    (best, term), runner_up = scored[0], (scored[1][0] if len(scored) > 1 else None)
    if best[0] > _allowed(term):
        return text  # too far from every term
    if best == runner_up:
        # Equally near terms (重型仓式货车: 仓栅式 with 栅 lost, or 厢式 with 厢 changed): a small print
        # loses a character more often than it reads one as another, so the one term holding every
        # character of the read's ending, in order, is taken; else the read is kept.
        tied = [t for score, t in scored if score == best]
        lossless = [t for t in tied if is_subsequence(text[-(len(t) - best[0]):], t)]
        return lossless[0] if len(lossless) == 1 else text
    return term


def _allowed(term: str) -> int:
    return max(1, len(term) // 3)
