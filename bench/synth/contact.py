"""Contact sheet: one clean and one real-profile sample of every available card type, labelled."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from bench.synth.base import font
from bench.synth.corpus import available_types, make_sample

THUMB = (230, 170)
COLUMNS = 7


def contact_sheet(seed: int, types: list[str] | None = None, samples: int = 1) -> Image.Image:
    """Columns of card types; for each block of types a row of clean samples over rows of real ones."""
    cards = available_types(types)
    pad, caption = 8, 20
    cell_w, cell_h = THUMB[0] + pad, THUMB[1] + caption + pad
    rows_per_block = 1 + samples
    blocks = (len(cards) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGB", (COLUMNS * cell_w + pad, max(1, blocks * rows_per_block) * cell_h + pad),
                      (250, 250, 250))
    draw = ImageDraw.Draw(sheet)
    for i, card in enumerate(cards):
        block, col = divmod(i, COLUMNS)
        profiles = ["clean"] + ["real"] * samples
        for r, profile in enumerate(profiles):
            sample = make_sample(card, r, seed, profile)
            thumb = sample.augmented.image.copy()
            thumb.thumbnail(THUMB, Image.Resampling.LANCZOS)
            x = pad + col * cell_w
            y = pad + (block * rows_per_block + r) * cell_h
            offset = ((THUMB[0] - thumb.width) // 2, caption + (THUMB[1] - thumb.height) // 2)
            sheet.paste(thumb, (x + offset[0], y + offset[1]))
            draw.text((x, y + 2), f"{card} · {profile}", font=font("sans", 13), fill=(40, 40, 40))
    return sheet


def write_contact_sheet(path: Path, seed: int, types: list[str] | None = None) -> Path:
    sheet = contact_sheet(seed, types)
    # An adaptive palette keeps the committed PNG well under 1 MB and still shows the cards faithfully.
    sheet.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.FLOYDSTEINBERG).save(
        path, optimize=True)
    return path
