"""GB/T 2260 region codes: the first six digits of a resident identity number.

The table (``certscan/data/regions.tsv``, provenance in ``certscan/data/README.md``) includes abolished
codes, because an ID number keeps the code of the place and time it was issued.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def _table() -> dict[str, str]:
    text = resources.files("certscan.data").joinpath("regions.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        code, _, name = line.partition("\t")
        if code:
            table[code] = name
    return table


def is_known_region(code6: str) -> bool:
    """True when ``code6`` is a listed county-level (or higher) division code."""
    return code6 in _table()


def region_name(code6: str) -> str:
    """The division's own name (e.g. ``海淀区``), "" when unknown or listed without a name."""
    return _table().get(code6, "")


def all_codes() -> list[str]:
    return list(_table())
