"""Administrative place names (GB/T 2260) at the start of an address: OCR slips in them repaired.

Addresses on licenses and household registers begin with province, city and county names from a closed
list (``certscan.checks.regions``). A name read with one wrong character (``西藏白治区``, ``浙川县``) is
replaced by the listed name when exactly one name of the right level, under the parent already read,
differs from the text by one substitution. Anything else (street, village, a name not in the table) is
left exactly as read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from certscan.cards.text import edit_distance, hamming
from certscan.checks import plate as plate_rules
from certscan.checks.regions import all_codes, region_name

# Table rows that name no place (a municipality's "districts" row, unnamed groupings).
PLACEHOLDERS = frozenset({"", "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@cache
def _children() -> dict[str, list[str]]:
    """Parent code ("" for the country) → names of its divisions, by level."""
    kids: dict[str, set[str]] = defaultdict(set)
    for code in all_codes():
        name = region_name(code)
        if name in PLACEHOLDERS:
            continue
        if code.endswith("0000"):
            kids[""].add(name)
        elif code.endswith("00"):
            kids[code[:2]].add(name)
        else:
            kids[code[:4]].add(name)
            kids[code[:2]].add(name)  # counties directly under a municipality / province-level city
    return {k: sorted(v) for k, v in kids.items()}


@cache
def _all_names() -> frozenset[str]:
    return frozenset(_codes_by_name())


@cache
def place_names() -> frozenset[str]:
    """Names of GB/T 2260 divisions of 2+ characters (``射阳县``, ``牡丹江市``), at any level."""
    return frozenset(name for name in _all_names() if len(name) >= 2 and name != "市辖区")


@cache
def _names_by_pattern() -> dict[str, frozenset[str]]:
    """Place names of 3+ characters under each one-character wildcard pattern (``?丹江市`` → 牡丹江市)."""
    index: dict[str, set[str]] = {}
    for name in place_names():
        if len(name) >= 3:
            for i in range(len(name)):
                index.setdefault(name[:i] + "?" + name[i + 1:], set()).add(name)
    return {key: frozenset(names) for key, names in index.items()}


def corrected_place(text: str) -> str:
    """``text`` when it is a listed place name, else the one listed name of 3+ characters one character
    away from it (``社丹江市`` → 牡丹江市); unchanged when none or several are."""
    if len(text) < 3 or text in place_names():
        return text
    index = _names_by_pattern()
    found = {name for i in range(len(text)) for name in index.get(text[:i] + "?" + text[i + 1:], ())}
    return found.pop() if len(found) == 1 else text


@cache
def _codes_by_name() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for code in all_codes():
        out[region_name(code)].append(code)
    return out


# The provincial-level divisions by the short names addresses and passports print (GB/T 2260 order; the
# 31 mainland ones in the order of the plate abbreviations, ``certscan.checks.plate.PROVINCES``).
PROVINCE_SHORT_NAMES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门",
)

# Each mainland province's short name → the character heading its vehicles' plates (an address or a
# division code names the province that registered a vehicle).
PLATE_PROVINCE_BY_NAME = dict(zip(PROVINCE_SHORT_NAMES, plate_rules.PROVINCES, strict=False))


def plate_province(address: str) -> str:
    """The plate character of the province ``address`` starts with ("" for none or Taiwan/HK/Macao)."""
    return next((char for name, char in PLATE_PROVINCE_BY_NAME.items() if address.startswith(name)), "")


_STREET_ENDS = set("路街道巷弄镇乡村号大")


def _one_off(a: str, b: str) -> bool:
    """One substitution apart, the read text not ending like a street (解放路 is no misread 解放区)."""
    return (
        len(a) == len(b)
        and hamming(a, b) == 1
        and not (a[-1] != b[-1] and a[-1] in _STREET_ENDS)
    )


def _one_dropped(read: str, name: str) -> bool:
    """``read`` is ``name`` with one character before its suffix lost (蕉岭县 read as 蕉县)."""
    return len(read) == len(name) - 1 and read[-1] == name[-1] and any(
        name[:i] + name[i + 1 :] == read for i in range(len(name) - 1)
    )


def _match(text: str, names: list[str]) -> tuple[str, int] | None:
    """The listed name ``text`` starts with and how many characters of ``text`` it replaces: exactly,
    or (unique, 3+ chars) with one wrong character, or with one character dropped before the suffix."""
    exact = [n for n in names if text.startswith(n)]
    if exact:
        name = max(exact, key=len)
        return name, len(name)
    # A read that is itself a listed name at another level (威海市, 北镇市 at the start of an address
    # without its province) is no misread of a province one character away (上海市, 北京市).
    near = {(n, len(n)) for n in names
            if len(n) >= 3 and _one_off(text[: len(n)], n) and text[: len(n)] not in _all_names()}
    near |= {(n, len(n) - 1) for n in names if len(n) >= 3 and _one_dropped(text[: len(n) - 1], n)}
    # A value ending in a long name that lost its last character (锡林郭勒盟 read as 锡林郭勒).
    near |= {(n, len(text)) for n in names if len(n) >= 4 and text == n[:-1]}
    if not near:
        # A two-character name (莒县) with its level character read, when no longer name is near: its
        # other character is the slip (水县 is 涞水县 with a character lost, not 易县).
        near = {(n, 2) for n in names if len(n) == 2 and n[1] in "县区市旗" and text[1:2] == n[1]
                and _one_off(text[:2], n) and text[:2] not in _all_names()}
    if len(near) == 1:
        return near.pop()
    named = _named_next(text, near)
    if named is not None:
        return named
    # one slip in a long name outweighs one in a short one (恩施土家族苗族白治州: 恩施土 is also one
    # character from 恩施市, but ten characters agree with the prefecture)
    longest = sorted(near, key=lambda found: -len(found[0]))
    if len(longest) > 1 and len(longest[0][0]) >= 5 and len(longest[0][0]) > len(longest[1][0]):
        return longest[0]
    return None if near else _long_match(text, names)


def _division_prefixes(name: str) -> list[str]:
    """The code prefixes of the divisions under each province or city called ``name`` (2 digits for a
    province, 4 for a city; none for a county, which has nothing below it in the table)."""
    codes = [c for c in _codes_by_name().get(name, []) if c.endswith("00")]
    return [c[:2] if c.endswith("0000") else c[:4] for c in codes]


def _named_next(text: str, near: set[tuple[str, int]]) -> tuple[str, int] | None:
    """Of several listed names one slip from the read, the only one whose own division the text names
    exactly next (辆城市阳谷县: 聊城市, 邹城市 and 诸城市 are each one character off; 阳谷县 lies in
    聊城市)."""
    exact, slipped = [], []
    for name, used in near:
        below = set(_division_prefixes(name))
        kids = {kid for part in below for kid in _children().get(part, []) if len(kid) >= 2}
        if any(text[used:].startswith(kid) for kid in kids):
            exact.append((name, used))
        # the next name read with a slip too (场州市邢江区: 扬州市 and 常州市 are one off; only 扬州市
        # has a district one off 邢江区, 邗江区)
        elif any(len(kid) >= 3 and _one_off(text[used : used + len(kid)], kid) for kid in kids):
            slipped.append((name, used))
    fits = exact or slipped
    return fits[0] if len(fits) == 1 else None


_CHARS_PER_EDIT = 3


def _long_match(text: str, names: list[str]) -> tuple[str, int] | None:
    """A long name (autonomous prefectures and counties: 海西蒙古族藏族自治州) read with more slips than
    one: at most one edit per three characters (a small print's 族 is often misread, and an ethnic
    group's rare first character lost: 楚族自治州 for 楚雄彝族自治州, 社旅 for 壮族), 自治 read 白治
    not counted, ending on the name's own suffix character, and closer than any other name under the
    same parent."""
    scored: list[tuple[int, str, int]] = []
    for n in names:
        if len(n) < 7:
            continue
        ends = [k for k in range(len(n) - 2, len(n) + 3) if 0 < k <= len(text) and text[k - 1] == n[-1]]
        best = min(((edit_distance(self_governing(text[:k]), n), k) for k in ends), default=None)
        if best is not None and best[0] <= len(n) // _CHARS_PER_EDIT:
            scored.append((best[0], n, best[1]))
    scored.sort()
    if not scored or (len(scored) > 1 and scored[1][0] <= scored[0][0]):
        return None
    return scored[0][1], scored[0][2]


def _province_by_city(text: str) -> tuple[str, int] | None:
    """A province whose name lost its head at the line's start (省常德市… for 湖南省常德市…): the tail
    left (one to three characters) ends a province's name, and the city right after it lies only in
    that province. (The province's name, how many characters of ``text`` it replaces.)"""
    for cut in range(1, 4):
        provinces = {code[:2] for name in _all_names() if len(name) >= 3 and text[cut:].startswith(name)
                     for code in _codes_by_name()[name] if code.endswith("00") and not code.endswith("0000")}
        if len(provinces) != 1:
            continue
        province = region_name(provinces.pop() + "0000")
        if province.endswith(text[:cut]) and len(province) > cut:
            return province, cut
    return None


def _city_by_county(text: str, province: str) -> tuple[str, int] | None:
    """A city name read with more than one slip (休技市 for 张掖市), or with characters lost (期市 for
    荆门市, a bare 市 for 娄底市), placed by the county named right after it: a county listed once in the
    province, read exactly or (three characters or more) with one slip, after the city's level
    character. (The city's name, how many characters it replaces.)"""
    exact, near = set(), set()
    for name in _children().get(province, []):
        codes = [c for c in _codes_by_name()[name] if c.startswith(province) and not c.endswith("00")]
        if len(name) < 3 or len(codes) != 1:
            continue
        city = region_name(codes[0][:4] + "00")
        if city in PLACEHOLDERS:
            continue
        for used in (k for k in range(1, min(len(city), len(text)) + 1) if text[k - 1] == city[-1]):
            county = text[used:used + len(name)]
            if county == name:
                exact.add((city, used))
            elif _one_off(county, name):
                near.add((city, used))
    # a county read exactly outweighs any read with a slip (民乐县 read, not 民勤县 one off it)
    found = exact or near
    return found.pop() if len(found) == 1 else None


def fix_place_prefix(text: str) -> str:
    """``text`` with its leading province / city / county names spelled as listed."""
    out, rest, parents = "", text, [""]
    for level in range(3):
        names = sorted({n for p in parents for n in _children().get(p, [])})
        found = _match(rest, names)
        if found is None and level == 0:
            found = _province_by_city(rest)
        elif found is None and level == 1 and len(parents) == 1:
            found = _city_by_county(rest, parents[0])
        if found is None:
            break
        name, used = found
        out, rest = out + name, rest[used:]
        parents = _division_prefixes(name)
        if not parents:
            break  # a county: nothing below it in the table
    return out + rest


# Slips inside an address past its listed divisions, where the surrounding words decide alone.
def township(text: str) -> str:
    """乡 misread as a look-alike (务, 鱼, 参, 多) where a township stands in an address: after a county-level
    division, a two-character name, and before a village (…望江县永安务张家村… is 永安乡张家村)."""
    return re.sub(r"(?<=[县市区旗][\u4e00-\u9fff]{2})[务鱼参多](?=[\u4e00-\u9fff]{2,3}村)", "乡", text)


def self_governing(text: str) -> str:
    """自治 read as 白治 (one stroke lost) before the division it names, anywhere in a value: no place or
    company name says 白治区 / 白治州 / 白治县 / 白治旗."""
    return re.sub(r"白治(?=[区州县旗])", "自治", text)
