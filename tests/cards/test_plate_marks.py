"""Red plate characters the read missed (警, 领, 使), placed by their ink on rendered plates."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw

from bench.synth.cards import plate as plate_renderer
from certscan.cards import plate, plate_marks
from certscan.ocr.types import Line, Page

# where the renderer puts a single-row 7-character plate's characters, in its pixels (2 px per mm)
SIX_CHARS = (31.0, 50.0, 735.0, 230.0)  # province to the serial's 4th character
LAST_SIX_DIGITS = (145.0, 50.0, 849.0, 230.0)  # an embassy plate's digits (its 使 comes first)


def rendered(number: str, style: str) -> np.ndarray:
    return np.asarray(plate_renderer.draw_plate(random.Random(1), number, style).convert("RGB"))


def page_with(text: str, box: tuple[float, float, float, float], image: np.ndarray) -> Page:
    x0, y0, x1, y1 = box
    quad = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
    lines = [Line(text=text, box=quad, confidence=0.9)]
    return Page(width=image.shape[1], height=image.shape[0], lines=lines)


def test_police_and_consulate_suffix_from_the_red_ink() -> None:
    for number, style in (("辽M8757警", "police"), ("晋B1426领", "consulate")):
        image = rendered(number, style)
        page = page_with(number[:2] + "·" + number[2:6], SIX_CHARS, image)
        assert plate_marks.marked_reads(image, page, {0: number[:6]}) == {0: number}


def test_red_suffix_read_as_a_letter_is_replaced() -> None:
    image = rendered("琼X3114警", "police")
    page = page_with("琼X·3114G", (31.0, 50.0, 849.0, 230.0), image)
    assert plate_marks.marked_reads(image, page, {0: "琼X3114G"}) == {0: "琼X3114警"}


def test_embassy_prefix_from_the_red_ink() -> None:
    image = rendered("使224001", "embassy")
    page = page_with("224001", LAST_SIX_DIGITS, image)
    assert plate_marks.marked_reads(image, page, {0: "224001"}) == {0: "使224001"}


def test_no_mark_without_red_or_on_a_civil_plate() -> None:
    police = Image.fromarray(rendered("辽M8757警", "police"))
    ImageDraw.Draw(police).rectangle((750, 40, 860, 240), fill=(238, 240, 240))  # 警 painted over
    image = np.asarray(police)
    assert plate_marks.marked_reads(image, page_with("辽M·8757", SIX_CHARS, image), {0: "辽M8757"}) == {}
    blue = rendered("辽M87575", "blue")
    assert plate_marks.marked_reads(blue, page_with("辽M·8757", SIX_CHARS, blue), {0: "辽M8757"}) == {}


def test_parse_prefers_the_marked_plate_over_the_letter_read_in_its_place() -> None:
    image = rendered("琼X3114警", "police")
    page = page_with("琼X·3114G", (31.0, 50.0, 849.0, 230.0), image)
    reads = plate._with_red_marks(image, page, plate.read_plates(page))
    assert reads[0].number == "琼X3114警"


def test_consulate_suffix_past_a_gap_after_the_line() -> None:
    # the line's box stopped short of the serial's end (the separator widens its pitch): 领 lies half a
    # pitch further on than the first slot looks
    image = rendered("晋B1426领", "consulate")
    x0, y0, x1, y1 = SIX_CHARS
    short = (x0, y0, x1 - 0.45 * (x1 - x0) / 6, y1)
    page = page_with("晋B·1426", short, image)
    assert plate_marks.marked_reads(image, page, {0: "晋B1426"}) == {0: "晋B1426领"}
