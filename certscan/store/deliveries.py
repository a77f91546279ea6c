"""Callback deliveries: one row per finished task that has a callback URL.

The row is written in the same transaction that finishes the task (``TaskRepository.finish``); a sender
claims due rows, POSTs, and records the attempt. Claiming takes a lease, so a sender that dies mid-attempt
leaves the row to be claimed again once the lease runs out.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, and_, or_, select, update

from certscan.store.schema import (
    DELIVERY_DELIVERED,
    DELIVERY_DELIVERING,
    DELIVERY_GIVEN_UP,
    DELIVERY_PENDING,
    deliveries,
)


@dataclass(frozen=True)
class Delivery:
    task_id: str
    status: str
    attempts: int
    next_attempt_at: float
    last_error: str | None


def _delivery(row: object) -> Delivery:
    m = row._mapping  # type: ignore[attr-defined]
    return Delivery(m["task_id"], m["status"], m["attempts"], m["next_attempt_at"], m["last_error"])


class DeliveryRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def claim_due(self, limit: int, now: float, lease_seconds: float) -> list[Delivery]:
        """Up to ``limit`` deliveries whose next attempt is due (or whose sender's lease lapsed)."""
        due = or_(
            and_(deliveries.c.status == DELIVERY_PENDING, deliveries.c.next_attempt_at <= now),
            and_(deliveries.c.status == DELIVERY_DELIVERING, deliveries.c.lease_until < now),
        )
        query = (
            select(deliveries.c.task_id).where(due).order_by(deliveries.c.next_attempt_at)
            .limit(limit).with_for_update(skip_locked=True)
        )
        with self._engine.begin() as conn:
            ids = [r.task_id for r in conn.execute(query)]
            if not ids:
                return []
            conn.execute(
                update(deliveries).where(deliveries.c.task_id.in_(ids))
                .values(status=DELIVERY_DELIVERING, lease_until=now + lease_seconds, updated_at=now)
            )
            rows = conn.execute(select(deliveries).where(deliveries.c.task_id.in_(ids))).all()
        return [_delivery(r) for r in rows]

    def record_attempt(self, task_id: str, delivered: bool, error: str | None,
                       next_attempt_at: float | None, now: float) -> None:
        """Count one attempt. Not delivered and ``next_attempt_at`` None = give up for good."""
        if delivered:
            status = DELIVERY_DELIVERED
        elif next_attempt_at is None:
            status = DELIVERY_GIVEN_UP
        else:
            status = DELIVERY_PENDING
        with self._engine.begin() as conn:
            conn.execute(
                update(deliveries).where(deliveries.c.task_id == task_id).values(
                    status=status, attempts=deliveries.c.attempts + 1, last_error=error,
                    next_attempt_at=next_attempt_at if next_attempt_at is not None else now,
                    lease_until=None, updated_at=now,
                )
            )

    def postpone(self, task_id: str, next_attempt_at: float, now: float) -> None:
        """Hand a claimed delivery back, due again at ``next_attempt_at``, without counting an attempt
        (its sender chose not to try now: the receiver already has its share of attempts in flight)."""
        with self._engine.begin() as conn:
            conn.execute(
                update(deliveries)
                .where(deliveries.c.task_id == task_id, deliveries.c.status == DELIVERY_DELIVERING)
                .values(status=DELIVERY_PENDING, next_attempt_at=next_attempt_at, lease_until=None,
                        updated_at=now)
            )

    def get(self, task_id: str) -> Delivery | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(deliveries).where(deliveries.c.task_id == task_id)).first()
        return _delivery(row) if row is not None else None
