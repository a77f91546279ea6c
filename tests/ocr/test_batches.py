"""Recogniser batch planning: runs of lines sorted by width, cut where padding costs least, sliced to a
width budget."""

from __future__ import annotations

import random

from certscan.ocr.recognize import CALL_COST_COLUMNS, MIN_RATIO, REC_HEIGHT, plan_batches, width_for


def _padded(plan: list[tuple[int, list[int]]]) -> int:
    return sum(width * len(batch) for width, batch in plan)


def _fixed_groups(ratios: list[float], batch_size: int) -> list[tuple[int, list[int]]]:
    """PaddleOCR's grouping: ``batch_size`` lines at a time in width order, each padded to its widest."""
    order = sorted(range(len(ratios)), key=lambda i: ratios[i])
    groups = [order[k:k + batch_size] for k in range(0, len(order), batch_size)]
    return [(width_for(max(ratios[i] for i in group)), group) for group in groups]


def test_every_line_once_in_a_run_at_least_as_wide_as_it() -> None:
    ratios = [10.0, 2.0, 30.0, 5.0, 3.0]
    plan = plan_batches(ratios, batch_size=2, width_budget=10**9)
    assert sorted(i for _, batch in plan for i in batch) == list(range(len(ratios)))
    for width, batch in plan:
        assert len(batch) <= 2
        assert all(width >= width_for(ratios[i]) for i in batch)
    assert width_for(1.0) == width_for(MIN_RATIO) == REC_HEIGHT * MIN_RATIO


def test_a_wide_line_is_not_padded_with_the_labels() -> None:
    # a passport's MRZ row among short captions: PaddleOCR's group of 8 padded all eight to the MRZ
    ratios = [2.0, 3.0, 2.5, 4.0, 5.0, 3.0, 2.0, 28.0]
    plan = plan_batches(ratios, batch_size=8, width_budget=10**9)
    assert (width_for(28.0), [7]) in plan
    assert max(width for width, batch in plan if 7 not in batch) == width_for(5.0)
    assert _padded(plan) < _padded(_fixed_groups(ratios, 8)) / 3


def test_lines_of_one_width_share_a_call() -> None:
    plan = plan_batches([4.0] * 8, batch_size=8, width_budget=1920)
    assert len(plan) == 1 and len(plan[0][1]) == 8


def test_never_more_padding_and_calls_than_fixed_groups() -> None:
    rng = random.Random(5)
    for _ in range(200):
        count = rng.randint(1, 40)
        ratios = [rng.choice([rng.uniform(0.5, 6.0), rng.uniform(6.0, 30.0)]) for _ in range(count)]
        plan = plan_batches(ratios, batch_size=8, width_budget=10**9)
        fixed = _fixed_groups(ratios, 8)
        assert (_padded(plan) + CALL_COST_COLUMNS * len(plan)
                <= _padded(fixed) + CALL_COST_COLUMNS * len(fixed))


def test_wide_runs_are_sliced_within_the_budget_at_the_run_width() -> None:
    ratios = [float(r) for r in range(4, 20)]  # 16 lines, 192..912 px wide
    plan = plan_batches(ratios, batch_size=8, width_budget=1920)
    assert sorted(i for _, batch in plan for i in batch) == list(range(16))
    for width, batch in plan:
        assert len(batch) == 1 or len(batch) * width <= 1920
        assert all(width >= width_for(ratios[i]) for i in batch)
