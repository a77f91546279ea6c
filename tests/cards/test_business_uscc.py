"""A USCC failing its check after repair is read again from its line's own crop (scripted recogniser)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from certscan.cards import business
from certscan.cards.business_uscc import cert_number, reread_code
from certscan.checks import uscc
from certscan.ocr.types import CharCandidates, Line, Page

VALID = "91450330MAYCKM6828"


@dataclass
class Read:
    text: str
    confidence: float = 0.95
    chars: list[CharCandidates] = field(default_factory=list)


class Engine:
    def __init__(self, *texts: str) -> None:
        self.texts = texts
        self.crops = 0

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Read]:
        self.crops += len(crops)
        return [Read(self.texts[i % len(self.texts)]) for i in range(len(crops))]


def line(text: str, x0: float, y0: float, x1: float, h: float = 27) -> Line:
    box = np.array([[x0, y0], [x1, y0], [x1, y0 + h], [x0, y0 + h]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.87)


IMAGE = np.full((1512, 2000, 3), 230, dtype=np.uint8)


def page(code_read: str) -> Page:
    return Page(width=2000, height=1512, lines=[
        line("统一社会信用代码", 566, 590, 758),
        line(code_read, 566, 630, 823),
        line("营业执照", 898, 579, 1265, 86),
    ])


def test_the_valid_code_of_a_second_read() -> None:
    assert uscc.is_valid(VALID)
    engine = Engine("91450330U1AYCKM6828", VALID)  # the box as is, then with a margin
    out = business.parse_page(page("91450330U1AYCKM6828"), IMAGE, engine).fields  # type: ignore[arg-type]
    assert out["creditCode"] == VALID and out["organizationCode"] == "MAYCKM68-2"


def test_no_second_read_of_a_valid_code_and_none_taken_that_fails() -> None:
    engine = Engine("")
    assert business.parse_page(page(VALID), IMAGE, engine).fields["creditCode"] == VALID  # type: ignore[arg-type]
    assert engine.crops == 0
    again = Engine("91450330U1AYCKM6829")
    lines = [line("91450330U1AYCKM6828", 566, 630, 823)]
    assert reread_code(lines, IMAGE, page("x"), again) == ""  # type: ignore[arg-type]
    assert again.crops == 2


def test_a_certificate_number_short_of_a_repeated_digit_is_read_again_stretched() -> None:
    number_line = line("证照编号：6201118201605261981", 500, 700, 800)
    engine = Engine("证照编号：62011118201605261981")
    got = cert_number("6201118201605261981", [number_line], IMAGE, page("x"), engine)  # type: ignore[arg-type]
    assert got == "62011118201605261981" and engine.crops == 1
    # a read that differs otherwise, or a number of full length, is left as it is
    short, full = "6201118201605261981", "62011118201605261981"
    other = Engine("证照编号：62011178201605261981")
    assert cert_number(short, [number_line], IMAGE, page("x"), other) == short  # type: ignore[arg-type]
    untouched = Engine("")
    assert cert_number(full, [number_line], IMAGE, page("x"), untouched) == full  # type: ignore[arg-type]
    assert untouched.crops == 0
