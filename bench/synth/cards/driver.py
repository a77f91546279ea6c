"""Motor-vehicle driving licence (机动车驾驶证): the main page and the 副页 (back/duplicate page).

Main page 88×60 mm at 10 px/mm, in both generations: the older one prints 有效起始日期 + 有效期限 (6年,
10年, 长期) and leaves the end date to the reader; the newer one prints 有效期限 ``start 至 end``. The label
carries the computed end date either way (``Long-term`` for 长期). The 副页 carries the 12-digit 档案编号;
some renders show the main page and the 副页 side by side in their wallet, as people photograph them.

The drawing helpers here (green guilloche page, labelled rows, red seal) are reused by the vehicle
licence renderer, which shares the layout language.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from PIL import Image, ImageDraw

from bench.synth import values
from bench.synth.base import Box, RenderedCard, font
from bench.synth.cards.paper import Paper
from bench.synth.values import add_years
from certscan.constants import LONG_TERM, empty_fields

W, H = 880, 600
LICENCE_WIDTH_MM = 88.0  # 88 × 60 mm booklet page
CLASSES = (
    "C1",
    "C1",
    "C1",
    "C1",
    "C2",
    "C1E",
    "C1D",
    "B1",
    "B2",
    "A1",
    "A2",
    "A3",
    "B2E",
    "A2E",
    "D",
    "E",
    "A1A2",
    "B1B2",
    "C3",
    "C4",
)
INK = (30, 30, 30)
LABEL_INK = (40, 40, 40)


class Sheet(Paper):
    """A licence page being drawn on a guilloche background, with one value typeface per card."""

    ink = INK

    def __init__(
        self, rng: random.Random, w: int = W, h: int = H, tint: tuple[int, int, int] = (206, 232, 214)
    ):
        self.rng = rng
        self._start(guilloche(rng, w, h, tint))
        self.value_font = rng.choice(("hei", "sans", "serif"))

    def label(self, xy: tuple[float, float], zh: str, en: str, size: int = 24) -> Box:
        """A bilingual label: Chinese over a small English line, as both licences print them."""
        box = self.text(xy, zh, size, "serif", LABEL_INK)
        self.text((xy[0], box[3] + 1), en, max(10, size * 11 // 20), "serif", LABEL_INK)
        return box

    def value(
        self,
        xy: tuple[float, float],
        s: str,
        size: int,
        field: str | None = None,
        max_w: float | None = None,
        digits: bool = False,
    ) -> Box:
        face = "ocrb" if digits and self.rng.random() < 0.4 else self.value_font
        if face == "ocrb":
            size = size * 4 // 5  # OCR-B runs wide: keep the value inside its cell
        jitter = (xy[0] + self.rng.uniform(-4, 4), xy[1] + self.rng.uniform(-3, 3))  # printer misalignment
        return self.text(jitter, s, size, face, INK, field, max_w)


def guilloche(rng: random.Random, w: int, h: int, tint: tuple[int, int, int]) -> Image.Image:
    """A pale security background: tinted paper, interfering sine waves and a faint rosette."""
    image = Image.new("RGB", (w, h), tint)
    draw = ImageDraw.Draw(image)
    line = tuple(max(0, c - 22) for c in tint)
    for k in range(0, h + 40, 9):
        amp, period, phase = rng.uniform(3, 9), rng.uniform(60, 140), rng.uniform(0, 6.3)
        pts = [(x, k + amp * math.sin(x / period * 6.28 + phase)) for x in range(0, w + 8, 8)]
        draw.line(pts, fill=line, width=1)
    cx, cy, r = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h, min(w, h) * 0.35
    for t in range(0, 360, 6):
        a = math.radians(t)
        draw.ellipse(
            (
                cx + r / 2 * math.cos(a) - r / 2,
                cy + r / 2 * math.sin(a) - r / 2,
                cx + r / 2 * math.cos(a) + r / 2,
                cy + r / 2 * math.sin(a) + r / 2,
            ),
            outline=line,
        )
    return image


def square_seal(sheet: Sheet, x: int, y: int, lines: list[str], size: int = 30) -> None:
    """The traffic police detachment's rectangular red stamp on the driving licence."""
    red = (215, 40, 45)
    pad = 10
    height = len(lines) * (size + 14) + pad
    width = max(font("sans-bold", size).getlength(s) for s in lines) + 2 * pad
    sheet.draw.rectangle((x, y, x + width, y + height), outline=red, width=3)
    for i, s in enumerate(lines):
        sheet.draw.text((x + pad, y + pad + i * (size + 14)), s, font=font("sans-bold", size), fill=red)


