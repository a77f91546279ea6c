"""Business license (营业执照): the current landscape style (2015+, USCC, QR code) and the older portrait one.

Current style: national emblem over the title, (副 本) and its copy number on copies, 证照编号 and the
统一社会信用代码 at the top left, the QR code with its caption at the top right, two columns of
letter-spaced labels (名称 / 类型 / 法定代表人 / 经营范围 on the left, 注册资本 / 成立日期 / 营业期限 / 住所
on the right; 个体工商户 print 经营者 / 组成形式 / 注册日期 / 经营场所, partnerships 执行事务合伙人 / 出资额
/ 主要经营场所), the registering authority's red seal over 登记机关 and the date.

Older style (portrait, before 2015): 企业法人营业执照 / 营业执照 / 个体工商户营业执照, the 15-digit 注册号
(GB/T 17710 MOD 11,10 check digit), one column of labels including 实收资本 and 组成形式, and on the
transitional 三证合一 prints of 2014-2015 the 组织机构代码 and 税务登记证号 lines.

Labels follow the parser's conventions (``certscan.cards.business``): dates YYYY-MM-DD, vaildPeriod the end
date or ``Long-term``; new-style licenses carry organizationCode and taxCode derived from the USCC.
"""

from __future__ import annotations

import datetime as dt
import random

from bench.synth import values
from bench.synth.base import RenderedCard, font
from bench.synth.cards.company import (
    COMPANY_TYPES,
    business_scope,
    capital_text,
    company_name,
    registration_number,
)
from bench.synth.cards.paper import Paper
from certscan.checks import uscc
from certscan.constants import LONG_TERM, empty_fields

TODAY = dt.date(2026, 6, 1)


def _draw_fields(rng: random.Random) -> dict[str, object]:
    """The facts one license states, shared by both styles."""
    region = values.random_region(rng)
    kind, person_label, _ = rng.choices(COMPANY_TYPES, weights=[t[2] for t in COMPANY_TYPES], k=1)[0]
    owner = values.person(rng, min_age=22, max_age=70)
    est = values.random_date(rng, dt.date(2000, 1, 1), dt.date(2026, 3, 1))
    return {
        "region": region,
        "kind": kind,
        "person_label": person_label,
        "person": owner.name,
        "name": company_name(rng, region, kind, owner.name),
        "est": est,
        "address": region.full + values.street_address(rng, region),
    }


def render(rng: random.Random) -> RenderedCard:
    new_style = rng.random() < 0.7
    facts = _draw_fields(rng)
    if new_style:
        return _render_new(rng, facts)
    return _render_old(rng, facts)


def _period_end(rng: random.Random, est: dt.date) -> dt.date | None:
    return (
        None
        if rng.random() < 0.55
        else values.add_years(est, rng.choice((10, 20, 30, 50))) - dt.timedelta(days=1)
    )


