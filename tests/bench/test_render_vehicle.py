"""The vehicle-document renderers: contract-shaped, self-consistent labels, deterministic by seed."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from bench.synth.base import get_renderer
from bench.synth.cards import driver, plate
from certscan.checks import idnumber
from certscan.checks import plate as plate_rules
from certscan.checks import vin as vin_check
from certscan.constants import LONG_TERM, VEHICLE_NUM_TYPES, empty_fields

CARDS = [
    "driver-license-front",
    "driver-license-back",
    "vehicle-license-front",
    "vehicle-license-back",
    "vehicle-num",
    "vehicle-vin",
]


@pytest.mark.parametrize("card", CARDS)
def test_labels_have_exactly_the_contract_keys(card: str) -> None:
    for seed in range(5):
        rendered = get_renderer(card)(random.Random(seed))
        assert set(rendered.label) == set(empty_fields(card))
        assert rendered.image.mode == "RGB" and min(rendered.image.size) >= 100
        assert all(len(box) == 4 for boxes in rendered.boxes.values() for box in boxes)


@pytest.mark.parametrize("card", CARDS)
def test_deterministic_by_seed(card: str) -> None:
    a, b = (get_renderer(card)(random.Random(42)) for _ in range(2))
    assert a.label == b.label
    assert a.image.tobytes() == b.image.tobytes()


def test_plates_follow_the_format_rules_and_types() -> None:
    styles = set()
    for seed in range(60):
        rendered = plate.render(random.Random(seed))
        num = rendered.label["num"]
        assert plate_rules.is_valid(num), num
        assert rendered.label["vehicleType"] in VEHICLE_NUM_TYPES
        assert rendered.label["vehicleType"] == plate_rules.vehicle_type(
            num, _colour(rendered.extra["style"])
        )
        assert rendered.kind == "scene"
        styles.add(rendered.extra["style"])
    assert {"blue", "green", "police"} <= styles


def _colour(style: str) -> str:
    return {
        "blue": "blue",
        "yellow": "yellow",
        "yellow-double": "yellow",
        "coach": "yellow",
        "trailer": "yellow",
        "green": "green",
        "green-large": "green",
        "police": "white",
    }.get(style, "black")


@pytest.mark.parametrize("style", list(plate.STYLE_WEIGHTS))
def test_every_plate_style_number_is_valid(style: str) -> None:
    rng = random.Random(7)
    for _ in range(20):
        number, vtype = plate.plate_number(rng, style)
        assert plate_rules.is_valid(number), (style, number)
        assert "I" not in number and "O" not in number
        assert vtype == plate.VEHICLE_TYPE[style]


def test_vins_carry_a_valid_check_digit() -> None:
    for card in ("vehicle-vin", "vehicle-license-front"):
        for seed in range(10):
            assert vin_check.is_valid(get_renderer(card)(random.Random(seed)).label["vin"])


def test_driver_front_dates_are_consistent() -> None:
    for seed in range(40):
        rendered = driver.render_front(random.Random(seed))
        label = rendered.label
        assert idnumber.checksum_ok(label["number"])
        start = dt.date.fromisoformat(label["validStartDate"])
        assert start >= dt.date.fromisoformat(rendered.extra["firstIssue"])
        period = rendered.extra["period"]
        if period == "长期":
            assert label["validEndDate"] == LONG_TERM
        else:
            end = dt.date.fromisoformat(label["validEndDate"])
            assert end.year - start.year == int(period.rstrip("年"))


def test_driver_back_archive_number_is_twelve_digits() -> None:
    for seed in range(10):
        archive = driver.render_back(random.Random(seed)).label["archiveNum"]
        assert len(archive) == 12 and archive.isdigit()


def test_vehicle_license_back_numbers() -> None:
    for seed in range(10):
        label = get_renderer("vehicle-license-back")(random.Random(seed)).label
        assert isinstance(label["appprovedPassengerCapacity"], int)
        assert all(isinstance(v, int) and v > 0 for v in label["overallDimension"].values())
        assert label["grossMass"].endswith("kg") and plate_rules.is_valid(label["plateNum"])