def round_seal(sheet: Sheet, cx: float, cy: float, r: float, ring: str, centre: str) -> None:
    """A round red seal with its text around the rim, semi-transparent over whatever it covers."""
    layer = Image.new("RGBA", sheet.image.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    red = (210, 30, 40, 150)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=4)
    size = int(r * 0.26)
    span = 250.0
    for i, ch in enumerate(ring):
        a = math.radians(-90 - span / 2 + span * (i + 0.5) / len(ring))
        glyph = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size // 2, size // 2), ch, font=font("sans-bold", size), fill=red)
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
        gx, gy = cx + (r - size * 0.9) * math.cos(a) - size, cy + (r - size * 0.9) * math.sin(a) - size
        layer.alpha_composite(glyph, (int(gx), int(gy)))
    star = [
        (
            cx + (r * 0.25 if k % 2 else r * 0.1) * math.cos(math.radians(-90 + 36 * k)),
            cy + (r * 0.25 if k % 2 else r * 0.1) * math.sin(math.radians(-90 + 36 * k)),
        )
        for k in range(10)
    ]
    d.polygon([(cx + (x - cx) * 1.0, cy + (y - cy) * 1.0) for x, y in star], fill=red)
    d.text((cx, cy + r * 0.5), centre, font=font("sans-bold", int(r * 0.18)), fill=red, anchor="mm")
    base = sheet.image.convert("RGBA")
    base.alpha_composite(layer)
    sheet.image.paste(base.convert("RGB"))


def portrait(sheet: Sheet, box: tuple[int, int, int, int]) -> None:
    """A photo area: light backdrop with a head-and-shoulders silhouette, clipped to the photo."""
    x0, y0, x1, y1 = box
    rng, w, h = sheet.rng, x1 - x0, y1 - y0
    photo = Image.new("RGB", (w, h), rng.choice([(235, 240, 248), (120, 160, 220), (245, 245, 245)]))
    d = ImageDraw.Draw(photo)
    skin = rng.choice([(225, 190, 165), (205, 170, 140), (235, 205, 180)])
    d.ellipse(
        (w * 0.05, h * 0.72, w * 0.95, h * 1.4),
        fill=rng.choice([(40, 40, 50), (70, 80, 110), (230, 230, 235)]),
    )
    d.ellipse((w * 0.28, h * 0.2, w * 0.72, h * 0.68), fill=skin)
    d.chord((w * 0.26, h * 0.15, w * 0.74, h * 0.5), 180, 360, fill=(25, 25, 25))
    sheet.image.paste(photo, (x0, y0))


def wrap(text: str, width: int) -> tuple[str, str]:
    """Split a value where the card's cell wraps it: the first ``width`` characters and the rest."""
    return text[:width], text[width:]


def traffic_police(region: values.Region) -> str:
    """The traffic police detachment that issues driving and vehicle licences for a region."""
    return (
        f"{region.province}{region.city}公安局交通警察支队"
        if region.city
        else f"{region.province}公安局交通管理局"
    )


def _dates(rng: random.Random, birth: dt.date) -> tuple[dt.date, dt.date, str, str]:
    """First-issue date, validity start, the printed period word and the end date (or Long-term).

    A first licence runs 6 years, its renewal 10 years, the next one is long-term; a holder renews
    only once the previous one has run out, so the start is never in the future.
    """
    today = dt.date(2026, 6, 1)
    latest = min(add_years(birth, 65), today - dt.timedelta(days=30))
    first = values.random_date(
        rng, add_years(birth, 18), max(latest, add_years(birth, 18) + dt.timedelta(days=2))
    )
    start, years = first, 6
    while years and add_years(start, years) < today and rng.random() < 0.75:
        start = add_years(start, years)
        years = 10 if years == 6 else 0
    if years == 0:
        return first, start, "长期", LONG_TERM
    return first, start, f"{years}年", add_years(start, years).isoformat()


