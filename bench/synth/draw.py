"""Drawing helpers every card renderer shares.

Text helpers return the box of what they drew (x0, y0, x1, y1 in image pixels) so renderers can record
field boxes. Pattern helpers return RGBA layers to ``alpha_composite`` over the card; seals are
composited with a multiply blend so the text under them stays visible, as ink over print does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from bench.synth.base import Box, font

Color = tuple[int, int, int]
BLACK: Color = (20, 20, 20)
LABEL_BLUE: Color = (38, 110, 170)
SEAL_RED: Color = (215, 40, 40)


def text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], value: str, fnt: ImageFont.FreeTypeFont,
         fill: Color | tuple[int, int, int, int] = BLACK, spacing: float = 0.0, anchor: str = "la") -> Box:
    """Draw ``value`` at ``xy`` (extra ``spacing`` px between characters) and return its box."""
    if not value:
        return (xy[0], xy[1], xy[0], xy[1])
    if spacing == 0:
        draw.text(xy, value, font=fnt, fill=fill, anchor=anchor)
        return _box(draw.textbbox(xy, value, font=fnt, anchor=anchor))
    x, y = xy
    boxes = []
    for ch in value:
        draw.text((x, y), ch, font=fnt, fill=fill, anchor=anchor)
        boxes.append(draw.textbbox((x, y), ch, font=fnt, anchor=anchor))
        x += draw.textlength(ch, font=fnt) + spacing
    return union(*(_box(b) for b in boxes))


def text_width(value: str, fnt: ImageFont.FreeTypeFont, spacing: float = 0.0) -> float:
    return float(fnt.getlength(value)) + spacing * max(0, len(value) - 1)


def fit_font(name: str, value: str, max_width: float, size: int, min_size: int = 8) -> ImageFont.FreeTypeFont:
    """The largest font of ``name`` up to ``size`` in which ``value`` fits ``max_width``."""
    while size > min_size and font(name, size).getlength(value) > max_width:
        size -= 1
    return font(name, size)


def wrap(value: str, fnt: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Break ``value`` into lines no wider than ``max_width`` (character-wise, as CJK text wraps)."""
    lines, current = [], ""
    for ch in value:
        if current and fnt.getlength(current + ch) > max_width:
            lines.append(current)
            current = ch
        else:
            current += ch
    return [*lines, current] if current else lines


def text_lines(draw: ImageDraw.ImageDraw, xy: tuple[float, float], lines: Sequence[str],
               fnt: ImageFont.FreeTypeFont, line_height: float, fill: Color = BLACK) -> list[Box]:
    return [text(draw, (xy[0], xy[1] + i * line_height), line, fnt, fill) for i, line in enumerate(lines)]


def union(*boxes: Box) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _box(b: tuple[float, float, float, float]) -> Box:
    return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))


