"""Motor-vehicle licence (机动车行驶证): the main page (front) and the 副页 (back), 88×60 mm at 10 px/mm.

The printed values come from the issuing office's printer, so they sit a little off their cells and use
a different face from the pre-printed labels. Values are self-consistent: a large-vehicle type carries a
yellow-plate number, the VIN has its ISO 3779 check digit, the back's dimensions and masses fit the type.
"""

from __future__ import annotations

import datetime as dt
import random

from bench.synth import values
from bench.synth.base import RenderedCard, font
from bench.synth.cards.driver import INK, H, Sheet, W, round_seal, traffic_police
from bench.synth.cards.plate import plate_number
from certscan.constants import empty_fields

# (vehicle type, plate style, passengers, kerb mass range kg, length range mm)
VEHICLE_KINDS: list[tuple[str, str, tuple[int, int], tuple[int, int], tuple[int, int]]] = [
    ("小型轿车", "blue", (5, 5), (1050, 1900), (3900, 5100)),
    ("小型轿车", "blue", (5, 5), (1050, 1900), (3900, 5100)),
    ("小型普通客车", "blue", (5, 9), (1300, 2400), (4300, 5300)),
    ("小型越野客车", "blue", (5, 7), (1500, 2600), (4300, 5100)),
    ("中型普通客车", "yellow", (10, 19), (3500, 6000), (6000, 8000)),
    ("大型普通客车", "yellow", (20, 55), (9000, 13000), (9000, 12000)),
    ("轻型普通货车", "yellow", (2, 3), (1800, 3000), (4800, 6000)),
    ("轻型厢式货车", "yellow", (2, 3), (1900, 3200), (4800, 6000)),
    ("重型半挂牵引车", "yellow", (2, 2), (8000, 9500), (6500, 7200)),
    ("重型仓栅式货车", "yellow", (2, 3), (9000, 12000), (9000, 12000)),
]
USE_CHARACTERS = ["非营运"] * 6 + ["营运", "租赁", "出租客运", "预约出租客运", "公路客运", "货运"]
BRANDS = [
    "大众汽车牌",
    "别克牌",
    "丰田牌",
    "本田牌",
    "日产牌",
    "比亚迪牌",
    "吉利牌",
    "长安牌",
    "哈弗牌",
    "奇瑞牌",
    "五菱牌",
    "东风牌",
    "解放牌",
    "福田牌",
    "江淮牌",
    "宝马牌",
    "奔驰牌",
    "奥迪牌",
    "荣威牌",
    "传祺牌",
]
COMPANY_WORDS = [
    "华运",
    "顺达",
    "恒通",
    "鑫源",
    "宏达",
    "盛世",
    "远航",
    "联创",
    "金泰",
    "东升",
    "佳和",
    "永信",
]
COMPANY_KINDS = [
    "物流有限公司",
    "运输有限公司",
    "汽车租赁有限公司",
    "商贸有限公司",
    "科技有限公司",
    "出租汽车有限公司",
]


