"""The address on the ID card's portrait side: its leading division names (province, city, county) as
the holder's number names them in the division table (GB/T 2260), when the read is a slip or two away
from them; the recogniser's alternatives count as evidence.
"""

from __future__ import annotations

from collections.abc import Sequence

from certscan.cards.authority import edit_cost
from certscan.cards.places import PLACEHOLDERS
from certscan.ocr.types import CharCandidates

_DIVISION_SUFFIXES = set("省市县区州旗盟")


def _edits(a: str, b: str) -> list[tuple[int, str, str]]:
    """The edit script between ``a`` and ``b``: (position in ``a``, its char or "" for one missing there,
    ``b``'s char or "" for one ``a`` has extra)."""
    n, m = len(a), len(b)
    d = [[i + j if i * j == 0 else 0 for j in range(m + 1)] for i in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    out, i, j = [], n, m
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            if a[i - 1] != b[j - 1]:
                out.append((i - 1, a[i - 1], b[j - 1]))
            i, j = i - 1, j - 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            out.append((i - 1, a[i - 1], ""))
            i -= 1
        else:
            out.append((i, "", b[j - 1]))
            j -= 1
    return out


def _offered(chars: Sequence[CharCandidates] | None, at: int, char: str) -> bool:
    """The recogniser scored ``char`` as an alternative for the character at ``at``."""
    return chars is not None and at < len(chars) and char in chars[at].chars[1:]


def _changes_a_suffix(edits: list[tuple[int, str, str]], chars: Sequence[CharCandidates] | None) -> bool:
    """An edit putting in, taking out or swapping a division suffix; a character read for a suffix
    (星 for 县) may be replaced by it only when the recogniser offered the suffix there."""
    for at, x, y in edits:
        if y in _DIVISION_SUFFIXES and not (x and x not in _DIVISION_SUFFIXES and _offered(chars, at, y)):
            return True
        if x in _DIVISION_SUFFIXES and not y:
            return True
    return False


def address_with_region_names(address: str, code: str, chars: Sequence[CharCandidates] | None = None) -> str:
    """The address's leading province / city / county as the holder's number names them (GB/T 2260), when
    the read differs from those names by one or two misread or lost characters (``无铜市`` → 无锡市). With
    the recogniser's candidates for the address's characters (``chars``), a character replaced by one it
    offered counts half (``地台市通菜市``, 蓬 and 莱 offered: 烟台市蓬莱市).

    A division suffix (省市县区州旗盟) is never put in, taken out or swapped for another: an address
    printed after a county became a district keeps what it says. A suffix read for another character
    (保山市县宁县 for 保山市昌宁县) is replaced like any other, and another character read for a suffix
    (速昌星 for 遂昌县) when the recogniser offered the suffix there."""
    from certscan.checks.regions import region_name

    names = [region_name(code[:2] + "0000"), region_name(code[:4] + "00"), region_name(code)]
    expected = "".join(n for n in names if n not in PLACEHOLDERS)
    if len(expected) < 4 or address.startswith(expected):
        return address
    weighed = chars is not None and len(chars) == len(address)
    best: tuple[float, int] | None = None  # (edit cost, prefix length)
    for length in range(len(expected) - 2, len(expected) + 3):
        edits = _edits(address[:length], expected)
        if _changes_a_suffix(edits, chars if weighed else None):
            continue
        cost = float(len(edits))
        if weighed and chars is not None:
            cost = min(cost, edit_cost(address[:length], chars[:length], expected))
        if best is None or cost < best[0]:
            best = (cost, length)
    if best is None or best[0] > 2 or len(address) <= best[1]:
        return address
    return expected + address[best[1]:]