def smooth_noise(size: tuple[int, int], rng: random.Random, scale: int = 32, octaves: int = 3) -> np.ndarray:
    """Fractal value noise in [0, 1], shape (h, w): cheap upscaled random grids, summed over octaves."""
    w, h = size
    nprng = np.random.default_rng(rng.randrange(2**32))
    total = np.zeros((h, w), np.float32)
    amplitude, weight = 1.0, 0.0
    for octave in range(octaves):
        cell = max(2, scale >> octave)
        grid = nprng.random((h // cell + 2, w // cell + 2)).astype(np.float32)
        layer = Image.fromarray((grid * 255).astype(np.uint8)).resize(
            ((w // cell + 2) * cell, (h // cell + 2) * cell), Image.Resampling.BICUBIC)
        total += amplitude * (np.asarray(layer, np.float32)[:h, :w] / 255.0)
        weight += amplitude
        amplitude *= 0.5
    return total / weight


def paper(size: tuple[int, int], rng: random.Random, color: Color, grain: float = 10.0) -> Image.Image:
    """A flat colour with soft mottling and fine grain, like printed card stock."""
    mottle = smooth_noise(size, rng, scale=64) - 0.5
    nprng = np.random.default_rng(rng.randrange(2**32))
    fine = nprng.normal(0, grain * 0.25, (size[1], size[0])).astype(np.float32)
    arr = np.asarray(color, np.float32)[None, None, :] + (mottle * grain + fine)[..., None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def gradient(size: tuple[int, int], start: Color, end: Color, angle_deg: float = 0.0) -> Image.Image:
    """A linear colour ramp; computed at a quarter of the size and upscaled (a ramp survives that)."""
    w, h = size
    sw, sh = max(2, w // 4), max(2, h // 4)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    a = math.radians(angle_deg)
    t = xx * math.cos(a) + yy * math.sin(a)
    t = (t - t.min()) / max(1e-6, float(t.max() - t.min()))
    arr = np.asarray(start, np.float32) * (1 - t[..., None]) + np.asarray(end, np.float32) * t[..., None]
    return Image.fromarray(arr.astype(np.uint8), "RGB").resize(size, Image.Resampling.BILINEAR)


def guilloche(size: tuple[int, int], rng: random.Random, color: Color, alpha: int = 60,
              curves: int = 28, width: int = 1) -> Image.Image:
    """An RGBA layer of interleaved sine/rosette curves, the security pattern printed under card text."""
    w, h = size
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    freq = rng.uniform(1.5, 4.0)
    amp = h * rng.uniform(0.04, 0.1)
    xs = np.linspace(0, w, max(64, w // 3))
    for i in range(curves):
        phase = i * math.pi / curves * rng.uniform(1.5, 2.5)
        base = h * (i + 0.5) / curves
        ys = base + amp * np.sin(xs / w * 2 * math.pi * freq + phase) * np.cos(xs / w * math.pi * 1.3 + i)
        draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=(*color, alpha), width=width)
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.3, 0.7) * h
    r0 = min(w, h) * rng.uniform(0.25, 0.4)
    petals = rng.randint(9, 17)
    for k in range(10):
        pts = []
        for t in np.linspace(0, 2 * math.pi, 360):
            r = r0 * (0.55 + 0.08 * k / 10 + 0.25 * math.sin(petals * t + k * 0.3))
            pts.append((cx + r * math.cos(t), cy + r * math.sin(t)))
        draw.line(pts, fill=(*color, alpha), width=width)
    return layer


def multiply(base: Image.Image, layer: Image.Image) -> Image.Image:
    """Multiply-blend an RGBA ``layer`` (ink) over an RGB ``base``: text underneath stays readable."""
    rgb = layer.convert("RGB")
    alpha = layer.getchannel("A")
    white = Image.new("RGB", base.size, (255, 255, 255))
    ink = Image.composite(rgb, white, alpha)
    return ImageChops.multiply(base.convert("RGB"), ink)


def seal(diameter: int, rng: random.Random, arc_text: str, bottom_text: str = "",
         color: Color = SEAL_RED) -> Image.Image:
    """An RGBA round official seal: double ring, five-pointed star, text along the upper arc."""
    size = diameter + 8
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    c, r = size / 2, diameter / 2
    ink = (*color, rng.randint(170, 230))
    ring = max(2, diameter // 32)
    draw.ellipse((c - r, c - r, c + r, c + r), outline=ink, width=ring)
    star(draw, (c, c), r * 0.28, ink)
    glyph = max(10, int(r * 0.26))
    fnt = font("sans-bold", glyph)
    n = len(arc_text)
    span = min(250.0, 24.0 * n)  # degrees of arc the text takes
    for i, ch in enumerate(arc_text):
        theta = math.radians(-90 - span / 2 + span * (i + 0.5) / n)
        tile = Image.new("RGBA", (glyph * 2, glyph * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((glyph, glyph), ch, font=fnt, fill=ink, anchor="mm")
        tile = tile.rotate(-math.degrees(theta) - 90, resample=Image.Resampling.BICUBIC)
        rr = r - ring - glyph * 0.7
        px, py = c + rr * math.cos(theta), c + rr * math.sin(theta)
        layer.alpha_composite(tile, (int(px - glyph), int(py - glyph)))
    if bottom_text:
        draw.text((c, c + r * 0.55), bottom_text, font=font("sans", max(8, glyph * 2 // 3)), fill=ink,
                  anchor="mm")
    return worn(layer, rng)


def star(draw: ImageDraw.ImageDraw, center: tuple[float, float], radius: float,
         fill: Color | tuple[int, int, int, int]) -> None:
    cx, cy = center
    pts = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.382
        a = math.radians(-90 + 36 * k)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    draw.polygon(pts, fill=fill)


def worn(layer: Image.Image, rng: random.Random, strength: float = 0.35) -> Image.Image:
    """Uneven ink: knock random soft holes into an RGBA layer's alpha."""
    noise = smooth_noise(layer.size, rng, scale=max(4, layer.size[0] // 12))
    keep = np.clip((noise - strength * 0.6) / 0.5, 0.25, 1.0)
    alpha = np.asarray(layer.getchannel("A"), np.float32) * keep
    layer = layer.copy()
    layer.putalpha(Image.fromarray(alpha.astype(np.uint8)))
    return layer


def portrait(size: tuple[int, int], rng: random.Random, male: bool = True,
             background: Color = (235, 238, 242)) -> Image.Image:
    """A neutral head-and-shoulders silhouette standing in for the holder's photo."""
    w, h = size
    img = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(img)
    skin = rng.choice([(222, 190, 160), (205, 170, 140), (235, 205, 180), (190, 150, 120)])
    cloth = rng.choice([(40, 45, 60), (70, 70, 75), (30, 30, 35), (90, 60, 50), (240, 240, 240)])
    draw.ellipse((w * 0.08, h * 0.72, w * 0.92, h * 1.25), fill=cloth)  # shoulders
    draw.rectangle((w * 0.42, h * 0.55, w * 0.58, h * 0.78), fill=skin)  # neck
    draw.ellipse((w * 0.27, h * 0.18, w * 0.73, h * 0.68), fill=skin)  # face
    hair = (25, 22, 20)
    if male:
        draw.chord((w * 0.25, h * 0.12, w * 0.75, h * 0.5), 180, 360, fill=hair)
    else:
        draw.chord((w * 0.2, h * 0.1, w * 0.8, h * 0.6), 180, 360, fill=hair)
        draw.rectangle((w * 0.2, h * 0.35, w * 0.3, h * 0.75), fill=hair)
        draw.rectangle((w * 0.7, h * 0.35, w * 0.8, h * 0.75), fill=hair)
    for ex in (0.4, 0.6):
        draw.ellipse((w * ex - w * 0.03, h * 0.4, w * ex + w * 0.03, h * 0.43), fill=(40, 30, 30))
    draw.arc((w * 0.43, h * 0.5, w * 0.57, h * 0.58), 20, 160, fill=(150, 80, 80), width=max(1, w // 80))
    return img.filter(ImageFilter.GaussianBlur(0.8))


def emblem(diameter: int, rng: random.Random) -> Image.Image:
    """An RGBA stand-in for a national emblem: red disc, gold ring, five stars over a gate outline."""
    layer = Image.new("RGBA", (diameter, diameter), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    d = diameter
    gold = (235, 185, 40, 255)
    red = (205, 35, 35, 255)
    draw.ellipse((0, 0, d - 1, d - 1), fill=gold)
    draw.ellipse((d * 0.08, d * 0.08, d * 0.92, d * 0.92), fill=red)
    star(draw, (d * 0.5, d * 0.3), d * 0.12, gold)
    for sx, sy in [(0.3, 0.2), (0.38, 0.12), (0.62, 0.12), (0.7, 0.2)]:
        star(draw, (d * sx, d * sy + d * 0.05), d * 0.04, gold)
    # Gate: roof, body and five openings.
    roof = [(d * 0.22, d * 0.58), (d * 0.78, d * 0.58), (d * 0.7, d * 0.5), (d * 0.3, d * 0.5)]
    draw.polygon(roof, fill=gold)
    draw.rectangle((d * 0.27, d * 0.58, d * 0.73, d * 0.72), fill=gold)
    for k in range(5):
        x = d * (0.31 + 0.085 * k)
        draw.rectangle((x, d * 0.63, x + d * 0.04, d * 0.72), fill=red)
    draw.rectangle((d * 0.2, d * 0.74, d * 0.8, d * 0.78), fill=gold)
    return layer


def grid(draw: ImageDraw.ImageDraw, x0: float, y0: float, col_widths: Sequence[float],
         row_heights: Sequence[float], color: Color = BLACK, width: int = 2) -> list[list[Box]]:
    """Draw a table and return its cell boxes, ``cells[row][col]``."""
    xs = [x0]
    for cw in col_widths:
        xs.append(xs[-1] + cw)
    ys = [y0]
    for rh in row_heights:
        ys.append(ys[-1] + rh)
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=color, width=width)
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=color, width=width)
    cols, rows = range(len(col_widths)), range(len(row_heights))
    return [[(xs[c], ys[r], xs[c + 1], ys[r + 1]) for c in cols] for r in rows]


def embossed(img: Image.Image, xy: tuple[float, float], value: str, fnt: ImageFont.FreeTypeFont,
             face: Color = (235, 225, 200), spacing: float = 0.0) -> Box:
    """Raised card digits: a dark shadow below-right, a light rim above-left, then the (often gilt) face."""
    draw = ImageDraw.Draw(img)
    x, y = xy
    off = max(1, fnt.size // 18)
    text(draw, (x + off, y + off), value, fnt, (30, 30, 30), spacing)
    text(draw, (x - off, y - off), value, fnt, (250, 250, 250), spacing)
    return text(draw, (x, y), value, fnt, face, spacing)


def rounded_mask(size: tuple[int, int], radius: int) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=radius, fill=255)
    return mask


def grain(img: Image.Image, sigma: float, rng: random.Random) -> Image.Image:
    """Add monochrome Gaussian grain: one random tile repeated over the image (fast on large images)."""
    tile_size = 256
    nprng = np.random.default_rng(rng.randrange(2**32))
    tile = np.clip(nprng.normal(128, sigma, (tile_size, tile_size)), 0, 255).astype(np.uint8)
    reps = (img.size[1] // tile_size + 1, img.size[0] // tile_size + 1)
    noise = np.tile(tile, reps)[: img.size[1], : img.size[0]]
    rgb = Image.fromarray(noise, "L").convert("RGB")
    return ImageChops.add(img, rgb, scale=1.0, offset=-128)


def texture(size: tuple[int, int], rng: random.Random, kind: str | None = None) -> tuple[Image.Image, str]:
    """A photographed-looking surface to lay a card on: wood, desk, fabric, paper or a gradient.

    Surfaces are smooth at the scale of a card, so they are computed at a fraction of the size and
    upscaled; grain is added at full size.
    """
    kind = kind or rng.choice(["wood", "desk", "fabric", "paper", "gradient"])
    factor = 2 if kind == "fabric" else 3
    w, h = max(8, size[0] // factor), max(8, size[1] // factor)
    small = (w, h)
    if kind == "wood":
        base = np.asarray(rng.choice([(150, 105, 65), (120, 80, 50), (185, 145, 100)]), np.float32)
        yy = np.mgrid[0:h, 0:w][0].astype(np.float32)
        warp = smooth_noise(small, rng, scale=48) * 14
        rings = np.sin((yy + warp) / rng.uniform(2, 4)) * 0.5 + 0.5
        streak = smooth_noise(small, rng, scale=8, octaves=2)
        shade = 0.75 + 0.2 * rings + 0.15 * (streak - 0.5)
        arr = base[None, None, :] * shade[..., None]
    elif kind == "fabric":
        base = np.asarray(rng.choice([(60, 70, 110), (110, 40, 40), (90, 90, 90), (50, 90, 70)]), np.float32)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        weave = (np.sin(xx * 2.6) * np.sin(yy * 2.6)) * 0.08
        arr = base[None, None, :] * (0.9 + weave + 0.2 * (smooth_noise(small, rng, 24) - 0.5))[..., None]
    elif kind == "gradient":
        a = (rng.randint(40, 230), rng.randint(40, 230), rng.randint(40, 230))
        b = (rng.randint(40, 230), rng.randint(40, 230), rng.randint(40, 230))
        arr = np.asarray(gradient(small, a, b, rng.uniform(0, 360)), np.float32)
    else:  # desk (plain laminate) or paper (white sheet)
        base = np.asarray((225, 222, 215) if kind == "paper" else rng.choice(
            [(200, 200, 195), (60, 60, 62), (230, 230, 228), (170, 160, 150)]), np.float32)
        arr = base[None, None, :] * (0.9 + 0.15 * (smooth_noise(small, rng, 32) - 0.5))[..., None]
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB").resize(size, Image.Resampling.BICUBIC)
    return grain(img, 3.0, rng), kind
