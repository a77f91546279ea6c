"""Passport data pages (ICAO TD3, 125 × 88 mm at 1250 × 880 px) with a correct two-line MRZ in OCR-B.

Mostly Chinese ordinary passports (护照 PASSPORT, bilingual labels, Chinese + pinyin names, places as
``广东 GUANGDONG``, dates as ``15 3月/MAR 2019``, authority 国家移民管理局 since 2018 or 公安部出入境管理局
before); about a fifth are Latin-only passports of other countries for variety.

Label conventions (see bench/synth/README.md): dates YYYY-MM-DD, birthDay/expireDay MM-DD, ``name`` =
``SURNAME GIVEN NAMES`` in Latin letters, ``cnNameRaw`` = the pinyin of the Chinese name, ``personId`` =
the MRZ personal-number field without fillers, ``srcCountry`` = the nationality code (e.g. CHN).
"""

from __future__ import annotations

import datetime as dt
import random

from PIL import ImageDraw

from bench.synth import draw, values
from bench.synth.base import Box, RenderedCard, font
from certscan.checks.mrz import check_digit
from certscan.constants import empty_fields

W, H = 1250, 880
TODAY = dt.date(2026, 6, 1)
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
NIA_SINCE = dt.date(2018, 4, 10)  # the National Immigration Administration took over issuing

FOREIGN: list[tuple[str, str, list[str], list[str], list[str]]] = [
    # code, issuing authority, surnames, given names (alternately male and female), places of birth
    (
        "GBR",
        "HMPO",
        ["SMITH", "JONES", "TAYLOR", "BROWN"],
        ["OLIVER", "EMMA", "JAMES", "AMELIA"],
        ["LONDON", "MANCHESTER", "LEEDS"],
    ),
    (
        "USA",
        "UNITED STATES DEPARTMENT OF STATE",
        ["JOHNSON", "WILLIAMS", "GARCIA", "MILLER"],
        ["MICHAEL", "SARAH", "DAVID", "JENNIFER"],
        ["CALIFORNIA U.S.A.", "NEW YORK U.S.A.", "TEXAS U.S.A."],
    ),
    (
        "DEU",
        "STADT BERLIN",
        ["MUELLER", "SCHMIDT", "SCHNEIDER", "FISCHER"],
        ["LUKAS", "ANNA", "FELIX", "LEA"],
        ["BERLIN", "HAMBURG", "MUENCHEN"],
    ),
    (
        "FRA",
        "PREFECTURE DE PARIS",
        ["MARTIN", "BERNARD", "DUBOIS", "THOMAS"],
        ["LOUIS", "CHLOE", "HUGO", "LEA"],
        ["PARIS", "LYON", "MARSEILLE"],
    ),
    (
        "JPN",
        "MINISTRY OF FOREIGN AFFAIRS",
        ["SATO", "SUZUKI", "TAKAHASHI", "TANAKA"],
        ["HARUTO", "YUI", "SOTA", "HINA"],
        ["TOKYO", "OSAKA", "AICHI"],
    ),
    (
        "KOR",
        "MINISTRY OF FOREIGN AFFAIRS",
        ["KIM", "LEE", "PARK", "CHOI"],
        ["MINJUN", "SEOYEON", "JIHO", "HAYOON"],
        ["SEOUL", "BUSAN", "INCHEON"],
    ),
    (
        "SGP",
        "IMMIGRATION & CHECKPOINTS AUTHORITY",
        ["TAN", "LIM", "NG", "WONG"],
        ["WEI MING", "HUI LING", "JUN JIE"],
        ["SINGAPORE"],
    ),
    (
        "CAN",
        "GATINEAU",
        ["ROY", "TREMBLAY", "GAGNON", "WILSON"],
        ["LIAM", "OLIVIA", "NOAH", "CHARLOTTE"],
        ["TORONTO CAN", "MONTREAL CAN", "VANCOUVER CAN"],
    ),
]


