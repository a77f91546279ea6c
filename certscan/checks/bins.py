"""Issuer identification numbers (BINs) of Chinese bank cards: which bank a card number belongs to.

The table (``certscan/data/bins.tsv``, provenance in ``certscan/data/README.md``) maps 6- to 8-digit
prefixes to the bank and card product; the longest matching prefix wins.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def _table() -> dict[str, tuple[str, str]]:
    text = resources.files("certscan.data").joinpath("bins.tsv").read_text(encoding="utf-8")
    table: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isdigit():
            table[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")
    return table


def issuer(number: str) -> tuple[str, str] | None:
    """(bank, product) for a card number (or its leading digits), None when no listed BIN matches."""
    for length in (8, 7, 6):
        hit = _table().get(number[:length]) if len(number) >= length else None
        if hit:
            return hit
    return None


def is_known_bin(number: str) -> bool:
    return issuer(number) is not None