def _render_new(rng: random.Random, facts: dict[str, object]) -> RenderedCard:
    region: values.Region = facts["region"]  # type: ignore[assignment]
    kind, who = str(facts["kind"]), str(facts["person_label"])
    est: dt.date = facts["est"]  # type: ignore[assignment]
    if est < dt.date(2015, 10, 1) and rng.random() < 0.8:  # most current licenses belong to newer firms
        est = values.random_date(rng, dt.date(2015, 10, 1), dt.date(2026, 3, 1))
    w, h = 1600, 1130
    paper = Paper(rng, w, h, (rng.randint(240, 252), rng.randint(236, 248), rng.randint(220, 236)))
    paper.border(rng, 110, (rng.randint(150, 175), rng.randint(150, 170), rng.randint(90, 115)))
    label = empty_fields("business-license")
    code = values.credit_code(rng, region.code)
    label.update(
        creditCode=code,
        organizationCode=uscc.organization_code(code),
        taxCode=code,
        companyName=facts["name"],
        companyType=kind,
        legalPerson=facts["person"],
        establishDate=values.fmt_date(est),
        address=facts["address"],
        copy=rng.random() < 0.75,
    )
    paper.emblem(rng, w / 2, 150, 62)
    tf = font("serif-bold", 96)
    tw = tf.getlength("营 业 执 照")
    title = paper.text(((w - tw) / 2 + 30, 215), "营 业 执 照", 96, "serif-bold")
    if label["copy"]:
        paper.text((w / 2 - 70, title[3] + 22), "（副　本）", 38, "serif")
        copy_id = f"{rng.randint(1, 3)}-{rng.randint(1, 3)}"
        copy_id = f"{min(int(copy_id[0]), int(copy_id[2]))}-{copy_id[2]}"
        label["copyId"] = copy_id
        text = f"副本编号：{copy_id}" if rng.random() < 0.5 else f"（{copy_id}）"
        paper.text((w / 2 - 55, title[3] + 80), text, 24, "serif", field="copyId")
    x0, y0 = 205, 205
    if rng.random() < 0.6:
        cert_sn = f"{region.code}{rng.randrange(100):02d}{est.year}{rng.randrange(10**8):08d}"
        label["certSN"] = cert_sn
        paper.text((x0, y0), f"{rng.choice(['证照编号', '编号'])}：{cert_sn}", 22, "serif", field="certSN")
    paper.text((x0, y0 + 45), "统一社会信用代码", 28, "serif-bold")
    paper.text((x0, y0 + 90), code, 27, "serif", field="creditCode")
    qx = w - 410
    paper.qr(rng, qx, 250, 130)
    for i, cap in enumerate(
        ("扫描二维码登录", "'国家企业信用", "信息公示系统'", "了解更多登记、", "备案、许可、监", "管信息。")
    ):
        paper.text((qx + 145, 252 + i * 21), cap, 17, "sans")
    left_x, right_x, size = 205, 900, 34
    face = rng.choice(("serif", "sans", "hei"))
    vsize = rng.choice((26, 28, 30))
    rows_left: list[tuple[str, str, str]] = [
        ("名称", "companyName", str(facts["name"])),
        ("类型", "companyType", kind),
        (who, "legalPerson", str(facts["person"])),
    ]
    rows_right: list[tuple[str, str, str]] = []
    if kind == "个体工商户":
        comp = rng.choice(("个人经营", "家庭经营"))
        label["composition"] = comp
        rows_right += [("组成形式", "composition", comp), ("注册日期", "establishDate", values.cn_date(est))]
        place_label = "经营场所"
    else:
        wan = rng.choice((3, 5, 10, 30, 50, 100, 100, 200, 300, 500, 1000, 1200, 2000, 5000))
        if "分公司" not in kind:
            cap = capital_text(rng, wan)
            label["capital"] = cap
            rows_right.append(("出资额" if "合伙" in kind else "注册资本", "capital", cap))
        rows_right.append(("成立日期", "establishDate", values.cn_date(est)))
        end = _period_end(rng, est)
        label["vaildPeriod"] = values.fmt_date(end) if end else LONG_TERM
        period = f"{values.cn_date(est)} 至 {values.cn_date(end) if end else '长期'}"
        rows_right.append(("营业期限", "vaildPeriod", period))
        place_label = "主要经营场所" if "合伙" in kind else ("营业场所" if "分公司" in kind else "住所")
    y = 470
    value_x = left_x + 4 * size + 40
    for text, key, value in rows_left:  # long names wrap inside the left column, as printed
        paper.spaced((left_x, y), text, 4 * size + 20, size)
        bottom = paper.wrapped((value_x, y + (size - vsize)), value, right_x - 40 - value_x, vsize, face, key)
        y = int(max(y + 68, bottom + 68 - vsize * 1.45))
    lines_free = int((h - 150 - (y + size - vsize)) / (vsize * 1.45))  # down to the footer
    per_line = int(470 / vsize)
    scope = business_scope(rng, max_chars=max(per_line, lines_free * per_line - per_line // 2))
    label["business"] = scope
    paper.spaced((left_x, y), "经营范围", 4 * size + 20, size)
    paper.wrapped((left_x + 4 * size + 40, y + (size - vsize)), scope, 470, vsize, face, "business")
    y = 470
    label_x = right_x + 4 * size + 40
    for text, key, value in rows_right:
        paper.spaced((right_x, y), text, 4 * size + 20, size)
        bottom = paper.wrapped((label_x, y + (size - vsize)), value, w - 200 - label_x, vsize, face, key)
        y = int(max(y + 68, bottom + 68 - vsize * 1.45))
    paper.spaced((right_x, y), place_label, 4 * size + 20, size)
    paper.wrapped(
        (label_x, y + (size - vsize)), str(facts["address"]), w - 200 - label_x, vsize, face, "address"
    )
    reg_day = values.random_date(rng, est, TODAY)
    paper.spaced((1040, 870), "登记机关", 170, 34, "serif")
    paper.text(
        (1160, 950), f"{reg_day.year}  年  {reg_day.month:02d}  月  {reg_day.day:02d}  日", 30, "serif"
    )
    authority = f"{region.city_or_province}{rng.choice(['市场监督管理局', '工商行政管理局'])}"
    if region.county.endswith(("区", "县")) and rng.random() < 0.5:
        authority = f"{region.county}市场监督管理局"
    paper.seal(rng, 1240 + rng.uniform(-40, 40), 900 + rng.uniform(-30, 30), rng.uniform(95, 115), authority)
    foot = "国家市场监督管理总局监制" if reg_day.year >= 2018 else "国家工商行政管理总局监制"
    paper.text((w - 520, h - 110), foot, 24, "sans")
    paper.text((190, h - 110), "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", 22, "sans")
    return RenderedCard(
        image=paper.image,
        label=label,
        boxes=paper.boxes,
        extra={"style": "new", "issue_date": values.fmt_date(reg_day), "authority": authority},
        width_mm=297.0,  # the 副本 is A4 landscape
    )


def _cn_year_date(day: dt.date) -> str:
    """二〇〇七年七月十七日, as old licenses date the seal."""
    digits = "〇一二三四五六七八九"

    def small(n: int) -> str:
        if n < 10:
            return digits[n]
        return ("十" if n < 20 else digits[n // 10] + "十") + (digits[n % 10] if n % 10 else "")

    return "".join(digits[int(c)] for c in str(day.year)) + f"年{small(day.month)}月{small(day.day)}日"


def _render_old(rng: random.Random, facts: dict[str, object]) -> RenderedCard:
    region: values.Region = facts["region"]  # type: ignore[assignment]
    kind = str(facts["kind"])
    est: dt.date = facts["est"]  # type: ignore[assignment]
    if est > dt.date(2014, 12, 31):
        est = values.random_date(rng, dt.date(1995, 1, 1), dt.date(2014, 12, 31))
    individual = kind == "个体工商户"
    w, h = 1130, 1500
    paper = Paper(rng, w, h, (rng.randint(238, 250), rng.randint(238, 250), rng.randint(232, 246)))
    paper.border(rng, 80, (rng.randint(150, 190), rng.randint(120, 150), rng.randint(90, 120)))
    label = empty_fields("business-license")
    label.update(
        companyName=facts["name"],
        legalPerson=facts["person"],
        establishDate=values.fmt_date(est),
        address=facts["address"],
        copy=rng.random() < 0.75,
    )
    title = "个体工商户营业执照" if individual else ("企业法人营业执照" if rng.random() < 0.7 else "营业执照")
    tf = font("serif-bold", 86)
    t_box = paper.text(((w - tf.getlength(title)) / 2, 170), title, 86, "serif-bold")
    y = t_box[3] + 30
    if label["copy"]:
        paper.text((w / 2 - 80, y), "（副　本）", 40, "serif")
        y += 70
    reg = registration_number(rng, region.code)
    label["companySN"] = reg
    paper.text((w / 2 - 170, y), "注册号", 30, "serif-bold")
    reg_box = paper.text((w / 2 - 60, y), reg, 30, "serif", field="companySN")
    if label["copy"] and rng.random() < 0.6:
        copy_id = f"1-{rng.randint(1, 2)}"
        label["copyId"] = copy_id
        paper.text((reg_box[2] + 4, y), f"（{copy_id}）", 30, "serif", field="copyId")
    y += 80
    lx, size = 150, 38
    face = rng.choice(("serif", "sans", "hei"))
    vsize = rng.choice((28, 30, 32))
    vx = lx + 6 * size - 10
    rows: list[tuple[str, str, str]] = [("名称", "companyName", str(facts["name"]))]
    if individual:
        comp = rng.choice(("个人经营", "家庭经营"))
        label["composition"] = comp
        rows += [
            ("经营者", "legalPerson", str(facts["person"])),
            ("经营场所", "address", str(facts["address"])),
            ("组成形式", "composition", comp),
        ]
    else:
        label["companyType"] = kind if "分公司" not in kind and "合伙" not in kind else "有限责任公司"
        wan = rng.choice((10, 30, 50, 100, 200, 500, 1000))
        cap = capital_text(rng, wan)
        paid = cap if rng.random() < 0.7 else capital_text(rng, max(1, wan // 2))
        label.update(capital=cap, paidInCapital=paid)
        rows += [
            ("住所", "address", str(facts["address"])),
            ("法定代表人姓名", "legalPerson", str(facts["person"])),
            ("注册资本", "capital", cap),
            ("实收资本", "paidInCapital", paid),
            ("公司类型", "companyType", str(label["companyType"])),
        ]
    for text, key, value in rows:
        paper.spaced((lx, y), text, 6 * size - 40, size)
        y = max(
            y + 62, paper.wrapped((vx, y + (size - vsize) / 2), value, w - 150 - vx, vsize, face, key) + 12
        )
    scope = business_scope(rng, 2, 6)
    label["business"] = scope
    paper.spaced((lx, y), "经营范围及方式" if individual else "经营范围", 6 * size - 40, size)
    y = max(
        y + 62, paper.wrapped((vx, y + (size - vsize) / 2), scope, w - 150 - vx, vsize, face, "business") + 12
    )
    if not individual and rng.random() < 0.7:
        end = _period_end(rng, est)
        label["vaildPeriod"] = values.fmt_date(end) if end else LONG_TERM
        period = f"{values.cn_date(est)}至{values.cn_date(end) if end else '长期'}"
        paper.spaced((lx, y), "营业期限", 6 * size - 40, size)
        paper.text((vx, y + (size - vsize) / 2), period, vsize, face, field="vaildPeriod")
        y += 62
    if rng.random() < 0.35:  # the 2014-2015 transitional print carries the other two certificates' numbers
        org = uscc.organization_code(values.credit_code(rng, region.code))
        tax = f"{region.code}{org.replace('-', '')}"
        label.update(organizationCode=org, taxCode=tax)
        for text, key, value in (("组织机构代码", "organizationCode", org), ("税务登记证号", "taxCode", tax)):
            paper.spaced((lx, y), text, 6 * size - 40, size)
            paper.text((vx, y + (size - vsize) / 2), value, vsize, face, field=key)
            y += 62
    y = max(y + 40, h - 330)
    date_label = "注册日期" if individual else "成立日期"
    paper.spaced((lx, y), date_label, 6 * size - 40, size)
    paper.text((vx, y + (size - vsize) / 2), values.cn_date(est), vsize, face, field="establishDate")
    issue = values.random_date(rng, est, dt.date(2015, 6, 1))
    authority = f"{region.city_or_province}工商行政管理局"
    paper.text((w - 520, h - 260), authority, 32, "serif")
    paper.text((w - 500, h - 200), _cn_year_date(issue), 30, "serif")
    paper.seal(
        rng, w - 360 + rng.uniform(-30, 30), h - 240 + rng.uniform(-20, 20), rng.uniform(95, 115), authority
    )
    return RenderedCard(
        image=paper.image,
        label=label,
        boxes=paper.boxes,
        extra={"style": "old", "issue_date": values.fmt_date(issue), "authority": authority},
        width_mm=210.0,  # A4 portrait
    )
