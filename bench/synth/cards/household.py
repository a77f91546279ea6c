"""Household register (户口簿) pages: the head-of-household page (户主页) and the resident page
(常住人口登记卡).

Both are ruled tables printed into the booklet: labels in their own cells, values typed into the cells
beside them, the public-security office's round red 户口专用章 and the clerk's red name stamp (承办人签章).
Labels follow ``certscan.cards.household``: dates YYYY-MM-DD, the 迁来 cells as printed (they carry a date
and a place), ``type`` the reference's fixed string; the resident page's sex goes in ``extra``.
"""

from __future__ import annotations

import datetime as dt
import random

from PIL import Image, ImageDraw

from bench.synth import values
from bench.synth.base import RenderedCard, font
from bench.synth.cards.company import company_name
from bench.synth.cards.paper import INK, RED, Paper
from certscan.constants import empty_fields

TODAY = dt.date(2026, 6, 1)
W, H = 1500, 1050
LEFT, RIGHT = 70, 1430

_OCCUPATIONS = [
    "职员",
    "工人",
    "农民",
    "教师",
    "医生",
    "个体经营",
    "自由职业",
    "学生",
    "退休",
    "无业",
    "公务员",
    "工程技术人员",
    "商业服务人员",
    "司机",
    "会计",
    "护士",
]
_EDUCATION = ["小学", "初中", "高中", "中专", "大学专科", "大学本科", "研究生", "博士研究生"]
_RELIGIONS = ["无", "佛教", "基督教", "伊斯兰教"]
_BLOOD = ["A", "B", "O", "AB", "不明"]

# One cell: (text, share of the table width, contract key for a value cell / None for a label).
Cell = tuple[str, float, str | None]

HOUSEHOLD_PAGE_MM = 143.0  # a household register page, landscape


