"""The Celery mode's task-row transitions (publish, claim, lapsed-lease sweep) on SQLite and PostgreSQL."""

from __future__ import annotations

from certscan.queue.celery_store import (
    claim_task,
    requeue_lapsed,
    take_unpublished,
    unmark_published,
)
from certscan.store import NewTask, Store


def add(store: Store, *task_ids: str, now: float = 1000.0, priority: int = 0) -> None:
    store.tasks.add([NewTask(task_id=t, uid="u", request_id="r", url="http://127.0.0.1/x.png",
                             card="id-card-front", priority=priority) for t in task_ids], now)


def test_tasks_are_published_once_until_republish_time(store: Store) -> None:
    add(store, "a", "b", now=1000.0)
    add(store, "sync", now=1001.0, priority=1)
    first = take_unpublished(store.engine, 10, 1002.0, 300.0, 0.0)
    assert [t.task_id for t in first] == ["sync", "a", "b"]  # synchronous scans first
    assert [t.priority for t in first] == [1, 0, 0]
    assert take_unpublished(store.engine, 10, 1003.0, 300.0, 0.0) == []  # handed over already
    # Not taken by any worker for republish_after seconds: the message may be lost, publish again.
    again = take_unpublished(store.engine, 10, 1303.0, 300.0, 0.0)
    assert {t.task_id for t in again} == {"a", "b", "sync"}
    row = store.tasks.get("a")
    assert row is not None and row.status == "queued"


def test_a_refused_publication_is_due_again_at_once(store: Store) -> None:
    add(store, "a")
    assert [t.task_id for t in take_unpublished(store.engine, 10, 1001.0, 300.0, 0.0)] == ["a"]
    unmark_published(store.engine, ["a"])
    assert [t.task_id for t in take_unpublished(store.engine, 10, 1002.0, 300.0, 0.0)] == ["a"]


def test_tasks_past_retention_are_not_published(store: Store) -> None:
    add(store, "old", now=10.0)
    assert take_unpublished(store.engine, 10, 1000.0, 300.0, created_after=500.0) == []


def test_a_duplicate_message_finds_its_task_taken(store: Store) -> None:
    add(store, "a")
    take_unpublished(store.engine, 10, 1001.0, 300.0, 0.0)
    claimed = claim_task(store.engine, "a", "worker-1", 1002.0, 60.0, 0.0)
    assert claimed is not None and claimed.status == "running" and claimed.attempts == 1
    assert claim_task(store.engine, "a", "worker-2", 1003.0, 60.0, 0.0) is None  # running elsewhere
    store.tasks.finish("a", 200, "OK", {"scene": "ocr"}, 1004.0)
    assert claim_task(store.engine, "a", "worker-2", 2000.0, 60.0, 0.0) is None  # finished
    assert claim_task(store.engine, "missing", "worker-2", 2000.0, 60.0, 0.0) is None  # purged


def test_a_dead_workers_task_goes_back_to_the_queue_then_fails_after_max_attempts(store: Store) -> None:
    add(store, "a")
    claim_task(store.engine, "a", "worker-1", 1001.0, 5.0, 0.0)
    assert requeue_lapsed(store.engine, 1004.0, 3) == ([], [])  # lease still alive
    store.tasks.renew_leases(["a"], "worker-1", 1010.0)
    assert requeue_lapsed(store.engine, 1008.0, 3) == ([], [])  # renewed by its worker
    assert requeue_lapsed(store.engine, 1011.0, 3) == (["a"], [])  # the worker died
    row = store.tasks.get("a")
    assert row is not None and row.status == "queued"
    # Requeued rows are unpublished: the next publishing round hands them to the broker again.
    assert [t.task_id for t in take_unpublished(store.engine, 10, 1012.0, 300.0, 0.0)] == ["a"]
    # Also a lapsed running task may be claimed straight from a redelivered message.
    claim_task(store.engine, "a", "worker-2", 1013.0, 5.0, 0.0)
    assert claim_task(store.engine, "a", "worker-3", 1019.0, 5.0, 0.0) is not None
    assert requeue_lapsed(store.engine, 1100.0, 3) == ([], ["a"])  # third attempt died too
    row = store.tasks.get("a")
    assert row is not None and row.status == "running" and row.attempts == 3
