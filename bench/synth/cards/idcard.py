"""Second-generation resident identity card (居民身份证), portrait side and emblem side.

85.6 × 54 mm, drawn at 1012 × 638 px. Layout follows the real card: blue labels 姓名 性别 民族 出生 住址
公民身份号码 on the left, black values, portrait on the right, a pale blue-pink guilloche ground; the back
carries the emblem, 中华人民共和国 / 居民身份证 and 签发机关 / 有效期限 at the bottom.
"""

from __future__ import annotations

import datetime as dt
import random

from PIL import Image, ImageDraw

from bench.synth import draw, values
from bench.synth.base import Box, RenderedCard, font
from certscan.constants import LONG_TERM, empty_fields

W, H = 1012, 638
TODAY = dt.date(2026, 6, 1)
LABEL_COLORS = [(30, 120, 190), (50, 135, 200), (40, 110, 175), (70, 140, 190)]


def _ground(rng: random.Random) -> Image.Image:
    """Pale blue fading to pink, with blue and rose guilloche lines and a rosette."""
    left = (rng.randint(214, 232), rng.randint(234, 244), rng.randint(240, 250))
    right = (rng.randint(238, 248), rng.randint(224, 236), rng.randint(228, 238))
    base = draw.gradient((W, H), left, right, rng.uniform(-20, 20)).convert("RGBA")
    base.alpha_composite(draw.guilloche((W, H), rng, (110, 160, 205), alpha=rng.randint(22, 40), curves=40))
    base.alpha_composite(draw.guilloche((W, H), rng, (215, 140, 160), alpha=rng.randint(18, 32), curves=24))
    grain = draw.paper((W, H), rng, (128, 128, 128), grain=8)
    return Image.blend(base.convert("RGB"), grain, 0.04)


def _label(d: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, color: tuple[int, int, int],
           size: int, spread: float = 0.55) -> Box:
    """Card labels are small and spaced out: 姓 名, 出 生 ..."""
    return draw.text(d, xy, text, font("hei", size), color, spacing=size * spread)


def _jitter(rng: random.Random, scale: float = 6.0) -> float:
    return rng.uniform(-scale, scale)


def render_front(rng: random.Random) -> RenderedCard:
    p = values.person(rng, min_age=1, max_age=90, today=TODAY)
    img = _ground(rng)
    d = ImageDraw.Draw(img)
    label_color = rng.choice(LABEL_COLORS)
    value_face = rng.choice(["hei", "hei", "sans"])
    lsize, vsize = rng.randint(26, 29), rng.randint(33, 37)
    x_label, x_value = 72 + _jitter(rng), 192 + _jitter(rng)
    ys = [y + _jitter(rng, 4) for y in (112.0, 190.0, 266.0, 344.0)]
    vfont = font(value_face, vsize)
    boxes: dict[str, list[Box]] = {}

    def row(y: float, text: str) -> None:
        _label(d, (x_label, y + (vsize - lsize) * 0.55), text, label_color, lsize)

    row(ys[0], "姓名")
    boxes["name"] = [draw.text(d, (x_value, ys[0]), p.name, vfont, draw.BLACK, spacing=vsize * 0.12)]
    row(ys[1], "性别")
    sex_box = draw.text(d, (x_value, ys[1]), p.sex, vfont)
    _label(d, (x_value + 170, ys[1] + (vsize - lsize) * 0.55), "民族", label_color, lsize)
    boxes["nationality"] = [draw.text(d, (x_value + 170 + 3 * lsize, ys[1]), p.ethnic, vfont)]
    row(ys[2], "出生")
    num_font = font(value_face, vsize)
    x = x_value
    birth_parts: list[Box] = []
    for part, unit, gap in ((str(p.birth.year), "年", 26), (str(p.birth.month), "月", 24),
                            (str(p.birth.day), "日", 0)):
        birth_parts.append(draw.text(d, (x, ys[2]), part, num_font))
        x = birth_parts[-1][2] + 8
        _label(d, (x, ys[2] + (vsize - lsize) * 0.8), unit, label_color, lsize)
        x += lsize + 10 + gap
    boxes["birth"] = [draw.union(*birth_parts)]
    row(ys[3], "住址")
    afont, lines = vfont, draw.wrap(p.address, vfont, 11.2 * vsize)
    while len(lines) > 3:  # the address area has three lines; long addresses are printed smaller
        afont = font(value_face, afont.size - 1)
        lines = draw.wrap(p.address, afont, 11.2 * vsize)
    boxes["address"] = draw.text_lines(d, (x_value, ys[3]), lines, afont, vsize * 1.36)
    _label(d, (x_label, 534 + (vsize - lsize) * 0.6), "公民身份号码", label_color, lsize, spread=0.2)
    number_face = rng.choice(["ocrb", "sans-bold", "hei"])
    nsize = rng.randint(38, 42)
    boxes["number"] = [draw.text(d, (x_label + 272, 530), p.id_number, font(number_face, nsize), draw.BLACK,
                                 spacing=nsize * 0.08)]
    photo = draw.portrait((272, 340), rng, p.male, background=(236, 240, 244))
    img.paste(photo, (int(W - 362 + _jitter(rng, 4)), int(112 + _jitter(rng, 4))))
    fields = empty_fields("id-card-front")
    fields.update(name=p.name, nationality=p.ethnic, number=p.id_number, birth=values.fmt_date(p.birth),
                  address=p.address, type="front", numberValid=True)
    return RenderedCard(img, fields, boxes, extra={"sex": p.sex, "sex_box": list(sex_box),
                                                   "value_font": value_face, "number_font": number_face})


