"""Vehicle licence 副页: the plate and the inspection record settled against each other and against the
file number's division code (hand-built fields, no OCR)."""

from __future__ import annotations

from certscan.cards import vehicle_license_back as back
from certscan.constants import empty_fields


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