def mrz_name(surname: str, given: str) -> str:
    return f"{surname.replace(' ', '<')}<<{given.replace(' ', '<')}"


def mrz_lines(
    country: str,
    surname: str,
    given: str,
    number: str,
    nationality: str,
    birth: dt.date,
    sex: str,
    expiry: dt.date,
    personal: str,
) -> tuple[str, str]:
    """TD3: ``P<`` + issuing state + names (44); number, nationality, dates, personal number, checks (44)."""
    line0 = f"P<{country}{mrz_name(surname, given)}"[:44].ljust(44, "<")
    num = number.ljust(9, "<")
    dob, exp = f"{birth:%y%m%d}", f"{expiry:%y%m%d}"
    pers = personal.ljust(14, "<")
    pers_check = check_digit(pers) if personal else "<"
    body = (f"{num}{check_digit(num)}{nationality}{dob}{check_digit(dob)}{sex}{exp}{check_digit(exp)}"
            f"{pers}{pers_check}")
    composite = body[0:10] + body[13:20] + body[21:43]
    return line0, body + check_digit(composite)


def chinese_passport_number(rng: random.Random, issued: dt.date) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(8))
    if issued < dt.date(2012, 5, 15):
        return "G" + digits
    if issued < dt.date(2017, 1, 1) or rng.random() < 0.3:
        return "E" + digits
    return "E" + rng.choice("ABCDEFGHJKLMN") + digits[:7]


def printed_date(day: dt.date, chinese: bool) -> str:
    month = MONTHS[day.month - 1]
    return (
        f"{day.day:02d} {day.month}月/{month} {day.year}" if chinese else f"{day.day:02d} {month} {day.year}"
    )


class _Page:
    """The page being drawn and the boxes of the fields on it."""

    def __init__(self, rng: random.Random, tint: tuple[int, int, int]) -> None:
        base = draw.paper((W, H), rng, tint, grain=6).convert("RGBA")
        base.alpha_composite(
            draw.guilloche((W, H), rng, (150, 120, 170), alpha=rng.randint(20, 35), curves=30)
        )
        self.image = base.convert("RGB")
        self.draw = ImageDraw.Draw(self.image)
        self.boxes: dict[str, list[Box]] = {}

    def label(self, x: float, y: float, text: str) -> None:
        draw.text(self.draw, (x, y), text, font("sans", 17), (70, 70, 110))

    def value(
        self, x: float, y: float, text: str, key: str | None = None, size: int = 27, face: str = "sans-bold"
    ) -> Box:
        fnt = draw.fit_font(face, text, W - 40 - x, size)  # long authorities shrink to fit the page
        box = draw.text(self.draw, (x, y + 20), text, fnt, (25, 25, 30))
        if key:
            self.boxes.setdefault(key, []).append(box)
        return box


def _mrz(page: _Page, line0: str, line1: str) -> None:
    fnt = draw.fit_font("ocrb", "<" * 44, W - 110, 44)
    page.draw.rectangle((0, H - 150, W, H), fill=(248, 248, 245))
    page.boxes["line0"] = [draw.text(page.draw, (55, H - 135), line0, fnt, (15, 15, 15))]
    page.boxes["line1"] = [draw.text(page.draw, (55, H - 75), line1, fnt, (15, 15, 15))]