def _model_code(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTVWXYZ"
    head = "".join(rng.choice(letters) for _ in range(rng.choice((2, 3))))
    tail = "".join(rng.choice(letters + "0123456789") for _ in range(rng.randint(1, 4)))
    return f"{head}{rng.randint(1000, 7299)}{tail}"


def _engine_number(rng: random.Random) -> str:
    alnum = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    prefix = "".join(rng.choice(alnum) for _ in range(rng.choice((0, 1, 2, 3))))
    return prefix + "".join(rng.choice("0123456789") for _ in range(rng.choice((6, 7, 8))))


def _owner(rng: random.Random, region: values.Region) -> str:
    if rng.random() < 0.8:
        return values.person(rng, min_age=18).name
    city = (region.city or region.province).removesuffix("市")
    return city + rng.choice(COMPANY_WORDS) + rng.choice(COMPANY_KINDS)


def _header(s: Sheet, title: str) -> None:
    s.draw.text((W / 2, 42), title, font=font("serif-bold", 38), fill=INK, anchor="mm")
    s.draw.text(
        (W / 2, 80),
        "Vehicle License of the People's Republic of China",
        font=font("serif", 18),
        fill=INK,
        anchor="mm",
    )


def _vehicle(
    rng: random.Random,
) -> tuple[tuple[str, str, tuple[int, int], tuple[int, int], tuple[int, int]], str, values.Region]:
    kind = rng.choice(VEHICLE_KINDS)
    region = values.random_region(rng)
    style = kind[1] if rng.random() < 0.9 else ("green" if kind[1] == "blue" else "green-large")
    plate, _ = plate_number(rng, style, values.PLATE_PROVINCE[region.code[:2]])
    return kind, plate, region


def render_front(rng: random.Random) -> RenderedCard:
    kind, plate, region = _vehicle(rng)
    registered = values.random_date(rng, dt.date(2005, 1, 1), dt.date(2026, 5, 1))
    issued = registered if rng.random() < 0.7 else values.random_date(rng, registered, dt.date(2026, 5, 31))
    label = empty_fields("vehicle-license-front")
    label.update(
        plateNum=plate,
        vehicleType=kind[0],
        owner=_owner(rng, region),
        useCharacter=rng.choice(USE_CHARACTERS),
        address=region.full + values.street_address(rng, region),
        model=rng.choice(BRANDS) + _model_code(rng),
        vin=values.vin_code(rng),
        engineNum=_engine_number(rng),
        registerDate=registered.isoformat(),
        issueDate=issued.isoformat(),
    )
    s = Sheet(rng, tint=(226, 233, 236) if rng.random() < 0.5 else (232, 236, 222))
    _header(s, "中华人民共和国机动车行驶证")
    rows = [
        (
            118,
            [
                ("号牌号码", "Plate No.", 60, "plateNum", 175, 290),
                ("车辆类型", "Vehicle Type", 470, "vehicleType", 590, 270),
            ],
        ),
        (178, [("所有人", "Owner", 60, "owner", 175, 680)]),
        (238, [("住址", "Address", 60, "address", 175, 680)]),
        (
            298,
            [
                ("使用性质", "Use Character", 60, "useCharacter", 195, 250),
                ("品牌型号", "Model", 470, "model", 590, 270),
            ],
        ),
        (358, [("车辆识别代号", "Vehicle Identification Number", 60, "vin", 270, 560)]),
        (418, [("发动机号码", "Engine No.", 60, "engineNum", 240, 560)]),
        (
            478,
            [
                ("注册日期", "Register Date", 60, "registerDate", 195, 250),
                ("发证日期", "Issue Date", 470, "issueDate", 590, 250),
            ],
        ),
    ]
    for y, cells in rows:
        for zh, en, x, key, vx, vw in cells:
            s.label((x, y), zh, en, size=22)
            s.value((vx, y - 4), str(label[key]), 28, key, max_w=vw, digits=key in ("vin", "engineNum"))
        s.draw.line((55, y + 50, 840, y + 50), fill=(150, 160, 160), width=1)
    round_seal(
        s, rng.uniform(150, 300), rng.uniform(470, 520), rng.uniform(80, 95), traffic_police(region), ""
    )
    return RenderedCard(s.image, label, s.boxes, extra={"plateStyle": "", "issuedBy": traffic_police(region)})


def _masses(
    rng: random.Random, kind: tuple[str, str, tuple[int, int], tuple[int, int], tuple[int, int]]
) -> tuple[int, int, int, int]:
    """(kerb mass, gross mass, approved load, traction mass) in kg; 0 = not applicable (printed blank)."""
    kerb = rng.randint(*kind[3]) // 5 * 5
    if "货车" in kind[0]:
        load = rng.randint(kerb // 2, kerb * 2) // 5 * 5
        return kerb, kerb + load + 65 * kind[2][0], load, 0
    if "牵引" in kind[0]:
        return kerb, kerb + 130, 0, rng.randint(30000, 40000) // 100 * 100
    return kerb, kerb + rng.randint(300, 600) + 65 * kind[2][1], 0, 0


def render_back(rng: random.Random) -> RenderedCard:
    kind, plate, region = _vehicle(rng)
    passengers = rng.randint(*kind[2])
    kerb, gross, load, traction = _masses(rng, kind)
    length = rng.randint(*kind[4])
    width = rng.randint(1650, 1950) if kind[1] == "blue" else rng.randint(1950, 2550)
    height = rng.randint(1380, 1950) if kind[1] == "blue" else rng.randint(2000, 3900)
    until = values.random_date(rng, dt.date(2010, 1, 1), dt.date(2028, 12, 31))
    record = f"检验有效期至{until.year}年{until.month:02d}月" + (plate[:2] if rng.random() < 0.5 else "")
    file_num = region.code[:4] + "".join(rng.choice("0123456789") for _ in range(8))
    label = empty_fields("vehicle-license-back")
    label.update(
        plateNum=plate,
        fileNum=file_num,
        appprovedPassengerCapacity=passengers,
        grossMass=f"{gross}kg",
        unladenMass=f"{kerb}kg",
        approvedLoad=f"{load}kg" if load else "",
        tractionMass=f"{traction}kg" if traction else "",
        inspectionRecord=record,
        overallDimension={"length": length, "width": width, "height": height},
    )
    s = Sheet(rng, tint=(226, 233, 236) if rng.random() < 0.5 else (232, 236, 222))
    s.draw.rectangle((40, 30, W - 40, H - 30), outline=INK, width=2)
    rows = [
        (
            55,
            [("号牌号码", 60, "plateNum", 190, 250, plate), ("档案编号", 460, "fileNum", 590, 250, file_num)],
        ),
        (
            125,
            [
                ("核定载人数", 60, "appprovedPassengerCapacity", 210, 220, f"{passengers}人"),
                ("总质量", 460, "grossMass", 560, 260, label["grossMass"]),
            ],
        ),
        (
            195,
            [
                ("整备质量", 60, "unladenMass", 190, 250, label["unladenMass"]),
                ("核定载质量", 460, "approvedLoad", 610, 210, label["approvedLoad"]),
            ],
        ),
        (265, [("外廓尺寸", 60, "overallDimension", 190, 330, f"{length}×{width}×{height}mm")]),
        (335, [("准牵引总质量", 60, "tractionMass", 240, 200, label["tractionMass"])]),
        (405, [("备注", 60, "", 190, 620, rng.choice(["", "", "行李架", "前后保险杠"]))]),
        (475, [("检验记录", 60, "inspectionRecord", 190, 620, record)]),
    ]
    for y, cells in rows:
        for zh, x, key, vx, vw, text in cells:
            s.text((x, y + 8), zh, 24, "serif")
            if text:
                s.value((vx, y + 4), text, 28, key or None, max_w=vw, digits=key in ("fileNum",))
        s.draw.line((40, y + 60, W - 40, y + 60), fill=(120, 130, 130), width=1)
    if rng.random() < 0.5:  # the inspection stamp printed over the record
        round_seal(
            s, rng.uniform(600, 760), rng.uniform(470, 520), 70, traffic_police(region) + "检验专用章", ""
        )
    return RenderedCard(s.image, label, s.boxes, extra={"vehicleType": kind[0]})
