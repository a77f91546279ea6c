"""Checksum-guided repair and the TD3 check-digit routines, against published vectors."""

from __future__ import annotations

from certscan.checks import idnumber, luhn, mrz
from certscan.checks.repair import plain_chars, repair, sole_passing
from certscan.ocr.types import CharCandidates

# ICAO Doc 9303 part 4 specimen (Anna Maria Eriksson, Utopia).
ICAO_LINE0 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
ICAO_LINE1 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_published_vectors() -> None:
    assert luhn.is_valid("79927398713") and not luhn.is_valid("79927398710")
    assert idnumber.check_char("11010519491231002") == "X"  # GB 11643-1999 example
    assert all(mrz.td3_checks(ICAO_LINE1).values())
    assert mrz.composite_field(ICAO_LINE1) == "L898902C36" + "7408122" + "1204159ZE184226B<<<<<1"


def _with_alternative(text: str, pos: int, alt: str, conf: float = 0.55) -> list[CharCandidates]:
    chars = plain_chars(text)
    chars[pos] = CharCandidates(chars=(text[pos], alt), probs=(conf, 1 - conf - 0.05))
    return chars


def test_a_single_flipped_digit_is_repaired() -> None:
    good = "4111111111111111"
    bad = good[:5] + "7" + good[6:]
    assert not luhn.is_valid(bad)
    fixed = repair(_with_alternative(bad, 5, "1"), luhn.is_valid, "0123456789")
    assert fixed.valid and fixed.repaired and fixed.text == good


def test_two_passing_candidates_are_not_applied() -> None:
    good = "4111111111111111"
    bad = good[:5] + "7" + good[6:]
    chars = plain_chars(bad)
    # Two unsure positions whose alternatives each make the number pass: the checksum cannot choose.
    chars[5] = CharCandidates(chars=("7", "1"), probs=(0.5, 0.4))
    chars[7] = CharCandidates(chars=("1", "5"), probs=(0.5, 0.4))  # 5 here fixes the sum as well
    assert luhn.is_valid(bad[:7] + "5" + bad[8:])
    fixed = repair(chars, luhn.is_valid, "0123456789")
    assert not fixed.valid and fixed.ambiguous and fixed.text == bad


def test_nothing_outside_the_alternatives_is_tried() -> None:
    bad = "4111171111111111"
    assert not repair(plain_chars(bad), luhn.is_valid, "0123456789").valid


def test_confident_positions_are_left_alone() -> None:
    bad = "4111171111111111"
    chars = _with_alternative(bad, 5, "1", conf=0.995)
    assert not repair(chars, luhn.is_valid, "0123456789").valid


def test_lookalike_letters_map_to_digits() -> None:
    fixed = repair(plain_chars("41111111111111l1"), luhn.is_valid, "0123456789")
    assert fixed.valid and fixed.text == "4111111111111111"


def test_id_number_repair() -> None:
    first17 = "11010519900307123"
    number = first17 + idnumber.check_char(first17)
    bad = number[:10] + "8" + number[11:]  # year 1990 misread as 1980 fails the check char
    fixed = repair(_with_alternative(bad, 10, number[10]), lambda s: idnumber.is_valid(s), "0123456789X")
    assert fixed.repaired and fixed.text == number


def test_the_likeliest_passing_number_beats_a_chance_one_digit_fix() -> None:
    from certscan.cards.bankcard import _issuer_prior
    from certscan.checks.repair import likeliest_repair

    good = "6228480123456789015"  # a listed issuer's prefix (622848), Luhn-valid
    chars = plain_chars("0208480123456789015")  # the first and third digits misread
    chars[0] = CharCandidates(chars=("0", "6", "8"), probs=(0.46, 0.33, 0.04))
    chars[2] = CharCandidates(chars=("0", "2", "3"), probs=(0.43, 0.22, 0.1))
    chance = repair(chars, luhn.is_valid, "0123456789")
    assert chance.valid and chance.text == "8208480123456789015"  # passes, but one wrong number in ten does
    fixed = likeliest_repair(chars, luhn.is_valid, "0123456789", prior=_issuer_prior)
    assert fixed is not None and fixed.repaired and fixed.text == good


def test_two_equally_likely_passing_numbers_give_no_repair() -> None:
    from certscan.checks.repair import likeliest_repair

    bad = "4111171111111111"
    chars = plain_chars(bad)
    chars[5] = CharCandidates(chars=("7", "1"), probs=(0.5, 0.4))
    chars[7] = CharCandidates(chars=("1", "5"), probs=(0.5, 0.4))  # 5 here fixes the sum as well
    assert likeliest_repair(chars, luhn.is_valid, "0123456789") is None


def test_sole_passing_takes_the_fewest_changes_and_no_tie() -> None:
    base, pools = list("123"), [["7"], ["4", "8"], ["9"]]
    # one change passes only at position 1 (4): taken before the two-change texts
    assert sole_passing(base, pools, range(3), lambda t: t in ("143", "793"), 2) == ("143", False)
    # two one-change texts pass: none is taken
    assert sole_passing(base, pools, range(3), lambda t: t in ("143", "129"), 2) == (None, True)
    # only positions offered are changed
    assert sole_passing(base, pools, [0], lambda t: t == "143", 2) == (None, False)
