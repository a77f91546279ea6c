"""The vehicle licence's owner (所有人): a person, or a company named after its registration place.

A company's name starts with the division it is registered in (《企业名称登记管理规定》: 行政区划 + 字号
+ 行业 + 组织形式, 厦门远航出租汽车有限公司), and the licence's address, the owner's own, names that
division. A company read with a slip in that place name (厦内远航…, 门 offered for 内; a long name with
more) or with its first character lost (城市… for 聊城市…) takes the place as the address spells it, once
the address has been made to agree with the table of divisions (``places.fix_place_prefix``).
"""

from __future__ import annotations

from certscan.cards.household_values import person_name
from certscan.cards.places import place_names
from certscan.cards.text import hamming
from certscan.ocr.types import Line

# how a company's name ends (组织形式 and the like): a person's name never does
COMPANY_ENDS = ("公司", "厂", "中心", "合作社", "经营部", "门市部", "商行", "店", "站", "队", "局", "院",
                "所")
# level characters a company drops after the place's name (厦门市 -> 厦门); 省 and 区 kept with 自治区
_LEVEL_SUFFIXES = ("市", "省", "县", "区", "地区", "盟")
# a place name this long read with slips is told by its length alone (no trade name is that near it)
_LONG = 6
_TOP = 3  # the recogniser's candidates looked at per character


def owner_value(owner: str, address: str, line: Line | None = None) -> str:
    """The owner as read, a person's name without specks and name slips, a company's place from the
    address (``line``: the box the owner was read from, for the recogniser's other candidates)."""
    if 2 <= len(owner) <= 4:  # a person, not a company: the recogniser's name slips (酒 for 涵)
        return person_name(owner) or owner
    return company_place(owner, address, line)


def address_places(address: str) -> list[str]:
    """The divisions the address starts with (province, city, county, as listed), and each without its
    level character (厦门 of 厦门市), longest first."""
    names, rest = [], address
    listed = place_names()
    for _ in range(3):
        found = max((n for n in (rest[:k] for k in range(2, min(len(rest), 12) + 1)) if n in listed),
                    key=len, default="")
        if not found:
            break
        names.append(found)
        rest = rest[len(found) :]
    forms = set(names)
    for name in names:
        suffix = next((s for s in _LEVEL_SUFFIXES if name.endswith(s) and len(name) - len(s) >= 2), "")
        if suffix and not name.endswith("自治区"):
            forms.add(name[: -len(suffix)])
    return sorted(forms, key=len, reverse=True)


def company_place(owner: str, address: str, line: Line | None = None) -> str:
    """``owner`` with its leading place name as the address spells it: one character misread, that
    character among the recogniser's candidates for it (``line``; a long name's slips need none), or
    the first character of a name of three or more lost. Only a company's, only when a single one of
    the address's places fits, and never when the owner already starts with one of them: a trade name
    may begin one character off its place (北汽福田 in 北京, 上汽大众 in 上海)."""
    if len(owner) < 6 or not owner.endswith(COMPANY_ENDS):
        return owner
    places = address_places(address)
    if any(owner.startswith(place) for place in places):
        return owner
    offered = _offered(owner, line)
    fits = {(place, len(place)) for place in places
            if 0 < hamming(owner[: len(place)], place) <= _slips_allowed(place)
            and (len(place) >= _LONG or all(a == b or a in offered[k] for k, (a, b)
                                            in enumerate(zip(place, owner, strict=False))))}
    fits |= {(place, len(place) - 1) for place in places if len(place) >= 3 and owner.startswith(place[1:])}
    if len({place for place, _ in fits}) != 1:
        return owner
    place, used = fits.pop()
    return place + owner[used:]


def _offered(owner: str, line: Line | None) -> list[set[str]]:
    """The recogniser's candidates for each character of ``owner`` (none known: only the read one)."""
    at = line.text.find(owner) if line is not None and len(line.chars) == len(line.text) else -1
    if line is None or at < 0:
        return [{c} for c in owner]
    return [set(c.chars[:_TOP]) for c in line.chars[at : at + len(owner)]]


def _slips_allowed(place: str) -> int:
    """One misread character in a place's name; one in three in a long one (an autonomous prefecture's
    ethnic names, small print: 黔南布依康范旅自治州 for 黔南布依族苗族自治州)."""
    return 1 if len(place) < _LONG else len(place) // 3
