"""Ruled-table reading (certscan.cards.table) on a drawn grid with hand-built OCR lines (no models)."""

from __future__ import annotations

import cv2
import numpy as np

from certscan.cards import household_values
from certscan.cards.labelled import LabelSet
from certscan.cards.table import Cell, find_grid
from certscan.cards.table_values import grid_values
from certscan.ocr.types import Line, Page

LABELS = LabelSet({"name": ["姓名"], "sex": ["性别"], "nation": ["民族"], "birthday": ["出生日期"]})
TEMPLATE = (("name", "sex"), ("nation", "birthday"))
# Two rows of label | value | label | value cells, 40 px text in 80 px rows.
COLUMNS = (100, 260, 560, 760, 1100)
ROWS = (100, 180, 260)


def grid_image() -> np.ndarray:
    image = np.full((400, 1200, 3), 245, dtype=np.uint8)
    for x in COLUMNS:
        cv2.line(image, (x, ROWS[0]), (x, ROWS[-1]), (20, 20, 20), 2)
    for y in ROWS:
        cv2.line(image, (COLUMNS[0], y), (COLUMNS[-1], y), (20, 20, 20), 2)
    return image


def line(text: str, x0: float, x1: float, row: int, confidence: float = 0.95) -> Line:
    y0 = ROWS[row] + 20
    box = np.array([[x0, y0], [x1, y0], [x1, y0 + 40], [x0, y0 + 40]], dtype=np.float32)
    return Line(text=text, box=box, confidence=confidence)


def page(lines: list[Line]) -> Page:
    return Page(width=1200, height=400, lines=lines)


def test_cells_found_and_a_line_across_a_rule_split_at_it() -> None:
    lines = [
        line("姓名", 140, 220, 0),
        # one OCR line over the value cell, the next caption and its value: 张伟 | 性别 | 男
        line("张伟性别男", 280, 820, 0),
        line("民族", 140, 220, 1),
        line("汉族", 280, 360, 1),
        line("出生日期", 580, 740, 1),
        line("1990年01月02日", 780, 1060, 1),
    ]
    grid = find_grid(grid_image(), page(lines))
    assert grid is not None and len(grid.cells) == 8
    values = grid_values(grid, lines, LABELS)
    assert values == {"name": "张伟", "sex": "男", "nation": "汉族", "birthday": "1990年01月02日"}


def test_value_beside_a_caption_it_resembles_is_a_value() -> None:
    lines = [line("民族", 140, 220, 1), line("汉族", 280, 360, 1), line("姓名", 140, 220, 0),
             line("出生日期", 580, 740, 1), line("1990年01月02日", 780, 1060, 1)]
    grid = find_grid(grid_image(), page(lines))
    assert grid is not None
    assert grid_values(grid, lines, LABELS)["nation"] == "汉族"  # 汉族 is one character from 民族


def test_template_places_values_whose_captions_are_unreadable() -> None:
    lines = [
        line("#", 140, 170, 0, 0.2),  # 姓名 unreadable
        line("张伟", 280, 360, 0),
        line("性别", 580, 660, 0),
        line("男", 780, 820, 0),
        line("%%", 140, 220, 1, 0.3),  # 民族 unreadable
        line("汉族", 280, 360, 1),
        line("出生日期", 580, 740, 1),
    ]
    grid = find_grid(grid_image(), page(lines))
    assert grid is not None
    values = grid_values(grid, lines, LABELS, TEMPLATE)
    assert (values["name"], values["sex"], values["nation"], values["birthday"]) == ("张伟", "男", "汉族", "")
    # without the template the unreadable captions' values stay unknown
    assert "name" not in grid_values(grid, lines, LABELS)


def test_template_not_used_when_a_read_caption_contradicts_it() -> None:
    lines = [line("#", 140, 170, 0, 0.2), line("张伟", 280, 360, 0), line("民族", 580, 660, 0),
             line("汉族", 780, 860, 0), line("出生日期", 580, 740, 1), line("1990年01月02日", 780, 1060, 1)]
    grid = find_grid(grid_image(), page(lines))
    assert grid is not None
    assert "name" not in grid_values(grid, lines, LABELS, TEMPLATE)


