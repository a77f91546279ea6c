"""Driving licence parser: both validity generations, computed end dates, class codes, the 副页's
archive number (never the barcode digits), and end to end on synthetic renders (slow)."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from bench.synth.cards import driver as driver_renderer
from certscan.cards import driver, driver_address, driver_validity
from certscan.constants import LONG_TERM
from certscan.ocr.types import Line, Page


def line(text: str, x0: float, y0: float, x1: float, h: float = 30) -> Line:
    box = np.array([[x0, y0], [x1, y0], [x1, y0 + h], [x0, y0 + h]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.95)


def front_page(validity: list[Line]) -> Page:
    return Page(
        width=880,
        height=600,
        lines=[
            line("中华人民共和国机动车驾驶证", 180, 30, 700, 40),
            line("证号", 260, 125, 318),
            line("110101199003071234", 360, 120, 680),
            line("姓名", 57, 183, 110),
            line("王小明", 150, 179, 264),
            line("性别男", 436, 180, 546),
            line("国籍", 587, 184, 642),
            line("中国", 694, 181, 761),
            line("住址", 59, 249, 110),
            line("北京市东城区建国门内大街18号恒基", 147, 249, 697),
            line("Address", 58, 280, 114, 18),
            line("中心1座", 151, 299, 326),
            line("北京市公安", 64, 363, 215),
            line("出生日期", 290, 355, 388),
            line("1990-03-07", 442, 355, 599),
            line("初次领证日期", 290, 417, 434),
            line("2010-06-30", 469, 408, 641),
            line("准驾车型", 289, 478, 388),
            line("C1", 499, 480, 548),
            *validity,
        ],
    )


def test_older_card_end_date_is_start_plus_period() -> None:
    page = front_page([line("有效起始日期2016-06-30", 53, 544, 400), line("有效期限10年", 440, 544, 620)])
    assert driver_validity.validity(page) == ("2016-06-30", "2026-06-30")


def test_older_card_long_term() -> None:
    page = front_page(
        [
            line("有效起始日期", 53, 544, 200),
            line("2016-06-30", 230, 544, 400),
            line("有效期限", 440, 544, 540),
            line("长期", 560, 544, 620),
        ]
    )
    assert driver_validity.validity(page) == ("2016-06-30", LONG_TERM)


def test_newer_card_prints_both_dates() -> None:
    page = front_page([line("有效期限", 53, 544, 154), line("2020-06-30至2026-06-30", 188, 549, 526)])
    assert driver_validity.validity(page) == ("2020-06-30", "2026-06-30")


def test_newer_card_dates_run_together_when_zhi_was_lost() -> None:
    # 至 blurred away: the end date's year follows the start date's day (2020-07-172026-07-17)
    page = front_page([line("有效期限", 53, 544, 154), line("2020-06-302026-06-30", 188, 549, 526)])
    assert driver_validity.validity(page) == ("2020-06-30", "2026-06-30")
    assert driver_validity.dates_in("2020-06-3020") == []  # no second date: nothing split off


def test_start_date_that_lost_its_last_digit_is_completed_from_first_issue() -> None:
    page = front_page(
        [
            line("有效起始日期", 3, 544, 95),
            line("2016-06-3有效期限", 111, 544, 288),
            line("6年", 313, 544, 351),
        ]
    )
    assert driver_validity.validity(page) == ("2016-06-30", "2022-06-30")


def test_front_fields_from_labels() -> None:
    page = front_page([line("有效期限", 53, 544, 154), line("2020-06-30至2026-06-30", 188, 549, 526)])
    assert driver._name(page) == "王小明"
    assert driver._address(page) == "北京市东城区建国门内大街18号恒基中心1座"
    assert driver._vehicle_type(page) == "C1"


def replaced(page: Page, old: str, *new: Line) -> Page:
    """``page`` with the line reading ``old`` replaced by ``new`` (misread or split lines)."""
    lines = [ln for ln in page.lines if ln.text != old]
    return Page(width=page.width, height=page.height, lines=lines + list(new))


def test_misread_name_label_does_not_eat_the_name() -> None:
    page = front_page([])
    assert driver._name(replaced(page, "姓名", line("姓书", 57, 183, 110))) == "王小明"


def test_vehicle_class_under_a_half_read_label() -> None:
    page = replaced(front_page([]), "准驾车型", line("##车型", 289, 478, 388))
    assert driver._vehicle_type(page) == "C1"


def test_older_card_start_date_left_of_the_period_when_its_label_was_misread() -> None:
    page = front_page([line("存政起拍日用", 53, 544, 200), line("2016-06-30", 230, 544, 400),
                       line("有效期长期", 440, 544, 620)])
    assert driver_validity.validity(page) == ("2016-06-30", LONG_TERM)


def test_address_stops_at_the_birth_row_even_when_its_label_is_misread() -> None:
    page = replaced(front_page([]), "出生日期", line("营生日期", 290, 330, 388))
    page = replaced(page, "1990-03-07", line("1990-03-07", 150, 330, 300))
    assert driver._address(page) == "北京市东城区建国门内大街18号恒基中心1座"


def test_address_without_its_label_keeps_a_short_last_line() -> None:
    page = replaced(front_page([]), "住址")
    page = replaced(page, "Address")
    assert driver._address(page) == "北京市东城区建国门内大街18号恒基中心1座"


def test_id_number_inside_a_longer_digit_run() -> None:
    page = replaced(front_page([]), "110101199003071234", line("15110101199003071233", 330, 120, 680))
    assert driver._id_number(page) == "110101199003071233"


def test_address_band_under_the_name_row_when_sex_and_address_labels_are_misread() -> None:
    page = replaced(replaced(front_page([]), "住址"), "Address")
    page = replaced(page, "性别男", line("锦男", 436, 180, 546))
    assert driver._address(page) == "北京市东城区建国门内大街18号恒基中心1座"


def test_older_card_when_neither_validity_label_was_read() -> None:
    page = front_page([line("新效社给日购", 53, 544, 200), line("2016-06-30", 230, 544, 400),
                       line("有效装质 10年", 440, 544, 620)])
    assert driver_validity.validity(page) == ("2016-06-30", "2026-06-30")


def test_date_that_lost_one_separator() -> None:
    assert driver_validity.dates_in("202411-03至2030-11-03") == ["2024-11-03", "2030-11-03"]
    assert driver_validity.dates_in("2024-1103") == ["2024-11-03"]
    # the other separator read as a look-alike (/ or .)
    assert driver_validity.dates_in("202212/31至长期", long_term=True) == ["2022-12-31", "Long-term"]
    assert driver_validity.dates_in("2022.1231") == ["2022-12-31"]


def test_date_whose_separator_was_read_as_a_colon() -> None:
    # a blurred hyphen comes back as a colon (2017:06-08至长期), one or both of them
    assert driver_validity.dates_in("2017:06-08至长期", long_term=True) == ["2017-06-08", "Long-term"]
    assert driver_validity.dates_in("2016:03:10") == ["2016-03-10"]


def test_address_value_not_the_english_caption_on_the_label_row() -> None:
    page = replaced(front_page([]), "Address", line("viee", 62, 262, 112, 18))
    assert driver._address(page) == "北京市东城区建国门内大街18号恒基中心1座"


def test_town_named_twice_agrees_with_itself_through_the_recogniser_alternative() -> None:
    from certscan.ocr.types import CharCandidates

    text = "河北省保定市徐水区古家庄乡廿家庄村8号"
    chars = [CharCandidates(chars=(c, "廿") if c == "古" else (c,), probs=(0.6, 0.3) if c == "古" else (0.9,))
             for c in text]
    value = Line(text=text, box=line(text, 150, 240, 700).box, confidence=0.9, chars=chars)
    assert driver_address.repeated_name_repair(text, [value]) == "河北省保定市徐水区廿家庄乡廿家庄村8号"
    plain = [CharCandidates((c,), (0.9,)) for c in text]
    no_alt = Line(text=text, box=value.box, confidence=0.9, chars=plain)
    assert driver_address.repeated_name_repair(text, [no_alt]) == text


def test_vehicle_class_box_on_the_row_of_a_label_misread_past_matching() -> None:
    page = replaced(front_page([]), "准驾车型", line("车泵", 289, 478, 340))
    page = replaced(page, "C1", line("BI", 499, 480, 548))
    assert driver._vehicle_type(page) == "B1"
    no_label = replaced(page, "车泵", line("###", 289, 478, 340))
    assert driver._vehicle_type(no_label) == ""  # a lone code-like box with no label beside it


def test_newer_card_start_read_after_its_end_is_moved_back_by_the_period() -> None:
    page = front_page([line("有效期限", 53, 544, 154), line("2072-10-15至2028-10-15", 188, 549, 526)])
    assert driver_validity.validity(page) == ("2022-10-15", "2028-10-15")
    assert driver_validity.period_pair("2099-01-01", "2028-10-15") == ("2099-01-01", "2028-10-15")  # too far


def test_newer_card_end_read_before_its_start_is_the_start_plus_the_period() -> None:
    page = front_page([line("有效期限", 53, 544, 154), line("2022-12-11至2002-12-11", 188, 549, 526)])
    assert driver_validity.validity(page) == ("2022-12-11", "2032-12-11")


def test_name_under_the_number_when_its_label_and_sex_label_are_misread() -> None:
    page = replaced(front_page([]), "姓名", line("ne.", 57, 183, 110))
    page = replaced(page, "性别男", line("男", 500, 180, 546))
    assert driver._name(page) == "王小明"


@pytest.mark.parametrize(
    ("text", "code"),
    [("C1", "C1"), ("AL", "A1"), ("A1A2", "A1A2"), ("C1E", "C1E"), ("B2", "B2"), ("Class", ""), ("D", "D"),
     ("CA", "C4"), ("GI", "C1")],
)
def test_vehicle_class(text: str, code: str) -> None:
    assert driver.vehicle_class(text) == code


def test_add_years_on_leap_day() -> None:
    assert driver_validity.add_years(dt.date(2016, 2, 29), 6) == dt.date(2022, 2, 28)


def test_archive_number_not_the_barcode() -> None:
    page = Page(
        width=1100,
        height=500,
        lines=[
            line("中华人民共和国机动车驾驶证副页", 620, 160, 1050),
            line("证号412724197108138378", 740, 200, 1000),
            line("姓名王满堂", 628, 246, 789),
            line("档案编号", 850, 246, 950),
            line("412724017579", 955, 246, 1060),
            line("120007559358", 851, 483, 1067),
        ],
    )
    assert driver._archive(page) == "412724017579"
    merged = Page(
        width=1100,
        height=500,
        lines=[line("李柏池档案编号451401413828", 709, 179, 1056), line("120007559358", 851, 483, 1067)],
    )
    assert driver._archive(merged) == "451401413828"
    # the archive row unread: the barcode's own digits, between its asterisks, are no archive number
    unread = Page(width=1100, height=500, lines=[line("证号530381197909270951", 740, 200, 1000),
                                                  line("*450608756302*", 851, 483, 1067)])
    assert driver._archive(unread) == ""


def test_archive_number_behind_its_label_read_as_digits() -> None:
    lines = [line("412724197108138378", 740, 200, 1000), line("代339411665824677", 850, 246, 1060)]
    assert driver._archive(Page(width=1100, height=500, lines=lines)) == "411665824677"
    barcode = [lines[0], line("3394116658246771", 850, 483, 1067)]  # a bare 16-digit run is no archive
    assert driver._archive(Page(width=1100, height=500, lines=barcode)) == ""


def test_archive_number_behind_its_label_read_as_one_digit() -> None:
    # the 档案编号 caption unread but its 号 read as a digit in the number's box (9150825381214)
    number = line("130802200105202118", 740, 200, 1000)
    barcode = line("*196696260121*", 851, 483, 1067)
    stray = line("9150825381214", 850, 246, 1060)
    assert driver._archive(Page(width=1100, height=500, lines=[number, stray, barcode])) == "150825381214"
    # sharing the holder's region code decides wherever the run lies
    region = line("1130802969964", 850, 400, 1060)
    assert driver._archive(Page(width=1100, height=500, lines=[number, region])) == "130802969964"
    # a bare 13-digit run neither under the 证号 line nor of the holder's region is no archive number
    far = line("9150825381214", 850, 400, 1060)
    assert driver._archive(Page(width=1100, height=500, lines=[number, far, barcode])) == ""


@pytest.mark.slow
@pytest.mark.parametrize("side", ["front", "back"])
def test_end_to_end_on_synthetic_licences(side: str) -> None:
    from certscan.pipeline import scan_array

    render = driver_renderer.render_front if side == "front" else driver_renderer.render_back
    total = correct = 0
    for seed in range(4):
        card = render(random.Random(seed))
        got = scan_array(np.asarray(card.image), f"driver-license-{side}").fields
        for key, value in card.label.items():
            total += 1
            correct += got[key] == value
    assert correct >= total * 0.9


def test_address_beside_a_label_read_as_its_first_character_and_one_other() -> None:
    page = replaced(front_page([]), "住址", line("住域", 59, 249, 110))
    assert driver._address(page) == "北京市东城区建国门内大街18号恒基中心1座"


def test_name_under_the_number_is_the_box_in_the_value_column_not_the_misread_caption() -> None:
    page = replaced(front_page([]), "姓名", line("我务", 57, 183, 110))
    page = replaced(page, "性别男", line("男", 500, 180, 546))
    assert driver._name(page) == "王小明"
    # no value column found (the address unread): the leftmost box that is no caption
    no_address = replaced(page, "北京市东城区建国门内大街18号恒基", line("性址", 150, 200, 200))
    assert driver._name(no_address) == "我务"


def test_class_box_between_the_first_issue_and_the_validity_rows_when_its_label_is_unread() -> None:
    validity = [line("有效期限", 53, 544, 154), line("2020-06-30至2026-06-30", 188, 549, 526)]
    page = replaced(front_page(validity), "准驾车型", line("###", 289, 478, 340))
    assert driver._vehicle_type(page) == "C1"
    above = replaced(page, "C1", line("C1", 499, 300, 548))  # a code-like box on the address's rows
    assert driver._vehicle_type(above) == ""


def test_address_continuation_starts_in_the_value_column_not_at_the_next_rows_caption() -> None:
    page = replaced(front_page([]), "出生日期", line("生日租", 290, 355, 388))  # 出生日期 misread
    assert driver._address(page) == "北京市东城区建国门内大街18号恒基中心1座"
    split = replaced(page, "中心1座", line("中心", 151, 299, 220), line("1座", 260, 299, 326))
    assert driver._address(split) == "北京市东城区建国门内大街18号恒基中心1座"


def test_county_one_character_from_two_listed_takes_the_recognisers_alternative() -> None:
    from certscan.ocr.types import CharCandidates

    # 菜山区 is one character from both 莱山区 and 福山区 of 烟台市: the recogniser's 莱 decides
    text = "山东省烟台市菜山区大营街道花园北路348号"

    def value(alternatives: dict[str, str]) -> Line:
        chars = [CharCandidates(chars=(c, alternatives[c]), probs=(0.66, 0.27)) if c in alternatives
                 else CharCandidates((c,), (0.9,)) for c in text]
        return Line(text=text, box=line(text, 150, 240, 700).box, confidence=0.9, chars=chars)

    assert driver_address.place_by_alternatives(text, [value({"菜": "莱"})]) == text.replace("菜", "莱")
    # an alternative that names no listed county changes nothing
    assert driver_address.place_by_alternatives(text, [value({"菜": "荣"})]) == text
    # nor does one past the place names (the street's 花 offered as 莱)
    assert driver_address.place_by_alternatives(text, [value({"花": "莱"})]) == text
    # a two-character county after its province and city: 鑫县 is one character from 蠡县 and 雄县
    county = "河北省保定市鑫县兴隆镇宏伟村5组53号"
    chars = [CharCandidates(chars=(c, "蠡"), probs=(0.52, 0.3)) if c == "鑫" else CharCandidates((c,), (0.9,))
             for c in county]
    read = Line(text=county, box=line(county, 150, 240, 700).box, confidence=0.9, chars=chars)
    assert driver_address.place_by_alternatives(county, [read]) == county.replace("鑫", "蠡")


def test_number_failing_its_check_digit_is_repaired_from_one_recogniser_alternative() -> None:
    from certscan.ocr.types import CharCandidates

    read = "110101199803071233"  # 110101199003071233 with its year's 0 read as 8
    chars = [CharCandidates(chars=(c, "0"), probs=(0.6, 0.3)) if k == 9 else CharCandidates((c,), (0.99,))
             for k, c in enumerate(read)]
    number = Line(text=read, box=line(read, 360, 120, 680).box, confidence=0.9, chars=chars)
    page = replaced(front_page([]), "110101199003071234", number)
    assert driver._id_number(page) == "110101199003071233"
    plain = replaced(front_page([]), "110101199003071234", line(read, 360, 120, 680))
    plain = replaced(plain, "1990-03-07")  # nor the printed birth date
    assert driver._id_number(plain) == read  # no alternative to repair with: as read


def test_number_failing_its_check_digit_takes_the_printed_birth_date() -> None:
    read = "110101199803071233"  # 110101199003071233 with its year's 0 read as 8; 1990-03-07 printed
    page = replaced(front_page([]), "110101199003071234", line(read, 360, 120, 680))
    assert driver._id_number(page) == "110101199003071233"
    # birth label unread: the page's earliest date is the birth date
    unlabelled = replaced(page, "出生日期")
    assert driver._id_number(unlabelled) == "110101199003071233"
    far = replaced(page, "1990-03-07", line("1970-11-07", 442, 355, 599))  # more than two digits apart
    assert driver._id_number(far) == read


def test_name_label_near_match_in_the_address_second_line_is_not_the_name() -> None:
    page = replaced(front_page([]), "姓名")  # the label hidden (a sticker)
    page = replaced(page, "中心1座", line("光名苑15栋2单元904室", 151, 299, 460))
    assert driver._name(page) == "王小明"


def test_address_character_cut_off_behind_an_exactly_read_label_is_kept() -> None:
    page = replaced(front_page([]), "住址", line("住址北", 59, 249, 130))
    cut = line("京市东城区建国门内大街18号恒基", 160, 249, 697)
    page = replaced(page, "北京市东城区建国门内大街18号恒基", cut)
    assert driver._address(page) == "北京市东城区建国门内大街18号恒基中心1座"


def test_an_impossible_period_no_mend_decides_leaves_the_end_unread() -> None:
    # 2022 至 2022: 2012-2022, 2022-2028 and 2022-2032 are each one digit away, no first issue to decide
    page = front_page([line("有效期限", 53, 544, 154), line("2022-12-11至2022-12-11", 188, 549, 526)])
    page = replaced(page, "初次领证日期")
    assert driver_validity.validity(page) == ("2022-12-11", "")


def test_older_card_period_glued_to_its_start_date_is_not_read_with_the_dates_last_digit() -> None:
    # both validity labels misread: the start date's box runs into the period (2021-11-056年)
    page = front_page([line("有起日期2021-11-05", 53, 544, 400), line("6年", 410, 544, 460)])
    assert driver_validity.validity(page) == ("2021-11-05", "2027-11-05")


def test_newer_card_span_whose_zhi_and_qi_were_misread_when_no_label_was_read() -> None:
    page = front_page([line("2015-05-14星长票", 188, 549, 526)])
    assert driver_validity.validity(page) == ("2015-05-14", LONG_TERM)
    page = front_page([line("2015-05-14里2021-05-14", 188, 549, 526)])
    assert driver_validity.validity(page) == ("2015-05-14", "2021-05-14")
