"""Synthetic business licenses and household register pages: contract-shaped, self-consistent labels."""

from __future__ import annotations

import random

import pytest

from bench.synth.base import get_renderer
from bench.synth.cards.company import cn_amount
from bench.synth.validate import label_errors
from certscan.checks import idnumber, uscc
from certscan.constants import LONG_TERM

CARDS = ("business-license", "household-head", "household-resident")


@pytest.mark.parametrize("card", CARDS)
def test_labels_match_the_contract_and_boxes_cover_the_values(card: str) -> None:
    for seed in range(6):
        rendered = get_renderer(card)(random.Random(seed))
        assert label_errors(card, rendered.label) == []
        assert rendered.image.mode == "RGB" and min(rendered.image.size) >= 1000
        for key, value in rendered.label.items():
            if isinstance(value, str) and value and key not in ("type", "vaildPeriod", "organizationCode",
                                                                 "taxCode"):
                assert rendered.boxes.get(key), f"{card} seed {seed}: no box for {key}"


def test_business_license_codes_and_dates_are_consistent() -> None:
    styles = set()
    for seed in range(30):
        card = get_renderer("business-license")(random.Random(seed))
        label, style = card.label, card.extra["style"]
        styles.add(style)
        if style == "new":
            assert uscc.is_valid(label["creditCode"]) and label["companySN"] == ""
            assert label["taxCode"] == label["creditCode"]
            assert label["organizationCode"] == uscc.organization_code(label["creditCode"])
        else:
            assert uscc.is_valid_registration(label["companySN"]) and label["creditCode"] == ""
            assert label["establishDate"] <= "2014-12-31"
        assert label["vaildPeriod"] in ("", LONG_TERM) or label["vaildPeriod"] > label["establishDate"]
        assert label["copyId"] == "" or label["copy"] is True
    assert styles == {"new", "old"}


def test_resident_page_is_self_consistent() -> None:
    for seed in range(20):
        card = get_renderer("household-resident")(random.Random(seed))
        label = card.label
        assert idnumber.is_valid(label["idNumber"])
        assert label["idNumber"][6:14] == label["birthday"].replace("-", "")
        assert card.extra["sex"] == ("男" if int(label["idNumber"][16]) % 2 else "女")
        assert label["registerDate"] >= label["birthday"]


def test_capital_amounts_in_financial_numerals() -> None:
    assert cn_amount(100) == "壹佰"
    assert cn_amount(1200) == "壹仟贰佰"
    assert cn_amount(1005) == "壹仟零伍"
    assert cn_amount(50) == "伍拾"
