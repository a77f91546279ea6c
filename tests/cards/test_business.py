"""Business license parser: label geometry on hand-built OCR pages, USCC / 注册号 handling, and end to end
on synthetic renders (slow: loads the OCR models)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from certscan.cards import business, business_uscc
from certscan.checks import uscc
from certscan.constants import LONG_TERM
from certscan.ocr.types import Line, Page


def line(text: str, x0: float, y0: float, x1: float, h: float = 30) -> Line:
    box = np.array([[x0, y0], [x1, y0], [x1, y0 + h], [x0, y0 + h]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.95)


def code(first16: str) -> str:
    first17 = first16 + uscc.org_check_char(first16[8:16])
    return first17 + uscc.check_char(first17)


NEW_STYLE_CODE = code("91110105MA01ABCD")


def new_style_page(credit: str = NEW_STYLE_CODE) -> Page:
    return Page(
        width=1600,
        height=1130,
        lines=[
            line("统一社会信用代码", 200, 250, 430),
            line(credit, 200, 300, 510),
            line("营业执照", 600, 240, 1050, 90),
            line("（副本）", 750, 370, 900),
            line("（1-2）", 755, 425, 820),
            # a letter-spaced caption read as two boxes, the second glued to the value
            line("名", 205, 480, 235),
            line("称北京华信科技有限公司", 330, 480, 700),
            line("注册资本", 900, 480, 1050),
            line("壹佰万元整", 1080, 480, 1230),
            # two columns read as one line
            line("类型有限责任公司（自然人投资或控股）成立日期2019年01月01日", 200, 545, 1290),
            line("法定代表人张伟", 200, 610, 430),
            line("营业期限2019年01月01日至长期", 900, 610, 1390),
            line("经营范围技术开发、技术咨询；", 200, 680, 830),
            line("住所", 900, 680, 1000),
            line("北京市朝阳区人民路1号", 1080, 680, 1390),
            line("销售电子产品。", 380, 725, 600),
            line("登记机关", 1040, 850, 1210),
        ],
    )


def test_new_style_fields_from_label_geometry() -> None:
    out = business.parse_page(new_style_page()).fields
    assert out["companyName"] == "北京华信科技有限公司"
    assert out["companyType"] == "有限责任公司(自然人投资或控股)"
    assert out["legalPerson"] == "张伟"
    assert out["capital"] == "壹佰万元整"
    assert out["establishDate"] == "2019-01-01"
    assert out["vaildPeriod"] == LONG_TERM
    assert out["address"] == "北京市朝阳区人民路1号"
    assert out["business"] == "技术开发、技术咨询;销售电子产品。"
    assert out["creditCode"] == NEW_STYLE_CODE
    assert out["organizationCode"] == uscc.organization_code(NEW_STYLE_CODE)
    assert out["taxCode"] == NEW_STYLE_CODE
    assert out["copy"] is True and out["copyId"] == "1-2"
    assert out["companySN"] == ""


def test_credit_code_repaired_only_when_one_lookalike_fits() -> None:
    misread = NEW_STYLE_CODE.replace("0", "O", 1)  # O is not in the USCC alphabet
    assert business.parse_page(new_style_page(misread)).fields["creditCode"] == NEW_STYLE_CODE
    broken = NEW_STYLE_CODE[:12] + ("8" if NEW_STYLE_CODE[12] == "B" else "B") + NEW_STYLE_CODE[13:]
    repaired = business_uscc.repair_uscc(broken)
    assert repaired == broken or uscc.is_valid(repaired)
    # a 17-character print is kept as printed, never "fixed"
    short = NEW_STYLE_CODE[:17]
    assert business.parse_page(new_style_page(short)).fields["creditCode"] == short


def test_old_style_registration_number_and_period() -> None:
    body = "11010500000001"
    reg = body + uscc.registration_check_digit(body)
    page = Page(
        width=1130,
        height=1500,
        lines=[
            line("企业法人营业执照", 190, 200, 950, 80),
            line(f"注册号{reg}-1/1", 390, 390, 760),
            line("名称", 150, 470, 345),
            line("北京恒通贸易有限公司", 365, 470, 880),
            line("住所", 150, 530, 345),
            line("北京市海淀区中山路8号", 365, 530, 900),
            line("实收资本", 150, 600, 345),
            line("人民币伍拾万元整", 365, 600, 700),
            line("营业期限", 150, 660, 345),
            line("2005年03月01日至2025年02月28日", 365, 660, 900),
            line("成立日期2005年03月01日", 150, 1250, 600),
        ],
    )
    out = business.parse_page(page).fields
    assert out["companySN"] == reg and uscc.is_valid_registration(out["companySN"])
    assert out["copy"] is False and out["copyId"] == ""
    assert out["paidInCapital"] == "人民币伍拾万元整"
    assert out["vaildPeriod"] == "2025-02-28"
    assert out["address"] == "北京市海淀区中山路8号"
    assert out["creditCode"] == "" and out["taxCode"] == "" and out["organizationCode"] == ""


def test_period_end() -> None:
    assert business.period_end("2019年01月01日至长期") == LONG_TERM
    assert business.period_end("自2000年04月20日至2020年04月19日") == "2020-04-19"
    assert business.period_end("至2030年1月2日") == "2030-01-02"
    assert business.period_end("2019年01月01日") == ""


def test_empty_page() -> None:
    result = business.parse_page(Page(width=10, height=10))
    assert not result.text_found and result.fields["copy"] is False


@pytest.mark.slow
def test_end_to_end_on_renders() -> None:
    from bench.synth.cards.business import render
    from certscan.pipeline import scan_array

    hits = total = 0
    for seed in (1, 4):
        card = render(random.Random(seed))
        out = scan_array(np.asarray(card.image), "business-license").fields
        for key in ("companyName", "legalPerson", "establishDate", "creditCode", "companySN", "copy"):
            total += 1
            hits += out[key] == card.label[key]
    assert hits >= total - 1


def test_scope_formula_misread_is_restored_and_other_text_kept() -> None:
    misread = "企业管理咨询;市场营销策划。依法须经批准的项目,经相关部內批准后方可开展经营活动)"
    assert business.snap_formula(misread) == (
        "企业管理咨询;市场营销策划。(依法须经批准的项目,经相关部门批准后方可开展经营活动)"
    )
    assert business.snap_formula("室内外装饰装修工程的设计与施工(凭资质证经营)。") == (
        "室内外装饰装修工程的设计与施工(凭资质证经营)。"
    )


def test_a_speck_after_the_scope_caption_is_no_value() -> None:
    page = Page(
        width=1600,
        height=1130,
        lines=[
            line("经营范围X", 200, 680, 380),
            line("技术开发、技术咨询；", 380, 680, 830),
            line("销售电子产品。", 380, 725, 600),
        ],
    )
    assert business.parse_page(page).fields["business"] == "技术开发、技术咨询;销售电子产品。"


def test_caption_that_lost_its_first_character() -> None:
    page = Page(
        width=1600,
        height=1130,
        lines=[
            line("称北京华信科技有限公司", 320, 480, 700),
            line("型有限责任公司（自然人独资）", 240, 545, 680),
            line("所北京市朝阳区人民路1号", 1040, 680, 1390),
        ],
    )
    out = business.parse_page(page).fields
    assert (out["companyName"], out["companyType"]) == ("北京华信科技有限公司", "有限责任公司(自然人独资)")
    assert out["address"] == "北京市朝阳区人民路1号"


def test_brackets_balanced_as_printed() -> None:
    # the lone closing bracket of a wrapped value is too small for the detector
    assert business.balance_brackets("有限责任公司(自然人投资或控股") == "有限责任公司(自然人投资或控股)"
    assert business.balance_brackets("有限责任公司《自然人投资或控股)") == "有限责任公司(自然人投资或控股)"
    assert business.balance_brackets("有限责任公司(法人独资)") == "有限责任公司(法人独资)"
    assert business.balance_brackets("有限责任公司") == "有限责任公司"


def test_scope_colons_are_item_separators_except_after_a_heading() -> None:
    assert business.scope_separators("物业管理:餐饮服务;广告设计、制作:农产品初加工。") == (
        "物业管理;餐饮服务;广告设计、制作;农产品初加工。"
    )
    heading = "一般项目:技术服务、技术开发;日用百货销售。许可项目:食品经营。"
    assert business.scope_separators(heading) == heading
    assert business.snap_formula("企业管理咨询。《(依法须经批准的项目,经相关部门批准后方可开展经营活动)") == (
        "企业管理咨询。(依法须经批准的项目,经相关部门批准后方可开展经营活动)"
    )


def test_captions_inside_numbered_notices_are_prose() -> None:
    # licenses without a printed scope carry a notice box that talks about the scope
    page = Page(
        width=1600,
        height=1130,
        lines=[
            line("法定代表人张伟", 200, 610, 430),
            line("1.商事主体的经营范围由章程确定，经营范围中属于法律", 200, 700, 900),
            line("2.商事主体经营范围和许可审批项目等有关企业信用事项", 200, 740, 900),
        ],
    )
    out = business.parse_page(page).fields
    assert out["legalPerson"] == "张伟" and out["business"] == ""


def test_copy_number_lost_dash_and_below_many_lines() -> None:
    page = new_style_page()
    page.lines = [ln for ln in page.lines if ln.text != "（1-2）"]
    page.lines.append(line("副本编号：13", 755, 425, 880))
    assert business.parse_page(page).fields["copyId"] == "1-3"
    # the bare (n-m) under the title, after many lines (QR caption, codes) in reading order
    page = new_style_page()
    page.lines[4:4] = [line(f"说明{i}", 1300, 250 + i * 15, 1400, 12) for i in range(12)]
    assert business.parse_page(page).fields["copyId"] == "1-2"


def test_full_stop_wrapped_onto_a_line_of_its_own() -> None:
    def scope_page(last: str, last_x1: float) -> Page:
        return Page(width=1600, height=1130, lines=[
            line("经营范围技术开发、技术咨询；", 200, 680, 830),
            line("销售电子产品；销售日用百货", 380, 725, 830),
            line(last, 380, 770, last_x1),
        ])
    # the last line reaches the column's edge: its 。 wrapped and was not detected
    full = scope_page("计算机软硬件技术开发与服务", 828)
    assert business.parse_page(full).fields["business"].endswith("开发与服务。")
    # a short last line ends where the text ends: nothing is added
    short = scope_page("计算机服务", 520)
    assert business.parse_page(short).fields["business"].endswith("计算机服务")


def test_uscc_repair_prefers_the_alternative_the_recogniser_found_likely() -> None:
    from certscan.ocr.types import CharCandidates

    true = NEW_STYLE_CODE
    wrong_check = next(c for c in "0123456789" if c != true[17])
    read = true[:17] + wrong_check
    # another single change (at position 10) also fits the check character, but nothing saw it there
    other = next(c for c in uscc.ALPHABET if uscc.is_valid(read[:10] + c + read[11:]))
    chars = [CharCandidates((c,), (0.99,)) for c in read]
    chars[17] = CharCandidates((wrong_check, true[17], "#"), (0.6, 0.25, 0.01))
    chars[10] = CharCandidates((read[10], other), (0.98, 0.001))
    box = np.array([[0, 0], [300, 0], [300, 30], [0, 30]], dtype=np.float32)
    assert business_uscc.repair_uscc(read, Line(read, box, 0.9, chars)) == true
    # with no such evidence, two fits are ambiguous: the read is kept
    chars[17] = CharCandidates((wrong_check, true[17]), (0.6, 0.01))
    chars[10] = CharCandidates((read[10], other), (0.98, 0.01))
    assert business_uscc.repair_uscc(read, Line(read, box, 0.9, chars)) == read


def test_caption_box_that_swallowed_the_values_first_character() -> None:
    page = Page(width=1130, height=1500, lines=[
        line("注册资本壹", 230, 527, 415),
        line("壹拾万元整", 396, 526, 519),
        line("公司粪型有", 232, 626, 415),
        line("有限责任公司（自然人独资）", 397, 622, 682),
    ])
    out = business.parse_page(page).fields
    assert (out["capital"], out["companyType"]) == ("壹拾万元整", "有限责任公司(自然人独资)")


def test_captions_that_lost_their_first_characters() -> None:
    page = Page(width=1600, height=1130, lines=[
        line("代表人郭燕", 415, 867, 484, 21),
        line("范围服装鞋帽、针纺织品的销售；物业管", 411, 895, 637, 21),
        line("理。", 455, 918, 480, 21),
    ])
    out = business.parse_page(page).fields
    assert (out["legalPerson"], out["business"]) == ("郭燕", "服装鞋帽、针纺织品的销售;物业管理。")


def test_a_faint_speck_beside_a_caption_is_left_out() -> None:
    page = new_style_page()
    speck = Line(text="福", box=np.array([[240, 484], [270, 484], [270, 506], [240, 506]], dtype=np.float32),
                 confidence=0.11)
    page.lines.insert(6, speck)
    assert business.parse_page(page).fields["companyName"] == "北京华信科技有限公司"


def test_check_x_read_as_a_multiplication_sign() -> None:
    assert business._org_code("94325847-×") == "94325847-X"
    assert business._code("11010594325847×") == "11010594325847X"


def test_organisation_code_repaired_by_its_check_character() -> None:
    assert business._org_code("MAEKOUFD-4") == "MAEK0UFD-4"  # O read for 0
    assert business._org_code("MAEK0UFD-5") == "MAEK0UFD-5"  # no single look-alike fits: as printed


def test_tax_number_that_lost_its_check_x_gets_it_from_the_organisation_code() -> None:
    assert business.tax_code("511826MA4GM013", "MA4GM013-X") == "511826MA4GM013X"
    assert business.tax_code("511826MA4GM013X", "MA4GM013-X") == "511826MA4GM013X"
    assert business.tax_code("511826MA4GM019", "MA4GM013-X") == "511826MA4GM019"


def test_a_wrapped_address_end_is_no_caption() -> None:
    # ``5号`` alone under the address is one character from 编号, but captions hold no digits
    page = Page(width=1130, height=900, lines=[
        line("经营场所", 147, 597, 344),
        line("青海省果洛藏族自治州久治县大营乡大营村19", 365, 598, 970),
        line("5号", 363, 638, 420),
        line("组成形式", 149, 700, 345),
        line("个人经营", 356, 700, 491),
    ])
    assert business.parse_page(page).fields["address"] == "青海省果洛藏族自治州久治县大营乡大营村195号"


def test_operator_and_name_captions_that_lost_their_heads() -> None:
    for caption in ("营者", "人姓名", "表人"):
        page = Page(width=1600, height=1130, lines=[
            line("型个体工商户", 304, 788, 491, 39),
            line(caption, 249, 852, 249 + 39 * len(caption), 39),
            line("张琪娟", 363, 852, 457, 39),
        ])
        out = business.parse_page(page).fields
        assert (out["companyType"], out["legalPerson"]) == ("个体工商户", "张琪娟")


def test_form_period_and_scope_captions_that_lost_their_heads() -> None:
    page = Page(width=1418, height=1874, lines=[
        line("形式 家庭经营", 527, 1109, 711, 34),
        line("期限", 527, 1160, 580, 34),
        line("2013年03月04日至2043年03月03日", 620, 1160, 980, 34),
        line("及方式 文化艺术交流活动策划；餐饮服务", 527, 1211, 1000, 34),
    ])
    out = business.parse_page(page).fields
    assert (out["composition"], out["vaildPeriod"], out["business"]) == (
        "家庭经营", "2043-03-03", "文化艺术交流活动策划;餐饮服务")


def test_scope_caption_whose_last_character_was_read_into_the_value() -> None:
    page = Page(width=1600, height=1130, lines=[
        line("经营范国市场营销策划：室内外装饰装修工程的设", 293, 579, 900),
        line("计与施工；企业管理咨询。", 431, 614, 663),
    ])
    scope = business.parse_page(page).fields["business"]
    assert scope == "市场营销策划;室内外装饰装修工程的设计与施工;企业管理咨询。"
    # the caption read whole: a value that begins with 国 keeps it
    page = Page(width=1600, height=1130, lines=[line("经营范围国内贸易；物业管理。", 293, 579, 700)])
    assert business.parse_page(page).fields["business"] == "国内贸易;物业管理。"


def test_an_address_caption_read_as_its_first_character_alone() -> None:
    lines = [
        line("称石嘴山天成贸易有限公司", 713, 1290, 961, 22),
        line("住", 632, 1330, 662, 30),
        line("宁夏回族自治区石嘴山市惠农区兴隆街道光明", 755, 1326, 1120, 22),
        line("路732号锦绣公寓18栋1单元3201室", 759, 1354, 1050, 22),
    ]
    out = business.parse_page(Page(width=1600, height=2000, lines=lines)).fields
    assert out["address"] == "宁夏回族自治区石嘴山市惠农区兴隆街道光明路732号锦绣公寓18栋1单元3201室"
    # with its 所 read, as 所 beginning the value's line, the lone 住 stays a character
    kept = business.whole_captions([lines[1], line("所宁夏回族自治区", 700, 1326, 900, 22)])
    assert kept[0].text == "住"


def test_establish_date_from_the_start_of_the_term_when_its_line_was_not_read() -> None:
    assert business.period_start("2002年01月16日至2052年01月15日") == "2002-01-16"
    assert business.period_start("2019年01月01日至长期") == "2019-01-01"
    assert business.period_start("长期") == "" and business.period_start("2052年01月15日") == ""
    page = Page(width=1130, height=1500, lines=[
        line("营业期限", 150, 1001, 344, 39),
        line("2002年01月16日至2052年01月15日", 333, 1000, 875, 36),
    ])
    assert business.parse_page(page).fields["establishDate"] == "2002-01-16"


def test_a_type_read_whole_does_not_take_the_scope_below_it() -> None:
    # 经营范围 lost to the light: its first line, under the type, begins with the caption's 围 misread
    page = Page(width=1600, height=1130, lines=[
        line("公司类型", 240, 545, 360),
        line("有限责任公司（法人独资）", 400, 545, 740),
        line("周新能源技术推广服务；家用电器、办公用品", 380, 600, 1000),
    ])
    assert business.parse_page(page).fields["companyType"] == "有限责任公司(法人独资)"
    assert business.type_lines("有限责任公司", "有限责任公司(自然人独资)") == "有限责任公司(自然人独资)"
    assert business.type_lines("有限责任公司(自然人投资或控", "有限责任公司(自然人投资或控股)") == \
        "有限责任公司(自然人投资或控股)"
