"""Task rows: accept, claim (with a lease), finish, look up by owner, purge past retention."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, and_, delete, func, or_, select, update

from certscan.store.schema import (
    DELIVERY_PENDING,
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    deliveries,
    tasks,
)


@dataclass
class NewTask:
    """A validated task of an asyncscan / scan request, ready to be stored."""

    task_id: str
    uid: str
    request_id: str
    url: str
    card: str
    data_id: str | None = None
    biz_type: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    callback: str | None = None
    seed: str | None = None
    crypt_type: str | None = None
    priority: int = 0
    client_info: str | None = None


@dataclass
class TaskRow:
    task_id: str
    uid: str
    request_id: str
    data_id: str | None
    url: str
    card: str
    biz_type: str | None
    extras: dict[str, Any]
    callback: str | None
    seed: str | None
    crypt_type: str | None
    status: str
    priority: int
    attempts: int
    code: int | None
    msg: str | None
    result: dict[str, Any] | None
    created_at: float
    started_at: float | None
    finished_at: float | None
    client_info: str | None = None

    @classmethod
    def from_mapping(cls, row: Any) -> TaskRow:
        m = row._mapping
        return cls(
            task_id=m["task_id"], uid=m["uid"], request_id=m["request_id"], data_id=m["data_id"],
            url=m["url"], card=m["card"], biz_type=m["biz_type"], extras=json.loads(m["extras"] or "{}"),
            callback=m["callback"], seed=m["seed"], crypt_type=m["crypt_type"], status=m["status"],
            priority=m["priority"], attempts=m["attempts"], code=m["code"], msg=m["msg"],
            result=json.loads(m["result"]) if m["result"] else None, created_at=m["created_at"],
            started_at=m["started_at"], finished_at=m["finished_at"], client_info=m["client_info"],
        )


class TaskRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, new_tasks: Sequence[NewTask], now: float) -> None:
        """Store every task of a request in one transaction: either all are accepted or none."""
        if not new_tasks:
            return
        rows = [
            {
                "task_id": t.task_id, "uid": t.uid, "request_id": t.request_id, "data_id": t.data_id,
                "url": t.url, "card": t.card, "biz_type": t.biz_type,
                "extras": json.dumps(t.extras, ensure_ascii=False), "callback": t.callback,
                "seed": t.seed, "crypt_type": t.crypt_type, "status": QUEUED, "priority": t.priority,
                "attempts": 0, "created_at": now, "client_info": t.client_info,
            }
            for t in new_tasks
        ]
        with self._engine.begin() as conn:
            conn.execute(tasks.insert(), rows)

    def claim(self, limit: int, owner: str, now: float, lease_seconds: float,
              created_after: float) -> list[TaskRow]:
        """Take up to ``limit`` runnable tasks (queued, or running with a lapsed lease), highest priority
        and oldest first, and mark them running under ``owner``'s lease."""
        if limit <= 0:
            return []
        runnable = or_(
            tasks.c.status == QUEUED,
            and_(tasks.c.status == RUNNING, tasks.c.lease_until < now),
        )
        query = (
            select(tasks.c.task_id)
            .where(runnable, tasks.c.created_at >= created_after)
            .order_by(tasks.c.priority.desc(), tasks.c.created_at, tasks.c.task_id)
            .limit(limit)
            # PostgreSQL: concurrent servers skip each other's rows; SQLite ignores it (BEGIN IMMEDIATE
            # already serialises writers).
            .with_for_update(skip_locked=True)
        )
        with self._engine.begin() as conn:
            ids = [r.task_id for r in conn.execute(query)]
            if not ids:
                return []
            conn.execute(
                update(tasks)
                .where(tasks.c.task_id.in_(ids))
                .values(status=RUNNING, lease_owner=owner, lease_until=now + lease_seconds,
                        started_at=now, attempts=tasks.c.attempts + 1)
            )
            claimed = conn.execute(select(tasks).where(tasks.c.task_id.in_(ids))).all()
        by_id = {r._mapping["task_id"]: TaskRow.from_mapping(r) for r in claimed}
        return [by_id[i] for i in ids if i in by_id]

    def renew_leases(self, task_ids: Iterable[str], owner: str, until: float) -> None:
        ids = list(task_ids)
        if not ids:
            return
        with self._engine.begin() as conn:
            conn.execute(
                update(tasks)
                .where(tasks.c.task_id.in_(ids), tasks.c.status == RUNNING, tasks.c.lease_owner == owner)
                .values(lease_until=until)
            )

    def requeue_running(self) -> int:
        """Put every running task back in the queue: at start-up of a server that owns the store alone
        (embedded SQLite), whatever was running belonged to a process that is gone."""
        with self._engine.begin() as conn:
            result = conn.execute(
                update(tasks).where(tasks.c.status == RUNNING)
                .values(status=QUEUED, lease_owner=None, lease_until=None)
            )
        return int(result.rowcount or 0)

    def release(self, task_ids: Iterable[str], owner: str) -> int:
        """Hand running tasks back to the queue (shutdown, or a worker process that died under them)."""
        ids = list(task_ids)
        if not ids:
            return 0
        with self._engine.begin() as conn:
            result = conn.execute(
                update(tasks)
                .where(tasks.c.task_id.in_(ids), tasks.c.status == RUNNING, tasks.c.lease_owner == owner)
                .values(status=QUEUED, lease_owner=None, lease_until=None)
            )
        return int(result.rowcount or 0)

    def finish(self, task_id: str, code: int, msg: str, result: dict[str, Any] | None,
               now: float) -> TaskRow | None:
        """Record a task's outcome; when it has a callback, queue its delivery in the same transaction
        so a finished task's callback cannot be lost between the two writes."""
        status = DONE if result is not None else FAILED
        with self._engine.begin() as conn:
            conn.execute(
                update(tasks).where(tasks.c.task_id == task_id).values(
                    status=status, code=code, msg=msg,
                    result=json.dumps(result, ensure_ascii=False) if result is not None else None,
                    finished_at=now, lease_owner=None, lease_until=None,
                )
            )
            row = conn.execute(select(tasks).where(tasks.c.task_id == task_id)).first()
            if row is None:
                return None
            if row._mapping["callback"]:
                exists = conn.execute(
                    select(deliveries.c.task_id).where(deliveries.c.task_id == task_id)
                ).first()
                if exists is None:
                    conn.execute(deliveries.insert().values(
                        task_id=task_id, status=DELIVERY_PENDING, attempts=0, next_attempt_at=now,
                        created_at=now, updated_at=now,
                    ))
        return TaskRow.from_mapping(row)

    def get_many(self, task_ids: Sequence[str], uid: str) -> dict[str, TaskRow]:
        """The tasks among ``task_ids`` that belong to ``uid`` (others' tasks are invisible)."""
        if not task_ids:
            return {}
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(tasks).where(tasks.c.task_id.in_(list(set(task_ids))), tasks.c.uid == uid)
            ).all()
        return {r._mapping["task_id"]: TaskRow.from_mapping(r) for r in rows}

    def get(self, task_id: str) -> TaskRow | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(tasks).where(tasks.c.task_id == task_id)).first()
        return TaskRow.from_mapping(row) if row is not None else None

    def purge_created_before(self, cutoff: float) -> int:
        """Delete tasks (and their callback deliveries) submitted before ``cutoff``."""
        with self._engine.begin() as conn:
            old = select(tasks.c.task_id).where(tasks.c.created_at < cutoff).scalar_subquery()
            conn.execute(delete(deliveries).where(deliveries.c.task_id.in_(old)))
            result = conn.execute(delete(tasks).where(tasks.c.created_at < cutoff))
        return int(result.rowcount or 0)

    def counts(self) -> dict[tuple[str, str], int]:
        """Number of stored tasks per (status, card)."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(tasks.c.status, tasks.c.card, func.count()).group_by(tasks.c.status, tasks.c.card)
            ).all()
        return {(r[0], r[1]): int(r[2]) for r in rows}

    def count_for_request(self, request_id: str) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(
                select(func.count()).select_from(tasks).where(tasks.c.request_id == request_id)
            ).scalar_one())
