"""Vehicle identification numbers as they are photographed: the riveted metal nameplate (铭牌), the strip
seen through the windscreen, and the VIN stamped into the frame (engraved, often between ``*`` marks).

Every VIN carries a valid ISO 3779 check digit (``bench.synth.values.vin_code``).
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from bench.synth import values
from bench.synth.base import RenderedCard, font
from certscan.constants import empty_fields

MAKERS = [
    "上汽大众汽车有限公司",
    "一汽-大众汽车有限公司",
    "上汽通用汽车有限公司",
    "广汽本田汽车有限公司",
    "比亚迪汽车工业有限公司",
    "浙江吉利汽车有限公司",
    "长城汽车股份有限公司",
    "东风汽车有限公司",
]


def _metal(rng: random.Random, w: int, h: int, base: int) -> Image.Image:
    """Brushed or sand-blasted metal: a grey level with horizontal streaks and grain."""
    nprng = np.random.default_rng(rng.getrandbits(32))  # seeded from rng: the corpus stays deterministic
    streaks = nprng.normal(0, 10, (h, 1)) + nprng.normal(0, 14, (h, w))
    light = np.linspace(rng.uniform(-30, 10), rng.uniform(-10, 30), w)[None, :]
    arr = np.clip(base + streaks + light, 0, 255).astype(np.uint8)
    return Image.fromarray(np.stack([arr] * 3, axis=-1), "RGB")


def _nameplate(rng: random.Random, vin: str) -> tuple[Image.Image, tuple[float, float, float, float]]:
    w, h = 900, 520
    plate = _metal(rng, w, h, rng.randint(170, 215))
    d = ImageDraw.Draw(plate)
    ink = (25, 25, 30)
    for x, y in ((24, 24), (w - 40, 24), (24, h - 40), (w - 40, h - 40)):  # rivets
        d.ellipse((x, y, x + 16, y + 16), fill=(120, 120, 125), outline=(60, 60, 60))
    d.text((w / 2, 55), rng.choice(MAKERS), font=font("sans-bold", 34), fill=ink, anchor="mm")
    made = values.random_date(rng, dt.date(2008, 1, 1), dt.date(2026, 4, 1))
    rows = [
        ("品牌", rng.choice(["大众", "别克", "本田", "比亚迪", "吉利", "哈弗"])),
        ("整车型号", f"{rng.choice(['SVW', 'SGM', 'HG', 'BYD', 'MR'])}{rng.randint(7100, 7299)}"),
        ("车辆识别代号", ""),
        ("发动机型号", f"{rng.choice(['EA', 'LFV', 'BYD', 'JLH'])}{rng.randint(100, 999)}"),
        ("最大允许总质量", f"{rng.randint(1500, 2600)}kg"),
        ("制造年月", f"{made.year}年{made.month:02d}月"),
    ]
    box: tuple[float, float, float, float] = (0, 0, 0, 0)
    for i, (k, v) in enumerate(rows):
        y = 110 + i * 62
        d.text((50, y), k, font=font("sans", 28), fill=ink)
        if k == "车辆识别代号":
            b = d.textbbox((290, y - 4), vin, font=font("ocrb", 38))
            d.text((290, y - 4), vin, font=font("ocrb", 38), fill=ink)
            box = tuple(float(c) for c in b)  # type: ignore[assignment]
        else:
            d.text((290, y), v, font=font("sans", 28), fill=ink)
    return plate, box


def _stamped(rng: random.Random, vin: str) -> tuple[Image.Image, tuple[float, float, float, float]]:
    """Characters engraved in painted or bare metal: a dark groove with a bright lower-right edge."""
    w, h = 1400, 600
    scene = _metal(rng, w, h, rng.randint(60, 150))
    size = rng.randint(60, 80)
    text = f"*{vin}*" if rng.random() < 0.5 else vin
    f = font(rng.choice(("sans", "hei", "ocrb")), size)
    tw = f.getlength(text)
    x, y = (w - tw) / 2 + rng.uniform(-60, 60), h / 2 - size / 2 + rng.uniform(-80, 80)
    d = ImageDraw.Draw(scene)
    light, dark = rng.choice([((235, 235, 235), (30, 30, 30)), ((30, 30, 30), (220, 220, 220))])
    d.text((x + 3, y + 3), text, font=f, fill=dark)
    d.text((x, y), text, font=f, fill=light)
    for _ in range(rng.randint(3, 12)):  # scratches
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        d.line(
            (x0, y0, x0 + rng.uniform(-200, 200), y0 + rng.uniform(-150, 150)),
            fill=tuple([rng.randint(40, 200)] * 3),
            width=rng.randint(1, 3),
        )
    return scene.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2))), tuple(  # type: ignore[return-value]
        float(c) for c in d.textbbox((x, y), text, font=f)
    )


def _windscreen(rng: random.Random, vin: str) -> tuple[Image.Image, tuple[float, float, float, float]]:
    """The dashboard VIN strip seen through tinted glass, with a reflection across it."""
    w, h = 1200, 700
    scene = Image.new("RGB", (w, h), (30, 32, 36))
    d = ImageDraw.Draw(scene)
    for y in range(h):
        g = int(25 + 30 * y / h)
        d.line((0, y, w, y), fill=(g, g + 2, g + 6))
    size = rng.randint(46, 64)
    f = font(rng.choice(("ocrb", "sans")), size)
    tw = f.getlength(vin)
    x, top = (w - tw) / 2, h * rng.uniform(0.35, 0.6)
    strip = (x - 30, top - 20, x + tw + 30, top + size + 25)
    paper = rng.choice([(225, 225, 220), (200, 205, 210), (20, 20, 20)])
    d.rectangle(strip, fill=paper)
    ink = (240, 240, 240) if paper == (20, 20, 20) else (20, 20, 25)
    d.text((x, top), vin, font=f, fill=ink)
    box = d.textbbox((x, top), vin, font=f)
    glare = Image.new("L", (w, h), 0)
    ImageDraw.Draw(glare).polygon(
        [(rng.uniform(0, w), 0), (rng.uniform(0, w), 0), (rng.uniform(0, w), h)], fill=rng.randint(30, 90)
    )
    scene = Image.composite(
        Image.new("RGB", (w, h), (255, 255, 255)), scene, glare.filter(ImageFilter.GaussianBlur(30))
    )
    return scene, tuple(float(c) for c in box)  # type: ignore[return-value]


def render(rng: random.Random) -> RenderedCard:
    vin = values.vin_code(rng)
    style = rng.choices(("nameplate", "stamped", "windscreen"), weights=(4, 4, 2), k=1)[0]
    image, box = {"nameplate": _nameplate, "stamped": _stamped, "windscreen": _windscreen}[style](rng, vin)
    label = empty_fields("vehicle-vin")
    label["vin"] = vin
    return RenderedCard(
        image, label, {"vin": [box]}, kind="card" if style == "nameplate" else "scene", extra={"style": style}
    )
