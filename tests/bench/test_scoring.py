"""The scorer normalises whitespace, full/half width and date spellings, and nothing more."""

from __future__ import annotations

import pytest

from bench.accuracy.scoring import field_match, normalize, score_document


@pytest.mark.parametrize(("expected", "got"), [
    ("张 三", "张三"),
    ("有限责任公司(自然人独资)", "有限责任公司（自然人独资）"),
    ("ABC123", "ＡＢＣ１２３"),
])
def test_text_equivalences(expected: str, got: str) -> None:
    assert field_match("companyType", expected, got)


@pytest.mark.parametrize(("expected", "got"), [
    ("张三", "张二"),
    ("abc", "ABC"),  # no case folding
    ("6222021234567890123", "6222021234567890128"),  # no check-digit repair
    ("Long-term", "长期"),  # the contract's enumerated value, verbatim
])
def test_differences_stay_wrong(expected: str, got: str) -> None:
    assert not field_match("number", expected, got)


@pytest.mark.parametrize("printed", [
    "2019-05-04", "2019.05.04", "2019/5/4", "2019年05月04日", "2019年5月4日", "04 MAY 2019",
    "04 5月/MAY 2019", "May 04, 2019", "January 04, 2019".replace("January", "May"),
])
def test_dates_compare_as_digits(printed: str) -> None:
    assert normalize("birthDate", printed) == "20190504"
    assert field_match("issueDate", "2019-05-04", printed)


def test_date_normalisation_only_in_date_fields() -> None:
    assert normalize("address", "2019.05.04") == "2019.05.04"
    assert not field_match("birth", "2019-05-04", "2019-05-05")


def test_month_day_fields() -> None:
    for printed in ("05-04", "May 04", "04 MAY", "5月4日"):
        assert normalize("birthDay", printed) == "0504"


def test_validity_period_dates() -> None:
    assert field_match("vaildPeriod", "2019年01月01日至长期", "2019-01-01至长期")


def test_angle_tolerance_and_booleans() -> None:
    assert field_match("angle", 90.0, 95.5)
    assert field_match("angle", 358.0, 3.0)
    assert not field_match("angle", 90.0, 180.0)
    assert field_match("numberValid", True, True)
    assert not field_match("numberValid", True, "true")


def test_document_score() -> None:
    label = {"name": "张三", "authority": "", "angle": 0.0, "copy": False, "rate": 50.0,
             "overallDimension": {"length": 4500, "width": ""}}
    right = {"name": "张三", "authority": "", "angle": 1.0, "copy": True, "rate": 99.0,
             "overallDimension": {"length": "4500", "width": ""}}
    score = score_document("id-card-front", label, right)
    assert score.exact
    assert set(score.fields) == {"name", "angle", "overallDimension.length"}  # copy, rate not scored
    invented = dict(right, authority="某某公安局")
    assert not score_document("id-card-front", label, invented).exact
    failed = score_document("id-card-front", label, None)
    assert not any(failed.fields.values()) and not failed.exact


def test_partial_real_labels_score_only_listed_fields() -> None:
    score = score_document("passport", {"surname": "LIN"}, {"surname": "LIN", "givenName": "X"})
    assert score.fields == {"surname": True} and score.exact
