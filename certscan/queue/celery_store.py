"""Task-row transitions of the Celery mode, on the same ``certscan_tasks`` table the embedded runner uses.

The store stays the truth; a Celery message only says "look at task X". The lease columns carry two
meanings in this mode:

- a *queued* row with a lease was handed to the broker (``PUBLISHED_OWNER``) and is published again only
  once ``lease_until`` passes without a worker taking it (a message lost with a broker restart, an API
  process killed between marking and publishing);
- a *running* row's lease belongs to the worker process running it, which renews it; a lapsed lease
  means that worker died, and the row goes back to queued (``requeue_lapsed``).

A worker takes a task only through ``claim_task``, so a duplicate message (the broker redelivering a
killed worker's message as well as the sweep republishing it) finds the task running or finished and is
dropped: a task runs to its end at least once, and twice only when a worker died under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, and_, or_, select, update

from certscan.store import TaskRow
from certscan.store.schema import QUEUED, RUNNING, tasks

PUBLISHED_OWNER = "celery-broker"


@dataclass(frozen=True)
class Publishable:
    task_id: str
    priority: int


def take_unpublished(engine: Engine, limit: int, now: float, republish_after: float,
                     created_after: float) -> list[Publishable]:
    """Queued tasks never handed to the broker, or handed over more than ``republish_after`` seconds ago
    and still not taken; marks them published (until ``now + republish_after``). Highest priority and
    oldest first. Concurrent API servers skip each other's rows (PostgreSQL SKIP LOCKED)."""
    due = or_(tasks.c.lease_until.is_(None), tasks.c.lease_until < now)
    query = (
        select(tasks.c.task_id, tasks.c.priority)
        .where(tasks.c.status == QUEUED, due, tasks.c.created_at >= created_after)
        .order_by(tasks.c.priority.desc(), tasks.c.created_at, tasks.c.task_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    with engine.begin() as conn:
        rows = [Publishable(r.task_id, r.priority) for r in conn.execute(query)]
        if rows:
            conn.execute(
                update(tasks)
                .where(tasks.c.task_id.in_([r.task_id for r in rows]), tasks.c.status == QUEUED)
                .values(lease_owner=PUBLISHED_OWNER, lease_until=now + republish_after)
            )
    return rows


def unmark_published(engine: Engine, task_ids: list[str]) -> None:
    """The broker refused these: make them due for publishing at the next round."""
    if not task_ids:
        return
    with engine.begin() as conn:
        conn.execute(
            update(tasks)
            .where(tasks.c.task_id.in_(task_ids), tasks.c.status == QUEUED)
            .values(lease_owner=None, lease_until=None)
        )


def requeue_lapsed(engine: Engine, now: float, max_attempts: int) -> tuple[list[str], list[str]]:
    """Running tasks whose worker stopped renewing the lease: those with attempts left go back to
    queued (unpublished, so the next publishing round hands them to the broker again). Returns
    (requeued ids, ids that have used up ``max_attempts`` — the caller fails those)."""
    lapsed = (
        select(tasks.c.task_id, tasks.c.attempts)
        .where(tasks.c.status == RUNNING, tasks.c.lease_until < now)
        .with_for_update(skip_locked=True)
    )
    with engine.begin() as conn:
        rows = list(conn.execute(lapsed))
        again = [r.task_id for r in rows if r.attempts < max_attempts]
        exhausted = [r.task_id for r in rows if r.attempts >= max_attempts]
        if again:
            conn.execute(
                update(tasks)
                .where(tasks.c.task_id.in_(again), tasks.c.status == RUNNING)
                .values(status=QUEUED, lease_owner=None, lease_until=None)
            )
    return again, exhausted


def claim_task(engine: Engine, task_id: str, owner: str, now: float, lease_seconds: float,
               created_after: float) -> TaskRow | None:
    """Take the one task a message names, if it is still to be run: queued, or running under a lapsed
    lease. None when it is running elsewhere, finished, past retention or gone (purged)."""
    runnable = or_(
        tasks.c.status == QUEUED,
        and_(tasks.c.status == RUNNING, tasks.c.lease_until < now),
    )
    with engine.begin() as conn:
        found = conn.execute(
            select(tasks.c.task_id)
            .where(tasks.c.task_id == task_id, runnable, tasks.c.created_at >= created_after)
            .with_for_update(skip_locked=True)
        ).first()
        if found is None:
            return None
        conn.execute(
            update(tasks).where(tasks.c.task_id == task_id)
            .values(status=RUNNING, lease_owner=owner, lease_until=now + lease_seconds, started_at=now,
                    attempts=tasks.c.attempts + 1)
        )
        row = conn.execute(select(tasks).where(tasks.c.task_id == task_id)).first()
    return TaskRow.from_mapping(row) if row is not None else None

