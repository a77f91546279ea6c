"""The delivery loop on a real store (SQLite and PostgreSQL) with real receivers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from certscan.api.envelope import task_element
from certscan.callbacks import verify
from certscan.callbacks.dispatcher import CallbackDispatcher
from certscan.callbacks.payload import dumps, element_json
from certscan.settings import Settings
from certscan.store import Delivery, NewTask, Store
from certscan.store.schema import DELIVERY_DELIVERED, DELIVERY_GIVEN_UP
from tests.callbacks.receiver import Receiver

UID = "1234567890"
RESULT = {"scene": "ocr", "label": "ocr", "suggestion": "review", "rate": 99.1,
          "idCardInfo": {"name": "张三", "number": "11010519491231002X"}}


def fast_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = dict(fetch_allow="127.0.0.0/8", callback_backoff_base_seconds=0.01,
                                  callback_backoff_max_seconds=0.04, callback_timeout_seconds=2.0,
                                  callback_poll_seconds=0.02)
    values.update(overrides)
    return Settings(**values)


def finish_task(store: Store, task_id: str, callback: str, crypt_type: str = "SHA256",
                result: dict[str, Any] | None = RESULT) -> None:
    store.tasks.add([NewTask(task_id=task_id, uid=UID, request_id="r1", url="http://img.example/1.jpg",
                             card="id-card-front", data_id="d-" + task_id, extras={"card": "id-card-front"},
                             callback=callback, seed="seed_1", crypt_type=crypt_type)], now=time.time())
    if result is None:
        store.tasks.finish(task_id, 586, "recognition failed", None, now=time.time())
    else:
        store.tasks.finish(task_id, 200, "OK", result, now=time.time())


def run_until(store: Store, settings: Settings, done: Callable[[], bool], timeout: float = 20.0,
              dispatcher: CallbackDispatcher | None = None) -> float:
    """Run a dispatcher until ``done()``; returns the seconds it took."""
    dispatcher = dispatcher or CallbackDispatcher(store, settings)

    async def go() -> float:
        started = time.monotonic()
        runner = asyncio.create_task(dispatcher.run())
        try:
            while not done():
                if time.monotonic() - started > timeout:
                    raise AssertionError("deliveries did not settle in time")
                await asyncio.sleep(0.02)
            return time.monotonic() - started
        finally:
            await dispatcher.stop()
            await runner

    return asyncio.run(go())


def settled(store: Store, *task_ids: str) -> Callable[[], bool]:
    def check() -> bool:
        rows = [store.deliveries.get(t) for t in task_ids]
        return all(r is not None and r.status in (DELIVERY_DELIVERED, DELIVERY_GIVEN_UP) for r in rows)

    return check


def delivery(store: Store, task_id: str) -> Delivery:
    found = store.deliveries.get(task_id)
    assert found is not None
    return found


@pytest.mark.parametrize("crypt", ["SHA256", "SM3"])
def test_delivered_content_is_the_poll_element_and_checksum_verifies(store: Store, crypt: str) -> None:
    receiver = Receiver().start()
    try:
        finish_task(store, "t1", receiver.url, crypt)
        run_until(store, fast_settings(), settled(store, "t1"))
    finally:
        receiver.stop()
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got.content_type == "application/x-www-form-urlencoded"
    assert verify(got.form, UID, "seed_1", crypt)
    assert not verify(got.form, UID, "seed_2", crypt)
    row = store.tasks.get("t1")
    assert row is not None
    assert got.form["content"] == element_json(row) == dumps(task_element(row))
    element = json.loads(got.form["content"])
    assert element["taskId"] == "t1" and element["dataId"] == "d-t1" and element["code"] == 200
    assert element["results"] == [RESULT]
    assert "张三" in got.form["content"]  # UTF-8 text, not \\u escapes, as the poll's JSON
    assert delivery(store, "t1").status == DELIVERY_DELIVERED and delivery(store, "t1").attempts == 1


def test_failed_task_is_delivered_too(store: Store) -> None:
    receiver = Receiver().start()
    try:
        finish_task(store, "t1", receiver.url, result=None)
        run_until(store, fast_settings(), settled(store, "t1"))
    finally:
        receiver.stop()
    element = json.loads(receiver.received[0].form["content"])
    assert element["code"] == 586 and "results" not in element


def test_three_500s_then_200_is_one_delivery_after_four_attempts(store: Store) -> None:
    receiver = Receiver(statuses=[500, 500, 500, 200]).start()
    try:
        finish_task(store, "t1", receiver.url)
        run_until(store, fast_settings(), settled(store, "t1"))
        time.sleep(0.3)  # nothing more may arrive after the success
    finally:
        receiver.stop()
    assert [r.status for r in receiver.received] == [500, 500, 500, 200]
    assert delivery(store, "t1").status == DELIVERY_DELIVERED
    assert delivery(store, "t1").attempts == 4
    gaps = [b.at - a.at for a, b in zip(receiver.received, receiver.received[1:], strict=False)]
    assert all(gap >= 0.005 for gap in gaps)  # back-off between attempts (base 0.01 s, equal jitter)


def test_never_200_gives_up_after_16_attempts_and_task_stays_pollable(store: Store) -> None:
    receiver = Receiver(statuses=[503]).start()
    try:
        finish_task(store, "t1", receiver.url)
        run_until(store, fast_settings(), settled(store, "t1"))
        time.sleep(0.3)
    finally:
        receiver.stop()
    assert len(receiver.received) == 16
    final = delivery(store, "t1")
    assert final.status == DELIVERY_GIVEN_UP and final.attempts == 16 and final.last_error == "HTTP 503"
    polled = store.tasks.get_many(["t1"], UID)
    assert polled["t1"].result == RESULT


@pytest.mark.slow
def test_slow_receiver_does_not_block_others(store: Store) -> None:
    slow = Receiver(delay=5.0).start()
    fast = Receiver().start()
    settled_at: dict[str, float] = {}
    started = time.monotonic()

    def both_settled() -> bool:
        for task_id in ("slow", "fast"):
            if task_id not in settled_at and settled(store, task_id)():
                settled_at[task_id] = time.monotonic() - started
        return len(settled_at) == 2

    try:
        finish_task(store, "slow", slow.url)  # claimed first: it is older
        finish_task(store, "fast", fast.url)
        run_until(store, fast_settings(callback_timeout_seconds=1.5, callback_attempts=1), both_settled)
    finally:
        slow.stop()
        fast.stop()
    # Behind the slow one it would have waited out the 1.5 s attempt timeout; the bound is that, not a
    # speed (2 shared cores under load take a second to start a delivery at times).
    assert settled_at["fast"] < 1.5, f"fast receiver waited {settled_at['fast']:.2f} s behind the slow one"
    assert 1.5 <= settled_at["slow"] < 4.0  # the per-attempt timeout, not the receiver's 5 s
    assert delivery(store, "fast").status == DELIVERY_DELIVERED
    slow_row = delivery(store, "slow")
    assert slow_row.status == DELIVERY_GIVEN_UP and slow_row.last_error == "no answer within 1.5 s"


def test_one_slow_receiver_cannot_take_every_slot(store: Store) -> None:
    """Eight deliveries to a slow receiver and 4 slots in all: the fast receiver's delivery, submitted
    last, still goes out at once, because one receiver gets at most 2 of the 4 slots."""
    slow = Receiver(delay=3.0).start()
    fast = Receiver().start()
    try:
        for i in range(8):
            finish_task(store, f"slow{i}", slow.url)
        finish_task(store, "fast", fast.url)
        settings = fast_settings(callback_concurrency=4, callback_host_concurrency=2,
                                 callback_timeout_seconds=1.5, callback_attempts=1)
        took = run_until(store, settings, settled(store, "fast"))
        assert took < 1.5, f"the fast receiver waited {took:.2f} s behind the slow one"  # the timeout
        assert len(slow.received) <= 2  # never more than its share at once
    finally:
        slow.stop()
        fast.stop()
    rows = [delivery(store, f"slow{i}") for i in range(8)]
    # Deliveries postponed for the slow receiver's share were not counted as attempts.
    assert sum(r.attempts for r in rows) <= 2
    assert any(r.status == "pending" and r.attempts == 0 for r in rows)


def test_loopback_receiver_refused_under_default_settings(store: Store) -> None:
    receiver = Receiver().start()
    try:
        finish_task(store, "t1", receiver.url)
        run_until(store, fast_settings(fetch_allow=""), settled(store, "t1"))
    finally:
        receiver.stop()
    assert receiver.received == []
    final = delivery(store, "t1")
    assert final.status == DELIVERY_GIVEN_UP and final.attempts == 1
    assert final.last_error is not None and final.last_error.startswith("url not allowed")


def test_on_task_finished_wakes_the_loop(store: Store) -> None:
    receiver = Receiver().start()
    settings = fast_settings(callback_poll_seconds=30.0)
    dispatcher = CallbackDispatcher(store, settings)

    async def go() -> float:
        runner = asyncio.create_task(dispatcher.run())
        await asyncio.sleep(0.2)  # the loop has polled once and now sleeps for 30 s
        finish_task(store, "t1", receiver.url)
        started = time.monotonic()
        await asyncio.to_thread(dispatcher.on_task_finished, store.tasks.get("t1"))  # from another thread
        while not settled(store, "t1")():
            await asyncio.sleep(0.01)
        took = time.monotonic() - started
        await dispatcher.stop()
        await runner
        return took

    try:
        assert asyncio.run(go()) < 2.0
    finally:
        receiver.stop()
    assert delivery(store, "t1").status == DELIVERY_DELIVERED
