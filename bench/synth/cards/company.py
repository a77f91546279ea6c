"""Company facts for synthetic business licenses: names (城市 + 字号 + 行业 + 组织形式), types with the
title of their responsible person, registered capital in financial numerals, business scopes, and the
pre-2015 15-digit registration number with its GB/T 17710 check digit."""

from __future__ import annotations

import random

from bench.synth import values
from certscan.checks import uscc

_TRADE_NAMES = [
    "华信",
    "恒通",
    "鑫源",
    "博远",
    "中联",
    "天成",
    "宏达",
    "瑞丰",
    "金桥",
    "同创",
    "新锐",
    "卓越",
    "嘉禾",
    "正泰",
    "永盛",
    "海纳",
    "东方",
    "汇丰",
    "德润",
    "云帆",
    "易达",
    "锦程",
    "盛世",
    "安泰",
    "启明",
    "智联",
    "众鑫",
    "凯旋",
    "和美",
    "远航",
    "蓝海",
    "佳兴",
    "创维",
    "优品",
    "星辰",
    "万象",
]
_INDUSTRIES = [
    "科技",
    "信息技术",
    "电子科技",
    "网络科技",
    "贸易",
    "商贸",
    "建筑工程",
    "装饰工程",
    "餐饮管理",
    "物业管理",
    "文化传媒",
    "广告",
    "物流",
    "供应链管理",
    "医疗器械",
    "教育咨询",
    "企业管理咨询",
    "环保科技",
    "新能源科技",
    "机械设备",
    "生物科技",
    "食品",
    "服装",
    "汽车服务",
    "房地产经纪",
]
_SCOPE_PHRASES = [
    "计算机软硬件技术开发、技术咨询、技术服务",
    "电子产品、通讯设备的销售",
    "企业管理咨询",
    "市场营销策划",
    "会议及展览服务",
    "广告设计、制作、代理、发布",
    "建筑装饰装修工程设计与施工",
    "日用百货、五金交电的批发零售",
    "货物进出口、技术进出口",
    "物业管理",
    "餐饮服务",
    "预包装食品销售",
    "普通货物道路运输",
    "仓储服务（不含危险化学品）",
    "机械设备租赁",
    "医疗器械经营（凭许可证经营）",
    "教育信息咨询（不含培训）",
    "环保设备的研发与销售",
    "新能源技术推广服务",
    "服装鞋帽、针纺织品的销售",
    "信息系统集成服务",
    "数据处理和存储服务",
    "家用电器、办公用品的销售",
    "汽车零配件批发",
    "房地产经纪服务",
    "文化艺术交流活动策划",
    "室内外装饰装修工程的设计与施工",
    "园林绿化工程施工",
    "农产品初加工",
    "网络技术服务",
]
_SCOPE_TAIL = "（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
_DIGITS_CN = "零壹贰叁肆伍陆柒捌玖"

# Company types with the label their responsible person goes under.
COMPANY_TYPES: list[tuple[str, str, float]] = [
    ("有限责任公司（自然人投资或控股）", "法定代表人", 5),
    ("有限责任公司（自然人独资）", "法定代表人", 3),
    ("有限责任公司（法人独资）", "法定代表人", 1),
    ("其他有限责任公司", "法定代表人", 1),
    ("股份有限公司（非上市、自然人投资或控股）", "法定代表人", 1),
    ("有限责任公司分公司（自然人投资或控股）", "负责人", 1),
    ("有限合伙企业", "执行事务合伙人", 1),
    ("个体工商户", "经营者", 3),
]


def cn_amount(wan: int) -> str:
    """A whole number of 万 (1..9999) in financial numerals: 1200 → 壹仟贰佰."""
    out, zero = "", False
    for value, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = wan // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += _DIGITS_CN[digit] + unit
            zero = False
        else:
            zero = True
    return out


def capital_text(rng: random.Random, wan: int) -> str:
    style = rng.randrange(4)
    if style == 0:
        return f"人民币{cn_amount(wan)}万元整"
    if style == 1:
        return f"{cn_amount(wan)}万元整"
    if style == 2:
        return f"{cn_amount(wan)}万元（人民币）"
    return f"{wan}万元人民币"


def business_scope(rng: random.Random, lo: int = 2, hi: int = 9, max_chars: int = 115) -> str:
    phrases = rng.sample(_SCOPE_PHRASES, rng.randint(lo, hi))
    tail = _SCOPE_TAIL if rng.random() < 0.5 else ""
    while len(phrases) > 1 and len("；".join(phrases)) + 1 + len(tail) > max_chars:
        phrases.pop()  # the box on the license holds so much; longer scopes use a smaller font in reality
    return "；".join(phrases) + "。" + tail


def company_name(rng: random.Random, region: values.Region, kind: str, person: str) -> str:
    city = (region.city or region.province).removesuffix("市")
    place = city if rng.random() < 0.7 else region.county.removesuffix("区").removesuffix("县")
    trade = rng.choice(_TRADE_NAMES) + (rng.choice(_TRADE_NAMES)[0] if rng.random() < 0.3 else "")
    industry = rng.choice(_INDUSTRIES)
    if kind.startswith("个体"):
        shop = rng.choice(["便利店", "餐馆", "五金店", "服装店", "理发店", "水果店", "电器维修部", "副食店"])
        return f"{region.county}{person}{shop}" if rng.random() < 0.5 else f"{place}{trade}{shop}"
    if kind.startswith("股份"):
        return f"{place}{trade}{industry}股份有限公司"
    if "分公司" in kind:
        return f"{place}{trade}{industry}有限公司{region.county}分公司"
    if "合伙" in kind:
        return f"{place}{trade}{rng.choice(['投资', '创业投资', '企业管理'])}合伙企业（有限合伙）"
    return f"{place}{trade}{industry}有限公司"


def registration_number(rng: random.Random, region_code: str) -> str:
    """Old-style 注册号: 6-digit registering authority + 1 type digit + 7-digit serial + check digit."""
    body = f"{region_code}{rng.choice('0123')}{rng.randrange(10**7):07d}"
    return body + uscc.registration_check_digit(body)
