from __future__ import annotations

from certscan.cards.bankcard import bin_info, card_kind, parse
from certscan.checks import luhn
from certscan.checks.repair import plain_chars
from certscan.ocr.types import CharCandidates
from tests.cards.pages import line, scan

NUMBER = "6222021234567890" [:15]
NUMBER += luhn.check_digit(NUMBER)


def test_grouped_number_across_boxes() -> None:
    groups = [NUMBER[i:i + 4] for i in range(0, 16, 4)]
    lines = [line("中国工商银行", 60, 40, 300, 80)] + [
        line(g, 100 + 150 * i, 300, 220 + 150 * i, 340) for i, g in enumerate(groups)
    ] + [line("12/28", 300, 380, 380, 410)]
    result = parse(scan("bank-card", lines))
    assert result.fields["bankCardNum"] == NUMBER
    assert set(result.extra) == {"bankName", "cardType"}


def test_luhn_chooses_among_alternatives() -> None:
    wrong = "5" if NUMBER[6] != "5" else "6"
    bad = NUMBER[:6] + wrong + NUMBER[7:]
    chars = plain_chars(bad)
    chars[6] = CharCandidates(chars=(wrong, NUMBER[6]), probs=(0.5, 0.4))
    result = parse(scan("bank-card", [line(bad, 100, 300, 700, 340, chars)]))
    assert result.fields["bankCardNum"] == NUMBER


def test_no_number_leaves_the_field_empty() -> None:
    result = parse(scan("bank-card", [line("中国银行", 60, 40, 300, 80), line("12/28", 300, 380, 380, 410)]))
    assert result.fields["bankCardNum"] == ""


def test_card_kind_words() -> None:
    assert card_kind("牡丹信用卡") == "贷记卡"
    assert card_kind("灵通卡借记卡") == "借记卡"
    assert card_kind("准贷记卡") == "准贷记卡"
    assert card_kind("牡丹灵通卡") == ""
    assert bin_info("0000000000000000") == ("", "")


def test_one_spurious_digit_is_dropped_only_when_unique() -> None:
    from certscan.cards.bankcard import drop_one

    number = "6222601310012850053"
    assert luhn.is_valid(number)
    noisy = number[:5] + "7" + number[5:]
    chars = plain_chars(noisy)
    chars[5] = CharCandidates(chars=("7",), probs=(0.4,))
    dropped = drop_one(chars)
    assert dropped is not None and "".join(c.best for c in dropped) == number
    assert drop_one(plain_chars(noisy)) is None  # no unsure position: nothing is dropped


def test_a_speck_read_as_a_dot_between_digits_is_a_gap() -> None:
    text = f"{NUMBER[:4]} {NUMBER[4:8]}.{NUMBER[8:]}"
    result = parse(scan("bank-card", [line(text, 100, 300, 700, 340)]))
    assert result.fields["bankCardNum"] == NUMBER


def test_full_width_digits_are_digits() -> None:
    wide = "".join(chr(0xFF10 + int(d)) if i % 5 == 2 else d for i, d in enumerate(NUMBER))
    result = parse(scan("bank-card", [line(wide, 100, 300, 700, 340)]))
    assert result.fields["bankCardNum"] == NUMBER


def test_overlapping_boxes_sharing_a_digits_remnant() -> None:
    # the detector's second box starts inside the first's last digit, read as '+' and a space
    lines = [line(NUMBER[:5], 100, 300, 260, 340), line("+ " + NUMBER[5:10], 240, 300, 420, 340),
             line(NUMBER[10:], 440, 300, 640, 340)]
    assert parse(scan("bank-card", lines)).fields["bankCardNum"] == NUMBER


def test_overlapping_boxes_reading_one_digit_twice() -> None:
    # 6214833576262516: the second box starts inside the first's last 5 and reads it again; the 17-digit
    # run passes Luhn by chance, the 16-digit one is the number
    number = "6214833576262516"
    assert luhn.is_valid(number) and luhn.is_valid(number[:8] + "5" + number[8:])
    lines = [line(number[:8], 90, 360, 490, 415), line("5 " + number[8:], 467, 361, 906, 414)]
    assert parse(scan("bank-card", lines)).fields["bankCardNum"] == number


def test_a_shared_digit_read_twice_loses_to_the_number_read_once_at_any_length() -> None:
    # 622909910663390758 (18 digits, grouped 6-6-6): the third box starts inside the second's last 3
    # and reads it again; both numbers pass Luhn and the 19 digits are a usual length, the 18 are not
    number = "622909910663390758"
    assert luhn.is_valid(number) and luhn.is_valid(number[:12] + "3" + number[12:])
    third = plain_chars("3" + number[12:])
    third[0] = CharCandidates(chars=("3",), probs=(0.59,))
    lines = [line(number[:6], 73, 365, 328, 412), line(number[6:12], 350, 365, 617, 411),
             line("3" + number[12:], 594, 365, 891, 410, third)]
    assert parse(scan("bank-card", lines)).fields["bankCardNum"] == number


def test_boxes_touching_without_a_shared_digit_are_joined_as_read() -> None:
    lines = [line(NUMBER[:8], 90, 360, 490, 415), line(NUMBER[8:], 480, 361, 906, 414)]
    assert parse(scan("bank-card", lines)).fields["bankCardNum"] == NUMBER


def test_the_wider_strip_reaches_further_left() -> None:
    from certscan.cards.bankcard import band_quads
    from certscan.ocr.types import Page

    page = Page(width=1000, height=700, lines=[line("3051 2524 349", 400, 300, 700, 340)])
    narrow, wide = band_quads(page)[0], band_quads(page, left=4.0)[0]
    assert narrow[0][0] == 380 and wide[0][0] == 240 and narrow[1][0] == wide[1][0]


def test_a_speck_read_unsure_is_dropped_when_both_numbers_pass() -> None:
    number, speck = "622908360733386280", "6"  # 18 digits; a 6 read at 0.3 before the second group
    noisy = number[:12] + speck + number[12:]
    assert luhn.is_valid(number) and luhn.is_valid(noisy)
    second = plain_chars(noisy[12:])
    second[0] = CharCandidates(chars=(speck,), probs=(0.3,))
    lines = [line(number[:12], 100, 300, 400, 340), line(noisy[12:], 420, 300, 600, 340, second)]
    assert parse(scan("bank-card", lines)).fields["bankCardNum"] == number
    second[0] = CharCandidates(chars=(speck,), probs=(0.7,))  # read surely: a digit, kept
    assert parse(scan("bank-card", lines)).fields["bankCardNum"] == noisy
