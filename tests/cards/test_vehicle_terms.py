"""Vehicle licence vocabularies: a slightly misread 车辆类型 / 使用性质 snaps to the printed term."""

from __future__ import annotations

import pytest

from certscan.cards.vehicle_terms import USE_CHARACTERS, VEHICLE_TYPES, snap


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("小型轿车", "小型轿车"),  # exact
        ("本辆型小型辆车", "小型轿车"),  # the label's tail, then one slip
        ("常中型答通客车", "中型普通客车"),
        ("类型重型半挂牵引车", "重型半挂牵引车"),  # a label remnant before an exact term
        ("", ""),
    ],
)
def test_vehicle_types(read: str, printed: str) -> None:
    assert snap(read, VEHICLE_TYPES) == printed


def test_ties_and_far_reads_stay_as_read() -> None:
    # 经型营通货车 is two slips from 轻型, 重型 and 中型普通货车 alike: no way to choose
    assert snap("经型营通货车", VEHICLE_TYPES) == "经型营通货车"
    assert snap("N", VEHICLE_TYPES) == "N"
    assert snap("拖拉机运输机组", VEHICLE_TYPES) == "拖拉机运输机组"


def test_use_characters() -> None:
    assert snap("非营运", USE_CHARACTERS) == "非营运"
    assert snap("非菅运", USE_CHARACTERS) == "非营运"
    assert snap("出租客远", USE_CHARACTERS) == "出租客运"
    assert snap("所", USE_CHARACTERS) == "所"
