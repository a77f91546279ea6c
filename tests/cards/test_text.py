from __future__ import annotations

import pytest

from certscan.cards.text import (
    compact,
    digits_with_lookalikes,
    edit_distance,
    find_dates,
    hamming,
    is_subsequence,
    normalize,
    one_doubled,
    parse_date,
    to_digits,
)


def test_normalize_full_width_and_whitespace() -> None:
    assert normalize("  ＡＢＣ１２３\u3000 姓名 ") == "ABC123 姓名"
    assert compact("姓 名\t徐 乐") == "姓名徐乐"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990年1月2日", "1990-01-02"),
        ("出生 1990 年 01 月 02 日", "1990-01-02"),
        ("1990.01.02", "1990-01-02"),
        ("19900102", "1990-01-02"),
        ("2020-01-02", "2020-01-02"),
        ("2020/1/2", "2020-01-02"),
        ("２０２０．０１．０２", "2020-01-02"),
        ("1990.13.02", ""),
        ("no date", ""),
    ],
)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text) == expected


def test_find_dates_validity_period() -> None:
    assert find_dates("2009.05.14-2029.05.14") == ["2009-05-14", "2029-05-14"]
    assert find_dates("2009.05.14-长期", long_term=True) == ["2009-05-14", "Long-term"]
    assert find_dates("2009.05.14-长期") == ["2009-05-14"]


def test_digit_lookalikes() -> None:
    assert to_digits("62O0 l234") == "6200" + "1234"
    assert digits_with_lookalikes("11010519491231002x") == "11010519491231002X"


def test_edit_distance_counts_inserted_deleted_and_replaced_characters() -> None:
    assert edit_distance("公安部出入境管理局", "公安部出入境管理局") == 0
    assert edit_distance("国家移民督理局", "国家移民管理局") == 1  # replaced
    assert edit_distance("锡林郭勒", "锡林郭勒盟") == 1  # lost
    assert edit_distance("", "abc") == 3
    assert edit_distance("海西蒙古旅藏族白治州", "海西蒙古族藏族自治州") == 2


def test_hamming_counts_differing_positions_over_the_shorter_text() -> None:
    assert hamming("110105", "110105") == 0
    assert hamming("2019-01-02", "2019-07-02") == 1
    assert hamming("LSVAB", "LSVABC") == 0


def test_one_doubled_prints_each_character_twice_in_turn() -> None:
    assert one_doubled("8884") == {"88884", "88844"}  # a run's doubling is one reading, however placed
    assert one_doubled("ab") == {"aab", "abb"}
    assert one_doubled("") == set()


def test_is_subsequence_keeps_order() -> None:
    assert is_subsequence("HN", "CHN") and is_subsequence("", "CHN") and is_subsequence("CHN", "CHN")
    assert not is_subsequence("NH", "CHN") and not is_subsequence("CHNA", "CHN")
