import numpy as np

from certscan.cards.ink import drop_red_lines, redness
from certscan.ocr.types import Line, Page


def _line(text: str, x0: int, y0: int, x1: int, y1: int) -> Line:
    box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.9)


def test_red_seal_text_is_told_from_black_print_also_on_a_turned_photo() -> None:
    image = np.full((200, 400, 3), 235, dtype=np.uint8)
    image[20:50, 20:200:3] = (20, 20, 20)  # black strokes
    image[120:150, 220:380:3] = (210, 40, 45)  # red strokes
    black, red = _line("黑字", 20, 20, 200, 50), _line("印章", 220, 120, 380, 150)
    page = Page(width=400, height=200, lines=[black, red])
    assert redness(image, page, black) < 10 and redness(image, page, red) > 100
    assert [ln.text for ln in drop_red_lines(image, page).lines] == ["黑字"]
    # the same card photographed upside down: the page's lines are upright, the image is not
    turned = np.ascontiguousarray(image[::-1, ::-1])
    half_turn = np.array([[-1, 0, 399], [0, -1, 199]], dtype=np.float32)  # page → turned image pixels
    page180 = Page(width=400, height=200, lines=[black, red], angle=180.0, to_image=half_turn)
    assert [ln.text for ln in drop_red_lines(turned, page180).lines] == ["黑字"]


def test_a_warm_colour_cast_over_the_whole_photo_removes_nothing() -> None:
    image = np.full((200, 400, 3), (250, 200, 190), dtype=np.uint8)
    lines = []
    for i in range(4):
        image[20 + 40 * i : 40 + 40 * i, 20:300:3] = (120, 60, 55)  # grey print turned reddish
        lines.append(_line(f"字{i}", 20, 20 + 40 * i, 300, 40 + 40 * i))
    page = Page(width=400, height=200, lines=lines)
    assert len(drop_red_lines(image, page).lines) == 4