def _stamp(paper: Paper, rng: random.Random, x: float, y: float, name: str) -> None:
    """The clerk's red rectangular name stamp."""
    text = name + ("印" if rng.random() < 0.3 else "")
    size = rng.randint(26, 32)
    f = font("sans-bold", size)
    tw = f.getlength(text)
    layer = Image.new("RGBA", paper.image.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    colour = (*RED, rng.randint(170, 230))
    d.rectangle((x - 8, y - 8, x + tw + 8, y + size + 12), outline=colour, width=3)
    d.text((x, y), text, font=f, fill=colour)
    base = paper.image.convert("RGBA")
    base.alpha_composite(layer)
    paper.image = base.convert("RGB")
    paper.draw = ImageDraw.Draw(paper.image)
    paper.boxes.setdefault("undertaker", []).append((x, y, x + tw, y + size))


def _table(
    paper: Paper,
    rng: random.Random,
    top: float,
    rows: list[tuple[float, list[Cell]]],
    label_size: int,
    value_size: int,
    face: str,
) -> float:
    """Draw ``rows`` (height, cells) as a ruled table; returns the bottom y."""
    width = RIGHT - LEFT
    y = top
    paper.draw.rectangle((LEFT, top, RIGHT, top + sum(h for h, _ in rows)), outline=INK, width=3)
    for height, cells in rows:
        x = float(LEFT)
        for text, share, key in cells:
            cw = share * width
            paper.draw.line((x + cw, y, x + cw, y + height), fill=INK, width=2)
            if key is None:
                size = label_size
                while size > 14 and font("serif", size).getlength(text) > cw - 16:
                    size -= 1
                tw = font("serif", size).getlength(text)
                paper.text((x + (cw - tw) / 2, y + (height - size) / 2), text, size, "serif")
            elif text:
                size = value_size
                while size > 14 and font(face, size).getlength(text) > cw - 20:
                    size -= 1
                if size < value_size * 0.8:  # too long for one line at a legible size: wrap in two
                    size = min(value_size, int((height - 8) / 2.3))
                    cut = len(text) // 2 + 1
                    while size > 14 and font(face, size).getlength(text[:cut]) > cw - 20:
                        size -= 1
                    paper.text((x + 12, y + height / 2 - size * 1.15), text[:cut], size, face, field=key)
                    paper.text((x + 12, y + height / 2 + size * 0.05), text[cut:], size, face, field=key)
                else:
                    paper.text(
                        (x + 12 + rng.uniform(0, 6), y + (height - size) / 2), text, size, face, field=key
                    )
            x += cw
        y += height
        paper.draw.line((LEFT, y, RIGHT, y), fill=INK, width=2)
    return y


def _authority(rng: random.Random, region: values.Region) -> str:
    station = rng.choice(values._PLACE_WORDS) + "派出所"  # the framework's place-name words
    return f"{values.police_authority(rng, region)}{station}"


def _clerk(rng: random.Random) -> str:
    return values.person(rng).name


def render_head(rng: random.Random) -> RenderedCard:
    head = values.person(rng, min_age=20, max_age=85)
    paper = Paper(rng, W, H, (rng.randint(236, 250), rng.randint(232, 246), rng.randint(222, 240)))
    label = empty_fields("household-head")
    kind = "家庭户" if rng.random() < 0.85 else "集体户"
    number = f"{rng.randrange(10**8, 10**9)}" if rng.random() < 0.6 else f"{rng.randrange(10**7):08d}"
    issue = values.random_date(rng, dt.date(2005, 1, 1), TODAY)
    clerk = _clerk(rng)
    label.update(
        householdType=kind,
        houseHolder=head.name,
        address=head.address,
        householdNumber=number,
        issueDate=values.fmt_date(issue),
        undertaker=clerk,
        type="household-head",
    )
    face = rng.choice(("serif", "sans", "hei"))
    title = "户 口 簿"
    paper.text(((W - font("serif-bold", 60).getlength(title)) / 2, 60), title, 60, "serif-bold")
    rows: list[tuple[float, list[Cell]]] = [
        (
            110,
            [
                ("户别", 0.12, None),
                (kind, 0.30, "householdType"),
                ("户主姓名", 0.16, None),
                (head.name, 0.42, "houseHolder"),
            ],
        ),
        (
            110,
            [
                ("户号", 0.12, None),
                (number, 0.30, "householdNumber"),
                ("住址", 0.16, None),
                (head.address, 0.42, "address"),
            ],
        ),
    ]
    bottom = _table(paper, rng, 190, rows, 36, 32, face)
    box_bottom = H - 80
    paper.draw.rectangle((LEFT, bottom, RIGHT, box_bottom), outline=INK, width=3)
    mid = LEFT + 0.5 * (RIGHT - LEFT)
    paper.draw.line((mid, bottom, mid, box_bottom), fill=INK, width=2)
    authority = _authority(rng, head.region)
    paper.text((LEFT + 200, box_bottom - 70), "户口专用章", 30, "serif")
    paper.text((mid + 40, bottom + 80), "承办人签章：", 34, "serif")
    _stamp(paper, rng, mid + 260, bottom + 78, clerk)
    caption = paper.text((mid + 40, bottom + 300), "签发日期：", 34, "serif")
    paper.text((caption[2] + 4, bottom + 300), values.cn_date(issue), 34, "serif", field="issueDate")
    paper.seal(
        rng,
        LEFT + 330 + rng.uniform(-40, 40),
        bottom + 230 + rng.uniform(-30, 30),
        rng.uniform(130, 150),
        authority + "户口专用章",
    )
    return RenderedCard(image=paper.image, label=label, boxes=paper.boxes, extra={"authority": authority},
                        width_mm=HOUSEHOLD_PAGE_MM)


def _relation(rng: random.Random, head_age: int, age: int, male: bool) -> str:
    if age >= head_age - 15:
        return rng.choice(("户主",)) if rng.random() < 0.4 else ("夫" if male else "妻")
    order = rng.choice(("长", "次", "")) if rng.random() < 0.7 else ""
    return f"{order}{'子' if male else '女'}"


def _education(rng: random.Random, age: int) -> str:
    if age < 7:
        return ""
    if age < 19:
        return "小学" if age < 13 else "初中" if age < 16 else "高中"
    return rng.choice(_EDUCATION)


def render_resident(rng: random.Random) -> RenderedCard:
    p = values.person(rng, min_age=0, max_age=85)
    age = (TODAY - p.birth).days // 365
    relation = _relation(rng, rng.randint(age, age + 40), age, p.male)
    paper = Paper(rng, W, H, (rng.randint(236, 250), rng.randint(232, 246), rng.randint(222, 240)))
    label = empty_fields("household-resident")
    home = values.random_region(rng) if rng.random() < 0.3 else p.region
    birth_place = f"{p.region.province}{p.region.city or p.region.county}"
    hometown = f"{home.province}{home.city or home.county}"
    register = values.random_date(rng, max(p.birth, dt.date(2000, 1, 1)), TODAY)
    clerk = _clerk(rng)
    adult = age >= 18
    moved = rng.random() < 0.5
    came = values.random_date(rng, p.birth, register) if moved else None
    origin = values.random_region(rng)
    migration_city = f"{values.cn_date(came)}由{origin.full}迁来" if came else ""
    migration_here = ""
    if came and rng.random() < 0.6:
        street = values.street_address(rng, origin).split("号")[0] + "号"  # house number, no flat
        migration_here = f"{values.cn_date(came)}由{origin.full}{street}迁来"
    company = ""
    if adult and rng.random() < 0.6:
        company = company_name(rng, values.random_region(rng), "有限责任公司", p.name)
    label.update(
        name=p.name,
        relationTo=relation,
        formerName=values.person(rng).name if rng.random() < 0.15 else "",
        birthPlace=birth_place,
        nation=f"{p.ethnic}族",
        hometown=hometown,
        birthday=values.fmt_date(p.birth),
        religion=rng.choice(_RELIGIONS) if rng.random() < 0.2 else "",
        idNumber=p.id_number,
        height=(f"{rng.randint(150, 190)}" + ("cm" if rng.random() < 0.4 else ""))
        if adult and rng.random() < 0.5
        else "",
        bloodType=rng.choice(_BLOOD) if rng.random() < 0.6 else "",
        education=_education(rng, age),
        maritalStatus=(rng.choice(("已婚", "已婚", "未婚", "离婚", "丧偶")) if age >= 22 else "未婚")
        if adult
        else "",
        militaryService=rng.choice(("未服兵役", "未服兵役", "退出现役"))
        if adult and rng.random() < 0.6
        else "",
        servicePremises=company,
        occupation=rng.choice(_OCCUPATIONS) if adult else "学生" if age >= 7 else "",
        migrationDate1=migration_here,
        migrationDate2=migration_city,
        otherAddress=values.street_address(rng, p.region) if rng.random() < 0.1 else "",
        registerDate=values.fmt_date(register),
        undertaker=clerk,
        type="household-resident",
    )
    face = rng.choice(("serif", "sans", "hei"))
    title = "常住人口登记卡"
    paper.text(((W - font("serif-bold", 56).getlength(title)) / 2, 40), title, 56, "serif-bold")
    if rng.random() < 0.6:
        number = f"{rng.randrange(10**8, 10**9)}"
        label["householdNumber"] = number
        paper.text((RIGHT - 330, 70), "户号", 30, "serif")
        paper.text((RIGHT - 250, 70), number, 30, face, field="householdNumber")
    v = label
    rows: list[tuple[float, list[Cell]]] = [
        (
            72,
            [
                ("姓名", 0.14, None),
                (v["name"], 0.26, "name"),
                ("户主或与户主关系", 0.22, None),
                (v["relationTo"], 0.38, "relationTo"),
            ],
        ),
        (
            72,
            [
                ("曾用名", 0.14, None),
                (v["formerName"], 0.26, "formerName"),
                ("性别", 0.22, None),
                (p.sex, 0.38, "sex"),
            ],
        ),
        (
            72,
            [
                ("出生地", 0.14, None),
                (v["birthPlace"], 0.26, "birthPlace"),
                ("民族", 0.22, None),
                (v["nation"], 0.38, "nation"),
            ],
        ),
        (
            72,
            [
                ("籍贯", 0.14, None),
                (v["hometown"], 0.26, "hometown"),
                ("出生日期", 0.22, None),
                (values.cn_date(p.birth), 0.38, "birthday"),
            ],
        ),
        (
            72,
            [
                ("本市（县）其他住址", 0.22, None),
                (v["otherAddress"], 0.40, "otherAddress"),
                ("宗教信仰", 0.14, None),
                (v["religion"], 0.24, "religion"),
            ],
        ),
        (
            72,
            [
                ("公民身份证件编号", 0.22, None),
                (v["idNumber"], 0.32, "idNumber"),
                ("身高", 0.08, None),
                (v["height"], 0.14, "height"),
                ("血型", 0.08, None),
                (v["bloodType"], 0.16, "bloodType"),
            ],
        ),
        (
            72,
            [
                ("文化程度", 0.14, None),
                (v["education"], 0.18, "education"),
                ("婚姻状况", 0.14, None),
                (v["maritalStatus"], 0.14, "maritalStatus"),
                ("兵役状况", 0.14, None),
                (v["militaryService"], 0.26, "militaryService"),
            ],
        ),
        (
            72,
            [
                ("服务处所", 0.14, None),
                (v["servicePremises"], 0.48, "servicePremises"),
                ("职业", 0.10, None),
                (v["occupation"], 0.28, "occupation"),
            ],
        ),
        (72, [("何时由何地迁来本市（县）", 0.26, None), (v["migrationDate2"], 0.74, "migrationDate2")]),
        (72, [("何时由何地迁来本址", 0.26, None), (v["migrationDate1"], 0.74, "migrationDate1")]),
        (
            100,
            [
                ("承办人签章", 0.14, None),
                ("", 0.36, "undertaker"),
                ("登记日期", 0.14, None),
                (values.cn_date(register), 0.36, "registerDate"),
            ],
        ),
    ]
    bottom = _table(paper, rng, 140, rows, 28, 30, face)
    _stamp(paper, rng, LEFT + 0.14 * (RIGHT - LEFT) + 60, bottom - 70, clerk)
    authority = _authority(rng, p.region)
    paper.seal(
        rng,
        RIGHT - 250 + rng.uniform(-60, 40),
        bottom - 120 + rng.uniform(-40, 20),
        rng.uniform(110, 130),
        authority + "户口专用章",
    )
    return RenderedCard(
        image=paper.image, label=label, boxes=paper.boxes, extra={"sex": p.sex, "authority": authority},
        width_mm=HOUSEHOLD_PAGE_MM,
    )
