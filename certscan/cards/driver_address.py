"""Repairs of a driving licence's address from what an address must be and the recogniser's alternatives.

The address (住址) starts with listed place names (GB/T 2260: province, city, county), names its town or
village, and follows a number with 号 or a building unit. A character read wrongly where one of these
rules breaks is replaced by the recogniser's own second or third choice for it when that mends the rule
(no extra OCR); anything else stays as read.
"""

from __future__ import annotations

import re

from certscan.cards.places import fix_place_prefix, place_names
from certscan.ocr.types import Line


def listed_prefix(address: str) -> int:
    """How many leading characters of ``address`` are listed place names of three or more characters, one
    after the other (province, city, county: at most three; a two-character name, 城区 or 莒县, is too
    easily made by one substituted character: only a county's, after two names)."""
    names = place_names()
    at = 0
    for level in range(3):
        # a two-character county (蠡县) only after its province and city
        shortest = 2 if level == 2 and address[at + 1 : at + 2] in ("县", "旗") else 3
        found = [n for n in range(9, shortest - 1, -1) if address[at : at + n] in names]
        if not found:
            break
        at += found[0]
    return at


def place_by_alternatives(raw: str, lines: list[Line]) -> str:
    """``fix_place_prefix(raw)``, or, when one character in the place names was misread so that several
    listed names are as near (菜山区: 莱山区 and 福山区 of 烟台市), the read with one character replaced
    by a recogniser's alternative that makes more of the address listed names (莱 offered for 菜), when
    exactly one such replacement does."""
    address = fix_place_prefix(raw)
    covered = listed_prefix(address)
    better: set[str] = set()
    for ln in lines:
        if len(ln.chars) != len(ln.text):
            continue
        for j, cand in enumerate(ln.chars):
            window = ln.text[max(0, j - 2) : j + 3]
            if not re.fullmatch(r"[\u4e00-\u9fff]", ln.text[j]) or raw.count(window) != 1:
                continue
            at = raw.index(window) + j - max(0, j - 2)
            if at > covered + 4:  # only in the first name not read as listed
                continue
            for alt, prob in zip(cand.chars[1:3], cand.probs[1:3], strict=False):
                if prob < _MIN_ALTERNATIVE or not re.fullmatch(r"[\u4e00-\u9fff]", alt):
                    continue
                fixed = fix_place_prefix(raw[:at] + alt + raw[at + 1 :])
                if listed_prefix(fixed) > covered:
                    better.add(fixed)
    return better.pop() if len(better) == 1 else address


# a recogniser's alternative this likely is a real rival of its first choice, not noise
_MIN_ALTERNATIVE = 0.05


def repeated_name_repair(address: str, lines: list[Line]) -> str:
    """An address names its town or village twice (廿家庄乡廿家庄村): a character read wrongly in
    one occurrence is replaced by the recogniser's alternative that makes it the other occurrence
    (three Chinese characters must then agree, and the read trigram must occur only once)."""
    cjk = re.compile(r"[\u4e00-\u9fff]{3}")
    for ln in lines:
        if len(ln.chars) != len(ln.text):
            continue
        for j, cand in enumerate(ln.chars):
            read = ln.text[j : j + 3]
            if not cjk.fullmatch(read) or address.count(read) != 1:
                continue
            for alt in cand.chars[1:3]:
                other = alt + read[1:]
                if cjk.fullmatch(other) and other in address:
                    address = address.replace(read, other, 1)
                    break
    return address
