"""经营范围's full stop that wrapped onto the start of a line is read back (scripted recogniser)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from certscan.cards.business_scope import pauses_read_as_stops, wrapped_marks
from certscan.cards.labelled import Piece
from certscan.ocr.types import CharCandidates, Line, Page


@dataclass
class Read:
    text: str
    confidence: float
    chars: list[CharCandidates] = field(default_factory=list)


def read(text: str, first_prob: float = 0.98) -> Read:
    chars = [CharCandidates(chars=(c,), probs=(first_prob if i == 0 else 0.99,)) for i, c in enumerate(text)]
    return Read(text, 0.97, chars)


class Engine:
    def __init__(self, *reads: Read) -> None:
        self.reads = list(reads)
        self.crops: list[np.ndarray] = []

    def recognize(self, crops: Sequence[np.ndarray]) -> list[Read]:
        self.crops.extend(crops)
        return self.reads[: len(crops)]


PAGE = Page(width=1200, height=600, lines=[])
IMAGE = np.full((600, 1200, 3), 250, dtype=np.uint8)


def scope(second_x0: float = 620) -> list[Piece]:
    """The caption's line, a full line ending without its 。, the formula indented by the lost mark."""
    return [
        Piece("经营范围物业管理;建筑装饰装修工程设计与施工", 450, 1070, 300, 330),
        Piece("(依法须经批准的项目,经相关部门批", second_x0, 1070, 340, 370),
        Piece("准后方可开展经营活动)", 600, 900, 380, 410),
    ]


def test_a_full_stop_wrapped_before_the_formula_is_read_back() -> None:
    engine = Engine(read("。(依法须经批准的项目,经相关部门批"))
    out = wrapped_marks(scope(), IMAGE, PAGE, engine)  # type: ignore[arg-type]
    assert out[1].text == "。(依法须经批准的项目,经相关部门批"
    assert [p.text for p in out[::2]] == [p.text for p in scope()[::2]]
    assert len(engine.crops) == 1 and engine.crops[0].shape[1] > 1070 - 620  # read from the column's edge


def test_no_reread_for_a_line_flush_with_the_column() -> None:
    engine = Engine()
    assert wrapped_marks(scope(second_x0=603), IMAGE, PAGE, engine) == scope(603)  # type: ignore[arg-type]
    assert not engine.crops


def test_a_mark_is_put_back_only_when_sure_and_in_front_of_the_same_text() -> None:
    for again in (read("。(依法须经批准", first_prob=0.3), read("。准后方可开展"), read("d(依法须经批准")):
        out = wrapped_marks(scope(), IMAGE, PAGE, Engine(again))  # type: ignore[arg-type]
        assert out[1].text == "(依法须经批准的项目,经相关部门批"


def _scope_line(text: str, stop_probs: tuple[float, float]) -> Line:
    stop = CharCandidates(chars=("。", "、"), probs=stop_probs)
    chars = [stop if c == "。" else CharCandidates(chars=(c,), probs=(0.99,)) for c in text]
    box = np.array([[600, 300], [1070, 300], [1070, 330], [600, 330]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.95, chars=chars)


def _paused(line: Line) -> str:
    return pauses_read_as_stops(Page(width=1200, height=600, lines=[line]), [line]).lines[0].text


def test_an_unsure_stop_between_two_characters_of_an_item_is_a_pause() -> None:
    unsure = (0.44, 0.19)
    assert _paused(_scope_line("广告设计。制作、代理；物业。", unsure)) == "广告设计、制作、代理；物业。"
    assert _paused(_scope_line("广告设计。制作", (0.9, 0.05))) == "广告设计。制作"  # a sure stop
    assert _paused(_scope_line("物业管理。(依法须经", unsure)) == "物业管理。(依法须经"  # before the formula
