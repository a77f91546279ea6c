"""The visual zone of a Chinese passport: a name's characters read again beside their pinyin."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from certscan.cards.passport import parse
from certscan.cards.passport_viz import characters_beside_pinyin
from certscan.ocr.types import CharCandidates, Page
from tests.cards.pages import line, scan


@dataclass
class _Read:
    text: str
    confidence: float = 0.9
    chars: list[CharCandidates] = field(default_factory=list)


def _reader(text: str) -> Callable[[Sequence[np.ndarray]], list[_Read]]:
    def read(quads: Sequence[np.ndarray]) -> list[_Read]:
        return [_Read(text) for _ in quads]
    return read


def test_a_lone_yi_read_as_dashes_beside_its_pinyin_is_yi() -> None:
    # 邓一: the given name's one stroke was not boxed; read again with its pinyin it comes as two dashes
    surname = line("邓DENG", 551, 542, 702, 587)
    page = Page(width=1200, height=900, lines=[surname, line("YI", 599, 607, 652, 647)])
    assert characters_beside_pinyin(page, "YI", 551.0, _reader("——YI")) == "一"
    # without the syllable YI a dash is no character
    page = Page(width=1200, height=900, lines=[surname, line("BO", 599, 607, 652, 647)])
    assert characters_beside_pinyin(page, "BO", 551.0, _reader("——BO")) == ""


def test_a_caption_row_that_lost_its_slash_is_no_given_name() -> None:
    from certscan.cards.passport import parse
    from tests.cards.pages import scan

    # the given name's row merged with its caption (名/Given names): the caption under it, its slash
    # lost, in mixed case, was taken for the given name (唐出生扫期 for 唐睿涛)
    lines = [
        line("姓/Surname", 400, 100, 520, 125), line("周ZHOU", 400, 130, 520, 160),
        line("丹洁", 400, 175, 450, 200), line("名/Given names", 400, 170, 560, 192),
        line("DANJIE", 440, 177, 560, 199),
        line("出生扫期Date of birth", 400, 215, 600, 238),
        line("P<CHNZHOU<<DANJIE".ljust(44, "<"), 50, 560, 950, 590),
        line("E123456782CHN8505028F2708045<<<<<<<<<<<<<<04", 50, 610, 950, 640),
    ]
    f = parse(scan("passport", lines)).fields
    assert f["givenName"] == "DANJIE" and "出生" not in f["cnName"]


def test_a_caption_stacked_over_a_tilted_name_row_is_not_read_as_part_of_it() -> None:
    line0 = "P<CHNHU<<YU".ljust(44, "<")
    line1 = "E123456782CHN8001014M3001019<<<<<<<<<<<<<<08"
    lines = [line("姓/Surname", 205, 896, 300, 920), line("胡HU", 201, 906, 264, 933),  # half a line under it
             line("名/Given names", 202, 928, 320, 950), line("宇YU", 197, 952, 258, 979),
             line(line0, 50, 1100, 950, 1130), line(line1, 50, 1140, 950, 1170)]
    f = parse(scan("passport", lines)).fields
    assert (f["cnName"], f["surname"], f["givenName"]) == ("胡宇", "HU", "YU")


def test_a_province_read_wholly_in_chinese_settles_a_latin_read_half_off() -> None:
    from certscan.cards.passport_viz import _province

    assert _province("江西 JANGO") == ("江西", "JIANGXI")  # three letters off JIANGXI
    assert _province("江西 SHAANXI") == ("江西", "SHAANXI")  # the Latin names another province: kept
    assert _province("江西 QWERTZU") == ("江西", "QWERTZU")  # more than half off