def test_seal_ink_far_right_in_an_empty_cell_is_no_value() -> None:
    lines = [line("姓名", 140, 220, 0), line("派出所", 440, 540, 0), line("性别", 580, 660, 0),
             line("出生日期", 580, 740, 1), line("1990年01月02日", 780, 1060, 1)]
    grid = find_grid(grid_image(), page(lines))
    assert grid is not None
    assert grid_values(grid, lines, LABELS)["name"] == ""


def test_no_grid_on_a_page_without_rules() -> None:
    blank = np.full((400, 1200, 3), 245, dtype=np.uint8)
    assert find_grid(blank, page([line("姓名", 140, 220, 0), line("张伟", 280, 360, 0)])) is None


def test_blood_and_household_types() -> None:
    assert household_values.blood_type("0") == "O"
    assert household_values.blood_type("A8") == "AB"
    assert household_values.blood_type("不明") == "不明"
    assert household_values.household_type("象庭户") == "家庭户"
    assert household_values.household_type("体户") == "集体户"
    assert household_values.household_type("集体户") == "集体户"
    assert household_values.household_type("居民家庭户") == "居民家庭户"


def test_cells_either_side_of_a_thick_rule_share_a_row() -> None:
    from certscan.cards.table import Grid
    # a sharp photo of a large page: a rule 7 px wide between 45 px rows (the mask widens it further)
    label = Cell(1, 900.0, 628.0, 1035.0, 673.0)
    value = Cell(2, 1042.0, 628.0, 1286.0, 673.0)
    below = Cell(3, 1042.0, 680.0, 1286.0, 725.0)
    far = Cell(4, 1296.0, 628.0, 1500.0, 673.0)
    grid = Grid([label, value, below, far], np.zeros((10, 10), np.int32))
    assert grid.right_of(label) is value
    assert grid.right_of(value) is far  # 10 px: still the next cell, its rule drawn thick
    assert grid.right_of(below) is None


def test_template_places_the_value_of_a_row_whose_caption_cell_is_covered() -> None:
    image = grid_image()
    # a sticker over the second row's caption cell: its left and bottom rules are gone with it
    image[184:266, 90:250] = 245
    lines = [
        line("姓名", 140, 220, 0), line("张伟", 280, 360, 0),
        line("性别", 580, 660, 0), line("男", 780, 820, 0),
        line("汉族", 280, 360, 1), line("出生日期", 580, 740, 1), line("1990年01月02日", 780, 1060, 1),
    ]
    grid = find_grid(image, page(lines))
    assert grid is not None and len(grid.cells) == 7
    assert grid_values(grid, lines, LABELS, TEMPLATE)["nation"] == "汉族"
    assert "nation" not in grid_values(grid, lines, LABELS)


def nation_value_cell(image: np.ndarray) -> tuple[list[Line], Cell]:
    """The page's lines (民族 and 出生日期 captions) and the grid cell right of 民族 (the value's)."""
    lines = [line("民族", 140, 220, 1), line("出生日期", 580, 740, 1)]
    grid = find_grid(image, page(lines))
    assert grid is not None
    value = grid.right_of(next(c for c in grid.cells if c.x0 < 120 and c.y0 > 170))
    assert value is not None
    return lines, value


def test_a_cell_crop_is_trimmed_to_its_black_ink() -> None:
    from certscan.cards.table import cell_crops
    image = grid_image()
    cv2.putText(image, "AB", (290, 240), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (20, 20, 20), 3)  # value, left
    cv2.circle(image, (480, 220), 30, (220, 40, 40), 4)  # a red seal over the cell's right half
    lines, value = nation_value_cell(image)
    (crop,) = cell_crops(image, page(lines), [value])
    assert crop is not None and crop.shape[1] < 0.5 * (value.x1 - value.x0)


def test_height_keeps_its_unit() -> None:
    assert household_values.height("1820m") == "182cm"
    assert household_values.height("175") == "175"
    assert household_values.height("175cm") == "175cm"
    assert household_values.blood_type("l0") == "O"


