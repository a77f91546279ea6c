"""fieldDetails: each parsed value found back among the engine's lines, with its confidence and box."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from importlib import resources

import numpy as np
import pytest

from certscan.cards.evidence import EXTRA_KEY, RecordingEngine, field_details, same_frame
from certscan.cards.evidence_match import Source
from certscan.checks.repair import plain_chars
from certscan.ocr.types import CharCandidates, Line, Page
from tests.cards.pages import line


def details(fields: dict[str, object], lines: list[Line], card: str = "id-card-front", rate: float = 90.0,
            to_image: np.ndarray | None = None, mapped: bool = True) -> dict[str, dict[str, object]]:
    page = Page(width=1000, height=700, lines=lines, to_image=to_image)
    return field_details(card, fields, rate, [Source(page=page, in_frame=mapped)])


def xs(box: object) -> tuple[float, float]:
    pts = np.asarray(box, dtype=float)
    return float(pts[:, 0].min()), float(pts[:, 0].max())


def test_printed_date_is_found_for_the_normalised_value_and_the_label_is_left_out() -> None:
    out = details({"birth": "1990-01-02"}, [line("出生1990年1月2日", 100, 100, 460, 130)])
    x0, x1 = xs(out["birth"]["box"])
    assert 180 < x0 < 195 and x1 == 460  # the label is 2 of 8.3 character widths: the date starts at ~187
    assert out["birth"]["confidence"] == 100.0  # the hand-built lines are read with certainty


def test_compact_and_dotted_dates_and_never_digits_inside_a_number() -> None:
    out = details({"startDate": "2015-03-12", "endDate": "2035-03-12"},
                  [line("有效期限2015.03.12-20350312", 100, 100, 600, 130)], card="id-card-back")
    assert xs(out["startDate"]["box"])[1] < xs(out["endDate"]["box"])[0]
    number_only = details({"birth": "1990-01-02"}, [line("110101199001021234", 100, 100, 500, 130)])
    assert number_only["birth"] == {"confidence": 90.0, "box": None}  # the card rate, no box


def test_passport_dates_with_month_words() -> None:
    lines = [line("出生日期/Date of birth", 0, 0, 300, 30), line("192月/FEB1969", 0, 40, 200, 70),
             line("签发日期/Date of issue", 0, 100, 300, 130), line("04 Jul 2016", 0, 140, 200, 170)]
    out = details({"birthDate": "1969-02-19", "issueDate": "2016-07-04"}, lines, card="passport")
    assert np.asarray(out["birthDate"]["box"])[:, 1].tolist() == [40, 40, 70, 70]
    assert np.asarray(out["issueDate"]["box"])[:, 1].tolist() == [140, 140, 170, 170]


def test_long_term_is_found_as_printed() -> None:
    out = details({"endDate": "Long-term"}, [line("2010.01.01-长期", 100, 100, 400, 130)],
                  card="id-card-back")
    x0, x1 = xs(out["endDate"]["box"])
    assert x0 > 300 and x1 == 400


def test_address_on_two_lines_is_boxed_by_their_union_and_each_line() -> None:
    lines = [line("住址广东省广州市天河区", 100, 100, 500, 130), line("中山大道1号", 160, 140, 360, 170)]
    out = details({"address": "广东省广州市天河区中山大道1号"}, lines)
    entry = out["address"]
    assert entry["box"] == [[160, 100], [500, 100], [500, 170], [160, 170]]
    assert len(entry["lines"]) == 2  # type: ignore[arg-type]


def test_a_line_far_away_does_not_continue_a_value() -> None:
    lines = [line("广东省广州市", 100, 100, 300, 130), line("天河区", 700, 600, 800, 630)]
    out = details({"address": "广东省广州市天河区"}, lines)
    assert out["address"]["box"] is None  # 6 of 9 characters: too little to claim the value


def test_mrz_name_is_found_inside_the_mrz_line() -> None:
    mrz = "P<CHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
    out = details({"name": "ZHANG SAN", "line0": mrz}, [line(mrz, 0, 600, 880, 630)], card="passport")
    x0, x1 = xs(out["name"]["box"])
    assert 90 <= x0 <= 110 and 280 <= x1 <= 320  # characters 5..14 of 44 monospaced
    assert xs(out["line0"]["box"]) == (0, 880)  # its fillers included


def test_a_value_printed_twice_without_a_label_gets_no_box() -> None:
    twice = [line("京A12345", 0, 0, 200, 30), line("京A12345", 0, 300, 200, 330)]
    out = details({"plateNum": "京A12345"}, twice, card="vehicle-license-front")
    assert out["plateNum"]["box"] is None
    labelled = details({"registerDate": "2014-01-19", "issueDate": "2014-01-19"},
                       [line("注册日期2014-01-19", 0, 0, 300, 30),
                        line("发证日期2014-01-19", 400, 0, 700, 30)],
                       card="vehicle-license-front")
    assert xs(labelled["registerDate"]["box"])[1] <= 300 < xs(labelled["issueDate"]["box"])[0]


def test_two_fields_with_one_value_take_one_place_each_when_one_label_was_read() -> None:
    lines = [line("出生地", 0, 0, 90, 30), line("重庆市永川区", 100, 0, 300, 30),
             line("籍", 0, 100, 30, 130), line("重庆市永川区", 100, 100, 300, 130)]  # 籍贯 misread
    both = {"birthPlace": "重庆市永川区", "hometown": "重庆市永川区"}
    out = details(both, lines, card="household-resident")
    assert np.asarray(out["birthPlace"]["box"])[:, 1].max() == 30
    assert np.asarray(out["hometown"]["box"])[:, 1].min() == 100
    unlabelled = details(both, lines[1::2], card="household-resident")
    assert unlabelled["birthPlace"]["box"] is None and unlabelled["hometown"]["box"] is None


def test_one_place_is_not_given_to_two_fields_that_are_two_printed_items() -> None:
    lines = [line("出生地点/Place of birth", 0, 0, 300, 30), line("HUNAN", 100, 40, 200, 70),  # no 湖南 read
             line("签发地点", 0, 100, 100, 130), line("湖南", 100, 100, 160, 130)]
    places = {"birthPlace": "湖南", "issuePlace": "湖南"}
    out = details(places, lines, card="passport")
    assert out["birthPlace"]["box"] is None and out["issuePlace"]["box"] is not None
    unlabelled = details(places, [line("湖南", 100, 100, 160, 130)], card="passport")
    assert unlabelled["birthPlace"]["box"] is None and unlabelled["issuePlace"]["box"] is None
    one_item = details({"creditCode": "91110000600001760P", "taxCode": "91110000600001760P"},
                       [line("91110000600001760P", 0, 0, 300, 30)], card="business-license")
    assert one_item["creditCode"]["box"] == one_item["taxCode"]["box"] is not None


def test_one_line_read_twice_is_not_two_places() -> None:
    page = Page(width=1000, height=700, lines=[line("京A12345", 0, 0, 200, 30)])
    again = Page(width=1000, height=700, lines=[line("京A12345", 1, 2, 201, 31)])
    out = field_details("vehicle-license-front", {"plateNum": "京A12345"}, 90.0,
                        [Source(page=page, in_frame=True), Source(page=again, in_frame=True)])
    assert out["plateNum"]["box"] == [[0, 0], [200, 0], [200, 30], [0, 30]]


def test_a_misread_value_after_its_label_beats_a_repaired_one_elsewhere() -> None:
    chars = plain_chars("河南省平项山市")
    chars[4] = CharCandidates(chars=("项", "顶"), probs=(0.6, 0.3))
    elsewhere = Line(text="河南省平项山市", box=line("x", 100, 40, 300, 70).box, confidence=0.9, chars=chars)
    lines = [line("出生地", 0, 0, 90, 30), line("河南省平山市", 100, 0, 280, 30), elsewhere]  # 顶 not read
    out = details({"birthPlace": "河南省平顶山市"}, lines, card="household-resident")
    assert np.asarray(out["birthPlace"]["box"])[:, 1].max() == 30  # one line: no wrap mid-line


def test_a_repair_right_after_the_label_does_not_beat_the_value_as_read() -> None:
    chars = plain_chars("ory")
    chars[0] = CharCandidates(chars=("o", "p"), probs=(0.9, 0.05))
    after_label = Line(text="ory", box=line("x", 100, 0, 160, 30).box, confidence=0.9, chars=chars)
    lines = [line("类型/Type", 0, 0, 90, 30), after_label, line("P", 0, 40, 20, 70)]
    out = details({"type": "P"}, lines, card="passport")
    assert out["type"]["box"] == [[0, 40], [20, 40], [20, 70], [0, 70]]


def test_value_not_on_the_page_keeps_the_card_rate_and_no_box() -> None:
    out = details({"name": "王小明"}, [line("姓名李四", 0, 0, 200, 30)], rate=87.654)
    assert out["name"] == {"confidence": 87.65, "box": None}


def test_separators_dropped_by_the_parser_are_matched() -> None:
    out = details({"bankCardNum": "6222020012345678"}, [line("6222 0200 1234 5678", 10, 10, 410, 40)],
                  card="bank-card")
    assert xs(out["bankCardNum"]["box"]) == (10, 410)
    plate = details({"plateNum": "京A12345"}, [line("京A·12345", 10, 10, 210, 40)],
                    card="vehicle-license-front")
    assert xs(plate["plateNum"]["box"]) == (10, 210)


def test_a_repaired_character_lowers_the_confidence() -> None:
    chars = plain_chars("11010119900102123")
    chars.append(CharCandidates(chars=("7", "X"), probs=(0.55, 0.40)))
    read = Line(text="110101199001021237", box=line("x", 0, 0, 400, 30).box, confidence=0.95, chars=chars)
    out = details({"number": "11010119900102123X"}, [read])
    assert out["number"]["box"] is not None
    assert out["number"]["confidence"] == pytest.approx(100 * (17 * 1.0 + 0.40) / 18, abs=0.01)


def test_numbers_nested_keys_and_what_is_not_printed() -> None:
    fields = {"overallDimension": {"length": 4750, "width": 1800, "height": ""},
              "appprovedPassengerCapacity": 5, "angle": 90.0, "numberValid": True, "copy": False}
    out = details(fields, [line("外廓尺寸4750×1800×1500mm", 0, 0, 500, 30)], card="vehicle-license-back")
    assert set(out) == {"overallDimension.length", "overallDimension.width", "appprovedPassengerCapacity"}
    assert out["overallDimension.length"]["box"] is not None
    assert out["appprovedPassengerCapacity"]["box"] is None  # a lone 5 is nowhere on the page


def test_boxes_are_mapped_to_the_input_image() -> None:
    # A page made upright from an input turned by a quarter: page (x, y) is input (y, 999 - x).
    to_image = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, 999.0]], dtype=np.float32)
    out = details({"name": "张三"}, [line("张三", 100, 10, 200, 40)], to_image=to_image)
    assert out["name"]["box"] == [[10, 899], [10, 799], [40, 799], [40, 899]]


def test_a_page_read_from_a_crop_gives_confidence_but_no_box() -> None:
    out = details({"archiveNum": "123456789012"}, [line("档案编号123456789012", 0, 0, 300, 30)],
                  card="driver-license-back", mapped=False)
    assert out["archiveNum"] == {"confidence": 100.0, "box": None}


class _Engine:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.regions: list[int] = []

    def read(self, image: np.ndarray, det_max_side: int | None = None) -> Page:
        return self.page

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        return []

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Line]:
        return [line("京A12345", 0, 0, 1, 1) for _ in crops]

    def read_regions(self, image: np.ndarray, page: Page, quads: Sequence[np.ndarray]) -> list[Line]:
        self.regions.append(len(quads))
        return [line("6222020012345678", 0, 0, 1, 1) for _ in quads]


def test_recording_engine_keeps_pages_and_knows_which_are_in_input_coordinates() -> None:
    rng = np.random.default_rng(0)
    grey = rng.integers(0, 200, (60, 80, 1))
    image = (grey + rng.integers(0, 50, (60, 80, 3))).astype(np.uint8)  # channels alike, as in photos
    page = Page(width=80, height=60, lines=[line("张三", 0, 0, 20, 10)])
    engine = RecordingEngine(_Engine(page), image)  # type: ignore[arg-type]
    engine.read(image)
    red = np.repeat(image[:, :, :1], 3, axis=2)  # a colour transform keeps the geometry
    engine.read(red, det_max_side=640)
    engine.read(np.ascontiguousarray(image[10:40, 5:70]))  # a crop: its place is not known here
    engine.read(np.ascontiguousarray(image[::-1, ::-1]))  # same shape, turned: not the input's frame
    assert [s.mapped for s in engine.sources] == [True, True, False, False]
    engine.read_regions(image, page, [np.zeros((4, 2), np.float32)])
    assert engine.sources[-1].mapped and engine.sources[-1].page.lines[0].text == "6222020012345678"
    engine.recognize([image])
    assert not engine.sources[-1].mapped and not engine.sources[-1].rows_by_geometry
    assert engine.detect(image) == []


def test_recording_engine_lacks_read_regions_when_the_engine_does() -> None:
    class Plain:
        def read(self, image: np.ndarray, det_max_side: int | None = None) -> Page:
            return Page(width=1, height=1)

    engine = RecordingEngine(Plain(), np.zeros((2, 2, 3), np.uint8))  # type: ignore[arg-type]
    assert getattr(engine, "read_regions", None) is None
    assert not same_frame(np.zeros((2, 2, 3), np.uint8), np.ones((2, 2, 3), np.uint8))


def test_the_extra_key_collides_with_no_contract_key() -> None:
    contract = json.loads(resources.files("certscan.cards").joinpath("contract.json").read_text("utf-8"))
    for card, spec in contract.items():
        if card != "_about":
            assert EXTRA_KEY not in spec["fields"]


def test_scan_array_attaches_field_details() -> None:
    from certscan.pipeline import result_element, scan_array

    page = Page(width=400, height=100, lines=[line("6222 0200 1234 5671", 10, 10, 390, 40)])  # Luhn-valid
    image = np.zeros((100, 400, 3), np.uint8)
    element = result_element(scan_array(image, "bank-card", _Engine(page)))  # type: ignore[arg-type]
    info = element["bankCardInfo"]
    assert info[EXTRA_KEY]["bankCardNum"]["box"] == [[10, 10], [390, 10], [390, 40], [10, 40]]
    assert json.loads(json.dumps(element)) == element  # plain JSON


@pytest.mark.slow
@pytest.mark.parametrize("turns", [0, 1])
def test_name_box_lies_on_the_rendered_name(turns: int) -> None:
    from bench.synth.cards.idcard import render_front
    from certscan.pipeline import scan_array

    card = render_front(random.Random(7))
    image = np.asarray(card.image)
    x0, y0, x1, y1 = card.boxes["name"][0]
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = image.shape[1]
    if turns:  # a quarter turn counter-clockwise: the name's centre moves with the pixels
        image = np.ascontiguousarray(np.rot90(image))
        cx, cy = cy, w - 1 - cx
    result = scan_array(image, "id-card-front")
    assert result.fields["name"] == card.label["name"]
    box = np.asarray(result.extra[EXTRA_KEY]["name"]["box"], dtype=float)
    centre = box.mean(axis=0)
    text_height = y1 - y0
    assert abs(centre[0] - cx) < text_height and abs(centre[1] - cy) < text_height
    assert result.extra[EXTRA_KEY]["name"]["confidence"] > 50


def test_a_value_read_from_a_placed_crop_is_boxed_in_the_input() -> None:
    """A page read from an enlarged cut (twice the input's size, 100 px in) whose parser placed it:
    the value's box is given in the input's pixels; unplaced, the value has a confidence and no box."""
    lines = [line("110101199001021234", 200, 200, 700, 240)]
    placed = Page(width=1400, height=900, lines=lines,
                  crop_to_input=np.array([[0.5, 0, 100], [0, 0.5, 100]], np.float32))
    fields = {"number": "110101199001021234"}
    out = field_details("id-card-front", fields, 90.0, [Source(page=placed, in_frame=False)])
    assert np.asarray(out["number"]["box"]).tolist() == [[200, 200], [450, 200], [450, 220], [200, 220]]
    unplaced = Page(width=1400, height=900, lines=lines)
    out = field_details("id-card-front", fields, 90.0, [Source(page=unplaced, in_frame=False)])
    assert out["number"]["box"] is None
