"""Vehicle licence parser: row cells on hand-built OCR pages (blank cells, merged label+value), the
dimension and mass formats, and end to end on synthetic renders (slow: loads the OCR models)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.synth.cards import vehicle_license as renderer
from certscan.cards import vehicle_dates, vehicle_terms
from certscan.cards import vehicle_license as parser
from certscan.cards import vehicle_license_back as back
from certscan.checks import vin as vin_check
from certscan.constants import empty_fields
from certscan.ocr.types import Line, Page


def line(text: str, x0: float, y0: float, x1: float, h: float = 30) -> Line:
    box = np.array([[x0, y0], [x1, y0], [x1, y0 + h], [x0, y0 + h]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.95)


VIN = "LFVBA24B2N3083295"


def front_page() -> Page:
    return Page(
        width=880,
        height=600,
        lines=[
            line("中华人民共和国机动车行驶证", 196, 26, 687, 38),
            line("号牌号码", 58, 120, 151),
            line("新M·96036", 172, 117, 310),
            line("车辆类型", 468, 120, 562),
            line("轻型厢式货车", 586, 114, 758),
            line("所有人罗杰飞", 57, 181, 262),
            line("住址", 58, 241, 106),
            line("新疆维吾尔自治区和田地区民丰县建设南路918号", 172, 233, 818),
            line("使用性质", 60, 303, 150),
            line("非营运", 193, 297, 283),
            line("品牌型号", 468, 301, 560),
            line("丰田牌AWJ2998FL", 589, 298, 817),
            line("车辆识别代号", 60, 363, 192),
            line(VIN.replace("0", "O"), 271, 357, 541),
            line("发动机号码", 59, 422, 171),
            line("安品", 177, 423, 232),
            line("S6942697", 242, 417, 379),
            line("注册日期", 58, 483, 150),
            line("2015-0928", 207, 478, 350),
            line("发证日期", 468, 482, 561),
            line("2015-09-28", 592, 479, 745),
        ],
    )


def test_front_cells() -> None:
    page = front_page()
    assert parser.cell_value(page, "车辆类型", parser.FRONT_LABELS) == "轻型厢式货车"
    assert parser.cell_value(page, "所有人", parser.FRONT_LABELS) == "罗杰飞"
    assert parser.plate_number(parser.cell_value(page, "号牌号码", parser.FRONT_LABELS)) == "新M96036"
    assert parser.vin_number(parser._code(page, "车辆识别代号")) == VIN
    assert parser._code(page, "发动机号码") == "S6942697"  # the seal's remnants are skipped
    assert parser._date(page, "注册日期") == "2015-09-28"  # a lost separator
    assert parser._date(page, "发证日期") == "2015-09-28"


def test_english_caption_under_a_tall_caption_box_is_not_its_value() -> None:
    # 住址's box is tall: its English caption (Addres) overlaps its row half, starting under it
    address = "青海省海西蒙古族藏族自治州天峻县安乐街道花园北路226号"
    page = Page(width=1256, height=1001, lines=[line("住址", 344, 533, 401, h=45),
                                               line(address, 464, 527, 1121, h=32),
                                               line("Addres", 346, 563, 402)])
    assert parser.cell_value(page, "住址", parser.FRONT_LABELS) == address


def test_front_address_units_mended_from_the_recognisers_alternatives() -> None:
    from certscan.ocr.types import CharCandidates

    read = "浙江省温州市龙湾区朝阳东路969号世纪花阀24栋2单元901室"
    value = line(read, 464, 527, 1121)
    value.chars = [CharCandidates(chars=(c, "园", "国") if c == "阀" else (c,),
                                  probs=(0.28, 0.22, 0.18) if c == "阀" else (0.99,)) for c in read]
    page = Page(width=1256, height=1001, lines=[line("住址", 344, 527, 401), value])
    assert parser.front_fields(page)["address"] == read.replace("花阀", "花园")


def test_blank_cell_does_not_take_the_next_label() -> None:
    page = Page(
        width=880,
        height=600,
        lines=[
            line("整备质量", 60, 195, 180),
            line("2310kg", 195, 195, 290),
            line("核定载质量", 460, 195, 580),
            line("准牵引总质量", 60, 335, 240),
            line("总质量", 460, 125, 540),
            line("5775kg", 563, 125, 660),
        ],
    )
    assert back._mass(parser.cell_value(page, "核定载质量", back.BACK_LABELS)) == ""
    assert back._mass(parser.cell_value(page, "准牵引总质量", back.BACK_LABELS)) == ""
    assert back._mass(parser.cell_value(page, "总质量", back.BACK_LABELS)) == "5775kg"
    assert back._mass(parser.cell_value(page, "整备质量", back.BACK_LABELS)) == "2310kg"


@pytest.mark.parametrize(
    ("text", "dims"),
    [
        ("4546×1710×1427mm", (4546, 1710, 1427)),
        ("4546X1710X1427mm", (4546, 1710, 1427)),
        ("4546x1710x1427 mm", (4546, 1710, 1427)),
        ("11182x21832981mm", (11182, 2183, 2981)),
        ("11286x2034x371lmm", (11286, 2034, 3711)),
        ("外廓尺寸", ("", "", "")),
    ],
)
def test_dimensions(text: str, dims: tuple[object, object, object]) -> None:
    got = back.dimensions(text)
    assert (got["length"], got["width"], got["height"]) == dims


def test_back_fields_found_by_their_shape_when_labels_are_misread() -> None:
    page = Page(
        width=880,
        height=600,
        lines=[
            line("可号", 60, 55, 120),
            line("苏Y7F39V", 190, 55, 330),
            line("320102395802", 590, 55, 800),
            line("定我人量2人", 60, 125, 260),
            line("11182x21832981m", 190, 265, 500),
            line("有效期至2012年01月苏Y", 190, 475, 520),
        ],
    )
    fields = empty_fields("vehicle-license-back")
    back._back_fallbacks(page, fields)
    assert fields["plateNum"] == "苏Y7F39V"
    assert fields["fileNum"] == "320102395802"
    assert fields["appprovedPassengerCapacity"] == 2
    assert fields["overallDimension"] == {"length": 11182, "width": 2183, "height": 2981}
    assert fields["inspectionRecord"] == "检验有效期至2012年01月苏Y"


def test_vin_fixture() -> None:
    assert vin_check.is_valid(VIN)


@pytest.mark.slow
@pytest.mark.parametrize("side", ["front", "back"])
def test_end_to_end_on_synthetic_licences(side: str) -> None:
    from certscan.pipeline import scan_array

    render = renderer.render_front if side == "front" else renderer.render_back
    total = correct = 0
    for seed in range(4):
        card = render(random.Random(seed))
        got = scan_array(np.asarray(card.image), f"vehicle-license-{side}").fields
        for key, value in card.label.items():
            total += 1
            correct += got[key] == value
    assert correct >= total * 0.9


def test_plate_and_inspection_record_repair_each_other() -> None:
    # the province lost from the plate is the record's, a record tail read 辽0 follows the valid plate
    assert back.plate_and_record_agree("Z2V110", "检验有效期至2018年07月甘Z") == (
        "甘Z2V110",
        "检验有效期至2018年07月甘Z",
    )
    assert back.plate_and_record_agree("辽Q12345", "检验有效期至2019年03月辽0") == (
        "辽Q12345",
        "检验有效期至2019年03月辽Q",
    )
    # a record without the plate, or one that disagrees on the province, is left alone
    assert back.plate_and_record_agree("辽Q12345", "检验有效期至2019年03月") == (
        "辽Q12345",
        "检验有效期至2019年03月",
    )
    assert back.plate_and_record_agree("鄂V12345", "检验有效期至2023年09月京A") == (
        "鄂V12345",
        "检验有效期至2023年09月京A",
    )
    # a tail that is no province, or lost the letter, is the plate's; a serial alone gets the record's
    record = "检验有效期至2013年02月"
    assert back.plate_and_record_agree("鄂V12345", record + "普V")[1] == record + "鄂V"
    assert back.plate_and_record_agree("辽W6751F", record + "过")[1] == record + "辽W"
    assert back.plate_and_record_agree("藏J12345", record + "藏")[1] == record + "藏J"
    assert back.plate_and_record_agree("琼F12345", record + "京F")[1] == record + "琼F"
    assert back.plate_and_record_agree("084437", "检验有效期至2016年12月黑C")[0] == "黑C84437"


def test_unladen_mass_left_of_the_load_label_when_its_own_label_was_not_read() -> None:
    def ln(text: str, x0: float, y0: float, x1: float) -> Line:
        box = np.array([[x0, y0], [x1, y0], [x1, y0 + 30], [x0, y0 + 30]], dtype=np.float32)
        return Line(text=text, box=box, confidence=0.95)

    page = Page(width=1000, height=700, lines=[
        ln("档案编号", 630, 160, 740), ln("420880270206", 765, 158, 968),
        ln("总质量", 625, 236, 716), ln("7325kg", 730, 232, 843),
        ln("2910kg", 342, 305, 461), ln("核定载质量", 628, 308, 769), ln("4285kg", 777, 304, 892),
    ])
    fields = empty_fields("vehicle-license-back")
    back._back_fallbacks(page, fields)
    assert fields["unladenMass"] == "2910kg"


def test_front_read_through_seal_damage() -> None:
    """Captions the seal ate (发动机辑, unread 号牌号码, 车辆类型, 使用性质, 品牌型号), a speck between a
    label and its value, a plate without its province: each field still comes from its row."""
    from tests.cards import pages

    eaten = {"号牌号码", "车辆类型", "使用性质", "品牌型号", "发动机号码"}
    lines = [ln for ln in front_page().lines if ln.text not in eaten and ln.text != "新M·96036"]
    lines += [line("M96036", 172, 117, 310), line("发动机辑", 59, 422, 171),
              Line(text="福", box=line("福", 560, 300, 585).box, confidence=0.07)]
    fields = parser.parse_front(pages.scan("vehicle-license-front", lines)).fields
    assert fields["plateNum"] == "新M96036"  # the province of the registration address
    assert fields["vehicleType"] == "轻型厢式货车"
    assert fields["useCharacter"] == "非营运"
    assert fields["model"] == "丰田牌AWJ2998FL"
    assert fields["engineNum"] == "S6942697"
    assert fields["vin"] == VIN


def test_engine_number_under_the_vin_past_its_english_caption() -> None:
    page = Page(width=880, height=600, lines=[
        line(VIN, 271, 357, 541),
        line("Vehicle Identification Number", 60, 393, 250, 14),
        line("W9311777", 242, 417, 379),
        line("2020-10-30", 207, 478, 350),
    ])
    assert parser._code_below_vin(page, VIN) == "W9311777"
    # no code between the VIN and the dates: nothing, never the date
    no_engine = Page(width=880, height=600, lines=[page.lines[0], page.lines[3]])
    assert parser._code_below_vin(no_engine, VIN) == ""


def test_specks_dropped_words_kept() -> None:
    speck = Line(text="福", box=line("福", 570, 300, 600).box, confidence=0.07)
    page = Page(width=880, height=600, lines=[line("品牌型号", 468, 301, 560), speck,
                                              line("解放牌XF6598CF8", 605, 298, 817)])
    assert [ln.text for ln in parser.without_specks(page).lines] == ["品牌型号", "解放牌XF6598CF8"]


def test_province_from_address_only_completes_a_plate() -> None:
    assert parser.province_from_address("E18203", "黑龙江省鹤岗市") == "黑E18203"
    assert parser.province_from_address("U61C84", "山西省运城市") == "晋U61C84"
    assert parser.province_from_address("吉E18203", "黑龙江省鹤岗市") == "吉E18203"  # as read
    assert parser.province_from_address("E18203", "") == "E18203"
    # two letters and five digits fit the military scheme, but a civil licence never shows a military plate
    assert parser.province_from_address("ZF33003", "河北省保定市") == "冀ZF33003"


def test_a_vin_away_from_its_label_ends_in_digits() -> None:
    title = line("E1MEDHER6ESTRPFH1", 100, 50, 500)  # passes the check digit by chance
    assert vin_check.is_valid("E1MEDHER6ESTRPFH1")
    assert parser._vin(Page(width=880, height=600, lines=[title])) == ""
    assert parser._vin(Page(width=880, height=600, lines=[title, line(VIN, 271, 357, 541)])) == VIN


def test_masses_taken_by_their_cells_around_the_dimensions_row() -> None:
    # captions half read (务质量, 总, 定载量): the grid, not the caption, says which mass is which
    page = Page(width=880, height=600, lines=[
        line("号牌码", 80, 86, 123), line("辽W6751F", 131, 83, 191), line("210210703050", 291, 84, 377),
        line("程定我人数", 79, 116, 144), line("5人", 136, 112, 164), line("总2639kg", 270, 110, 326),
        line("务质量1730kE", 81, 142, 179), line("定载量", 244, 144, 297),
        line("4668x1917×1402mm", 134, 174, 256),
        line("准引总质量", 82, 203, 148),
    ])
    assert back.masses_by_place(page) == {
        "grossMass": "2639kg", "unladenMass": "1730kg", "approvedLoad": "", "tractionMass": ""}
    # without the dimensions row there is no grid to go by
    assert back.masses_by_place(Page(width=880, height=600, lines=page.lines[:8])) is None


def test_a_mass_whose_kg_was_lost_is_taken_only_in_its_own_cell() -> None:
    # the gross mass read as bare digits (2448, its kg blurred away): the grid places it
    page = Page(width=880, height=600, lines=[
        line("牌马码晋YP3540", 80, 86, 191), line("140127396182", 291, 84, 377),
        line("核定载人款5人", 79, 116, 164), line("2448", 291, 110, 326),
        line("紫备员量1770kg", 81, 142, 179), line("线定质量", 244, 144, 297),
        line("4693×1653x1735mm", 134, 174, 256),
        line("淮引总质量", 82, 203, 148),
    ])
    assert back.masses_by_place(page) == {
        "grossMass": "2448kg", "unladenMass": "1770kg", "approvedLoad": "", "tractionMass": ""}
    # digits with letters (a plate's or a code's remnant) are no mass
    page.lines[3] = line("2448A", 291, 110, 326)
    assert (back.masses_by_place(page) or {}).get("grossMass") == ""


def test_plate_province_from_the_recogniser_alternatives() -> None:
    from certscan.ocr.types import CharCandidates

    chars = [CharCandidates(chars=("过", "辽"), probs=(0.5, 0.4))] + [
        CharCandidates(chars=(c,), probs=(0.9,)) for c in "W6751F"]
    plate = Line(text="过W6751F", box=line("", 131, 83, 191).box, confidence=0.8, chars=chars)
    page = Page(width=880, height=600, lines=[line("号牌号码", 40, 83, 120), plate])
    assert parser.page_plate(page, "过W6751F") == "辽W6751F"


def test_caption_tails_and_terms_past_specks() -> None:
    page = Page(width=880, height=600, lines=[
        line("车辆类型", 468, 120, 562), line("5", 565, 122, 580), line("中型普通客车", 586, 114, 758),
        line("性质", 90, 303, 150), line("非营运", 193, 297, 283),
    ])
    # 使用性质 lost its head: its own tail still finds the cell; a tail other captions share does not
    assert parser.cell_value(page, "使用性质", parser.FRONT_LABELS) == "非营运"
    assert parser.find_caption(page, "注册日期", parser.FRONT_LABELS) is None
    assert parser.cell_value(page, "车辆类型", parser.FRONT_LABELS) == "5"  # the nearest box…
    assert parser._term_value(page, "车辆类型", vehicle_terms.VEHICLE_TYPES) == "中型普通客车"  # …is no term


def test_dates_stay_in_their_cells() -> None:
    page = Page(width=880, height=600, lines=[
        line("注册日期", 58, 483, 150), line("2006-12", 207, 478, 330),
        line("发证日期", 468, 482, 561), line("2006-12-16", 592, 479, 745),
    ])
    assert parser._date(page, "注册日期") == ""  # never the issue date of the next cell
    cut_off = parser.cell_texts(page, "注册日期", parser.FRONT_LABELS)
    assert vehicle_dates.part_of("2006-12-16", cut_off) == "2006-12-16"
    assert vehicle_dates.part_of("2006-12-16", ["17-01-18"]) == ""
    assert vehicle_dates.part_of("2017-01-18", ["17-01-18"]) == "2017-01-18"
    assert vehicle_dates.part_of("2020-12-16", ["020-12"]) == "2020-12-16"  # cut at both ends
    assert vehicle_dates.part_of("2020-12-16", ["020-11"]) == ""
    assert vehicle_dates.part_of("2020-12-16", ["0-12"]) == ""  # too little of it
    # both labels unread, one date readable: its side of the card says which it is
    lone = Page(width=880, height=600, lines=[line("住址", 58, 241, 106), line("2006-12-16", 592, 479, 745)])
    assert vehicle_dates.bottom_dates(lone, "", "") == ("", "2006-12-16")


def test_plate_read_with_a_stroke_of_its_province_or_letters_for_digits() -> None:
    assert parser.plate_number("川IT6F36E") == "川T6F36E"  # 川's last stroke read as I
    assert parser.plate_number("浙ID77335") == "浙JD77335"  # the whole read is a plate with J
    assert parser.plate_number("豫JOONO5") == "豫J00N05"  # no plate prints O: past the letter, 0
    assert parser.plate_number("川川IT06757D") == "川T06757D"  # the province's strokes read twice
    assert parser.plate_number("贵E895790") == "贵E89579D"  # a new-energy plate's D read as 0
    assert parser.plate_number("贵E012345") == "贵ED12345"
    assert parser.plate_number("贵E89579") == "贵E89579"


def test_caption_remnants_are_no_values() -> None:
    assert parser.without_caption_tail("号长安牌CER7134C", "品牌型号") == "长安牌CER7134C"
    assert parser.without_caption_tail("人王文", "所有人") == "王文"
    assert parser.without_caption_tail("长安牌CER7134C", "品牌型号") == "长安牌CER7134C"
    assert parser.without_caption_tail("品!本田牌RH6257W", "品牌型号") == "本田牌RH6257W"
    address = line("河南省漯河市春晖路8号", 172, 233, 818)
    page = Page(width=880, height=600, lines=[line("住验", 58, 241, 106), address])
    assert parser.cell_value(page, "住址", parser.FRONT_LABELS) == "河南省漯河市春晖路8号"


def test_inspection_record_from_its_year_and_month() -> None:
    assert back.inspection_record("期至2027月01月") == "检验有效期至2027年01月"
    assert back.inspection_record("禁效期些2010年11月过") == "检验有效期至2010年11月过"
    assert back.inspection_record("检验有效期至2018年10月藏T") == "检验有效期至2018年10月藏T"
    assert back.inspection_record("4546×1710×1427mm") == ""
    assert back.inspection_record("2010年13月") == ""
    assert back._mass("3432g") == "3432kg"  # the k lost
    assert back._mass("3432") == ""


def test_dates_read_with_a_letter_or_a_digit_lost_or_misread() -> None:
    assert vehicle_dates.date_of("2014-0B-26") == "2014-08-26"
    assert vehicle_dates.date_of("LSVXPBCXXMD362198") == ""  # no date's shape: letters stay letters
    assert vehicle_dates.part_of("2019-01-02", ["2019-002"]) == "2019-01-02"  # one digit lost
    assert vehicle_dates.part_of("2019-01-02", ["2019-003"]) == ""
    # never registered after the issue: one misread digit; a later registration is kept otherwise
    assert vehicle_dates.issued_after_registration("2008-12-09", "2006-12-09") == "2006-12-09"
    assert vehicle_dates.issued_after_registration("2005-12-09", "2006-12-09") == "2005-12-09"
    assert vehicle_dates.issued_after_registration("2018-12-19", "2006-12-09") == "2018-12-19"


def test_engine_number_box_read_wider_gets_its_lost_head_back() -> None:
    from types import SimpleNamespace

    from certscan.cards import vehicle_engine

    lines = [line("发动机号码", 59, 422, 171), line("AD730110", 242, 417, 379)]
    page = Page(width=880, height=600, lines=lines)
    quads: list[np.ndarray] = []

    def reader(text: str):  # type: ignore[no-untyped-def]
        def read(qs):  # type: ignore[no-untyped-def]
            quads.extend(qs)
            return [SimpleNamespace(text=text, confidence=0.9, chars=[])]
        return read

    assert vehicle_engine.with_lost_head("AD730110", page, reader("XAD730110")) == "XAD730110"
    assert quads[0][:, 0].min() < 242  # widened to the left
    assert vehicle_engine.with_lost_head("AD730110", page, reader("AD73011")) == "AD730110"  # no shorter
    assert vehicle_engine.with_lost_head("AD730110", page, reader("码XAD730110")) == "XAD730110"
    assert vehicle_engine.with_lost_head("AD730110", page, reader("5AD780110")) == "AD730110"  # another read
    assert vehicle_engine.with_lost_head("AD730110", page, None) == "AD730110"
    assert vehicle_engine.with_lost_head("AD730110", page, reader("1AD730110")) == "AD730110"  # a stroke
    assert vehicle_engine.with_lost_head("AD730110", page, reader("X1AD730110")) == "X1AD730110"
    assert vehicle_engine.code_runs("2011-04-08") == []  # the register date beside a tilted caption
    assert vehicle_engine.code_runs("LZ2744456") == ["LZ2744456"]


def test_engine_number_read_wider_drops_an_unsure_seal_remnant_and_takes_a_surer_character() -> None:
    from types import SimpleNamespace

    from certscan.cards import vehicle_engine
    from certscan.ocr.types import CharCandidates

    def chars(text: str, sure: dict[int, tuple[str, float, float]]) -> list[CharCandidates]:
        """Each character read at 0.99, except ``sure``: position -> (runner-up, best's, runner-up's)."""
        out = []
        for k, c in enumerate(text):
            other, p, q = sure.get(k, ("#", 0.99, 0.0))
            out.append(CharCandidates(chars=(c, other), probs=(p, q)))
        return out

    def page_with(text: str, sure: dict[int, tuple[str, float, float]]) -> Page:
        value = line(text, 242, 417, 379)
        value.chars = chars(text, sure)
        return Page(width=880, height=600, lines=[line("发动机号码", 59, 422, 171), value])

    def reader(text: str, sure: dict[int, tuple[str, float, float]]):  # type: ignore[no-untyped-def]
        return lambda qs: [SimpleNamespace(text=text, confidence=0.9, chars=chars(text, sure))]

    seal = page_with("375744720", {0: ("8", 0.40, 0.09)})
    assert vehicle_engine.with_lost_head("375744720", seal, reader("75744720", {})) == "75744720"
    printed = page_with("ZX44402522", {0: ("2", 0.95, 0.02)})  # a sure head the wider read took for 安
    assert vehicle_engine.with_lost_head("ZX44402522", printed, reader("安X44402522", {})) == "ZX44402522"
    slip = page_with("HRC87246497", {2: ("L", 0.42, 0.30)})
    assert vehicle_engine.with_lost_head("HRC87246497", slip, reader("HRL87246497", {2: ("C", 0.86, 0.02)})
                                         ) == "HRL87246497"
    toss_up = page_with("8FX94556727", {1: ("E", 0.86, 0.13)})
    assert vehicle_engine.with_lost_head("8FX94556727", toss_up, reader("8EX94556727", {1: ("F", 0.86, 0.11)})
                                         ) == "8FX94556727"
    unoffered = page_with("70023797", {0: ("1", 0.63, 0.14)})  # J was never the first read's candidate
    assert vehicle_engine.with_lost_head("70023797", unoffered, reader("J0023797", {0: ("1", 0.90, 0.05)})
                                         ) == "70023797"
    speck = page_with("56794700", {})  # a lower-case, unsure u the wider read saw in front is no head
    assert vehicle_engine.with_lost_head("56794700", speck, reader("u56794700", {0: ("L", 0.29, 0.09)})
                                         ) == "56794700"
    assert vehicle_engine.with_lost_head("56794700", speck, reader("X56794700", {})) == "X56794700"
    no_i = page_with("FIN3639650", {1: ("T", 0.73, 0.24)})  # I is no engine number's: its runner-up
    assert vehicle_engine.with_lost_head("FIN3639650", no_i, reader("FIN3639650", {1: ("T", 0.81, 0.16)})
                                         ) == "FTN3639650"
    assert vehicle_engine.with_i_resolved("AI12345", None) == "A112345"
    letter = page_with("01H4376570", {0: ("C", 0.60, 0.29)})  # a maker's letter read as its digit
    assert vehicle_engine.with_lost_head("01H4376570", letter, reader("", {})) == "C1H4376570"
    digit = page_with("70023797", {0: ("J", 0.63, 0.14)})  # a letter offered, but little
    assert vehicle_engine.with_lost_head("70023797", digit, reader("", {})) == "70023797"


def test_plate_province_from_the_file_number_when_neither_plate_nor_record_kept_it() -> None:
    fields = empty_fields("vehicle-license-back")
    fields.update(plateNum="T2A886", fileNum="360318647104", inspectionRecord="检验有效期至2014年04月T")
    back.settle_plate(fields)
    assert fields["plateNum"] == "赣T2A886"  # 36: Jiangxi (GB/T 2260)
    assert fields["inspectionRecord"] == "检验有效期至2014年04月赣T"
    # a plate read whole keeps its province, whatever the file number says
    fields.update(plateNum="京T2A886", inspectionRecord="检验有效期至2014年04月")
    back.settle_plate(fields)
    assert fields["plateNum"] == "京T2A886"


def test_owner_name_slips_given_back_but_not_in_a_company() -> None:
    page = front_page()
    page.lines[5] = line("所有人郑红酒", 57, 181, 262)
    assert parser.front_fields(page)["owner"] == "郑红涵"  # 酒 is the recogniser's 涵: no name uses it
    page.lines[5] = line("所有人贵州茅台酒股份有限公司", 57, 181, 400)
    assert parser.front_fields(page)["owner"] == "贵州茅台酒股份有限公司"


def test_register_date_cell_found_left_of_the_issue_date_when_its_caption_was_not_read() -> None:
    page = Page(width=880, height=600, lines=[
        line("注日", 58, 483, 110), line("2041226", 207, 478, 330),
        line("发证日期", 468, 482, 561), line("2014-12-26", 592, 479, 745),
    ])
    assert vehicle_dates.beside_date(page, "2014-12-26", left=True) == ["发证日期", "2041226", "注日"]
    assert vehicle_dates.settled(page, "", "2014-12-26", []) == ("2014-12-26", "2014-12-26")
    # a digit misread into no date at all is the issue date; a real other day stays itself
    assert vehicle_dates.part_of("2009-11-05", ["8009-11-05"]) == "2009-11-05"
    assert vehicle_dates.part_of("2009-11-05", ["2009-11-06"]) == ""


def test_the_other_date_misread_into_no_date_is_this_one() -> None:
    # the issue date's caption unread and its month misread (97), right of the register date
    page = Page(width=880, height=600, lines=[
        line("1#车", 58, 483, 110), line("2014-07-19", 207, 478, 350),
        line("#", 468, 482, 490), line("2014-97-19", 592, 479, 745),
    ])
    assert vehicle_dates.settled(page, "2014-07-19", "", []) == ("2014-07-19", "2014-07-19")
    # a month's 0 lost and the year misread (3006-3-21): no date, one digit from the issue date
    assert vehicle_dates.misread_of("2006-03-21", ["3006-3-21"]) == "2006-03-21"
    assert vehicle_dates.misread_of("2006-03-21", ["2006-3-22"]) == ""  # a real other day
    # an issue date is taken from a misread only: a cut-off one may be any later day
    page.lines[3] = line("2014-07", 592, 479, 745)
    assert vehicle_dates.settled(page, "2014-07-19", "", []) == ("2014-07-19", "")


def test_no_plate_taken_out_of_a_longer_code() -> None:
    # the plate's cell unread: a plate-shaped piece of the model code (京PDV7186 of 京PDV7186774) is none
    model = line("京PDV7186774", 589, 298, 817)
    page = Page(width=880, height=600, lines=[line("号牌号码", 58, 120, 151), model])
    assert parser.page_plate(page, "") == ""
    page.lines.append(line("京A·12345", 172, 117, 310))  # a plate box of its own still is one
    assert parser.page_plate(page, "") == "京A12345"


def test_register_date_by_the_recognisers_other_digits() -> None:
    from certscan.ocr.types import CharCandidates

    def read(text: str, offered: dict[int, tuple[str, float, float]]) -> Line:
        value = line(text, 100, 700, 300)
        value.chars = [CharCandidates(chars=(c, offered[k][0]), probs=(offered[k][1], offered[k][2]))
                       if k in offered else CharCandidates(chars=(c,), probs=(0.99,))
                       for k, c in enumerate(text)]
        return value

    later = read("2054-08-30", {2: ("1", 0.5, 0.07)})  # after the issue date: impossible
    assert vehicle_dates.register_by_alternatives("2054-08-30", "2017-07-11", later) == "2014-08-30"
    toss_up = read("2016-06-17", {3: ("8", 0.46, 0.46)})  # 6 or 8: the issue date's 8
    assert vehicle_dates.register_by_alternatives("2016-06-17", "2018-06-17", toss_up) == "2018-06-17"
    sure = read("2016-06-17", {3: ("8", 0.9, 0.05)})
    assert vehicle_dates.register_by_alternatives("2016-06-17", "2018-06-17", sure) == "2016-06-17"
    assert vehicle_dates.register_by_alternatives("2016-06-17", "2018-06-17", None) == "2016-06-17"
