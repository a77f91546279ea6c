"""Household register parsers: table cells on hand-built OCR pages, ID-number repair, and end to end on
synthetic renders (slow: loads the OCR models)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from certscan.cards import household
from certscan.cards import household_values as values
from certscan.checks import idnumber
from certscan.ocr.types import Line, Page


def line(text: str, x0: float, y0: float, x1: float, h: float = 30) -> Line:
    box = np.array([[x0, y0], [x1, y0], [x1, y0 + h], [x0, y0 + h]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.9)


ID = "11010519491231002X"  # GB 11643-1999 annex example


def resident_page(id_text: str = ID) -> Page:
    rows = [
        [("姓名", 100), ("张伟", 330), ("户主或与户主关系", 740), ("户主", 1000)],
        [("曾用名", 100), ("性别", 740), ("男", 1000)],
        [("出生地", 100), ("北京市东城区", 330), ("民族", 740), ("汉族", 1000)],
        [("籍贯", 100), ("河北省保定市", 330), ("出生日期", 740), ("1949年12月31日", 1000)],
        [("本市(县)其他住址", 80), ("宗教信仰", 1090)],
        [("公民身份证件编号", 80), (id_text, 420), ("身高", 960), ("175", 1100), ("血型", 1180), ("A", 1300)],
        [
            ("文化程度", 80),
            ("大学本科", 330),
            ("婚姻状况", 580),
            ("已婚", 780),
            ("兵役状况", 960),
            ("未服兵役", 1150),
        ],
        [("服务处所", 80), ("北京恒通贸易有限公司", 330), ("职业", 960), ("职员", 1100)],
        [("何时由何地迁来本市(县)", 80), ("1990年05月01日由河北省保定市迁来", 480)],
        [("何时由何地迁来本址", 80)],
        [("承办人签章", 80), ("王芳印", 330), ("登记日期", 740), ("2010年06月01日", 1000)],
    ]
    lines = [
        line("常住人口登记卡", 560, 40, 940, 56),
        line("户号", 1100, 70, 1160),
        line("123456789", 1180, 70, 1400),
    ]
    for i, row in enumerate(rows):
        y = 150 + 72 * i
        for text, x in row:
            lines.append(line(text, x, y, x + 30 * len(text)))
    return Page(width=1500, height=1050, lines=lines)


def test_resident_page_reads_each_cell_beside_its_label() -> None:
    result = household.parse_resident_page(resident_page())
    out = result.fields
    assert out["type"] == "household-resident"
    assert (out["name"], out["relationTo"], out["formerName"]) == ("张伟", "户主", "")
    assert (out["birthPlace"], out["nation"], out["hometown"]) == ("北京市东城区", "汉族", "河北省保定市")
    assert out["birthday"] == "1949-12-31" and out["registerDate"] == "2010-06-01"
    assert out["idNumber"] == ID
    assert (out["height"], out["bloodType"]) == ("175", "A")
    assert (out["education"], out["maritalStatus"], out["militaryService"]) == (
        "大学本科",
        "已婚",
        "未服兵役",
    )
    assert (out["servicePremises"], out["occupation"]) == ("北京恒通贸易有限公司", "职员")
    assert out["migrationDate2"] == "1990年05月01日由河北省保定市迁来" and out["migrationDate1"] == ""
    assert out["otherAddress"] == "" and out["religion"] == ""
    assert out["undertaker"] == "王芳" and out["householdNumber"] == "123456789"
    assert result.extra == {"sex": "男"}


def test_id_number_repaired_by_one_lookalike() -> None:
    misread = ID[:15] + "8" + ID[16:]  # the sequence number's second 0 read as 8
    assert not idnumber.checksum_ok(misread)
    assert values.id_number(misread) == ID
    assert household.parse_resident_page(resident_page(misread)).fields["idNumber"] == ID
    assert values.id_number("1101051949123100") == "1101051949123100"  # too short: kept, never invented


def test_head_page() -> None:
    page = Page(
        width=1500,
        height=1050,
        lines=[
            line("户别", 110, 220, 170),
            line("家庭户", 250, 220, 350),
            line("户主姓名", 680, 220, 800),
            line("李明", 880, 220, 950),
            line("户号", 110, 330, 170),
            line("00123456", 250, 330, 400),
            line("住址", 700, 330, 760),
            # wrapped in its cell: the first line sits above the caption's row, the second below
            line("广东省广州市天河区中山大道1号", 870, 303, 1400, 26),
            line("2栋301室", 870, 345, 1000, 26),
            line("承办人签章：", 790, 500, 980),
            line("陈静", 1000, 500, 1060),
            line("签发日期：2015年03月12日", 790, 720, 1200),
            line("户口专用章", 270, 900, 420),
        ],
    )
    out = household.parse_head_page(page).fields
    assert out == {
        "locationNumber": "",
        "issueDate": "2015-03-12",
        "householdType": "家庭户",
        "houseHolder": "李明",
        "address": "广东省广州市天河区中山大道1号2栋301室",
        "community": "",
        "householdNumber": "00123456",
        "undertaker": "陈静",
        "type": "household-head",
    }


def test_seal_characters_in_an_empty_cell_are_no_value() -> None:
    page = resident_page()
    # a character of the round seal stamped over the far right of the empty 迁来本址 cell, read faintly
    page.lines.append(Line(text="派", box=line("派", 1300, 798, 1330).box, confidence=0.4))
    page.lines.append(line("出所", 1330, 798, 1390))
    assert household.parse_resident_page(page).fields["migrationDate1"] == ""


def test_migration_cells_keep_their_printed_form_with_fixed_words_repaired() -> None:
    assert (
        values.migration("2003年07月31由西藏白治区山南市加查县送来")
        == "2003年07月31日由西藏自治区山南市加查县迁来"
    )
    assert values.migration("1990年05月01日由河北省保定市迁来") == "1990年05月01日由河北省保定市迁来"
    assert values.migration("地") == ""
    assert values.migration("出生") == ""


def test_stamp_name() -> None:
    assert values.stamp_name("范建国日期") == "范建国"  # the next caption's remnant, its rule lost
    assert values.stamp_name("范建国登记日期年月日") == "范建国"
    assert values.stamp_name("张三印") == "张三"
    assert values.stamp_name("印") == "印"
    assert values.stamp_name("【李四】") == "李四"


@pytest.mark.slow
def test_end_to_end_on_renders() -> None:
    from bench.synth.cards.household import render_head, render_resident
    from certscan.pipeline import scan_array

    card = render_resident(random.Random(3))
    out = scan_array(np.asarray(card.image), "household-resident").fields
    keys = [k for k, v in card.label.items() if v]
    assert sum(out[k] == card.label[k] for k in keys) >= len(keys) - 2
    assert out["idNumber"] == card.label["idNumber"]
    head = render_head(random.Random(3))
    out = scan_array(np.asarray(head.image), "household-head").fields
    assert out["houseHolder"] == head.label["houseHolder"]
    assert out["issueDate"] == head.label["issueDate"]


def test_a_name_ending_in_one_read_as_dashes() -> None:
    assert values.person_name("杨健——") == "杨健一"
    assert values.person_name("杨健-") == "杨健一"
    assert values.person_name("阿依·古丽") == "阿依·古丽"


def test_migration_end_read_as_a_look_alike() -> None:
    assert values.migration("2016年08月25日由北京市大兴区金融南路196号迁莱") == \
        "2016年08月25日由北京市大兴区金融南路196号迁来"


def test_migration_end_misread_with_seal_ink_after_it() -> None:
    # 迁来 read as 过来, then characters of the 户口专用章 seal stamped over the cell's end
    assert values.migration("2020年09月10日由重庆市大渡口区春晖大道357号过来专用脖") == \
        "2020年09月10日由重庆市大渡口区春晖大道357号迁来"


def test_a_faint_name_stamp_right_against_its_caption_is_the_undertaker() -> None:
    lines = [line("户别", 110, 220, 170), line("家庭户", 250, 220, 350), line("户主姓名", 680, 220, 800),
             line("李明", 880, 220, 950), line("承办人签章：", 790, 500, 980),
             Line(text="钟涛", box=line("钟涛", 985, 500, 1045).box, confidence=0.46),  # the red stamp
             Line(text="国", box=line("国", 1300, 500, 1330).box, confidence=0.4)]  # the round seal's ink
    head = Page(width=1500, height=1050, lines=lines)
    assert household.parse_head_page(head).fields["undertaker"] == "钟涛"
    lines[5] = Line(text="钟涛", box=line("钟涛", 1200, 500, 1260).box, confidence=0.46)  # far off: a seal's
    assert household.parse_head_page(head).fields["undertaker"] == ""


def test_migration_house_number_and_end_read_as_their_neighbours() -> None:
    assert values.migration("2006年11月05日由广东省梅州市平远县开元西路710月迁来") == \
        "2006年11月05日由广东省梅州市平远县开元西路710号迁来"
    assert values.migration("1996年02月19日由四川省甘孜藏族自治州丹巴县出来分厦") == \
        "1996年02月19日由四川省甘孜藏族自治州丹巴县迁来"
    assert values.migration("2006年11月05日由广东省梅州市平远县5月迁") == \
        "2006年11月05日由广东省梅州市平远县5号迁来"


def test_a_name_character_read_as_one_names_never_use() -> None:
    assert values.person_name("李酒倩") == "李涵倩"
    assert values.stamp_name("张酒雪印") == "张涵雪"


def test_migration_end_misread_before_the_police_station_seal() -> None:
    assert values.migration("2004年11月20日由广西壮族自治区桂林市阳朔县迁乘出所") == \
        "2004年11月20日由广西壮族自治区桂林市阳朔县迁来"
    city = "2004年11月20日由河北省唐山市迁安市迁来"  # 迁安 is a city, not the end
    assert values.migration(city) == city


def test_a_date_whose_month_was_read_as_day() -> None:
    assert values.printed_date("2013年11日26日") == "2013-11-26"
    assert values.printed_date("2013年11月26日") == "2013-11-26"
    assert values.printed_date("2013年11日") == ""  # a day lost: no date


def test_migration_go_read_as_a_look_alike_after_the_place() -> None:
    # 迁 read alone as a look-alike (县猛来), read twice (号连迁来), after a house number a speck
    assert values.migration("2008年10月23日由青海省西宁市大通回族土族自治县猛来") == \
        "2008年10月23日由青海省西宁市大通回族土族自治县迁来"
    assert values.migration("1999年08月04日由山西省太原市阳曲县平安镇马家村4组31号连迁来") == \
        "1999年08月04日由山西省太原市阳曲县平安镇马家村4组31号迁来"
    assert values.migration("1973年04月12日由青海省海南藏族自治州共和县近迁来") == \
        "1973年04月12日由青海省海南藏族自治州共和县迁来"
    assert values.migration("2019年10月03日由江西省抚州市广昌县东城乡北苑村261号山迁来") == \
        "2019年10月03日由江西省抚州市广昌县东城乡北苑村261号迁来"
    # 号 read as 易, then 迁 doubled as 进
    assert values.migration("2022年02月07日由山东省泰安市宁阳县马家街道迎宾北路824易进迁来") == \
        "2022年02月07日由山东省泰安市宁阳县马家街道迎宾北路824号迁来"
    # 迁 read with its radical as 讠 or 氵 (证来, 注来)
    assert values.migration("1992年01月12日由陕西省咸阳市泾阳县三里乡杨庄村5号证来") == \
        "1992年01月12日由陕西省咸阳市泾阳县三里乡杨庄村5号迁来"
    assert values.migration("2005年05月11日由云南省大理白族自治州洱源县注来") == \
        "2005年05月11日由云南省大理白族自治州洱源县迁来"
    # a place going on after such a character is kept (大连市)
    assert values.migration("2001年01月01日由辽宁省大连市迁来") == "2001年01月01日由辽宁省大连市迁来"


def test_migration_go_read_as_any_character_after_a_county_or_house_number() -> None:
    # one character between a county (district, house number) and 迁来 is 迁 read twice; one before
    # a closing 来 is 迁, whatever the recogniser made of it
    assert values.migration("1984年12月31日由四川省凉山彝族自治州金阳县记迁来") == \
        "1984年12月31日由四川省凉山彝族自治州金阳县迁来"
    assert values.migration("1973年07月08日由内蒙古自治区呼和浩特市玉泉区辽迁来") == \
        "1973年07月08日由内蒙古自治区呼和浩特市玉泉区迁来"
    assert values.migration("1998年10月27日由广东省汕尾市海丰县张家乡吉祥村62号蓬来") == \
        "1998年10月27日由广东省汕尾市海丰县张家乡吉祥村62号迁来"
    # both words misread after the county (进 for 迁, 类 for 来)
    assert values.migration("1964年11月07日由广西壮族自治区玉林市兴业县进类") == \
        "1964年11月07日由广西壮族自治区玉林市兴业县迁来"
    # places beginning with 来 (来宾市, 来安县) are kept
    for kept in ("1973年07月08日由广西壮族自治区来宾市迁来", "1973年07月08日由安徽省滁州市来安县迁来"):
        assert values.migration(kept) == kept


def test_migration_end_read_as_the_stamp_name_under_it() -> None:
    assert values.migration("2022年07月28日由西藏自治区山南市洛扎县迁李永安") == \
        "2022年07月28日由西藏自治区山南市洛扎县迁来"
    assert values.migration("2001年01月01日由河北省唐山市迁安市") == "2001年01月01日由河北省唐山市迁安市"


def test_migration_tail_dropped_with_the_seal_is_taken_from_every_ink() -> None:
    black = "2001年06月24日由辽宁省本溪市本溪满族自治县"
    assert household._tail_under_seal(black, "迁来出所" + black) == black + "迁来"
    assert household._tail_under_seal(black + "迁来", "迁来出所" + black + "迁来") == ""
    assert household._tail_under_seal("王林", "王林迁来") == ""  # not a migration


def test_migration_cut_at_a_rule_is_the_line_read_whole() -> None:
    whole = "2022年11月26日由福建省三明市将乐县青山镇平安村5组10号迁来"
    page = Page(width=1500, height=600, lines=[line(whole, 580, 100, 1330)])
    cell = household.Cell(index=1, x0=570, y0=90, x1=900, y1=140)
    image = np.full((600, 1500, 3), 255, dtype=np.uint8)
    cut = "2022年11月26日由福建省三明市将乐县青山镇"
    assert household._closing_words(cut, image, page, None, cell) == whole  # no re-read: the line has it


def test_lone_blood_type_read_unsure_is_kept_and_cm_read_with_e() -> None:
    assert household._lone_blood_type("bloodType", "0", 0.46)
    assert not household._lone_blood_type("bloodType", "0", 0.2)
    assert not household._lone_blood_type("height", "0", 0.5)
    assert not household._lone_blood_type("bloodType", "学生", 0.6)
    assert values.blood_type("C") == "O" and values.blood_type("AC") == "AC"  # O's ring broken; AC no type
    assert values.height("151em") == "151cm"


def test_surname_read_as_its_traditional_look_alike() -> None:
    assert values.person_name("會龙勇") == "曾龙勇"


def test_migration_is_not_completed_from_the_other_row() -> None:
    other = "1994年02月20日由山东省东营市利津县三里乡清水村12组6号迁来"
    page = Page(width=1500, height=600, lines=[line(other, 580, 200, 1330)])
    cell = household.Cell(index=1, x0=570, y0=90, x1=1400, y1=140)
    image = np.full((600, 1500, 3), 255, dtype=np.uint8)
    cut = "1994年02月20日由山东省东营市利津县"

    class NoRead:
        def recognize(self, crops: object) -> list[Line]:
            return [Line(text="", box=np.zeros((4, 2), np.float32), confidence=0.0)]

    assert household._closing_words(cut, image, page, NoRead(), cell) == cut  # type: ignore[arg-type]


def test_closing_day_read_as_a_stroke() -> None:
    assert values.printed_date("2021年08月111") == "2021-08-11"
    assert values.printed_date("2013年11日26日") == "2013-11-26"


def test_a_name_read_with_字_for_宇() -> None:
    assert values.person_name("何建字") == "何建宇"


def test_a_malformed_value_under_the_seal_is_read_again_without_its_red() -> None:
    from certscan.cards.table import Cell

    class SealFreeEngine:
        """Reads a crop whose red was lightened (grey: every channel equal) as the printed date."""

        def __init__(self) -> None:
            self.grey: list[bool] = []

        def recognize(self, crops: list[np.ndarray]) -> list[Line]:
            self.grey += [bool((c[..., 0] == c[..., 2]).all()) for c in crops]
            return [Line(text="2016年07月28日", box=np.zeros((4, 2), np.float32), confidence=0.99)]

    image = np.full((200, 400, 3), 245, np.uint8)
    image[80:110, 60:300] = 20  # the date's black print
    image[70:120, 200:260] = (200, 30, 30)  # the seal's red across it
    page = Page(width=400, height=200, lines=[])
    cells = {"registerDate": Cell(1, 40.0, 60.0, 360.0, 130.0),
             "migrationDate1": Cell(2, 40.0, 0.0, 360.0, 50.0)}  # a blank migration: not read again
    engine = SealFreeEngine()
    out = {"registerDate": "", "migrationDate1": "", "migrationDate2": ""}
    found = household._read_without_seal(out, image, page, engine, cells)  # type: ignore[arg-type]
    assert found == {"registerDate": "2016-07-28"} and engine.grey == [True]
    # a date read whole is not read again
    engine = SealFreeEngine()
    assert household._read_without_seal({**out, "registerDate": "2016-01-28"}, image, page, engine,  # type: ignore[arg-type]
                                        cells) == {}
    assert engine.grey == []


def test_a_lone_letter_covering_little_of_its_cell_is_read() -> None:
    from certscan.cards.table import Cell

    class LetterReader:
        def __init__(self) -> None:
            self.crops = 0

        def recognize(self, crops: list[np.ndarray]) -> list[Line]:
            self.crops += len(crops)
            return [Line(text="A", box=np.zeros((4, 2), np.float32), confidence=0.99) for _ in crops]

    image = np.full((100, 400, 3), 245, np.uint8)
    image[30:60, 20:22] = 20  # a thin letter's strokes: under 1 % of the cell
    image[30:60, 38:40] = 20
    image[45:47, 20:40] = 20
    page = Page(width=400, height=100, lines=[])
    cells = {"bloodType": Cell(1, 0.0, 0.0, 400.0, 100.0), "height": Cell(2, 0.0, 0.0, 400.0, 100.0)}
    reader = LetterReader()
    found = household._reread_blank_cells(image, page, reader, cells, {})  # type: ignore[arg-type]
    # the blood type cell is read at its lone letter's ink; another cell holding as little is blank
    assert found == {"bloodType": "A"} and reader.crops == 1
    assert household._reread_blank_cells(np.full((100, 400, 3), 245, np.uint8), page, LetterReader(),  # type: ignore[arg-type]
                                         {"bloodType": cells["bloodType"]}, {}) == {}


def test_a_migration_row_is_read_again_to_the_table_edge() -> None:
    from certscan.cards.table import Cell
    cells = {"migrationDate1": Cell(1, 100.0, 500.0, 900.0, 540.0),
             "bloodType": Cell(2, 1200.0, 300.0, 1490.0, 340.0)}
    row = household._whole_row(cells["migrationDate1"], cells)
    assert (row.x0, row.y0, row.x1, row.y1) == (100.0, 500.0, 1490.0, 540.0)


def test_a_date_cell_cut_short_by_a_rule_inside_it_is_its_whole_line() -> None:
    from certscan.cards.table import Cell
    cell = Cell(1, 1390.0, 410.0, 1440.0, 440.0)  # a small region the grid closed inside the date's cell
    page = Page(width=1600, height=600,
                lines=[line("2025年02月14日", 1393, 412, 1500), line("登记日期", 1320, 412, 1380)])
    assert household._date_line_cut("2025年", page, cell) == "2025年02月14日"
    assert household._date_line_cut("2025年02月14日", page, cell) == "2025年02月14日"  # a date already
    below = Cell(2, 1390.0, 450.0, 1440.0, 480.0)
    assert household._date_line_cut("2025年", page, below) == "2025年"  # the line is another row's
