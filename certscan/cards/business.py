"""Business license (营业执照) parser: current (2015+, USCC) and older (注册号) styles.

Decisions on output formats (the contract says "as printed unless a format is given"):

- Dates (establishDate) are YYYY-MM-DD, the project's one date format, whatever the print
  (``2019年01月01日``). vaildPeriod is the *end* of 营业期限 (the reference documents it as the business
  expiration date): YYYY-MM-DD, or ``Long-term`` (the reference's own enumerated value, as on ID cards)
  when the license says 长期 / 永久.
- Text fields (companyName, capital, address, business, ...) are returned as printed, whitespace removed
  and full-width forms folded (NFKC), 经营范围 joined across its lines in reading order.
- creditCode: the 18-char USCC, repaired through its GB 32100 check character only when exactly one
  look-alike substitution (or OCR alternative) makes it valid; a clearly printed invalid code is kept.
- organizationCode: printed 组织机构代码, else characters 9-17 of a valid USCC as ``XXXXXXXX-X``.
  taxCode: printed 税务登记证号, else the USCC itself (三证合一: the USCC replaced the tax number).
- companySN: the old 15-digit 注册号 (GB/T 17710 MOD 11,10 checked), copy suffixes (``-1/1``) removed.
- copy: True when the license says 副本; copyId its copy number as ``n-m``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

import numpy as np

from certscan.cards.base import CardResult, ScanInput
from certscan.cards.business_address import address_lines, completed_address, reread_under_seal, trimmed_end
from certscan.cards.business_ink import drop_red_tails
from certscan.cards.business_scope import caption_spill, pauses_read_as_stops, wrapped_marks
from certscan.cards.business_uscc import cert_number, credit_code
from certscan.cards.business_uscc import code_text as _code
from certscan.cards.ink import drop_red_lines
from certscan.cards.labelled import Fields, LabelSet, Piece, pieces
from certscan.cards.places import fix_place_prefix, township
from certscan.cards.text import compact, find_dates, parse_date, strip_punct
from certscan.checks import uscc
from certscan.constants import LONG_TERM, empty_fields
from certscan.ocr.engine import OcrEngine
from certscan.ocr.types import Line, Page

CARD = "business-license"

# A letter-spaced 2-char caption (名　　称) often loses its lone first character in OCR and arrives as
# ``称深圳市…``: the second character alone stands for the caption (no name, type or address starts so).
# Likewise longer captions that lost their first characters (faint or letter-spaced): ``代表人郭燕``,
# ``表人赵佳燕``, ``营者张琪娟``, ``人姓名`` | ``何玲燕``, ``范围服装鞋帽…``, ``及方式 文化艺术…``,
# ``形式 家庭经营``, ``期限`` | ``2013年03月04日至…``. Only such tails as no other caption ends with, and
# few: a short caption standing alone matches one character off (日期 would take a wrapped 长期, 合伙人
# a name's 合伙)).
CAPTIONS: dict[str, list[str]] = {
    "companyName": ["名称", "企业名称", "称"],
    "companyType": ["类型", "公司类型", "企业类型", "主体类型", "型"],
    "legalPerson": ["法定代表人", "法定代表人姓名", "负责人", "经营者", "执行事务合伙人", "投资人", "代表人",
                    "表人", "营者", "人姓名"],
    "capital": ["注册资本", "出资额", "注册资金", "出资总额"],
    "paidInCapital": ["实收资本"],
    "establishDate": ["成立日期", "注册日期"],
    "vaildPeriod": ["营业期限", "经营期限", "合伙期限", "期限"],
    "address": ["住所", "经营场所", "主要经营场所", "营业场所", "所"],
    "business": ["经营范围", "经营范围及方式", "范围", "及方式"],
    "composition": ["组成形式", "形式"],
    "organizationCode": ["组织机构代码"],
    "taxCode": ["税务登记证号", "税务登记号"],
    "companySN": ["注册号"],
    "certSN": ["证照编号", "编号"],
    "creditCode": ["统一社会信用代码"],
    "copyId": ["副本编号"],
}
LABELS = LabelSet({
    **CAPTIONS,
    # stoppers: printed captions that end the value column above them
    "_authority": ["登记机关"],
    "_notice": ["须知", "年度检验情况", "重要提示"],
    "_footer": ["国家企业信用信息公示系统网址", "国家市场监督管理总局监制", "国家工商行政管理总局监制"],
})

SPECK_CONFIDENCE = 0.3


def parse(scan: ScanInput) -> CardResult:
    page = scan.engine.read(scan.image)
    return parse_page(page, scan.image, scan.engine)


def parse_page(page: Page, image: np.ndarray | None = None, engine: OcrEngine | None = None) -> CardResult:
    """The license's fields from its OCR page; with the image, red seal text is left out first, and
    with the engine too the address lines the seal covers are read again without its ink, an address cut
    short by the seal once more from where it stops, and a failing USCC, a short 证照编号 or a scope line
    that lost its leading mark from their own crops (small recognition calls, only in those cases)."""
    if not page.lines:
        return CardResult.empty(CARD)
    if image is not None:
        page = drop_red_tails(image, drop_red_lines(image, page))
    fields = _fields(page)
    if image is not None and engine is not None:
        address_pieces = fields.value_pieces("address", multiline=True, max_lines=3)
        reread = reread_under_seal(image, page, [ln for p in address_pieces for ln in p.lines], engine)
        if reread is not page:
            page, fields = reread, _fields(reread)
    scope_ink = [ln for p in fields.value_pieces("business", multiline=True, max_lines=14) for ln in p.lines]
    paused = pauses_read_as_stops(page, scope_ink)
    if paused is not page:
        page, fields = paused, _fields(paused)
    out = empty_fields(CARD)
    out["companyName"] = company_name(balance_brackets(name_lines(fields.value("companyName"),
                                                                  fields.value("companyName", multiline=True,
                                                                               max_lines=2))))
    wrapped_type = fields.value("companyType", multiline=True, max_lines=2)
    out["companyType"] = balance_brackets(type_lines(fields.value("companyType"), wrapped_type))
    out["legalPerson"] = fields.value("legalPerson")
    out["capital"] = balance_brackets(fields.value("capital"))
    out["paidInCapital"] = balance_brackets(fields.value("paidInCapital"))
    period = fields.value("vaildPeriod", multiline=True, max_lines=2)
    out["establishDate"] = parse_date(fields.value("establishDate")) or period_start(period)
    out["vaildPeriod"] = period_end(period)
    parts = address_lines(fields.value_pieces("address", multiline=True, max_lines=3))
    address = strip_punct("".join(p.text for p in parts))  # fields.value, from the pieces read once
    if image is not None and engine is not None:
        address = completed_address(address, parts, image, page, engine)
    out["address"] = township(fix_place_prefix(trimmed_end(caption_half(address, "斤"))))
    scope = fields.value("business", multiline=True, max_lines=14, keep_end=True)
    scope_lines = fields.value_pieces("business", multiline=True, max_lines=14)
    if image is not None and engine is not None:
        stripped = len("".join(p.text for p in scope_lines)) - len(scope)  # leading punctuation value() drops
        scope_lines = wrapped_marks(scope_lines, image, page, engine)
        scope = "".join(p.text for p in scope_lines)[stripped:]
    if caption_spill(fields, "business", CAPTIONS["business"]):
        scope = scope[1:]
    out["business"] = snap_formula(scope_separators(wrapped_full_stop(scope, scope_lines)))
    out["composition"] = fields.value("composition")
    out["certSN"] = _code(fields.value("certSN"))
    if image is not None and engine is not None:
        cert_lines = [ln for p in fields.value_pieces("certSN") for ln in p.lines]
        out["certSN"] = cert_number(out["certSN"], cert_lines, image, page, engine)
    reg, reg_copy = registration_number(fields.value("companySN"))
    out["companySN"] = reg
    out["creditCode"] = credit_code(page, fields, image, engine)
    out["organizationCode"] = _org_code(fields.value("organizationCode"))
    out["taxCode"] = tax_code(_code(fields.value("taxCode")), out["organizationCode"])
    if out["creditCode"] and uscc.is_valid(out["creditCode"]):
        out["organizationCode"] = out["organizationCode"] or uscc.organization_code(out["creditCode"])
        out["taxCode"] = out["taxCode"] or out["creditCode"]
    all_text = compact(page.text)
    out["copy"] = "副本" in all_text or bool(re.search(r"[(（]副[)）]?", all_text))
    out["copyId"] = copy_id(page, fields) or reg_copy if out["copy"] else ""
    confidence = sum(ln.confidence for ln in page.lines) / len(page.lines)
    return CardResult(card=CARD, fields=out, rate=round(100 * confidence, 2))


def _fields(page: Page) -> Fields:
    # A speck read as one or two characters the recogniser barely believes (名 | 福 | 称…) would join the
    # caption it sits next to and take its value.
    kept = [ln for ln in page.lines if len(compact(ln.text)) > 2 or ln.confidence >= SPECK_CONFIDENCE]
    return Fields(pieces(whole_captions(kept), LABELS))


# The first character of a letter-spaced caption that is no other caption's (住 | 所), by its second.
_LONE_HEADS = {"住": "所"}


def whole_captions(lines: list[Line]) -> list[Line]:
    """``lines`` with a letter-spaced caption whose second character OCR lost entirely (``住`` alone, its
    value beside it: ``山西省大同市…``) read whole, when no line begins with that second character."""
    texts = [compact(ln.text) for ln in lines]
    out = []
    for line, text in zip(lines, texts, strict=True):
        second = _LONE_HEADS.get(text)
        if second and not any(t.startswith(second) or text + second in t for t in texts):
            line = replace(line, text=text + second)
        out.append(line)
    return out


def period_start(text: str) -> str:
    """The start of 营业期限 (``2002年01月16日至2052年01月15日`` → 2002-01-16): a company's term runs from
    its 成立日期, so it stands for that date when its own line was not read."""
    head, sep, _ = text.partition("至")
    dates = find_dates(head if sep else text)
    return dates[0] if dates and (sep or len(dates) >= 2) else ""


def period_end(text: str) -> str:
    """The end of 营业期限: ``2019年01月01日至长期`` → Long-term, ``…至2039年12月31日`` → 2039-12-31."""
    if not text:
        return ""
    if any(word in text for word in ("长期", "永久", "長期", "长朝")):
        return LONG_TERM
    dates = find_dates(text)
    if len(dates) >= 2:
        return dates[-1]
    _, sep, tail = text.partition("至")
    if sep and (tail_dates := find_dates(tail)):
        return tail_dates[0]
    return ""


# The legal formula most scopes end with (NFKC form, as values are returned): printed identically on every
# license, so a near match is an OCR misreading of it (部门 read as 部內) and is replaced by the formula.
SCOPE_FORMULAS = ("(依法须经批准的项目,经相关部门批准后方可开展经营活动)",)


def snap_formula(text: str) -> str:
    """``text`` with a near-verbatim boilerplate formula at its end restored to the printed wording."""
    for formula in SCOPE_FORMULAS:
        body = formula.strip("()")
        start = text.find(body[:3])
        if start < 0:
            start = text.find(body[3:7])
            start = start - 3 if start >= 3 else -1
        if start < 0:
            continue
        tail = text[start:].rstrip(")）")
        if difflib.SequenceMatcher(None, tail, body).ratio() >= 0.85:
            head = text[:start].rstrip("(（《<")  # 《 and < are misreads of the opening bracket
            return head + formula
    return text


def wrapped_full_stop(scope: str, lines: list[Piece]) -> str:
    """``scope`` with its closing 。 when its last line is full: the 。 then wrapped onto a line of its own,
    too small for the detector (the column's edge is where the lines above it end)."""
    if not scope or scope[-1] in "。.)）" or len(lines) < 2:
        return scope
    edge = max(p.x1 for p in lines[:-1])
    return scope + "。" if lines[-1].x1 >= edge - lines[0].height else scope


# A colon inside 经营范围 is printed only after a heading (一般项目：… 许可项目：…); elsewhere it is the item
# separator ；, which OCR often returns as ：.
_SCOPE_HEADING = re.compile(r"(?:^|[。;])[^。;:,、()]{0,4}项目$")


def scope_separators(text: str) -> str:
    """Colons between scope items restored to the printed ``;`` (headings such as 一般项目: keep theirs)."""
    out: list[str] = []
    for ch in text:
        if ch == ":" and not _SCOPE_HEADING.search("".join(out)):
            ch = ";"
        out.append(ch)
    return "".join(out)


_COMPANY_TYPE_START = re.compile(
    r"(?<=公司).?(有限责任公司|股份有限公司|其他有限责任公司|个人独资企业|合伙企业).*$")


# How a company's name ends (a company, a branch, a partnership, a shop, a works ...).
_NAME_END = re.compile(r"(公司|合伙[)）]|厂|店|部|中心|商行|经营部|工作室|事务所)$")


def name_lines(first_line: str, wrapped: str) -> str:
    """名称 from its first line when that already ends as a name does: the line below is then another
    field's (the address column's tail, the 住所 caption and its value), unless it is the name's branch
    (``…有限公司`` | ``常熟市分公司``)."""
    if not _NAME_END.search(first_line) or wrapped == first_line:
        return wrapped
    return wrapped if wrapped.endswith("分公司") else first_line


# A company type read whole on its line: a bracketed kind closed (…（法人独资）), or a type word ending it.
_TYPE_END = re.compile(r"(\)|公司|企业|户)$")


def type_lines(first_line: str, wrapped: str) -> str:
    """类型 from its first line when that already ends as a type does: the line below is then another
    field's (经营范围's first line, its caption lost: ``…（法人独资）`` | ``围新能源技术推广服务；…``),
    unless it opens the type's bracketed kind (``有限责任公司`` | ``（自然人独资）``)."""
    if not _TYPE_END.search(first_line) or first_line.count("(") > first_line.count(")"):
        return wrapped
    rest = wrapped[len(first_line):] if wrapped.startswith(first_line) else ""
    return wrapped if rest.startswith("(") else first_line


def company_name(text: str) -> str:
    """名称 ends with its own 公司: a company type read after it (``…咨询有限公司有限责任公司(自然人独资)``)
    is the 类型 line below, taken as the name's wrapped second line. A leading 尔 is the right half of
    the letter-spaced caption's 称 glued to the value (``尔宜春远航…``)."""
    return caption_half(_COMPANY_TYPE_START.sub("", text), "尔")


def caption_half(value: str, half: str) -> str:
    """``value`` without a leading ``half``: the right half of its letter-spaced caption's second
    character (称 -> 尔, 所 -> 斤) read into the value's box; kept when little would remain."""
    return value[1:] if value.startswith(half) and len(value) >= 5 else value


def balance_brackets(text: str) -> str:
    """Brackets as printed: a ``《`` that a ``)`` closes was an opening ``(``, and a value ending inside
    an open bracket gets its ``)`` back (a wrapped ``有限责任公司（自然人投资或控股`` leaves the lone ``）``
    on a line of its own, too small for the detector)."""
    text = re.sub(r"《([^《》()]*\))", r"(\1", text)
    if text.rfind("(") > text.rfind(")") and not text.endswith("("):
        text += ")"
    return text


# Look-alikes inside a GB 11714 organisation code, tried when its check character fails.
_ORG_SWAPS = {"O": "0", "0": "OD", "D": "0", "I": "1", "1": "I7", "7": "1", "B": "8", "8": "B", "S": "5",
              "5": "S", "Z": "2", "2": "Z", "G": "6", "6": "G"}


def _org_code(text: str) -> str:
    """``XXXXXXXX-X``; a code failing its check character is repaired when exactly one look-alike
    swap (O read for 0 …) makes it pass."""
    s = compact(text).upper().replace("—", "-").replace("_", "-").replace("×", "X")
    m = re.search(r"([0-9A-Z]{8})-?([0-9X])", s)
    if not m:
        return ""
    body, check = m[1], m[2]
    if uscc.org_check_char(body) != check:
        fixes = {body[:i] + alt + body[i + 1:] for i, c in enumerate(body) for alt in _ORG_SWAPS.get(c, "")}
        passing = [f for f in fixes if uscc.org_check_char(f) == check]
        body = passing[0] if len(passing) == 1 else body
    return f"{body}-{check}"


def tax_code(printed: str, org_code: str) -> str:
    """税务登记证号 as printed; the 15-character number is its region's 6 digits and the organisation
    code, so a read that lost the code's last character (its check X) gets it back from 组织机构代码,
    and one whose code part differs from a valid 组织机构代码 only by look-alikes takes its characters."""
    org = org_code.replace("-", "")
    if len(printed) == 14 and len(org) == 9 and printed[6:] == org[:8]:
        return printed + org[8]
    # its code part read with a look-alike (O for 0) where 组织机构代码 passes its check: the code's
    # characters, swap by swap
    valid_org = len(org) == 9 and uscc.org_check_char(org[:8]) == org[8]
    look_alike = len(printed) == 15 and all(
        a == b or b in _ORG_SWAPS.get(a, "") for a, b in zip(printed[6:], org, strict=False))
    if valid_org and look_alike and printed[6:] != org:
        return printed[:6] + org
    return printed


def registration_number(text: str) -> tuple[str, str]:
    """(15-digit 注册号, copy number) from ``410…919-1/1`` or ``410…919（1-1）``."""
    s = compact(text)
    m = re.search(r"\d{13,16}", s)
    if not m:
        return "", ""
    number = m[0][:15]
    rest = s[m.end():]
    copy = re.search(r"(\d{1,2})\s*[-/－]\s*(\d{1,2})", rest)
    return number, f"{copy[1]}-{copy[2]}" if copy else ""


def copy_id(page: Page, fields: Fields) -> str:
    """The copy number: 副本编号 n-m, or a bare ``(n-m)`` printed near the title."""
    text = fields.value("copyId")
    m = re.search(r"(\d{1,2})\s*[-－—]\s*(\d{1,2})", text)
    if m:
        return f"{m[1]}-{m[2]}"
    if re.fullmatch(r"[1-9]{2}", text):  # 副本编号：1-3 with its small dash lost
        return f"{text[0]}-{text[1]}"
    # printed under the title: in the top part of the text (the document may fill only part of the photo)
    top = min(ln.y0 for ln in page.lines)
    bottom = max(ln.y1 for ln in page.lines)
    for line in (ln for ln in page.lines if ln.cy < top + 0.45 * (bottom - top)):
        s = compact(line.text)
        m = re.fullmatch(r"[(（]?(?:副本)?[(（]?(\d{1,2})[-－—](\d{1,2})[)）]?", s)
        if m:
            return f"{m[1]}-{m[2]}"
    return ""
