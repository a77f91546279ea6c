"""Task ids, the QPS window and body validation on their own."""

from __future__ import annotations

import json

import pytest

from certscan.api.policy import QpsLimiter, new_task_id, submitted_at
from certscan.api.validation import RejectedTask, TaskSpec, parse_results_request, parse_scan_request
from certscan.errors import BadRequest


def test_task_ids_are_random_and_carry_their_time() -> None:
    ids = {new_task_id(1_800_000_000.123) for _ in range(1000)}
    assert len(ids) == 1000
    some = next(iter(ids))
    assert submitted_at(some) == pytest.approx(1_800_000_000.123, abs=0.001)
    random_part = some[len("img") + 11 + 1:]
    assert len(random_part) * 6 >= 128  # url-safe base64: 6 bits per character
    assert submitted_at("img5A@k7a@B4q@6K@d9nfKgOs-1s****") is None
    assert submitted_at(some + "x") is None


def test_qps_window_slides_and_does_not_count_refusals() -> None:
    limiter = QpsLimiter()
    assert all(limiter.allow("u", "op", 10, 100.0 + i * 0.01) for i in range(10))
    assert not limiter.allow("u", "op", 10, 100.5)
    assert limiter.allow("u", "other-op", 10, 100.5)
    assert limiter.allow("v", "op", 10, 100.5)
    assert not limiter.allow("u", "op", 10, 100.99)
    assert limiter.allow("u", "op", 10, 101.0)  # the first call left the window


def body(**fields: object) -> bytes:
    base: dict[str, object] = {"scenes": ["ocr"], "extras": {"card": "passport"},
                               "tasks": [{"dataId": "a", "url": "https://example.com/a.jpg"}]}
    base.update(fields)
    return json.dumps(base).encode()


def test_valid_request_parses_with_defaults() -> None:
    options, items = parse_scan_request(body(callback="https://example.com/cb", seed="s_1"))
    assert options.card == "passport" and options.crypt_type == "SHA256"
    assert items == [TaskSpec(url="https://example.com/a.jpg", data_id="a")]


def test_url_rules() -> None:
    tasks = [{"url": "HTTP://example.com/a"}, {"url": "http:///nohost"}, {"url": "http://a/b c"},
             {"url": "http://a/" + "x" * 2040}, {"url": "http://a/" + "x" * 2039}, {"url": ""}, {}]
    _, items = parse_scan_request(body(tasks=tasks))
    assert [isinstance(i, TaskSpec) for i in items] == [True, False, False, False, True, False, False]


def test_exactly_100_tasks_pass() -> None:
    _, items = parse_scan_request(body(tasks=[{"url": f"http://a/{i}"} for i in range(100)]))
    assert len(items) == 100 and all(isinstance(i, TaskSpec) for i in items)
    with pytest.raises(BadRequest):
        parse_scan_request(body(tasks=[{"url": f"http://a/{i}"} for i in range(101)]))


@pytest.mark.parametrize("fields", [{"scenes": ["ocr", "ocr"]}, {"extras": {}}, {"bizType": 3},
                                    {"seed": "x" * 65}, {"cryptType": "sha256"}, {"callback": "http://a"}])
def test_request_level_problems(fields: dict[str, object]) -> None:
    with pytest.raises(BadRequest):
        parse_scan_request(body(**fields))


def test_results_body() -> None:
    items = parse_results_request(b'["a", 1, "b"]')
    assert items[0] == "a" and isinstance(items[1], RejectedTask) and items[2] == "b"
    for bad in (b'"a"', b"[]", b"\xff"):
        with pytest.raises(BadRequest):
            parse_results_request(bad)
