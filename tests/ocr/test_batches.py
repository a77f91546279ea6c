"""Recogniser batch planning: PaddleOCR's grouping (and so the same reads), sliced to a width budget."""

from __future__ import annotations

from certscan.ocr.recognize import MIN_RATIO, REC_HEIGHT, plan_batches, width_for


def test_groups_sorted_by_width_and_padded_to_their_widest() -> None:
    ratios = [10.0, 2.0, 30.0, 5.0, 3.0]
    plan = plan_batches(ratios, batch_size=2, width_budget=10**9)
    assert [batch for _, batch in plan] == [[1, 4], [3, 0], [2]]
    assert [width for width, _ in plan] == [width_for(3.0), width_for(10.0), width_for(30.0)]
    assert width_for(1.0) == width_for(MIN_RATIO) == REC_HEIGHT * MIN_RATIO


def test_wide_groups_are_sliced_within_the_budget_at_the_group_width() -> None:
    ratios = [float(r) for r in range(4, 20)]  # 16 lines, 192..912 px wide
    plan = plan_batches(ratios, batch_size=8, width_budget=1920)
    assert sorted(i for _, batch in plan for i in batch) == list(range(16))
    for width, batch in plan:
        assert len(batch) == 1 or len(batch) * width <= 1920
    # Every line of the second group of 8 is padded to that group's widest line, whatever its slice.
    assert {width for width, batch in plan if batch[0] >= 8} == {width_for(19.0)}
    # Narrow lines still go 8 to a call when they fit the budget.
    assert len(plan_batches([4.0] * 8, batch_size=8, width_budget=1920)[0][1]) == 8
