"""VIN reading: I/O/Q mapping, check-digit repair that only takes an unambiguous fix, and end to end on
synthetic nameplates, stamps and windscreen strips (slow: loads the OCR models)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.synth.cards import vin as vin_renderer
from certscan.cards import vin, vin_wmi
from certscan.checks import vin as vin_check
from certscan.ocr.types import CharCandidates, Line, Page

VALID = "LSVAU2183N2083294"


def line(text: str, chars: list[CharCandidates] | None = None) -> Line:
    box = np.array([[10, 10], [400, 10], [400, 50], [10, 50]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.9, chars=chars or [])


def test_fixture_is_valid() -> None:
    assert vin_check.is_valid(VALID)


def test_valid_read_is_kept_and_delimiters_dropped() -> None:
    page = Page(width=500, height=100, lines=[line(f"*{VALID}*")])
    assert vin.find_vins(page)[0][:3:2] == (VALID, 0)


def test_forbidden_letters_become_digits() -> None:
    read = VALID.replace("0", "O")
    page = Page(width=500, height=100, lines=[line(read)])
    assert vin.find_vins(page)[0][0] == VALID


def test_recogniser_alternative_repairs_the_check_digit() -> None:
    wrong = VALID[:12] + "B" + VALID[13:]  # 8 read as B
    chars = [CharCandidates((c,), (0.99,)) for c in wrong]
    chars[12] = CharCandidates(("B", "8"), (0.55, 0.4))
    text, changes = vin.repair(
        [(c.chars[0], tuple(zip(c.chars[1:], c.probs[1:], strict=True)), c.probs[0]) for c in chars]
    )
    assert (text, changes) == (VALID, 1)


def test_unrepairable_vin_is_returned_as_read() -> None:
    # A European VIN without a check digit, printed clearly: not rewritten into something else.
    read = "WDB12345612345678"
    assert not vin_check.is_valid(read)
    text, changes = vin.repair([(c, (), 0.99) for c in read])
    assert changes == -1 or vin_check.is_valid(text)
    if changes == -1:
        assert text == read


def test_no_vin_on_page() -> None:
    assert vin.find_vins(Page(width=10, height=10, lines=[line("发动机型号 EA211")])) == []


@pytest.mark.slow
def test_end_to_end_on_synthetic_vins() -> None:
    from certscan.pipeline import scan_array

    hits = 0
    for seed in range(8):
        card = vin_renderer.render(random.Random(seed))
        result = scan_array(np.asarray(card.image.convert("RGB")), "vehicle-vin")
        hits += result.fields["vin"] == card.label["vin"]
    assert hits >= 7


def _chars(text: str, unsure: dict[int, tuple[str, float]] | None = None) -> list[vin.Char]:
    out: list[vin.Char] = [(c, (), 0.99) for c in text]
    for at, (alt, p) in (unsure or {}).items():
        out[at] = (text[at], ((alt, p),), 0.6)
    return out


def test_a_repair_keeps_the_model_year_and_the_serials_digits() -> None:
    assert vin_check.plausible(VALID)
    assert not vin_check.plausible(VALID[:9] + "0" + VALID[10:])  # 0 is no model year
    assert not vin_check.plausible(VALID[:16] + "A")
    # KMH8P3V47DJ266347 read with its year D as 0: look-alike swaps elsewhere pass the check as well,
    # but only the one at position 10 leaves a model year there
    truth = "KMH8P3V47DJ266347"
    assert vin_check.is_valid(truth)
    text, changes = vin.repair(_chars(truth[:9] + "0" + truth[10:], {9: ("O", 0.2)}))
    assert (text, changes) == (truth, 1)


def test_a_lost_doubled_character_is_put_back_when_only_one_fits() -> None:
    truth = "LFV2A21K8G3044556"
    assert vin_check.is_valid(truth)
    read = truth[:12] + truth[13:]  # 3044556 read 304556
    assert vin.with_lost_char(read) == truth
    page = Page(width=500, height=100, lines=[line(read)])
    assert vin.find_vins(page)[0] == (truth, 0.9, 1)
    # a 16-char read completed only when no 17-char one is valid, and never to a non-unique fit
    assert vin.find_vins(Page(width=500, height=100, lines=[line(read), line(VALID)]))[0][0] == VALID


def test_a_thin_character_lost_from_the_manufacturer_code_is_put_back() -> None:
    # LJDF8K0906M372922 read *LDF8K0906M372922*: doubling the F passes the check digit by chance too,
    # only putting the J back names a listed manufacturer (LJD)
    truth = "LJDF8K0906M372922"
    read = truth[:1] + truth[2:]
    assert vin_check.is_valid("LDFF8K0906M372922")
    assert vin.with_lost_char(read) == truth


def test_a_cheap_two_change_repair_beats_a_costly_single_swap() -> None:
    truth = "LJDREG894GN067944"
    assert vin_check.is_valid(truth) and vin_wmi.is_known(truth)
    # two unsure characters: with the G offered at each of them, the two-change repair is far cheaper
    # than any single swap the recogniser gave no weight to
    chars = _chars(truth[:5] + "6" + truth[6:9] + "6" + truth[10:])
    chars[5] = ("6", (("G", 0.24),), 0.75)
    chars[9] = ("6", (("G", 0.34),), 0.61)
    assert vin.repair(chars) == (truth, 2)


def test_an_unlisted_manufacturer_is_read_as_printed() -> None:
    # a clean read of a VIN whose WMI is not in the table is kept: the table only breaks ties
    truth = "LA9" + VALID[3:8] + "0" + VALID[9:]
    truth = truth[:8] + vin_check.check_char(truth) + truth[9:]
    assert vin_check.is_valid(truth) and not vin_wmi.is_known(truth)
    assert vin.repair(_chars(truth)) == (truth, 0)
    page = Page(width=500, height=100, lines=[line(truth)])
    assert vin.find_vins(page)[0][0] == truth


def test_wmi_table_is_well_formed() -> None:
    assert all(len(wmi) == 3 and set(wmi) <= set(vin_check.ALPHABET) for wmi in vin_wmi.KNOWN)
    # the makes the Chinese market sees most: joint ventures and imports
    assert {"LSV", "LFV", "LSG", "LGW", "WBA", "JTD", "KMH"} <= vin_wmi.KNOWN


def test_a_listed_manufacturer_breaks_a_tie_between_repairs() -> None:
    # KMH8P3V47DJ266347 with its serial's 6 read G: putting the 6 back and reading the WMI's H as 7
    # (KM78P3V47DJ2G6347) pass the check digit alike and are offered alike; only the first names a maker
    truth = "KMH8P3V47DJ266347"
    chars = _chars(truth[:12] + "G" + truth[13:])
    chars[12] = ("G", (("6", 0.3),), 0.6)
    chars[2] = ("H", (("7", 0.3),), 0.6)
    assert vin_check.is_valid("KM78P3V47DJ2G6347")
    assert vin.repair(chars) == (truth, 1)


def test_a_manufacturer_code_one_unoffered_letter_off_is_restored() -> None:
    # KMH... read KHH... with the H unsure and no M among the recogniser's alternatives: KMH is the one
    # listed WMI K?H, and putting its M back passes the check digit
    truth = "KMH8P3V47DJ266347"
    chars = _chars("KHH" + truth[3:])
    chars[1] = ("H", (("N", 0.05),), 0.6)
    assert vin.repair(chars) == (truth, 1)
