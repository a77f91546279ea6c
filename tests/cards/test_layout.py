from __future__ import annotations

import random

import numpy as np

from certscan.cards.layout import find_label, group_rows, lines_below, match_label, value_right_of
from certscan.ocr.types import Line, Page


def line(text: str, x0: float, y0: float, x1: float, y1: float) -> Line:
    box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
    return Line(text=text, box=box, confidence=0.99)


def test_match_label_exact_fuzzy_and_none() -> None:
    assert match_label("姓名徐乐", "姓名") == 2
    assert match_label("娃名徐乐", "姓名") == 2  # one misread label char
    assert match_label("性别男", "姓名") is None
    assert match_label("号码公民身份号码1", "公民身份号码", 0) is None
    assert match_label("号码公民身份号码1", "公民身份号码", 0, anywhere=True) == 8


def test_value_right_of_merged_and_separate() -> None:
    merged = Page(width=100, height=100, lines=[line("姓名徐乐", 10, 10, 60, 20)])
    assert value_right_of(merged, "姓名") == "徐乐"
    split = Page(width=100, height=100, lines=[line("姓名", 10, 10, 30, 20), line("张三", 40, 11, 60, 21),
                                               line("性别", 10, 30, 30, 40)])
    assert value_right_of(split, "姓名") == "张三"
    row = Page(width=100, height=100, lines=[line("性别男民族汉", 10, 10, 90, 20)])
    assert value_right_of(row, "性别", stop_labels=["民族"]) == "男"
    assert value_right_of(row, "民族", max_errors=0) == ""  # not at the start of a line


def test_lines_below_stops_at_next_label() -> None:
    lines = [line("住址安徽省宿州市", 10, 50, 90, 60), line("埇桥区朱仙庄镇", 25, 62, 80, 72),
             line("公民身份号码", 10, 90, 50, 100)]
    page = Page(width=100, height=120, lines=lines)
    hit = find_label(page, "住址")
    assert hit is not None and hit.rest == "安徽省宿州市"
    assert [ln.text for ln in lines_below(page, hit.line, stop_labels=["公民身份号码"])] == ["埇桥区朱仙庄镇"]


def test_group_rows() -> None:
    lines = [line("b", 50, 10, 60, 20), line("a", 10, 11, 20, 21), line("c", 10, 40, 20, 50)]
    assert [[ln.text for ln in row] for row in group_rows(lines)] == [["a", "b"], ["c"]]


def _match_label_full(s: str, label: str, k: int) -> int | None:
    """The prefix match computed over the whole text (no shortcut), as the reference."""
    n, m = len(label), len(s)
    if n == 0 or m == 0:
        return None
    prev = list(range(m + 1))
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        for j in range(1, m + 1):
            cur[j] = min(prev[j - 1] + (label[i - 1] != s[j - 1]), prev[j] + 1, cur[j - 1] + 1)
        prev = cur
    best_end, best_cost = None, k + 1
    for j in range(1, m + 1):
        if prev[j] < best_cost:
            best_end, best_cost = j, prev[j]
    return None if best_end is None or best_cost >= n else best_end


def test_match_label_prefix_shortcut_agrees_with_the_whole_text_match() -> None:
    rng = random.Random(6100)
    alphabet = "注册资本号名称住所法定代表人经营范围成立日期"
    for _ in range(3000):
        label = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7)))
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
        if rng.random() < 0.5:
            text = label[: rng.randint(0, len(label))] + text  # near-prefix cases
        for k in (0, 1, 2):
            assert match_label(text, label, k) == _match_label_full(text, label, k), (text, label, k)