def _great_wall(img: Image.Image, rng: random.Random) -> None:
    """A faint mountain-ridge line with crenellations, standing in for the Great Wall artwork."""
    d = ImageDraw.Draw(img, "RGBA")
    pts = []
    y = H * rng.uniform(0.45, 0.55)
    for x in range(int(W * 0.3), W, 12):
        y += rng.uniform(-9, 8)
        pts.append((x, y))
    d.line(pts, fill=(120, 140, 170, 70), width=7)
    for x, y in pts[::3]:
        d.rectangle((x - 5, y - 18, x + 5, y - 4), fill=(120, 140, 170, 55))


def render_back(rng: random.Random) -> RenderedCard:
    p = values.person(rng, min_age=1, max_age=90, today=TODAY)
    start, end = values.id_validity(rng, p.birth, TODAY)
    authority = values.police_authority(rng, p.region)
    img = _ground(rng)
    _great_wall(img, rng)
    emblem = draw.emblem(rng.randint(150, 165), rng)
    img.paste(emblem, (int(70 + _jitter(rng, 4)), int(55 + _jitter(rng, 4))), emblem)
    d = ImageDraw.Draw(img)
    title = rng.choice(["serif-bold", "sans-bold"])
    draw.text(d, (290, 60), "中华人民共和国", font(title, 50), draw.BLACK, spacing=10)
    draw.text(d, (270, 150), "居民身份证", font(title, 82), draw.BLACK, spacing=26)
    color = rng.choice(LABEL_COLORS) if rng.random() < 0.3 else draw.BLACK
    lsize, vsize = rng.randint(27, 30), rng.randint(31, 35)
    value_face = rng.choice(["hei", "sans"])
    vfont = font(value_face, vsize)
    y1, y2 = 455 + _jitter(rng, 4), 535 + _jitter(rng, 4)
    x_label = 230 + _jitter(rng)
    label_end = _label(d, (x_label, y1 + 3), "签发机关", color, lsize, spread=0.25)[2]
    x_value = label_end + rng.uniform(18, 30)
    boxes: dict[str, list[Box]] = {}
    auth_lines = draw.wrap(authority, vfont, W - 60 - x_value)[:2]
    boxes["authority"] = draw.text_lines(d, (x_value, y1), auth_lines, vfont, vsize * 1.3)
    _label(d, (x_label, y2 + 3), "有效期限", color, lsize, spread=0.25)
    start_text = start.strftime("%Y.%m.%d")
    end_text = end.strftime("%Y.%m.%d") if end else "长期"
    boxes["startDate"] = [draw.text(d, (x_value, y2), start_text, vfont)]
    dash = draw.text(d, (boxes["startDate"][0][2] + 2, y2), "-", vfont)
    boxes["endDate"] = [draw.text(d, (dash[2] + 2, y2), end_text, vfont)]
    fields = empty_fields("id-card-back")
    fields.update(authority=authority, startDate=values.fmt_date(start),
                  endDate=values.fmt_date(end) if end else LONG_TERM, type="back", numberValid=False)
    return RenderedCard(img, fields, boxes, extra={"holder_birth": values.fmt_date(p.birth),
                                                   "value_font": value_face})
