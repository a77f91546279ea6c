"""VIN reading: I/O/Q mapping, check-digit repair that only takes an unambiguous fix, and end to end on
synthetic nameplates, stamps and windscreen strips (slow: loads the OCR models)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.synth.cards import vin as vin_renderer
from certscan.cards import vin
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
    assert vin.with_doubled_char(read) == truth
    page = Page(width=500, height=100, lines=[line(read)])
    assert vin.find_vins(page)[0] == (truth, 0.9, 1)
    # a 16-char read completed only when no 17-char one is valid, and never to a non-unique fit
    assert vin.find_vins(Page(width=500, height=100, lines=[line(read), line(VALID)]))[0][0] == VALID
