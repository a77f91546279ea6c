"""The interface between the corpus framework and the per-card renderers.

A renderer draws one flat, upright document (or, for plates and VINs, a whole scene) with values drawn
from ``rng`` and returns the image, its label (exactly the contract's object for the card: every key of
``certscan.constants.empty_fields(card)``, "" where the card does not show a field) and the boxes of
the fields it drew. The framework then augments (rotation, perspective, background, blur, JPEG, ...)
and records what it did in the label file.

Renderers are registered in ``RENDERERS`` (card type → ``"module:function"``); each function has the
signature ``render(rng: random.Random) -> RenderedCard``.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from PIL import Image, ImageFont

# Debian packages fonts-wqy-zenhei, fonts-noto-cjk, fonts-ocr-b (installed by scripts/setup-dev.sh).
FONT_FILES: dict[str, tuple[str, int]] = {
    "hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "sans": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # index 2 = SC
    "sans-bold": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    "serif": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 0),  # index 0 = SC
    "serif-bold": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 0),
    "ocrb": ("/usr/share/fonts/opentype/ocr-b/OCRB.otf", 0),
}

ID1_WIDTH_MM = 85.6  # ISO/IEC 7810 ID-1: ID cards, bank cards

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the rendered image's pixels


@cache
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = FONT_FILES[name]
    return ImageFont.truetype(path, size=size, index=index)


@dataclass
class RenderedCard:
    image: Image.Image  # RGB
    label: dict[str, Any]  # the contract object for the card (what a results poll carries under resultKey)
    boxes: dict[str, list[Box]] = field(default_factory=dict)
    # "card": a document the framework may place on a background and warp;
    # "scene": already a photo-like scene (a car with its plate); the framework only applies photometric
    # and mild geometric changes.
    kind: str = "card"
    extra: dict[str, Any] = field(default_factory=dict)  # non-contract truth (sex, bank name, style, ...)
    # Physical width of the document in mm (ID-1 card = 85.6). Resolution-dependent augmentations (low
    # resolution, the canvas cap) keep the pixel density per mm a real photo of this document would have,
    # so an A4 license is never squeezed to an ID card's 350 px.
    width_mm: float = ID1_WIDTH_MM


Renderer = Callable[[random.Random], RenderedCard]

RENDERERS: dict[str, str] = {
    "id-card-front": "bench.synth.cards.idcard:render_front",
    "id-card-back": "bench.synth.cards.idcard:render_back",
    "bank-card": "bench.synth.cards.bankcard:render",
    "passport": "bench.synth.cards.passport:render",
    "driver-license-front": "bench.synth.cards.driver:render_front",
    "driver-license-back": "bench.synth.cards.driver:render_back",
    "vehicle-license-front": "bench.synth.cards.vehicle_license:render_front",
    "vehicle-license-back": "bench.synth.cards.vehicle_license:render_back",
    "vehicle-num": "bench.synth.cards.plate:render",
    "vehicle-vin": "bench.synth.cards.vin:render",
    "business-license": "bench.synth.cards.business:render",
    "household-head": "bench.synth.cards.household:render_head",
    "household-resident": "bench.synth.cards.household:render_resident",
}


def get_renderer(card: str) -> Renderer:
    module_name, _, func_name = RENDERERS[card].partition(":")
    renderer: Renderer = getattr(importlib.import_module(module_name), func_name)
    return renderer