def test_a_caption_cell_read_with_one_wrong_character_is_all_caption() -> None:
    # 姓荐 is 姓名 misread, not 姓 followed by the value 荐: the value is the next cell's
    assert LABELS.match_start("姓荐") == ("name", "姓名", 2)
    lines = [line("姓荐", 140, 220, 0), line("张伟", 280, 360, 0), line("性别", 580, 660, 0),
             line("男", 780, 820, 0), line("民族", 140, 220, 1), line("汉族", 280, 360, 1)]
    grid = find_grid(grid_image(), page(lines))
    assert grid is not None
    assert grid_values(grid, lines, LABELS)["name"] == "张伟"


def test_a_row_anchored_by_a_read_caption_places_its_unread_caption_value() -> None:
    image = grid_image()
    image[104:176, 555:566] = 245  # the first row lost a rule: three cells, the table no longer the form's
    lines = [
        line("姓名", 140, 220, 0), line("张伟", 280, 360, 0), line("男", 780, 820, 0),
        line("%%", 140, 220, 1, 0.3),  # 民族 unreadable
        line("汉族", 280, 360, 1), line("出生日期", 580, 740, 1), line("1990年01月02日", 780, 1060, 1),
    ]
    grid = find_grid(image, page(lines))
    assert grid is not None and [len(row) for row in grid.rows()] == [3, 4]
    values = grid_values(grid, lines, LABELS, TEMPLATE)
    assert values["nation"] == "汉族" and values["name"] == "张伟"
    assert "sex" not in values  # the broken row is not placed by position
    assert "nation" not in grid_values(grid, lines, LABELS)


def test_a_row_whose_caption_says_another_row_is_not_placed_by_position() -> None:
    labels = LabelSet({"name": ["姓名"], "sex": ["性别"], "nation": ["民族"], "birthday": ["出生日期"],
                       "height": ["身高"], "blood": ["血型"], "job": ["服务处所"], "hometown": ["籍贯"]})
    template = (("name", "sex"), ("nation", "birthday"), ("height", "blood"), ("job",), ("hometown",))
    rows = (100, 180, 260, 340, 420, 500)
    image = np.full((600, 1200, 3), 245, dtype=np.uint8)
    for y in rows:
        cv2.line(image, (COLUMNS[0], y), (COLUMNS[-1], y), (20, 20, 20), 2)
    for x in COLUMNS:
        cv2.line(image, (x, rows[0]), (x, rows[3]), (20, 20, 20), 2)
    for x in (COLUMNS[0], COLUMNS[1], COLUMNS[-1]):  # the fourth row lost its caption's rule: one cell
        cv2.line(image, (x, rows[4] if x == COLUMNS[1] else rows[3]), (x, rows[-1]), (20, 20, 20), 2)
    texts = [("姓名", "张伟", "性别", "男"), ("民族", "汉族", "出生日期", "1990年01月02日"),
             ("身高", "175", "血型", "A"), ("#", "北京恒通"), ("籍贯", "河北省保定市")]

    def at(text: str, x0: float, row: int) -> Line:
        box = np.array([[x0, rows[row] + 20], [x0 + 40 * len(text), rows[row] + 20],
                        [x0 + 40 * len(text), rows[row] + 60], [x0, rows[row] + 60]], dtype=np.float32)
        return Line(text=text, box=box, confidence=0.95)

    lines = [at(t, x + 20, r) for r, row in enumerate(texts) for t, x in zip(row, COLUMNS, strict=False)]
    grid = find_grid(image, Page(width=1200, height=600, lines=lines))
    assert grid is not None and [len(row) for row in grid.rows()] == [4, 4, 4, 1, 2]
    values = grid_values(grid, lines, labels, template)
    assert values["hometown"] == "河北省保定市"
    assert "job" not in values  # not the hometown row's value, placed where the lost row would be


