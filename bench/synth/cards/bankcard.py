"""Chinese bank cards (ID-1, 85.6 × 54 mm at 1012 × 638 px): debit and credit, printed or embossed.

Numbers start with a real BIN of a major bank (each listed in ``certscan/data/bins.tsv``, which the
product's parser also reads), have the bank's usual length and grouping (4-4-4-4, 6-12, 6-13, 5-4-5-5,
4-4-4-4-3) and a Luhn check digit. The card shows the bank's name and a logo-like mark, artwork in the
bank's colours, a chip on some, and a UnionPay-like acceptance mark.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources

from PIL import Image, ImageDraw

from bench.synth import draw, values
from bench.synth.base import Box, RenderedCard, font
from certscan.constants import empty_fields

W, H = 1012, 638


@dataclass(frozen=True)
class Bank:
    name: str
    english: str
    colors: tuple[tuple[int, int, int], tuple[int, int, int]]
    bins: tuple[tuple[str, int], ...]  # (BIN, card number length)


BANKS: tuple[Bank, ...] = (
    Bank("中国工商银行", "INDUSTRIAL AND COMMERCIAL BANK OF CHINA", ((200, 20, 30), (240, 90, 80)),
         (("622202", 19), ("622208", 19), ("621226", 19), ("620200", 19))),
    Bank("中国农业银行", "AGRICULTURAL BANK OF CHINA", ((0, 120, 90), (60, 170, 120)),
         (("622848", 19), ("622845", 19))),
    Bank("中国银行", "BANK OF CHINA", ((170, 20, 30), (225, 70, 60)),
         (("621661", 19), ("601382", 19), ("456351", 19))),
    Bank("中国建设银行", "CHINA CONSTRUCTION BANK", ((0, 60, 140), (40, 120, 200)),
         (("621700", 19), ("622700", 19), ("436742", 19), ("622280", 19))),
    Bank("交通银行", "BANK OF COMMUNICATIONS", ((20, 70, 140), (90, 170, 210)),
         (("622260", 19), ("622262", 19))),
    Bank("招商银行", "CHINA MERCHANTS BANK", ((190, 20, 40), (230, 110, 100)),
         (("622588", 16), ("621483", 16))),
    Bank("中国邮政储蓄银行", "POSTAL SAVINGS BANK OF CHINA", ((0, 110, 60), (120, 190, 90)),
         (("621799", 19), ("622188", 19))),
    Bank("兴业银行", "INDUSTRIAL BANK CO.,LTD.", ((10, 50, 130), (70, 120, 190)),
         (("622909", 18), ("622908", 18))),
    Bank("中信银行", "CHINA CITIC BANK", ((170, 20, 30), (90, 90, 100)), (("622690", 16),)),
    Bank("中国光大银行", "CHINA EVERBRIGHT BANK", ((90, 30, 120), (240, 190, 40)), (("622660", 16),)),
    Bank("中国民生银行", "CHINA MINSHENG BANK", ((0, 100, 110), (30, 30, 40)), (("622622", 16),)),
    Bank("上海浦东发展银行", "SHANGHAI PUDONG DEVELOPMENT BANK", ((10, 40, 100), (170, 150, 90)),
         (("622521", 16),)),
    Bank("华夏银行", "HUA XIA BANK", ((190, 30, 40), (60, 60, 70)), (("622630", 16),)),
)

GROUPINGS: dict[int, list[tuple[int, ...]]] = {
    16: [(4, 4, 4, 4)],
    18: [(6, 12), (6, 6, 6)],
    19: [(6, 13), (4, 4, 4, 4, 3), (5, 4, 5, 5)],
}


@cache
def bin_table() -> dict[str, tuple[str, str]]:
    """BIN → (bank, product) from the table the product ships."""
    text = resources.files("certscan.data").joinpath("bins.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line)
    return {r[0]: (r[1], r[2] if len(r) > 2 else "") for r in rows}


def card_number(rng: random.Random) -> tuple[Bank, str]:
    bank = rng.choice(BANKS)
    prefix, length = rng.choice(bank.bins)
    return bank, values.luhn_number(rng, prefix, length)


def group(number: str, grouping: tuple[int, ...]) -> list[str]:
    out, i = [], 0
    for n in grouping:
        out.append(number[i:i + n])
        i += n
    return out


def _artwork(img: Image.Image, bank: Bank, rng: random.Random) -> None:
    """Bank-coloured gradient with soft waves or a world-map-like blob field."""
    dark, light = bank.colors
    if rng.random() < 0.25:  # some cards are printed on gold or silver stock
        dark, light = rng.choice([((200, 160, 60), (245, 215, 120)), ((150, 150, 155), (225, 225, 230))])
    img.paste(draw.gradient(img.size, dark, light, rng.uniform(0, 360)))
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    if rng.random() < 0.5:
        for _ in range(rng.randint(4, 9)):
            y0 = rng.uniform(0.2, 1.0) * H
            amp, freq, phase = rng.uniform(20, 90), rng.uniform(0.5, 2.0), rng.uniform(0, 6.3)
            pts = [(x, y0 + amp * math.sin(x / W * 2 * math.pi * freq + phase)) for x in range(0, W + 20, 20)]
            d.line(pts, fill=(255, 255, 255, rng.randint(25, 70)), width=rng.randint(6, 30))
    else:
        for _ in range(rng.randint(6, 14)):
            cx, cy, r = rng.uniform(0, W), rng.uniform(0, H), rng.uniform(30, 160)
            d.ellipse((cx - r, cy - r * 0.6, cx + r, cy + r * 0.6), fill=(255, 255, 255, rng.randint(20, 60)))
    img.paste(Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB"))


def _logo(d: ImageDraw.ImageDraw, xy: tuple[float, float], size: float, rng: random.Random,
          color: tuple[int, int, int]) -> None:
    x, y = xy
    if rng.random() < 0.5:
        d.ellipse((x, y, x + size, y + size), outline=color, width=int(size * 0.12))
        d.rectangle((x + size * 0.4, y + size * 0.2, x + size * 0.6, y + size * 0.8), fill=color)
    else:
        d.rounded_rectangle((x, y, x + size, y + size), radius=size * 0.2, fill=color)
        d.ellipse((x + size * 0.25, y + size * 0.25, x + size * 0.75, y + size * 0.75), fill=(255, 255, 255))


def _unionpay(img: Image.Image, x: float, y: float, w: float = 170, h: float = 108) -> None:
    """Three overlapping slanted panels (red, blue, teal) with the UnionPay / 银联 wording."""
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((x - 6, y - 6, x + w + 6, y + h + 6), radius=12, fill=(250, 250, 250))
    panel = w * 0.42
    for k, color in enumerate([(220, 30, 40), (20, 60, 140), (0, 130, 130)]):
        x0 = x + k * w * 0.29
        d.polygon([(x0 + 10, y), (x0 + panel + 10, y), (x0 + panel - 10, y + h), (x0 - 10 + 10, y + h)],
                  fill=color)
    d.text((x + w / 2, y + h * 0.36), "UnionPay", font=font("sans-bold", int(h * 0.24)), fill=(255, 255, 255),
           anchor="mm")
    d.text((x + w / 2, y + h * 0.72), "银联", font=font("sans-bold", int(h * 0.3)), fill=(255, 255, 255),
           anchor="mm")


def _chip(d: ImageDraw.ImageDraw, x: float, y: float) -> None:
    d.rounded_rectangle((x, y, x + 118, y + 92), radius=14, fill=(215, 180, 90), outline=(150, 120, 50),
                        width=2)
    for k in (1, 2):
        d.line((x, y + k * 92 / 3, x + 118, y + k * 92 / 3), fill=(150, 120, 50), width=2)
    d.line((x + 59, y, x + 59, y + 92), fill=(150, 120, 50), width=2)


def render(rng: random.Random) -> RenderedCard:
    bank, number = card_number(rng)
    img = Image.new("RGB", (W, H))
    _artwork(img, bank, rng)
    d = ImageDraw.Draw(img)
    light_text = sum(bank.colors[0]) < 400
    ink = (255, 255, 255) if light_text else (30, 30, 30)
    _logo(d, (48, 40), 76, rng, ink)
    draw.text(d, (140, 38), bank.name, font(rng.choice(["serif-bold", "sans-bold"]), 50), ink)
    draw.text(d, (142, 100), bank.english, draw.fit_font("sans", bank.english, 560, 20), ink)
    product = bin_table().get(number[:6], ("", ""))[1]
    if product:
        draw.text(d, (142, 132), product, font("sans", 24), ink)
    embossed = rng.random() < 0.5
    if rng.random() < 0.6:
        _chip(d, 110, 205)
    grouping = rng.choice(GROUPINGS[len(number)])
    groups = group(number, grouping)
    face = "ocrb"
    size = 64 if len(number) == 16 else 58
    while True:  # the number spans at most ~84 % of the card width
        fnt = font(face, size)
        gap = size * 0.55
        total = sum(draw.text_width(g, fnt, size * 0.08) for g in groups) + gap * (len(groups) - 1)
        if total <= W * 0.84 or size <= 36:
            break
        size -= 2
    x = max(50.0, (W - total) / 2 + rng.uniform(-30, 10))
    y = 350 + rng.uniform(-15, 15)
    parts: list[Box] = []
    face_color = rng.choice([(240, 225, 180), (235, 235, 235), (200, 170, 90)])
    for g in groups:
        if embossed:
            parts.append(draw.embossed(img, (x, y), g, fnt, face_color, spacing=size * 0.08))
        else:
            parts.append(draw.text(d, (x, y), g, fnt, ink, spacing=size * 0.08))
        x = parts[-1][2] + gap
    month, year = rng.randint(1, 12), rng.randint(24, 35)
    credit = len(number) == 16 and rng.random() < 0.5
    small = font(face, 30)
    if credit:
        draw.text(d, (330, 450), "VALID\nTHRU", font("sans", 14), ink)
        validity = f"{month:02d}/{year:02d}"
        if embossed:
            draw.embossed(img, (390, 445), validity, small, face_color)
        else:
            draw.text(d, (390, 445), validity, small, ink)
        holder = values.person(rng)
        draw.text(d, (90, 520), f"{holder.surname_pinyin} {holder.given_pinyin}", small, ink)
    else:
        draw.text(d, (120, 455), f"20{year - 10:02d}/{month:02d}", small, ink)
    _unionpay(img, W - 230, H - 165)
    fields = empty_fields("bank-card")
    fields["bankCardNum"] = number
    return RenderedCard(img, fields, {"bankCardNum": [draw.union(*parts)]},
                        extra={"bank": bank.name, "bin": number[:6], "credit": credit,
                               "style": "embossed" if embossed else "printed",
                               "grouping": "-".join(map(str, grouping))})
