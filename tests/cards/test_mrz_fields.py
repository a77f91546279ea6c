"""Line 2 of the MRZ from its fitted read: check-digit repair, the optional data's padding and the
sex, which no check digit covers."""

from __future__ import annotations

from certscan.cards.mrz_fields import field_validator, fix_field, repaired_line2
from certscan.checks.repair import plain_chars
from certscan.ocr.types import CharCandidates

# ICAO Doc 9303 part 4 specimen.
LINE1 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
CN_LINE1 = "E955632712CHN8603175F3208070IDIAEIKKJMFCH<20"


def _line2(chars: list[CharCandidates]) -> str:
    return repaired_line2(chars)[0]


def test_fillers_read_as_k_after_the_optional_data_are_fillers() -> None:
    # K weighs 20, a filler 0: the check digits pass either way, the padding rule decides
    assert _line2(plain_chars(LINE1.replace("B<<<<<", "B<KK<<"))) == LINE1
    # L weighs 21: the check digit fails on the read and passes once it is a filler
    assert _line2(plain_chars(LINE1.replace("B<<<<<", "B<<L<<"))) == LINE1


def test_optional_data_without_a_filler_is_left_as_read() -> None:
    kept = LINE1.replace("ZE184226B<<<<<1", "ZE184226BKKKKK1")  # no filler to start the padding
    assert _line2(plain_chars(kept)) == kept


def test_the_sex_comes_from_its_closed_set() -> None:
    chars = plain_chars(LINE1)
    chars[20] = CharCandidates(chars=("W", "F"), probs=(0.55, 0.4))  # the recogniser's second choice
    assert _line2(chars) == LINE1
    chars[20] = CharCandidates(chars=("P",), probs=(0.6,))  # no alternative: the look-alike
    assert _line2(chars) == LINE1


CN_LINE1 = "E955632712CHN8603175F3208070IDIAEIKKJMFCH<20"


def test_the_likeliest_repair_wins_over_a_letters_typed_number() -> None:
    # E read as L (33 % E): typed as letters (5 -> S, 6 -> G, ...) the number passes with L -> I (2 %)
    chars = plain_chars(CN_LINE1[:10])
    chars[0] = CharCandidates(chars=("L", "E", "C", "1", "I"), probs=(0.45, 0.33, 0.06, 0.03, 0.02))
    assert fix_field(chars, field_validator("number"), digits_only=False) == ("E955632712", True)


def test_optional_data_of_letters_is_repaired_as_letters_only() -> None:
    # a Chinese passport's coded number read with 1 for I: as letters two repairs pass (no decision);
    # keeping the digits, D -> P passed by chance (1P1AE1KKJMECH) and was taken before
    chars = plain_chars("1D1AE1KKJMECH<2")
    chars[1] = CharCandidates(chars=("D", "0", "P"), probs=(0.82, 0.09, 0.03))
    chars[10] = CharCandidates(chars=("E", "F", "L"), probs=(0.87, 0.07, 0.01))
    text, _ = fix_field(chars, field_validator("personal"), digits_only=False, by_majority=True)
    assert text != "1P1AE1KKJMECH<2"


def _with_alternative(text: str, position: int, alternative: str, prob: float) -> list[CharCandidates]:
    chars = plain_chars(text)
    best = chars[position].best
    chars[position] = CharCandidates(chars=(best, alternative), probs=(1.0 - prob, prob))
    return chars


def test_a_k_ending_the_optional_data_that_the_recogniser_also_reads_as_a_filler_is_one() -> None:
    # CN_LINE1's data ``IDIAEIKKJMFCH<``: its first filler read as K, which weighs like one
    read = CN_LINE1[:41] + "K" + CN_LINE1[42:]
    assert _line2(_with_alternative(read, 41, "<", 0.05)) == CN_LINE1
    assert _line2(plain_chars(read)) == read  # the recogniser sure of its K: the read stands
    assert _line2(_with_alternative(CN_LINE1, 40, "<", 0.3)) == CN_LINE1  # H weighs 17: no filler


def test_a_date_passing_its_check_digit_but_naming_no_day_is_repaired_from_alternatives() -> None:
    right = "EK57556613CHN9802160M3108310CLCKAOFOBFONE<98"
    read = right[:21] + "5108510" + right[28:]  # two 3s read as 5: weights 7 and 3, the sum unchanged
    chars = _with_alternative(read, 21, "3", 0.16)
    chars[25] = CharCandidates(chars=("5", "3"), probs=(0.86, 0.13))
    assert _line2(chars) == right
    assert _line2(plain_chars(read)) == read  # no alternative to take: as read


def test_optional_data_of_letters_after_stray_zeros_is_moved_left_when_the_checks_agree() -> None:
    from certscan.cards.mrz_fields import left_aligned_letters

    right = "EL20149874CHN6509077F3410200IJJJICGJDMNI<<48"
    assert left_aligned_letters("EL20149874CHN6509077F341020000IJJJICGJDMNI48") == right
    assert left_aligned_letters(right) == right
    digits = "L898902C36UTO7408122F1204159001842260<<<<<10"  # data of digits: left as read
    assert left_aligned_letters(digits) == digits
