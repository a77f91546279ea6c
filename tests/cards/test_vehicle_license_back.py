"""Vehicle licence 副页: the plate and the inspection record settled against each other and against the
file number's division code (hand-built fields, no OCR)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from certscan.cards import vehicle_license_back as back
from certscan.cards.base import ScanInput
from certscan.constants import empty_fields
from certscan.ocr.types import Line, Page
from tests.cards import pages


def test_military_shaped_plate_on_a_civil_licence_takes_the_file_numbers_province() -> None:
    # 翼ZF33003: the province misread into no province and dropped leaves two letters and five digits,
    # the military scheme's shape; a military vehicle carries no civil licence
    fields = empty_fields("vehicle-license-back")
    fields.update(plateNum="ZF33003", fileNum="130461081775", inspectionRecord="检验有效期至2022年09月")
    back.settle_plate(fields)
    assert fields["plateNum"] == "冀ZF33003"  # 13: Hebei (GB/T 2260)
    assert not back.civil_plate("ZF33003") and back.civil_plate("冀ZF33003")


def test_military_shaped_plate_takes_the_records_province_and_leaves_the_record_alone() -> None:
    record = "检验有效期至2016年12月冀Z"
    assert back.plate_and_record_agree("ZF33003", record) == ("冀ZF33003", record)


def test_strokes_read_around_the_records_province_and_letter_are_dropped() -> None:
    record = "检验有效期至2021年06月"
    # before the province (J川H), or what no office letter is between it and the letter (川IN, 川1Q)
    assert back.plate_and_record_agree("川H25555", record + "J川H") == ("川H25555", record + "川H")
    assert back.plate_and_record_agree("川N12345", record + "川IN") == ("川N12345", record + "川N")
    assert back.plate_and_record_agree("", record + "川1Q") == ("", record + "川Q")
    # a letter misread as a digit is still the plate's to correct; two letters stay as read
    assert back.without_strokes("辽0") == "辽0"
    assert back.without_strokes("川JN") == "川JN"
    assert back.without_strokes("过") == "过"


def test_masses_read_with_their_unit_misread_or_a_speck_in_front() -> None:
    # the g read as s or 8, the k as H before its g, a caption remnant or a speck parted by a gap
    assert [back._mass(t) for t in ("2310ks", "1595k8", "20675Hg", "26 2634g", "0 3247kg", "1500 kg")] == [
        "2310kg", "1595kg", "20675kg", "2634kg", "3247kg", "1500kg"]
    # a plate ending with H is no mass
    assert back._mass("浙A2046H") == ""


def test_dimensions_with_the_mm_read_as_digits_or_a_separator_lost() -> None:
    assert back.dimensions("4730×1845×179080m") == {"length": 4730, "width": 1845, "height": 1790}
    # length and width run together: the split leaving a length of four or five digits
    assert back.dimensions("4495721x1551mm") == {"length": 4495, "width": 721, "height": 1551}
    assert back.dimensions("47301845x1551mm") == {"length": 4730, "width": 1845, "height": 1551}
    assert back.dimensions("10747x19622510mm") == {"length": 10747, "width": 1962, "height": 2510}
    assert back.dimensions("64.5 × 1827 × 18901")["width"] == 1827
    assert back.holds_dimensions("4730×1845×179080m")
    # the file number, alone or parted by a speck, and the record are no dimensions
    not_dimensions = ("120182194015", "3301842#8124", "检验有效期至2017年04月")
    assert not any(back.holds_dimensions(t) for t in not_dimensions)


def _row(y: float, *cells: tuple[str, float, float]) -> list[Line]:
    return [pages.line(text, x0, y, x1, y + 30) for text, x0, x1 in cells]


def test_number_cells_end_at_a_misread_caption_and_take_bare_digits_as_mass() -> None:
    page = Page(width=900, height=600, lines=[
        *_row(50, ("号牌号码", 50, 150), ("浙W924N2", 170, 300),
              ("档案编号", 480, 580), ("330339398731", 600, 800)),
        # the seats read as one stroke (认) and 总质量 misread past matching: its mass is no seat count
        *_row(120, ("核定载人数", 50, 170), ("认", 190, 220), ("总质意", 480, 560), ("24144g", 600, 700)),
        # the unladen mass lost its kg; the load's caption misread: its mass is not the unladen one
        *_row(190, ("整备质量", 50, 150), ("11385", 170, 260),
              ("相定机消量", 480, 600), ("9160kg", 620, 720)),
    ])
    fields = back.back_fields(page)
    assert fields["appprovedPassengerCapacity"] == ""
    assert fields["unladenMass"] == "11385kg"


def test_province_misread_into_another_character_comes_from_an_eleven_digit_file_number() -> None:
    assert back._serial_after_misread_province("第D9D7R1") == "D9D7R1"
    assert back._serial_after_misread_province("苏J524A6") == ""  # a province: the plate's own read
    fields = empty_fields("vehicle-license-back")
    # a digit of the file number lost: its division code (46: Hainan) still heads it
    fields.update(plateNum="D9D7R1", fileNum="46033844115", inspectionRecord="检验有效期至2016年07月璋D")
    back.settle_plate(fields)
    assert (fields["plateNum"], fields["inspectionRecord"]) == ("琼D9D7R1", "检验有效期至2016年07月琼D")
    # the same from a page whose 档案编号 caption was misread too
    page = Page(width=900, height=600, lines=[
        *_row(50, ("号牌号码第D9D7R1", 50, 300), ("作家编件46033844115", 480, 800)),
        *_row(120, ("检验记录", 50, 150), ("检验有效期至2016年07月璋D", 170, 500)),
    ])
    read = back.back_fields(page)
    assert (read["plateNum"], read["inspectionRecord"]) == ("琼D9D7R1", "检验有效期至2016年07月琼D")


def test_reread_region_reaches_down_to_the_record_row_when_it_was_not_read() -> None:
    rows = [
        *_row(100, ("号牌号码", 300, 400), ("津K29652", 420, 550),
              ("档案编号", 600, 700), ("120182194015", 720, 900)),
        *_row(150, ("核定载人数", 300, 420), ("7人", 440, 480), ("总质量", 600, 680), ("3427kg", 700, 800)),
        *_row(200, ("整备质量", 300, 400), ("2340kg", 420, 500), ("核定载质量", 600, 720)),
        *_row(250, ("外廓尺寸", 300, 400), ("4444×1889×1406mm", 420, 650)),
    ]
    cut = back.back_region(Page(width=1200, height=1000, lines=rows))
    whole = back.back_region(Page(width=1200, height=1000, lines=[
        *rows, *_row(400, ("检验记录", 300, 400), ("检验有效期至2028年08月津K", 420, 700))]))
    assert cut is not None and whole is not None
    assert cut[2][1] > 400 + 30  # the record row, 150 below the last row read, is inside
    assert whole[2][1] < cut[2][1]  # read: the region stays around the boxes



def test_a_first_read_passing_few_checks_lets_the_re_read_lead(monkeypatch: pytest.MonkeyPatch) -> None:
    modes: list[bool] = []

    def better_fields(fields: dict[str, Any], *args: Any, fill_only: bool = False) -> dict[str, Any]:
        modes.append(fill_only)
        return fields

    monkeypatch.setattr(back.reread, "better_fields", better_fields)
    fragments = Page(width=900, height=600, lines=_row(50, ("982102919097", 300, 500), ("2人", 520, 560)))
    whole = Page(width=900, height=600, lines=[
        *_row(50, ("号牌号码", 50, 150), ("津K29652", 170, 300),
              ("档案编号", 480, 580), ("120182194015", 600, 800)),
        *_row(120, ("核定载人数", 50, 170), ("7人", 190, 230), ("总质量", 480, 560), ("3427kg", 600, 700)),
        *_row(190, ("整备质量", 50, 150), ("2340kg", 170, 260), ("核定载质量", 480, 600)),
    ])
    image = np.zeros((600, 900, 3), np.uint8)
    for page in (fragments, whole):
        back.parse_back(ScanInput(card="vehicle-license-back", image=image, engine=pages.FixedEngine(page)))
    assert modes == [False, True]  # fragments: the re-read leads; most checks passed: it only fills


def test_province_read_as_a_latin_character_is_replaced_by_the_file_numbers() -> None:
    fields = empty_fields("vehicle-license-back")
    # 闽 read as W (35: Fujian); 晋 read as N with the serial's 0 read O (14: Shanxi)
    reads = (("WVK0542", "350184285124", "闽VK0542"), ("NCOB6F2", "140878105012", "晋C0B6F2"))
    for read, file_num, plate in reads:
        fields.update(plateNum=read, fileNum=file_num, inspectionRecord="")
        back.settle_plate(fields)
        assert fields["plateNum"] == plate
    # a plate missing its province is completed, not cut (E18203: 京E18203)
    fields.update(plateNum="E18203", fileNum="110184285124")
    back.settle_plate(fields)
    assert fields["plateNum"] == "京E18203"


def test_a_box_spanning_two_mass_cells_gives_its_first_mass() -> None:
    assert back._mass("2910kg 核定载质量 2310kg") == "2910kg"