def render_front(rng: random.Random) -> RenderedCard:
    person = values.person(rng, min_age=18, max_age=75)
    first, start, period, end = _dates(rng, person.birth)
    newer = rng.random() < 0.5
    cls = rng.choice(CLASSES)
    s = Sheet(rng)
    title = font("serif-bold", 40)
    s.draw.text((W / 2, 48), "中华人民共和国机动车驾驶证", font=title, fill=INK, anchor="mm")
    s.draw.text(
        (W / 2, 90),
        "Driving License of the People's Republic of China",
        font=font("serif", 20),
        fill=INK,
        anchor="mm",
    )
    s.draw.rectangle((255, 120, 335, 155), fill=(150, 110, 160))
    s.draw.text((263, 122), "证号", font=font("serif", 26), fill=(255, 255, 255))
    s.value((355, 118), person.id_number, 32, "number", digits=True)
    s.label((60, 180), "姓名", "Name")
    s.value((150, 172), person.name, 36, "name")
    s.label((440, 180), "性别", "Sex" if newer else "M&F")
    s.value((510, 176), person.sex, 30)
    s.label((590, 180), "国籍", "Nationality")
    s.value((700, 176), "中国", 30)
    s.label((60, 245), "住址", "Address")
    first_line, rest = wrap(person.address, 21)
    s.value((150, 240), first_line, 28, "address")
    if rest:  # the second line ends left of the portrait (x 650, from y 300), squeezed if need be
        s.value((150, 290), rest, 28, "address", max_w=490)
    authority = traffic_police(person.region)
    per_line = -(-len(authority) // 3)
    square_seal(
        s,
        55,
        345,
        [authority[i : i + per_line] for i in range(0, len(authority), per_line)],
        size=30 if per_line <= 5 else 150 // per_line,
    )
    s.label((290, 350), "出生日期", "Date of Birth" if newer else "Birthday")
    s.value((440, 346), person.birth.isoformat(), 30, digits=True)
    s.label((290, 412), "初次领证日期", "Date of First Issue" if newer else "Issue Date")
    s.value((470, 408), first.isoformat(), 30, digits=True)
    s.label((290, 474), "准驾车型", "Class")
    s.draw.rectangle((420, 468, 620, 515), outline=INK, width=2)
    s.value((520 - font(s.value_font, 34).getlength(cls) / 2, 470), cls, 34, "vehicleType")
    if newer:
        s.label((55, 540), "有效期限", "Valid Period")
        shown_end = "长期" if end == LONG_TERM else end
        s.value((190, 536), f"{start.isoformat()}至{shown_end}", 30, "validStartDate", max_w=430)
        s.boxes["validEndDate"] = s.boxes["validStartDate"]
    else:
        s.label((55, 540), "有效起始日期", "Valid From")
        s.value((235, 536), start.isoformat(), 30, "validStartDate", digits=True)
        s.label((445, 540), "有效期限", "Valid For")
        s.value((565, 536), period, 30, "validEndDate")
    portrait(s, (650, 300, 840, 555))
    label = empty_fields("driver-license-front")
    label.update(
        name=person.name,
        number=person.id_number,
        address=person.address,
        vehicleType=cls,
        validStartDate=start.isoformat(),
        validEndDate=end,
    )
    return RenderedCard(
        s.image,
        label,
        s.boxes,
        extra={
            "generation": "newer" if newer else "older",
            "period": period,
            "firstIssue": first.isoformat(),
        },
    )


def _back_page(rng: random.Random, person: values.Person, archive: str, first: dt.date) -> Sheet:
    s = Sheet(rng)
    s.draw.text(
        (W / 2 + 30, 50), "中华人民共和国机动车驾驶证副页", font=font("serif-bold", 38), fill=INK, anchor="mm"
    )
    s.draw.rectangle((255, 95, 335, 130), fill=(150, 110, 160))
    s.draw.text((263, 97), "证号", font=font("serif", 26), fill=(255, 255, 255))
    s.value((355, 93), person.id_number, 32, digits=True)
    s.label((60, 160), "姓名", "Name")
    s.value((150, 152), person.name, 34)
    s.label((470, 160), "档案编号", "File No.")
    s.value((595, 152), archive, 32, "archiveNum", max_w=270, digits=True)
    s.label((60, 225), "记录", "Record")
    notes = rng.choice(
        (
            [f"实习期至{add_years(first, 1):%Y年%m月%d日}。"],
            [
                f"请于每年的{first:%m}月提交身体条件证明。",
                f"请于{add_years(first, 6):%Y年%m月%d日}前九十日内申请",
                "换领新驾驶证。",
            ],
            [],
        )
    )
    for i, note in enumerate(notes):
        s.value((170, 220 + i * 58), note, 28, max_w=660)
    for k in range(4):
        s.draw.line((150, 272 + k * 58, 840, 272 + k * 58), fill=(120, 140, 125), width=1)
    if rng.random() < 0.6:  # the barcode strip some issuing offices print on the 副页
        x = 420
        while x < 840:
            wbar = rng.choice((2, 3, 5))
            s.draw.rectangle((x, 500, x + wbar - 1, 560), fill=INK)
            x += wbar + rng.choice((2, 3, 4))
        s.draw.text(
            (420, 564),
            "*" + "".join(rng.choice("0123456789") for _ in range(12)) + "*",
            font=font("ocrb", 18),
            fill=INK,
        )
    return s


def render_back(rng: random.Random) -> RenderedCard:
    person = values.person(rng, min_age=18, max_age=75)
    first = person.birth + dt.timedelta(days=rng.randint(18 * 366, 40 * 365))
    archive = person.region.code[:4] + "".join(rng.choice("0123456789") for _ in range(8))
    back = _back_page(rng, person, archive, first)
    label = empty_fields("driver-license-back")
    label["archiveNum"] = archive
    if rng.random() < 0.35:  # both pages photographed open in their wallet
        front = render_front(random.Random(rng.random())).image
        gap = 40
        wallet = Image.new("RGB", (2 * W + 3 * gap, H + 2 * gap), (25, 25, 30))
        wallet.paste(front, (gap, gap))
        wallet.paste(back.image, (2 * gap + W, gap))
        boxes = {
            k: [(b[0] + 2 * gap + W, b[1] + gap, b[2] + 2 * gap + W, b[3] + gap) for b in v]
            for k, v in back.boxes.items()
        }
        return RenderedCard(wallet, label, boxes, extra={"layout": "wallet"},
                            width_mm=LICENCE_WIDTH_MM * wallet.width / W)
    return RenderedCard(back.image, label, back.boxes, extra={"layout": "single"}, width_mm=LICENCE_WIDTH_MM)