def _chinese(rng: random.Random) -> RenderedCard:
    p = values.person(rng, min_age=1, max_age=80, today=TODAY)
    # Machine-readable booklets of this layout: issued in the last dozen years, most still valid.
    issued = values.random_date(
        rng, max(p.birth + dt.timedelta(days=60), values.add_years(TODAY, -12)), TODAY - dt.timedelta(days=3)
    )
    years = 5 if (issued - p.birth).days < 16 * 365 else 10
    expiry = values.add_years(issued, years) - dt.timedelta(days=1)
    number = chinese_passport_number(rng, issued)
    birth_short, birth_py = values.PROVINCE_SHORT[p.region.code[:2]]
    issue_code = p.region.code[:2] if rng.random() < 0.85 else rng.choice(list(values.PROVINCE_SHORT))
    issue_short, issue_py = values.PROVINCE_SHORT[issue_code]
    authority, authority_en = (
        ("国家移民管理局", "National Immigration Administration, PRC")
        if issued >= NIA_SINCE
        else ("公安部出入境管理局", "Exit & Entry Administration, Ministry of Public Security")
    )
    personal = "".join(rng.choice("ABCDEFGHIJKLMNOP") for _ in range(rng.choice((12, 13))))
    sex = "M" if p.male else "F"
    line0, line1 = mrz_lines(
        "CHN", p.surname_pinyin, p.given_pinyin, number, "CHN", p.birth, sex, expiry, personal
    )
    page = _Page(rng, (rng.randint(236, 246), rng.randint(232, 242), rng.randint(238, 248)))
    d = page.draw
    draw.text(d, (60, 40), "中华人民共和国", font("serif-bold", 34), (60, 40, 90), spacing=6)
    draw.text(d, (60, 86), "PEOPLE'S REPUBLIC OF CHINA", font("sans", 22), (60, 40, 90))
    draw.text(d, (640, 40), "护照", font("serif-bold", 34), (60, 40, 90), spacing=10)
    draw.text(d, (760, 46), "PASSPORT", font("sans-bold", 28), (60, 40, 90))
    page.image.paste(draw.portrait((300, 385), rng, p.male, (235, 235, 238)), (60, 160))
    x1, x2, x3 = 400, 640, 900
    page.label(x1, 140, "类型/Type")
    page.value(x1, 140, "P", "type")
    page.label(x2, 140, "国家码/Country Code")
    page.value(x2, 140, "CHN", "srcCountry")
    page.label(x3, 140, "护照号/Passport No.")
    page.value(x3, 140, number, "passportNo")
    page.label(x1, 205, "姓/Surname")
    page.value(x1, 205, f"{p.surname}", "cnName")
    page.value(x1 + 34 * len(p.surname) + 24, 205, p.surname_pinyin, "surname")
    page.label(x1, 270, "名/Given names")
    page.value(x1, 270, p.given, "cnName")
    page.value(x1 + 34 * len(p.given) + 24, 270, p.given_pinyin, "givenName")
    page.label(x1, 335, "性别/Sex")
    page.value(x1, 335, f"{p.sex} /{sex}", "sex")
    page.label(x2, 335, "出生地点/Place of birth")
    page.value(x2, 335, birth_short, "birthPlace")
    page.value(x2 + 34 * len(birth_short) + 20, 335, birth_py, "birthPlaceRaw")
    page.label(x1, 400, "出生日期/Date of birth")
    page.value(x1, 400, printed_date(p.birth, True), "birthDate")
    page.label(x1, 465, "签发地点/Place of issue")
    page.value(x1, 465, issue_short, "issuePlace")
    page.value(x1 + 34 * len(issue_short) + 20, 465, issue_py, "issuePlaceRaw")
    page.label(x3 - 60, 465, "签发日期/Date of issue")
    page.value(x3 - 60, 465, printed_date(issued, True), "issueDate")
    page.label(x1, 530, "签发机关/Authority")
    page.value(x1, 530, authority, "authority", size=25)
    page.value(x1, 560, authority_en, size=19, face="sans")
    page.label(x3 - 60, 530, "有效期至/Date of expiry")
    page.value(x3 - 60, 530, printed_date(expiry, True), "expireDate")
    _mrz(page, line0, line1)
    fields = empty_fields("passport")
    fields.update(
        authority=authority,
        birthDate=values.fmt_date(p.birth),
        birthDay=f"{p.birth:%m-%d}",
        birthPlace=birth_short,
        birthPlaceRaw=birth_py,
        expireDate=values.fmt_date(expiry),
        expireDay=f"{expiry:%m-%d}",
        issueDate=values.fmt_date(issued),
        issuePlace=issue_short,
        issuePlaceRaw=issue_py,
        name=f"{p.surname_pinyin} {p.given_pinyin}",
        cnName=p.name,
        cnNameRaw=f"{p.surname_pinyin} {p.given_pinyin}",
        personId=personal,
        srcCountry="CHN",
        type="P",
        line0=line0,
        line1=line1,
        surname=p.surname_pinyin,
        givenName=p.given_pinyin,
    )
    return RenderedCard(
        page.image, fields, page.boxes, extra={"passportNo": number, "sex": sex, "style": "CHN"},
        width_mm=125.0,  # TD3 data page
    )


