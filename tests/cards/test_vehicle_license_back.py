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