def test_a_rule_lost_across_one_column_is_cut_where_the_next_column_has_it() -> None:
    image = grid_image()
    image[176:185, 262:558] = 245  # the rule between the rows gone over the first value column only
    lines = [line("姓名", 140, 220, 0), line("张伟", 280, 360, 0), line("性别", 580, 660, 0),
             line("男", 780, 820, 0), line("民族", 140, 220, 1), line("汉族", 280, 360, 1),
             line("出生日期", 580, 740, 1), line("1990年01月02日", 780, 1060, 1)]
    grid = find_grid(image, page(lines))
    assert grid is not None and len(grid.cells) == 8
    values = grid_values(grid, lines, LABELS, TEMPLATE)
    assert values["name"] == "张伟" and values["nation"] == "汉族"


def test_a_loose_caption_the_form_places_elsewhere_gives_no_value() -> None:
    labels = LabelSet({**{k: [v] for k, v in (("name", "姓名"), ("sex", "性别"), ("nation", "民族"),
                                              ("birthday", "出生日期"))}, "blood": ["血型"]})
    # the name 诗型 is one character from the caption 血型: read loosely, the garbage read of the caption
    # beside it (性别) became the blood type; the form says the cell is the name's value
    lines = [line("#", 140, 170, 0, 0.2), line("诗型", 280, 360, 0), line("PIASPIEE", 580, 700, 0),
             line("男", 780, 820, 0), line("民族", 140, 220, 1), line("汉族", 280, 360, 1),
             line("出生日期", 580, 740, 1), line("1990年01月02日", 780, 1060, 1)]
    grid = find_grid(grid_image(), page(lines))
    assert grid is not None
    assert grid_values(grid, lines, labels)["blood"] == "PIASPIEE"
    values = grid_values(grid, lines, labels, TEMPLATE)
    assert "blood" not in values and (values["name"], values["sex"]) == ("诗型", "男")


def test_a_crop_without_red_lightens_the_seal() -> None:
    from certscan.cards.table import cell_crops
    image = grid_image()
    cv2.putText(image, "AB", (290, 240), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (20, 20, 20), 3)
    cv2.line(image, (300, 200), (360, 250), (200, 30, 30), 3)  # a seal's red stroke across the print
    lines, value = nation_value_cell(image)
    (rgb,) = cell_crops(image, page(lines), [value])
    (grey,) = cell_crops(image, page(lines), [value], without_red=True)
    assert rgb is not None and grey is not None and rgb.shape == grey.shape
    red = (rgb[..., 0] > 150) & (rgb[..., 1] < 80)
    assert red.any() and grey[red].min() > 150 and grey.min() < 60  # the seal light, the print dark


def test_a_value_filling_its_cell_taken_for_a_rule_leaves_the_cell_whole() -> None:
    # a long value across its cell's width, blurred, looks like a horizontal rule through its middle:
    # the cell comes out as two, one above the other, their shared edge through the line's middle
    image = grid_image()
    cv2.line(image, (COLUMNS[3], 220), (COLUMNS[4], 220), (20, 20, 20), 3)
    lines = [line("姓名", 140, 220, 0), line("张伟", 280, 360, 0), line("性别", 580, 660, 0),
             line("男", 780, 820, 0), line("民族", 140, 220, 1), line("汉族", 280, 360, 1),
             line("出生日期", 580, 740, 1), line("1990年01月02日", 765, 1095, 1)]
    grid = find_grid(image, page(lines))
    assert grid is not None and len(grid.cells) == 8
    assert grid_values(grid, lines, LABELS)["birthday"] == "1990年01月02日"
    # a rule between two rows' lines is a rule: the cells stay apart
    ruled = grid_image()
    cv2.line(ruled, (COLUMNS[3], 220), (COLUMNS[4], 220), (20, 20, 20), 3)
    apart = [*lines[:-1], line("1990年", 780, 900, 1)]
    apart[-1].box[:, 1] += np.array([-25, -25, -25, -25], dtype=np.float32)  # above the rule
    grid = find_grid(ruled, page(apart))
    assert grid is not None and len(grid.cells) == 9
    # nor does a speck (a seal's stray character) read across a real rule
    speck = line("A", 800, 830, 1)  # centred on the rule at y 220
    grid = find_grid(ruled, page([*lines[:-1], line("1990年", 780, 900, 1), speck]))
    assert grid is not None and len(grid.cells) == 9
