"""``CeleryQueue`` in process on PostgreSQL and a real Redis, no worker: what it publishes, how it hears
of finished tasks, how it fails a task that keeps killing workers, and retention."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from certscan.queue.celery_app import finished_channel
from certscan.queue.celery_queue import CeleryQueue
from certscan.queue.celery_store import claim_task
from certscan.queue.metrics import ServiceMetrics
from certscan.settings import Settings
from certscan.store import NewTask, Store, TaskRow
from tests.store.backends import open_store

# Not the default db: these tests' keys (queues, channel, kombu bindings) never meet another suite's.
REDIS_URL = "redis://127.0.0.1:6379/11"


@pytest.fixture
def pg_store(tmp_path: Path) -> Iterator[Store]:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379 ({exc.__class__.__name__})")
    yield from open_store("postgresql", tmp_path)


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    queue = f"certscan-test-{secrets.token_hex(4)}"
    yield Settings(data_dir=tmp_path, redis_url=REDIS_URL, celery_queue=queue, purge_interval_seconds=0.2)
    forget_queue(queue)


def forget_queue(queue: str) -> None:
    """Remove a test queue's keys from Redis, and its messages a killed worker left unacknowledged
    (kombu would restore those an hour later)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        stale = list(client.scan_iter(match=f"*{queue}*"))
        if stale:
            client.delete(*stale)
        for tag, payload in client.hscan_iter("unacked"):
            if queue.encode() in payload:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


def add(store: Store, task_id: str, created_at: float, priority: int = 0) -> None:
    store.tasks.add([NewTask(task_id=task_id, uid="u", request_id="r", url="http://127.0.0.1:9/x.png",
                             card="id-card-front", priority=priority)], created_at)


def queued_messages(settings: Settings) -> int:
    """Messages waiting on the queue, over kombu's per-priority Redis lists."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = [k for k in client.scan_iter(match=f"{settings.celery_queue}*") if client.type(k) == b"list"]
        return sum(int(client.llen(k)) for k in keys)
    finally:
        client.close()


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


@pytest.mark.slow  # waits for further publishing rounds
def test_stored_tasks_are_published_once_and_announcements_reach_the_hook(
    pg_store: Store, settings: Settings
) -> None:
    finished: list[TaskRow] = []

    async def go() -> None:
        queue = CeleryQueue(pg_store, settings, ServiceMetrics(pg_store.tasks.counts), finished.append)
        await queue.start()
        try:
            add(pg_store, "t-async", time.time())
            add(pg_store, "t-sync", time.time(), priority=1)
            queue.notify()
            await eventually(lambda: queued_messages(settings) == 2)
            await asyncio.sleep(1.5)  # further publishing rounds add nothing
            assert queued_messages(settings) == 2

            # What a worker does after finishing: store, then announce. The hook hears it; so does
            # a synchronous scan waiting on the task.
            waiting = asyncio.create_task(queue.wait_for(["t-sync"], "u", timeout=30))
            pg_store.tasks.finish("t-sync", 200, "OK", {"scene": "ocr"}, time.time())
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            client.publish(finished_channel(settings), "t-sync")
            client.close()
            await eventually(lambda: bool(finished))
            await asyncio.wait_for(waiting, timeout=5)
            assert [r.task_id for r in finished] == ["t-sync"] and finished[0].status == "done"
        finally:
            await queue.stop()

    asyncio.run(go())


def test_a_message_the_broker_lost_is_published_again(pg_store: Store, settings: Settings) -> None:
    import redis

    settings = settings.model_copy(update={"celery_republish_seconds": 0.5})

    async def go() -> None:
        queue = CeleryQueue(pg_store, settings, ServiceMetrics(pg_store.tasks.counts))
        await queue.start()
        try:
            add(pg_store, "t1", time.time())
            queue.notify()
            await eventually(lambda: queued_messages(settings) == 1)
            client = redis.Redis.from_url(REDIS_URL)  # a broker restart without persistence
            for key in client.scan_iter(match=f"{settings.celery_queue}*"):
                client.delete(key)
            client.close()
            assert queued_messages(settings) == 0
            await eventually(lambda: queued_messages(settings) >= 1)  # the store still says queued
        finally:
            await queue.stop()

    asyncio.run(go())


def test_a_task_that_killed_three_workers_fails_with_500(pg_store: Store, settings: Settings) -> None:
    finished: list[TaskRow] = []
    add(pg_store, "crasher", time.time())
    for attempt in range(3):  # three workers took it and died (leases long lapsed)
        taken_at = time.time() - 100 + 5 * attempt
        assert claim_task(pg_store.engine, "crasher", f"w{attempt}", taken_at, 1.0, 0.0)

    async def go() -> None:
        queue = CeleryQueue(pg_store, settings, ServiceMetrics(pg_store.tasks.counts), finished.append)
        await queue._sweep_once()

    asyncio.run(go())
    row = pg_store.tasks.get("crasher")
    assert row is not None and row.status == "failed" and row.code == 500 and row.attempts == 3
    assert [r.task_id for r in finished] == ["crasher"]


def test_results_past_retention_are_purged(pg_store: Store, settings: Settings) -> None:
    add(pg_store, "old", time.time() - settings.result_retention_seconds - 60)
    add(pg_store, "new", time.time())

    async def go() -> None:
        queue = CeleryQueue(pg_store, settings, ServiceMetrics(pg_store.tasks.counts))
        await queue.start()
        try:
            await eventually(lambda: pg_store.tasks.get("old") is None)
        finally:
            await queue.stop()

    asyncio.run(go())
    assert pg_store.tasks.get("new") is not None
