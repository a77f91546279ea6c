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
