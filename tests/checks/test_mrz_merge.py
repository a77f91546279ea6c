"""Line 2 of an MRZ merged field by field from several reads, each field by its own check digit."""

from __future__ import annotations

from certscan.checks.mrz import td3_merge

# ICAO Doc 9303 part 4 specimen.
LINE1 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_each_field_from_the_read_that_passes_it() -> None:
    bad_birth = LINE1[:13] + "740S12" + LINE1[19:]
    bad_expiry = LINE1[:21] + "12O415" + LINE1[27:]
    assert td3_merge([bad_birth, bad_expiry]) == LINE1


def test_a_read_that_lost_a_character_gives_its_fields_one_place_off() -> None:
    lost = LINE1[:11] + LINE1[12:37] + "<" + LINE1[37:]  # the nationality's T lost, the filler run padded
    bad_dates = LINE1[:13] + "7408I2" + LINE1[19:21] + "120A15" + LINE1[27:]
    assert td3_merge([bad_dates, lost]) == LINE1


def test_numbers_the_composite_cannot_tell_apart_are_left_to_the_majority_or_to_no_one() -> None:
    # B and 8 are 3 apart, twice: both numbers pass one check digit, and the composite weighs them alike
    swapped = "LB9B902C3" + LINE1[9:]
    assert td3_merge([swapped, LINE1, LINE1]) == LINE1
    assert td3_merge([swapped, LINE1]) is None


def test_state_codes() -> None:
    from certscan.checks.mrz_codes import known_state

    assert known_state("CHN") and known_state("D<<") and known_state("UTO") and known_state("GBD")
    assert not known_state("ANS") and not known_state("9GP")


def test_a_date_holding_a_letter_fails_its_check_whatever_the_sum() -> None:
    # the check sum counts A as 10: 8A0101 sums to its check digit, but no date holds a letter
    from certscan.checks.mrz import check_digit, field_passes

    digit = check_digit("8A0101")
    assert field_passes("number", "8A0101" + digit) and not field_passes("birth", "8A0101" + digit)
    assert field_passes("expiry", "300101" + check_digit("300101"))
