"""Licence plates (GA 36): plate numbers by the real format rules, plates drawn at their real proportions
and placed on the front or back of a car in a street-like scene (or as a tight plate crop).

Styles: blue (small car), yellow single and double row (large car), green new-energy (8 characters,
white-to-green gradient; the large-vehicle one yellow-green), white police (red 警), black embassy /
consulate / Hong Kong / Macao (使 领 港 澳), yellow 学 (coach) and 挂 (trailer), white military.

The label's ``rate`` and ``vehicleTypeRate`` are set to 100.0: they are confidences, not ground truth,
and the accuracy harness does not score them.
"""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from bench.synth import values
from bench.synth.base import RenderedCard, font
from certscan.constants import empty_fields

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # issuing-authority letters and serial letters: never I or O
SERIAL = LETTERS.replace("Q", "") + "0123456789"
DIGITS = "0123456789"
VEHICLE_TYPE = {
    "blue": "Small car",
    "yellow": "Large car",
    "yellow-double": "Large car",
    "green": "New energy vehicle",
    "green-large": "New energy vehicle",
    "police": "Police car",
    "coach": "Coach car",
    "trailer": "Trailer",
    "embassy": "Embassy or consulate vehicle",
    "consulate": "Embassy or consulate vehicle",
    "hongkong": "Hong Kong or Macao vehicle",
    "macao": "Hong Kong or Macao vehicle",
    "military": "Military vehicle",
}
STYLE_WEIGHTS = {
    "blue": 40,
    "yellow": 9,
    "yellow-double": 8,
    "green": 15,
    "green-large": 4,
    "police": 5,
    "coach": 4,
    "trailer": 4,
    "embassy": 2,
    "consulate": 2,
    "hongkong": 2,
    "macao": 1,
    "military": 3,
}
MILITARY_PREFIX = [
    "VA",
    "VB",
    "VC",
    "VD",
    "VE",
    "KA",
    "KB",
    "KC",
    "KD",
    "HA",
    "HB",
    "BA",
    "BB",
    "JA",
    "NA",
    "GA",
]


def _serial(rng: random.Random, n: int) -> str:
    """A serial of ``n`` characters with at most two letters, as issued in the 2007+ scheme."""
    chars = [rng.choice(DIGITS) for _ in range(n)]
    for pos in rng.sample(range(n), rng.choice((0, 0, 1, 1, 2))):
        chars[pos] = rng.choice(SERIAL[:23])
    return "".join(chars)


def plate_number(rng: random.Random, style: str, province: str | None = None) -> tuple[str, str]:
    """(plate number without separator, reference vehicle type) for a plate style."""
    prov = province or rng.choice(list(values.PLATE_PROVINCE.values()))
    letter = rng.choice(LETTERS)
    if style in ("blue", "yellow", "yellow-double"):
        num = prov + letter + _serial(rng, 5)
    elif style == "green":  # small new-energy: D (electric) / F (hybrid) first, then 5 (letter allowed 2nd)
        num = prov + letter + rng.choice("DF") + rng.choice(SERIAL[:23] + DIGITS * 3) + _digits(rng, 4)
    elif style == "green-large":
        num = prov + letter + _digits(rng, 5) + rng.choice("DF")
    elif style in ("police", "coach", "trailer", "consulate"):
        suffix = {"police": "警", "coach": "学", "trailer": "挂", "consulate": "领"}[style]
        body = _digits(rng, 4) if style in ("police", "consulate") else _serial(rng, 4)
        num = prov + letter + body + suffix
    elif style in ("hongkong", "macao"):
        num = "粤Z" + _serial(rng, 4) + ("港" if style == "hongkong" else "澳")
    elif style == "embassy":
        num = "使" + f"{rng.randint(101, 320):03d}" + _digits(rng, 3)
    elif style == "military":
        num = rng.choice(MILITARY_PREFIX) + _digits(rng, 5)
    else:
        raise ValueError(f"unknown plate style {style!r}")
    return num, VEHICLE_TYPE[style]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(DIGITS) for _ in range(n))


