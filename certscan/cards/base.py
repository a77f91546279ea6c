"""What every card parser takes and returns.

A card family module exposes ``parse(scan: ScanInput) -> CardResult`` per card type and its field table
(the contract's keys, from ``certscan.constants.empty_fields``). Parsers ask the engine only for what
their fields need (``scan.engine.detect`` / ``recognize`` / ``read``) and never invent a value: a field
the card does not show stays "".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from certscan.constants import empty_fields
from certscan.ocr.engine import OcrEngine, RegionReader
from certscan.ocr.types import Page


@dataclass
class ScanInput:
    card: str
    image: np.ndarray  # RGB uint8, EXIF-orientation applied, not yet rotated to upright
    engine: OcrEngine

    def region_reader(self, page: Page, image: np.ndarray | None = None) -> RegionReader | None:
        """Recognition of regions of ``page`` (its coordinates) cut from this input image (or from
        ``image``, the one ``page`` was read from: a colour transform of it, such as the red-free image),
        or None when the engine cannot read regions (a test double)."""
        regions = getattr(self.engine, "read_regions", None)
        if regions is None:
            return None
        source = self.image if image is None else image
        return lambda quads: regions(source, page, quads)


@dataclass
class CardResult:
    """A parser's answer: the contract fields (every key present) plus extra keys that cannot collide."""

    card: str
    fields: dict[str, Any]
    rate: float = 0.0  # overall confidence 0-100
    text_found: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def empty(cls, card: str) -> CardResult:
        return cls(card=card, fields=empty_fields(card), text_found=False)

    def info(self) -> dict[str, Any]:
        """The object under the card's resultKey: contract keys first, then the extras."""
        out = dict(self.fields)
        for key, value in self.extra.items():
            if key in out:  # never let an extra shadow a contract key
                raise ValueError(f"extra key {key!r} collides with a contract field")
            out[key] = value
        return out
