"""Value generators: every ID number, credit code, VIN and card number they make passes its check."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from bench.synth import values
from certscan.checks import idnumber, luhn, uscc, vin
from certscan.checks.regions import is_known_region, region_name


@pytest.mark.parametrize("seed", range(20))
def test_person_is_self_consistent(seed: int) -> None:
    p = values.person(random.Random(seed), min_age=1, max_age=90, today=dt.date(2026, 6, 1))
    assert idnumber.is_valid(p.id_number, is_known_region(p.id_number[:6]))
    assert p.id_number[:6] == p.region.code
    assert p.id_number[6:14] == p.birth.strftime("%Y%m%d")
    assert (int(p.id_number[16]) % 2 == 1) == p.male  # GB 11643: odd sequence digit for men
    assert p.address.startswith(p.region.province)
    assert p.region.county in p.address
    assert p.ethnic in dict(values.ETHNIC_GROUPS)


def test_regions_are_known_and_named() -> None:
    regions = values.regions()
    assert len(regions) > 2500
    for region in random.Random(1).sample(regions, 200):
        assert is_known_region(region.code)
        assert region_name(region.code) == region.county
        assert region.province.endswith(("省", "市", "自治区"))


def test_region_table_keeps_abolished_codes() -> None:
    assert region_name("110108") == "海淀区"
    assert is_known_region("110228")  # 密云县, now 密云区 110118: old ID numbers still carry it
    assert not is_known_region("999999")


@pytest.mark.parametrize("seed", range(10))
def test_validity_follows_age(seed: int) -> None:
    rng = random.Random(seed)
    birth = values.random_date(rng, dt.date(1940, 1, 1), dt.date(2020, 1, 1))
    start, end = values.id_validity(rng, birth, dt.date(2026, 6, 1))
    age = (start - birth).days // 365
    years = None if end is None else end.year - start.year
    expected = 5 if age < 16 else 10 if age < 26 else 20 if age < 46 else None
    assert years == expected


@pytest.mark.parametrize("seed", range(10))
def test_check_characters(seed: int) -> None:
    rng = random.Random(seed)
    assert uscc.is_valid(values.credit_code(rng, "440300"))
    assert vin.is_valid(values.vin_code(rng))
    assert luhn.is_valid(values.luhn_number(rng, "622202", 19))


def test_date_formats() -> None:
    day = dt.date(2019, 5, 4)
    assert values.fmt_date(day) == "2019-05-04"
    assert values.cn_date(day) == "2019年05月04日"
