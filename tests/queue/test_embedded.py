"""The embedded queue on its own: real store (both backends), real worker processes where it matters."""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import time
from pathlib import Path
from typing import Any

import pytest

from certscan.queue.embedded import EmbeddedQueue
from certscan.queue.metrics import ServiceMetrics
from certscan.queue.process import ScanOutcome, init_worker_process, scan_in_worker
from certscan.settings import Settings
from certscan.store import NewTask, Store


def crash_on_passport(data: bytes, card: str) -> ScanOutcome:
    """Runs in a worker process: a passport image takes the whole process down (a decoder segfault)."""
    if card == "passport":
        os._exit(3)
    return scan_in_worker(data, card)


async def fetch_junk(url: str, settings: Settings) -> bytes:
    await asyncio.sleep(0.01)
    return b"not an image: " + url.encode()


def settings_for(tmp_path: Path, **values: Any) -> Settings:
    base: dict[str, Any] = {"data_dir": tmp_path, "warm_up_workers": False, "purge_interval_seconds": 3600}
    base.update(values)
    return Settings(**base)


def submit(store: Store, *cards: str) -> list[str]:
    now = time.time()
    tasks = [NewTask(task_id=f"t{i}-{card}", uid="u", request_id="r", url=f"http://127.0.0.1/{i}",
                     card=card) for i, card in enumerate(cards)]
    store.tasks.add(tasks, now)
    return [t.task_id for t in tasks]


async def run_until_finished(queue: EmbeddedQueue, ids: list[str], timeout: float) -> None:
    await queue.start()
    try:
        queue.notify()
        await queue.wait_for(ids, "u", timeout)
    finally:
        await queue.stop()


def test_queue_runs_tasks_on_either_backend(store: Store, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, task_concurrency=3)
    finished: list[str] = []
    queue = EmbeddedQueue(store, settings, ServiceMetrics(store.tasks.counts), fetch=fetch_junk,
                          executor_factory=lambda: concurrent.futures.ThreadPoolExecutor(2),
                          on_finished=lambda row: finished.append(row.task_id))
    ids = submit(store, *["bank-card"] * 7)
    asyncio.run(run_until_finished(queue, ids, timeout=30))
    rows = store.tasks.get_many(ids, "u")
    assert {(r.status, r.code, r.attempts) for r in rows.values()} == {("failed", 590, 1)}
    assert sorted(finished) == sorted(ids)


@pytest.mark.slow
def test_a_dead_worker_process_is_replaced_and_only_its_task_fails(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    settings = settings_for(tmp_path, task_concurrency=1)

    def pool() -> concurrent.futures.Executor:
        return concurrent.futures.ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("spawn"), initializer=init_worker_process)

    queue = EmbeddedQueue(store, settings, ServiceMetrics(store.tasks.counts), fetch=fetch_junk,
                          scan=crash_on_passport, executor_factory=pool)
    ids = submit(store, "passport", "bank-card")
    asyncio.run(run_until_finished(queue, ids, timeout=120))
    crashed, fine = store.tasks.get(ids[0]), store.tasks.get(ids[1])
    assert crashed is not None and fine is not None
    assert (crashed.status, crashed.code, crashed.attempts) == ("failed", 500, 3)
    assert (fine.status, fine.code) == ("failed", 590)  # recognised by a fresh worker process
    store.close()


def test_stop_hands_unfinished_tasks_back(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    settings = settings_for(tmp_path, task_concurrency=2)

    async def never(url: str, settings: Settings) -> bytes:
        await asyncio.sleep(3600)
        return b""

    queue = EmbeddedQueue(store, settings, ServiceMetrics(store.tasks.counts), fetch=never,
                          executor_factory=lambda: concurrent.futures.ThreadPoolExecutor(1))
    ids = submit(store, "bank-card", "bank-card", "bank-card")

    async def scenario() -> None:
        await queue.start()
        queue.notify()
        await asyncio.sleep(0.5)
        assert queue.in_flight == 2
        await queue.stop()

    asyncio.run(scenario())
    assert {store.tasks.get(i).status for i in ids} == {"queued"}  # type: ignore[union-attr]
    store.close()