def _glyph(ch: str, w: int, h: int, colour: tuple[int, int, int], face: str) -> Image.Image:
    """A character squeezed into its plate cell (w×h), keeping narrow glyphs (1, J) narrow."""
    f = font(face, 160)
    probe = Image.new("L", (240, 240), 0)
    ImageDraw.Draw(probe).text((20, 0), ch, font=f, fill=255)
    bbox = probe.getbbox() or (0, 0, 1, 1)
    mask = probe.crop(bbox)
    natural = mask.width * h / max(1, mask.height)
    gw = int(min(w, max(natural * 1.05, w * 0.2)))
    mask = mask.resize((max(1, gw), h), Image.Resampling.LANCZOS)
    cell = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    solid = Image.new("RGBA", mask.size, (*colour, 255))
    cell.paste(solid, ((w - gw) // 2, 0), mask)
    return cell


def _background(style: str, w: int, h: int) -> Image.Image:
    if style == "blue":
        return Image.new("RGB", (w, h), (18, 62, 190))
    if style in ("yellow", "yellow-double", "coach", "trailer"):
        return Image.new("RGB", (w, h), (246, 190, 22))
    if style in ("embassy", "consulate", "hongkong", "macao"):
        return Image.new("RGB", (w, h), (12, 12, 14))
    if style in ("police", "military"):
        return Image.new("RGB", (w, h), (238, 240, 240))
    top, bottom = np.array([238, 246, 240]), np.array([70, 200, 110])  # new-energy gradient
    ramp = np.linspace(0, 1, h)[:, None, None]
    grad = (top * (1 - ramp) + bottom * ramp).repeat(w, axis=1).astype(np.uint8)
    image = Image.fromarray(grad, "RGB")
    if style == "green-large":  # yellow-green: the province block on yellow
        ImageDraw.Draw(image).rectangle((0, 0, int(w * 0.27), h), fill=(240, 200, 40))
    return image


def draw_plate(rng: random.Random, num: str, style: str) -> Image.Image:
    """The plate at 1 px/mm × ``scale`` with its border, dot separator and per-style colours."""
    ink = (250, 250, 250) if style in ("blue", "embassy", "consulate", "hongkong", "macao") else (15, 15, 15)
    red = (210, 25, 30)
    face = rng.choice(("hei", "sans-bold"))
    k = 2  # px per mm
    double = style in ("yellow-double",) or (style in ("trailer",) and rng.random() < 0.5)
    w, h = (480 if len(num) == 8 else 440) * k, (220 if double else 140) * k
    plate = _background(style, w, h).convert("RGBA")
    d = ImageDraw.Draw(plate)
    d.rounded_rectangle((6, 6, w - 7, h - 7), radius=14, outline=ink, width=4)
    colours = [ink] * len(num)
    if num[-1] in "警领" or num[0] == "使":
        colours[-1 if num[-1] in "警领" else 0] = red
    if style == "military":
        colours[0] = red
    if double:
        top, bottom = num[:2], num[2:]
        for i, ch in enumerate(top):
            plate.alpha_composite(_glyph(ch, 80 * k, 60 * k, colours[i], face), ((110 + i * 140) * k, 15 * k))
        step = (440 - 30) / len(bottom)
        for i, ch in enumerate(bottom):
            plate.alpha_composite(
                _glyph(ch, int((step - 10) * k), 110 * k, colours[2 + i], face),
                (int((15 + 5 + i * step) * k), 90 * k),
            )
        return plate.convert("RGB")
    cw, gap, dot_gap = (43, 9, 49) if len(num) == 8 else (45, 12, 34)
    x = (w / k - (len(num) * cw + (len(num) - 2) * gap + dot_gap)) / 2
    for i, ch in enumerate(num):
        plate.alpha_composite(_glyph(ch, cw * k, 90 * k, colours[i], face), (int(x * k), 25 * k))
        x += cw + (dot_gap if i == 1 else gap)
        if i == 1 and style != "embassy":
            cx = (x - dot_gap / 2) * k
            d.ellipse((cx - 5 * k, 66 * k, cx + 5 * k, 76 * k), fill=ink)
    return plate.convert("RGB")


def _scene(
    rng: random.Random, plate: Image.Image, second: Image.Image | None = None
) -> tuple[Image.Image, tuple[float, float, float, float], bool]:
    """A car front/back in a street: background, body, lights, grille and the plate on the bumper."""
    portrait = rng.random() < 0.4
    W, H = (720, 1100) if portrait else (960, 720)
    scene = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(scene)
    ground = rng.randint(70, 140)
    for y in range(H):  # wall/sky fading to the road
        t = y / H
        shade = int(200 * (1 - t) + ground * t)
        d.line((0, y, W, y), fill=(shade, shade + rng.randint(-2, 2), shade + 8))
    for _ in range(rng.randint(2, 6)):  # buildings, poles, parked cars behind
        x0, y0 = rng.uniform(0, W), rng.uniform(0, H * 0.4)
        d.rectangle(
            (x0, y0, x0 + rng.uniform(40, 300), y0 + rng.uniform(60, 300)),
            fill=tuple(rng.randint(60, 230) for _ in range(3)),
        )
    body = rng.choice(
        [(20, 20, 24), (235, 235, 238), (150, 152, 158), (120, 20, 25), (25, 45, 110), (200, 200, 205)]
    )
    cw, ch = W * rng.uniform(0.78, 0.98), H * rng.uniform(0.45, 0.6)
    cx, top = W / 2 + rng.uniform(-W * 0.08, W * 0.08), H * rng.uniform(0.2, 0.35)
    d.rounded_rectangle((cx - cw / 2, top, cx + cw / 2, top + ch), radius=int(cw * 0.08), fill=body)
    d.polygon(
        [
            (cx - cw * 0.38, top),
            (cx + cw * 0.38, top),
            (cx + cw * 0.3, top - ch * 0.35),
            (cx - cw * 0.3, top - ch * 0.35),
        ],
        fill=(35, 40, 50),
    )
    for side in (-1, 1):
        lx = cx + side * cw * 0.36
        d.ellipse(
            (lx - cw * 0.1, top + ch * 0.12, lx + cw * 0.1, top + ch * 0.3),
            fill=rng.choice([(240, 240, 230), (200, 40, 30), (230, 120, 40)]),
        )
    d.rectangle((cx - cw * 0.22, top + ch * 0.12, cx + cw * 0.22, top + ch * 0.42), fill=(30, 30, 32))
    for k in range(8):
        gx = cx - cw * 0.2 + k * cw * 0.4 / 7
        d.line((gx, top + ch * 0.14, gx, top + ch * 0.4), fill=(150, 150, 155), width=3)
    pw = cw * rng.uniform(0.2, 0.34)
    ph = pw * plate.height / plate.width
    px, py = cx - pw / 2 + rng.uniform(-cw * 0.08, cw * 0.08), top + ch * rng.uniform(0.52, 0.7)
    d.rectangle((px - pw * 0.05, py - ph * 0.08, px + pw * 1.05, py + ph * 1.08), fill=(20, 20, 20))
    small = _tilt(rng, plate.resize((int(pw), int(ph)), Image.Resampling.LANCZOS))
    scene.paste(small, (int(px), int(py)), small.split()[3])
    if second is not None:  # a car further away: its plate is smaller, the label stays the near one
        pw2 = pw * rng.uniform(0.35, 0.5)
        ph2 = pw2 * second.height / second.width
        room = top - ch * 0.35 - ph2 - 6
        if room > H * 0.02:
            x2, y2 = rng.uniform(W * 0.02, W * 0.98 - pw2), rng.uniform(H * 0.02, room)
            far = second.resize((int(pw2), int(ph2)), Image.Resampling.LANCZOS)
            scene.paste(far, (int(x2), int(y2)))
            return scene, (px, py, px + pw, py + ph), True
    return scene, (px, py, px + pw, py + ph), False


def _tilt(rng: random.Random, plate: Image.Image) -> Image.Image:
    """A small rotation of the plate itself (its mounting is never perfectly level): RGBA."""
    return plate.convert("RGBA").rotate(rng.uniform(-6, 6), resample=Image.Resampling.BICUBIC, expand=False)


def render(rng: random.Random) -> RenderedCard:
    style = rng.choices(list(STYLE_WEIGHTS), weights=list(STYLE_WEIGHTS.values()), k=1)[0]
    num, vtype = plate_number(rng, style)
    plate = draw_plate(rng, num, style)
    label = empty_fields("vehicle-num")
    label.update(num=num, rate=100.0, vehicleType=vtype, vehicleTypeRate=100.0)
    if rng.random() < 0.25:  # a tight crop, as plate-recognition front ends send them
        margin = rng.randint(8, 40)
        crop = Image.new(
            "RGB",
            (plate.width // 2 + 2 * margin, plate.height // 2 + 2 * margin),
            tuple(rng.randint(20, 120) for _ in range(3)),
        )
        crop.paste(
            plate.resize((plate.width // 2, plate.height // 2), Image.Resampling.LANCZOS), (margin, margin)
        )
        box = (float(margin), float(margin), margin + plate.width / 2, margin + plate.height / 2)
        return RenderedCard(crop, label, {"num": [box]}, kind="scene", extra={"style": style, "view": "crop"})
    second, others = None, []
    if rng.random() < 0.2:
        far_style = rng.choice(("blue", "blue", "yellow", "green"))
        far_number, _ = plate_number(rng, far_style)
        second, others = draw_plate(rng, far_number, far_style), [far_number]
    scene, box, pasted = _scene(rng, plate, second)
    others = others if pasted else []
    scene = scene.filter(ImageFilter.GaussianBlur(rng.uniform(0, 0.8)))
    return RenderedCard(
        scene, label, {"num": [box]}, kind="scene", extra={"style": style, "view": "scene", "others": others}
    )