def _foreign(rng: random.Random) -> RenderedCard:
    code, authority, surnames, givens, places = rng.choice(FOREIGN)
    male = rng.random() < 0.5
    surname, place = rng.choice(surnames), rng.choice(places)
    given = rng.choice(givens[0::2] if male else givens[1::2])  # the tables alternate male, female
    birth = values.random_date(rng, dt.date(1945, 1, 1), dt.date(2015, 1, 1))
    issued = values.random_date(rng, dt.date(2016, 1, 1), TODAY - dt.timedelta(days=3))
    expiry = values.add_years(issued, 10 if (issued - birth).days > 18 * 365 else 5) - dt.timedelta(days=1)
    alnum = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    number = rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + "".join(rng.choice(alnum) for _ in range(8))
    personal = (
        "".join(rng.choice("0123456789") for _ in range(rng.choice((9, 10)))) if rng.random() < 0.4 else ""
    )
    sex = "M" if male else "F"
    line0, line1 = mrz_lines(code, surname, given, number, code, birth, sex, expiry, personal)
    page = _Page(rng, (rng.randint(230, 248), rng.randint(232, 246), rng.randint(220, 240)))
    d = page.draw
    draw.text(d, (60, 40), "PASSPORT", font("serif-bold", 40), (40, 50, 90), spacing=8)
    page.image.paste(draw.portrait((300, 385), rng, male, (232, 235, 240)), (60, 160))
    x1, x2, x3 = 400, 620, 860
    rows: list[tuple[float, float, str, str, str | None]] = [
        (x1, 140, "Type", "P", "type"),
        (x2, 140, "Code", code, "srcCountry"),
        (x3, 140, "Passport No.", number, "passportNo"),
        (x1, 210, "Surname", surname, "surname"),
        (x1, 280, "Given names", given, "givenName"),
        (x1, 350, "Nationality", code, None),
        (x1, 420, "Date of birth", printed_date(birth, False), "birthDate"),
        (x3, 420, "Sex", sex, "sex"),
        (x1, 490, "Place of birth", place, "birthPlace"),
        (x1, 560, "Date of issue", printed_date(issued, False), "issueDate"),
        (x3, 560, "Authority", authority, "authority"),
        (x1, 630, "Date of expiry", printed_date(expiry, False), "expireDate"),
    ]
    for x, y, label, text, key in rows:
        page.label(x, y, label)
        page.value(x, y, text, key, size=26 if len(text) < 24 else 20)
    _mrz(page, line0, line1)
    fields = empty_fields("passport")
    fields.update(
        authority=authority,
        birthDate=values.fmt_date(birth),
        birthDay=f"{birth:%m-%d}",
        birthPlace=place,
        birthPlaceRaw=place,
        expireDate=values.fmt_date(expiry),
        expireDay=f"{expiry:%m-%d}",
        issueDate=values.fmt_date(issued),
        name=f"{surname} {given}",
        personId=personal,
        srcCountry=code,
        type="P",
        line0=line0,
        line1=line1,
        surname=surname,
        givenName=given,
    )
    return RenderedCard(
        page.image, fields, page.boxes, extra={"passportNo": number, "sex": sex, "style": code},
        width_mm=125.0,  # TD3 data page
    )


def render(rng: random.Random) -> RenderedCard:
    return _chinese(rng) if rng.random() < 0.8 else _foreign(rng)
