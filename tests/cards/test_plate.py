"""Plate format rules, repair of OCR readings towards them, colour and vehicle type, and end to end on
synthetic car photos (slow: loads the OCR models)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image

from bench.synth.cards import plate as plate_renderer
from certscan.cards import plate
from certscan.checks import plate as rules
from certscan.constants import VEHICLE_NUM_TYPES
from certscan.ocr.types import Line, Page


def line(text: str, x0: float, y0: float, x1: float, h: float = 40, conf: float = 0.95) -> Line:
    box = np.array([[x0, y0], [x1, y0], [x1, y0 + h], [x0, y0 + h]], dtype=np.float32)
    return Line(text=text, box=box, confidence=conf)


def chars(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(c, ()) for c in text]


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("皖A195K9", "standard"),
        ("沪AF71017", "new-energy-small"),
        ("粤B12345D", "new-energy-large"),
        ("鄂F8888警", "special"),
        ("苏E1234学", "special"),
        ("鲁B1234挂", "special"),
        ("粤Z1234港", "hongkong-macao"),
        ("使014578", "embassy"),
        ("VA12345", "military"),
    ],
)
def test_valid_plates(number: str, kind: str) -> None:
    assert rules.kind(number) == kind


@pytest.mark.parametrize(
    "number", ["皖I195K9", "皖A195O9", "皖A195K", "AA12345", "VI12345", "沪AF710171", "皖AA1234警5"]
)
def test_invalid_plates(number: str) -> None:
    assert not rules.is_valid(number)


def test_vehicle_types_are_reference_values() -> None:
    cases = {
        "皖A195K9": "blue",
        "皖A195K9 ": "yellow",
        "沪AF71017": None,
        "鄂F8888警": "white",
        "粤Z1234澳": None,
        "使014578": None,
        "VA12345": None,
        "鲁B1234挂": "yellow",
        "苏E1234学": "yellow",
    }
    types = {rules.vehicle_type(n.strip(), c) for n, c in cases.items()}
    assert types <= set(VEHICLE_NUM_TYPES)
    assert rules.vehicle_type("皖A195K9", "yellow") == "Large car"
    assert rules.vehicle_type("皖A195K9", "blue") == "Small car"
    assert rules.vehicle_type("鄂F8888警", "blue") == "Police car"  # the character outranks the colour


def test_repair_fixes_letter_digit_confusions_and_drops_separators() -> None:
    assert plate.repair(chars("皖A195K9")) == ("皖A195K9", 0)
    assert plate.repair(chars("皖0195K9")) == ("皖D195K9", 1)  # no digit after the province
    assert plate.repair(chars("沪AF7IO17")) == ("沪AF71017", 2)  # no I or O in a serial
    assert plate.repair(chars("皖A1")) is None


def test_chuan_read_as_its_strokes_is_one_change() -> None:
    # 川's three upright strokes read as Latin letters in front of the office letter
    assert plate.repair([(c, ()) for c in "NIV38857"]) == ("川V38857", 1)
    assert plate.repair([(c, ()) for c in "IIIA12345"]) == ("川A12345", 1)
    assert plate.repair([(c, ()) for c in "川V38857"]) == ("川V38857", 0)
    # a plate read whole keeps its own reading
    assert plate.repair([(c, ()) for c in "京N1A234"]) == ("京N1A234", 0)


def test_military_plate_is_not_made_out_of_a_misread() -> None:
    assert plate.repair(chars("C41252D")) is None


def test_letters_after_a_misread_province_are_no_military_plate() -> None:
    # 冀 read 翼 (the alternative offered): GF68286 fits the military pattern as read, but a Chinese
    # character in front of it is the province
    read = [("翼", ("冀", "贵")), *chars("GF68286")]
    assert plate.repair(read) == ("冀GF68286", 1)
    assert plate.repair(chars("GF68286")) == ("GF68286", 0)


def test_read_plates_joins_split_and_stacked_lines() -> None:
    page = Page(
        width=800,
        height=600,
        lines=[
            line("皖P·7828", 300, 400, 460),
            line("警", 462, 402, 480, 36),
            line("POLICE", 300, 100, 500, 30),
        ],
    )
    assert [r.number for r in plate.read_plates(page)] == ["皖P7828警"]
    double = Page(
        width=800, height=600, lines=[line("云P", 340, 380, 420, 30), line("04S7学", 300, 415, 470, 55)]
    )
    assert plate.read_plates(double)[0].number == "云P04S7学"
    split_top = Page(
        width=800,
        height=600,
        lines=[line("新", 360, 380, 390, 30), line("N", 420, 380, 445, 30), line("B0874", 300, 415, 470, 55)],
    )
    assert plate.read_plates(split_top)[0].number == "新NB0874"
    # one row boxed as three lines: province, office letter, serial
    split_row = Page(
        width=1000,
        height=800,
        lines=[
            line("豫", 397, 426, 432, 51),
            line("E", 422, 429, 454, 43),
            line("53015D", 451, 422, 628, 57),
        ],
    )
    assert plate.read_plates(split_row)[0].number == "豫E53015D"


def test_most_prominent_plate_first() -> None:
    page = Page(
        width=800, height=600, lines=[line("京A12345", 50, 50, 120, 15), line("沪B67890", 300, 400, 600, 60)]
    )
    assert [r.number for r in plate.read_plates(page)] == ["沪B67890", "京A12345"]


@pytest.mark.parametrize(
    ("style", "colour"),
    [("blue", "blue"), ("yellow", "yellow"), ("green", "green"), ("police", "white"), ("hongkong", "black")],
)
def test_plate_colour_of_rendered_plates(style: str, colour: str) -> None:
    rng = random.Random(3)
    number, _ = plate_renderer.plate_number(rng, style)
    image = np.asarray(plate_renderer.draw_plate(rng, number, style).convert("RGB"))
    h, w = image.shape[:2]
    found, share = plate.plate_colour(image, (w * 0.05, h * 0.18, w * 0.95, h * 0.82))
    assert found == colour
    assert share > 0.4


def test_grey_photo_of_a_standard_plate_goes_by_polarity() -> None:
    rng = random.Random(5)
    for style, expected in (("blue", "blue"), ("yellow", "yellow")):
        img = plate_renderer.draw_plate(rng, "皖A195K9", style).convert("L").convert("RGB")
        arr = np.asarray(img)
        h, w = arr.shape[:2]
        assert plate._grey_polarity(arr, (w * 0.05, h * 0.18, w * 0.95, h * 0.82)) == expected


@pytest.mark.slow
def test_end_to_end_on_synthetic_scenes() -> None:
    from certscan.pipeline import scan_array

    hits = 0
    for seed in range(12):
        card = plate_renderer.render(random.Random(seed))
        result = scan_array(np.asarray(card.image.convert("RGB")), "vehicle-num")
        fields = result.fields
        assert set(fields) == {"num", "rate", "vehicleType", "vehicleTypeRate"}
        assert 0.0 <= fields["rate"] <= 100.0 and 0.0 <= fields["vehicleTypeRate"] <= 100.0
        hits += fields["num"] == card.label["num"] and fields["vehicleType"] == card.label["vehicleType"]
        assert result.extra["plates"][:1] == [{k: fields[k] for k in fields}] or not fields["num"]
    assert hits >= 10


@pytest.mark.slow
def test_nothing_plate_like_gives_empty_fields() -> None:
    from certscan.pipeline import scan_array

    blank = np.asarray(Image.new("RGB", (400, 300), (120, 130, 140)))
    result = scan_array(blank, "vehicle-num")
    assert result.fields["num"] == "" and result.extra["plates"] == []


def test_prominence_is_the_text_length_not_the_box_height() -> None:
    # a small far plate boxed tilted (its upright box is tall) and the large near plate, level
    far_box = np.array([[50, 60], [150, 40], [152, 70], [52, 90]], dtype=np.float32)
    far = Line(text="皖K8115H", box=far_box, confidence=1.0)
    near = line("黑K5425U", 300, 400, 480, 45, conf=0.98)
    page = Page(width=800, height=600, lines=[far, near])
    assert [r.number for r in plate.read_plates(page)] == ["黑K5425U", "皖K8115H"]


def test_military_read_on_a_civil_coloured_plate_is_no_plate() -> None:
    blue = np.zeros((200, 400, 3), np.uint8)
    blue[:] = (18, 62, 190)
    page = Page(width=400, height=200, lines=[line("G·F46121", 50, 60, 350, 60)])
    assert plate._in_image(blue, page, plate.read_plates(page)) == []
    white = np.full((200, 400, 3), 238, np.uint8)
    assert [r.number for r in plate._in_image(white, page, plate.read_plates(page))] == ["GF46121"]


def test_letter_never_on_plates_repairs_to_its_digit_first() -> None:
    # O read for 0 with the recogniser offering o and Q next: Q fits the serial too, 0 is the likelier
    read = [("渝", ()), ("H", ()), ("C", ()), ("O", ("o", "Q")), ("F", ()), ("4", ()), ("挂", ())]
    assert plate.repair(read) == ("渝HC0F4挂", 1)


def test_washed_out_blue_plate_keeps_its_hue() -> None:
    # a blue plate faded under glare: saturation ~40, under plate_colour's floor for blue
    image = np.zeros((40, 120, 3), np.uint8)
    image[:] = (135, 140, 160)
    image[12:28, 20:100:12] = (235, 235, 240)  # light strokes
    box = (0.0, 0.0, 120.0, 40.0)
    assert plate.plate_colour(image, box)[0] == "white"
    assert plate._faded_colour(image, box) == "blue"
    grey = np.full((40, 120, 3), 150, np.uint8)
    assert plate._faded_colour(grey, box) == ""


def test_character_read_by_two_overlapping_lines_counts_once() -> None:
    # 津A5 | 55558D: the detector boxed the first 5 into both lines; read twice it made 津A55555
    lines = [line("津A5", 331, 838, 412, 57), line("55558D", 384, 840, 544, 54)]
    page = Page(width=800, height=600, lines=lines)
    assert plate.read_plates(page)[0].number == "津A55558D"
    apart = [line("津A5", 331, 838, 412, 57), line("5558D", 420, 840, 544, 54)]
    assert plate._group_chars(apart) == [[(c, ()) for c in "津A55558D"]]
