"""Realistic, self-consistent field values for the synthetic corpus.

Everything is drawn from an explicit ``random.Random`` so a corpus is reproducible from its seed. A
``Person`` ties a name, sex, birth date, home region, address and ID number together; the card renderers
build on it so that, e.g., a driver license number equals its holder's ID number and the ID's region code
matches the printed address.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import cache

from certscan.checks import idnumber, luhn, uscc, vin
from certscan.checks.regions import all_codes, region_name

# Common surnames with their pinyin and a rough frequency weight (percent of the population).
_SURNAMES: list[tuple[str, str, float]] = [
    ("王", "WANG", 7.1), ("李", "LI", 7.0), ("张", "ZHANG", 6.7), ("刘", "LIU", 5.4), ("陈", "CHEN", 4.5),
    ("杨", "YANG", 3.1), ("黄", "HUANG", 2.2), ("赵", "ZHAO", 2.0), ("吴", "WU", 2.0), ("周", "ZHOU", 1.9),
    ("徐", "XU", 1.7), ("孙", "SUN", 1.5), ("马", "MA", 1.4), ("朱", "ZHU", 1.3), ("胡", "HU", 1.3),
    ("郭", "GUO", 1.1), ("何", "HE", 1.1), ("高", "GAO", 1.0), ("林", "LIN", 1.0), ("罗", "LUO", 0.9),
    ("郑", "ZHENG", 0.9), ("梁", "LIANG", 0.8), ("谢", "XIE", 0.7), ("宋", "SONG", 0.7), ("唐", "TANG", 0.6),
    ("许", "XU", 0.6), ("韩", "HAN", 0.6), ("冯", "FENG", 0.6), ("邓", "DENG", 0.6), ("曹", "CAO", 0.6),
    ("彭", "PENG", 0.5), ("曾", "ZENG", 0.5), ("肖", "XIAO", 0.5), ("田", "TIAN", 0.5), ("董", "DONG", 0.5),
    ("袁", "YUAN", 0.4), ("潘", "PAN", 0.4), ("于", "YU", 0.4), ("蒋", "JIANG", 0.4), ("蔡", "CAI", 0.4),
    ("余", "YU", 0.4), ("杜", "DU", 0.4), ("叶", "YE", 0.4), ("程", "CHENG", 0.4), ("苏", "SU", 0.3),
    ("魏", "WEI", 0.3), ("吕", "LYU", 0.3), ("丁", "DING", 0.3), ("任", "REN", 0.3), ("沈", "SHEN", 0.3),
    ("姚", "YAO", 0.3), ("卢", "LU", 0.3), ("姜", "JIANG", 0.3), ("崔", "CUI", 0.3), ("钟", "ZHONG", 0.3),
    ("谭", "TAN", 0.3), ("陆", "LU", 0.3), ("汪", "WANG", 0.3), ("范", "FAN", 0.3), ("金", "JIN", 0.3),
    ("石", "SHI", 0.2), ("廖", "LIAO", 0.2), ("贾", "JIA", 0.2), ("夏", "XIA", 0.2), ("韦", "WEI", 0.2),
    ("付", "FU", 0.2), ("方", "FANG", 0.2), ("白", "BAI", 0.2), ("邹", "ZOU", 0.2), ("孟", "MENG", 0.2),
    ("熊", "XIONG", 0.2), ("秦", "QIN", 0.2), ("邱", "QIU", 0.2), ("江", "JIANG", 0.2), ("尹", "YIN", 0.2),
    ("薛", "XUE", 0.2), ("闫", "YAN", 0.2), ("段", "DUAN", 0.2), ("雷", "LEI", 0.2), ("侯", "HOU", 0.2),
    ("龙", "LONG", 0.2), ("史", "SHI", 0.2), ("陶", "TAO", 0.2), ("黎", "LI", 0.2), ("贺", "HE", 0.2),
    ("欧阳", "OUYANG", 0.05), ("司马", "SIMA", 0.01), ("诸葛", "ZHUGE", 0.01), ("上官", "SHANGGUAN", 0.01),
]

_GIVEN_MALE: list[tuple[str, str]] = [
    ("伟", "WEI"), ("强", "QIANG"), ("磊", "LEI"), ("军", "JUN"), ("勇", "YONG"), ("杰", "JIE"),
    ("涛", "TAO"), ("明", "MING"), ("超", "CHAO"), ("刚", "GANG"), ("平", "PING"), ("辉", "HUI"),
    ("鹏", "PENG"), ("华", "HUA"), ("飞", "FEI"), ("鑫", "XIN"), ("波", "BO"), ("斌", "BIN"),
    ("宇", "YU"), ("浩", "HAO"), ("凯", "KAI"), ("健", "JIAN"), ("俊", "JUN"), ("帆", "FAN"),
    ("帅", "SHUAI"), ("旭", "XU"), ("宁", "NING"), ("龙", "LONG"), ("林", "LIN"), ("建", "JIAN"),
    ("国", "GUO"), ("志", "ZHI"), ("文", "WEN"), ("海", "HAI"), ("东", "DONG"), ("晨", "CHEN"),
    ("子", "ZI"), ("轩", "XUAN"), ("博", "BO"), ("睿", "RUI"), ("泽", "ZE"), ("一", "YI"),
    ("嘉", "JIA"), ("振", "ZHEN"), ("兴", "XING"), ("成", "CHENG"), ("峰", "FENG"), ("亮", "LIANG"),
]
_GIVEN_FEMALE: list[tuple[str, str]] = [
    ("芳", "FANG"), ("娜", "NA"), ("敏", "MIN"), ("静", "JING"), ("丽", "LI"), ("艳", "YAN"),
    ("娟", "JUAN"), ("霞", "XIA"), ("秀", "XIU"), ("英", "YING"), ("玲", "LING"), ("燕", "YAN"),
    ("婷", "TING"), ("雪", "XUE"), ("慧", "HUI"), ("莉", "LI"), ("倩", "QIAN"), ("琳", "LIN"),
    ("欣", "XIN"), ("怡", "YI"), ("佳", "JIA"), ("梅", "MEI"), ("兰", "LAN"), ("红", "HONG"),
    ("萍", "PING"), ("晶", "JING"), ("颖", "YING"), ("雨", "YU"), ("涵", "HAN"), ("梓", "ZI"),
    ("诗", "SHI"), ("琪", "QI"), ("悦", "YUE"), ("思", "SI"), ("月", "YUE"), ("瑶", "YAO"),
    ("丹", "DAN"), ("洁", "JIE"), ("华", "HUA"), ("春", "CHUN"), ("小", "XIAO"), ("晓", "XIAO"),
]

# The 56 ethnic groups as printed on ID cards (民族 without 族), weighted roughly by population share.
ETHNIC_GROUPS: list[tuple[str, float]] = [
    ("汉", 91.1), ("壮", 1.4), ("回", 0.8), ("满", 0.75), ("维吾尔", 0.8), ("苗", 0.7), ("彝", 0.7),
    ("土家", 0.7), ("藏", 0.5), ("蒙古", 0.45), ("侗", 0.2), ("布依", 0.2), ("瑶", 0.2), ("白", 0.15),
    ("朝鲜", 0.12), ("哈尼", 0.12), ("黎", 0.1), ("哈萨克", 0.1), ("傣", 0.09), ("畲", 0.05),
    ("傈僳", 0.05), ("东乡", 0.05), ("仡佬", 0.04), ("拉祜", 0.04), ("佤", 0.03), ("水", 0.03),
    ("纳西", 0.02), ("羌", 0.02), ("土", 0.02), ("仫佬", 0.02), ("锡伯", 0.015), ("柯尔克孜", 0.015),
    ("景颇", 0.01), ("达斡尔", 0.01), ("撒拉", 0.01), ("布朗", 0.01), ("毛南", 0.01), ("塔吉克", 0.005),
    ("普米", 0.004), ("阿昌", 0.004), ("怒", 0.003), ("鄂温克", 0.003), ("京", 0.002), ("基诺", 0.002),
    ("德昂", 0.002), ("保安", 0.002), ("俄罗斯", 0.002), ("裕固", 0.001), ("乌孜别克", 0.001),
    ("门巴", 0.001), ("鄂伦春", 0.001), ("独龙", 0.001), ("赫哲", 0.001), ("高山", 0.001),
    ("珞巴", 0.001), ("塔塔尔", 0.001),
]

# Province names as Chinese passports print them (place of birth / issue): short name and pinyin.
PROVINCE_SHORT: dict[str, tuple[str, str]] = {
    "11": ("北京", "BEIJING"), "12": ("天津", "TIANJIN"), "13": ("河北", "HEBEI"), "14": ("山西", "SHANXI"),
    "15": ("内蒙古", "NEIMENGGU"), "21": ("辽宁", "LIAONING"), "22": ("吉林", "JILIN"),
    "23": ("黑龙江", "HEILONGJIANG"), "31": ("上海", "SHANGHAI"), "32": ("江苏", "JIANGSU"),
    "33": ("浙江", "ZHEJIANG"), "34": ("安徽", "ANHUI"), "35": ("福建", "FUJIAN"), "36": ("江西", "JIANGXI"),
    "37": ("山东", "SHANDONG"), "41": ("河南", "HENAN"), "42": ("湖北", "HUBEI"), "43": ("湖南", "HUNAN"),
    "44": ("广东", "GUANGDONG"), "45": ("广西", "GUANGXI"), "46": ("海南", "HAINAN"),
    "50": ("重庆", "CHONGQING"), "51": ("四川", "SICHUAN"), "52": ("贵州", "GUIZHOU"),
    "53": ("云南", "YUNNAN"), "54": ("西藏", "XIZANG"), "61": ("陕西", "SHAANXI"), "62": ("甘肃", "GANSU"),
    "63": ("青海", "QINGHAI"), "64": ("宁夏", "NINGXIA"), "65": ("新疆", "XINJIANG"),
}
# Plate prefixes (省份简称) by province code, used by the plate and vehicle-license renderers.
PLATE_PROVINCE: dict[str, str] = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "贵",
    "53": "云", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
}

_ROAD_WORDS = ["人民", "解放", "建设", "中山", "和平", "新华", "胜利", "幸福", "朝阳", "光明",
               "文化", "长江", "黄河", "东风", "青年", "友谊", "育才", "花园", "迎宾", "滨江",
               "湖滨", "工业", "科技", "金融", "振兴", "团结", "学府", "北京", "延安", "南京",
               "开元", "复兴", "康宁", "民主", "丰收", "春晖"]
_PLACE_WORDS = ["城关", "新城", "东城", "西关", "南湖", "北苑", "长安", "兴隆", "太平", "永安",
                "石桥", "龙泉", "清水", "白沙", "桃园", "柳树", "双河", "三里", "大王", "杨庄",
                "李庄", "马家", "张家", "高桥", "红星", "前进", "青山", "河西", "金山", "大营",
                "黄庄", "梨园", "吉祥", "宏伟", "安乐", "平安"]
_ESTATE_WORDS = ["阳光", "碧桂", "金色", "锦绣", "翠湖", "世纪", "恒大", "万科", "紫荆", "书香",
                 "玉兰", "香榭"]
_ESTATE_SUFFIX = ["花园", "小区", "家园", "公寓", "名苑", "新村", "华庭", "苑"]


def weighted_choice(rng: random.Random, items: list[tuple[str, float]]) -> str:
    return rng.choices([i[0] for i in items], weights=[i[1] for i in items], k=1)[0]


@dataclass(frozen=True)
class Region:
    code: str  # 6-digit county-level GB/T 2260 code
    province: str
    city: str  # "" for municipalities and province-administered counties
    county: str

    @property
    def full(self) -> str:
        return f"{self.province}{self.city}{self.county}"

    @property
    def city_or_province(self) -> str:
        """The city a public-security bureau is named after (the municipality itself for 北京 etc.)."""
        return self.city or self.province


_CITY_PLACEHOLDERS = {"", "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@cache
def regions() -> list[Region]:
    """County-level regions whose province, city and county names are all known (mainland only)."""
    out = []
    for code in all_codes():
        if code.endswith("00") or code[:2] not in PROVINCE_SHORT:
            continue
        county, province = region_name(code), region_name(code[:2] + "0000")
        city = region_name(code[:4] + "00")
        if not county or not province or county == "市辖区" or (code[:4] + "00") == code:
            continue
        if city in _CITY_PLACEHOLDERS:
            city = ""
        elif not region_name(code[:4] + "00"):
            continue
        out.append(Region(code, province, city, county))
    return out


def random_region(rng: random.Random) -> Region:
    return rng.choice(regions())


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def id_number(rng: random.Random, region_code: str, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    first17 = f"{region_code}{birth:%Y%m%d}{seq:03d}"
    return first17 + idnumber.check_char(first17)


def street_address(rng: random.Random, region: Region) -> str:
    """The part after the county: a street/road and number in towns, a village in the countryside."""
    urban = region.county.endswith("区") or rng.random() < 0.4
    if urban:
        street = rng.choice(_ROAD_WORDS) + rng.choice(["路", "街", "大道", "东路", "西路", "南路", "北路"])
        tail = f"{rng.randint(1, 999)}号"
        if rng.random() < 0.6:
            estate = rng.choice(_ESTATE_WORDS) + rng.choice(_ESTATE_SUFFIX)
            room = f"{rng.randint(1, 32)}0{rng.randint(1, 4)}"
            tail += f"{estate}{rng.randint(1, 30)}栋{rng.randint(1, 3)}单元{room}室"
        prefix = rng.choice(_PLACE_WORDS) + "街道" if rng.random() < 0.5 else ""
        return f"{prefix}{street}{tail}"
    town = rng.choice(_PLACE_WORDS) + rng.choice(["镇", "乡"])
    village = rng.choice(_PLACE_WORDS) + "村"
    if rng.random() < 0.5:
        return f"{town}{village}{rng.randint(1, 12)}组{rng.randint(1, 99)}号"
    return f"{town}{village}{rng.randint(1, 300)}号"


@dataclass(frozen=True)
class Person:
    surname: str
    given: str
    surname_pinyin: str
    given_pinyin: str  # as one word, e.g. "XIAOMING" (passports print it that way)
    male: bool
    ethnic: str
    birth: dt.date
    region: Region
    address: str  # full, as on the ID card
    id_number: str

    @property
    def name(self) -> str:
        return self.surname + self.given

    @property
    def sex(self) -> str:
        return "男" if self.male else "女"


def person(rng: random.Random, min_age: int = 0, max_age: int = 85, today: dt.date | None = None) -> Person:
    today = today or dt.date(2026, 6, 1)
    male = rng.random() < 0.51
    surname, surname_py, _ = rng.choices(_SURNAMES, weights=[s[2] for s in _SURNAMES], k=1)[0]
    pool = _GIVEN_MALE if male else _GIVEN_FEMALE
    chars = rng.sample(pool, 2 if rng.random() < 0.78 else 1)
    birth = random_date(rng, add_years(today, -max_age), add_years(today, -min_age))
    region = random_region(rng)
    return Person(
        surname=surname, given="".join(c for c, _ in chars), surname_pinyin=surname_py,
        given_pinyin="".join(p for _, p in chars), male=male, ethnic=weighted_choice(rng, ETHNIC_GROUPS),
        birth=birth, region=region, address=region.full + street_address(rng, region),
        id_number=id_number(rng, region.code, birth, male),
    )


def id_validity(rng: random.Random, birth: dt.date, today: dt.date) -> tuple[dt.date, dt.date | None]:
    """(start, end or None for 长期) of a resident ID card, by the holder's age when it was issued.

    Under 16: 5 years; 16-25: 10 years; 26-45: 20 years; 46 and over: long-term (Resident Identity Card Law).
    """
    age_now = (today - birth).days // 365
    issued_age = rng.randint(max(0, age_now - 19), max(0, age_now)) if age_now > 0 else 0
    start = random_date(rng, add_years(birth, issued_age), add_years(birth, issued_age + 1))
    start = min(start, today - dt.timedelta(days=1))
    age_at_issue = (start - birth).days // 365
    if age_at_issue < 16:
        return start, add_years(start, 5)
    if age_at_issue < 26:
        return start, add_years(start, 10)
    if age_at_issue < 46:
        return start, add_years(start, 20)
    return start, None


def police_authority(rng: random.Random, region: Region) -> str:
    """The issuing public-security bureau as printed on an ID card back (签发机关)."""
    if region.county.endswith("区"):
        return f"{region.city_or_province}公安局{region.county}分局"
    return f"{region.county}公安局"


def luhn_number(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    return body + luhn.check_digit(body)


def credit_code(rng: random.Random, region_code: str) -> str:
    """A USCC: authority 9 (market regulator), kind 1 company / 2 sole trader / 3 co-op, region,
    organisation code (new registrations since 2015 start with ``MA``) and the GB 32100 check char."""
    kind = rng.choices("123", weights=(8, 2, 1), k=1)[0]
    body_chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    if rng.random() < 0.6:
        org8 = "MA" + "".join(rng.choice(body_chars) for _ in range(6))
    else:
        org8 = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = f"9{kind}{region_code}{org8}{uscc.org_check_char(org8)}"
    return first17 + uscc.check_char(first17)


_WMI = ["LSV", "LFV", "LGB", "LHG", "LVS", "LBV", "LGW", "LDC", "LNB", "LSG", "LFP", "LZW", "LVH", "LJD",
        "WBA", "WVW", "JTD", "SAL", "KMH", "1HG"]


def vin_code(rng: random.Random, year_code: str | None = None) -> str:
    """A VIN with a real-looking WMI, a model-year code and the ISO 3779 check digit."""
    chars = vin.ALPHABET
    vds = "".join(rng.choice(chars) for _ in range(5))
    year = year_code or rng.choice("ABCDEFGHJKLMNPRST123456789")
    plant = rng.choice(chars[10:])
    serial = "".join(rng.choice("0123456789") for _ in range(6))
    draft = f"{rng.choice(_WMI)}{vds}0{year}{plant}{serial}"
    return draft[:8] + vin.check_char(draft) + draft[9:]


def fmt_date(day: dt.date, sep: str = "-") -> str:
    return f"{day.year:04d}{sep}{day.month:02d}{sep}{day.day:02d}"


def cn_date(day: dt.date) -> str:
    """``2019年05月14日`` as licenses print it."""
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"
