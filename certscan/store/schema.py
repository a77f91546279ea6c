"""The task store's tables (SQLAlchemy Core): accounts, tasks, signature nonces, callback deliveries.

Portable SQL only, so the same tables work on the embedded SQLite file and on PostgreSQL. Times are
epoch seconds (floats): no time-zone handling differs between the two databases.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# Task lifecycle: queued → running → done | failed. A running task whose lease ran out (its server died)
# is claimed again, so every accepted task finishes at least once.
QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
TASK_STATUSES = (QUEUED, RUNNING, DONE, FAILED)
FINAL_STATUSES = frozenset({DONE, FAILED})

# Callback deliveries: pending → (claimed by a sender: delivering) → delivered | pending again | given_up.
DELIVERY_PENDING = "pending"
DELIVERY_DELIVERING = "delivering"
DELIVERY_DELIVERED = "delivered"
DELIVERY_GIVEN_UP = "given_up"

accounts = Table(
    "certscan_accounts",
    metadata,
    Column("access_key_id", String(64), primary_key=True),
    Column("access_key_secret", String(128), nullable=False),
    Column("uid", String(64), nullable=False, index=True),
    Column("qps", Integer, nullable=True),  # NULL = the server's default
    Column("enabled", Boolean, nullable=False, default=True),
    Column("created_at", Float, nullable=False),
)

tasks = Table(
    "certscan_tasks",
    metadata,
    Column("task_id", String(64), primary_key=True),
    Column("uid", String(64), nullable=False),  # the owning account: nobody else sees the task
    Column("request_id", String(64), nullable=False),
    Column("data_id", String(256), nullable=True),
    Column("url", Text, nullable=False),
    Column("card", String(32), nullable=False),
    Column("biz_type", String(128), nullable=True),
    Column("extras", Text, nullable=False, default="{}"),  # JSON of the request's extras
    Column("callback", Text, nullable=True),
    Column("seed", String(64), nullable=True),
    Column("crypt_type", String(16), nullable=True),
    Column("status", String(16), nullable=False),
    Column("priority", Integer, nullable=False, default=0),  # synchronous scans jump the queue
    Column("attempts", Integer, nullable=False, default=0),
    Column("code", Integer, nullable=True),
    Column("msg", Text, nullable=True),
    Column("result", Text, nullable=True),  # JSON of the results[0] element when done
    Column("created_at", Float, nullable=False),
    Column("started_at", Float, nullable=True),
    Column("finished_at", Float, nullable=True),
    Column("lease_owner", String(64), nullable=True),
    Column("lease_until", Float, nullable=True),
    # The request's ClientInfo query parameter (a JSON string the vendor's samples send), kept as sent.
    # Columns added after the first release must be nullable: database.py adds them to old tables.
    Column("client_info", Text, nullable=True),
    Index("ix_certscan_tasks_claim", "status", "priority", "created_at"),
    Index("ix_certscan_tasks_created", "created_at"),
)

nonces = Table(
    "certscan_nonces",
    metadata,
    Column("access_key_id", String(64), primary_key=True),
    Column("nonce", String(128), primary_key=True),
    Column("expires_at", Float, nullable=False, index=True),
)

deliveries = Table(
    "certscan_deliveries",
    metadata,
    Column("task_id", String(64), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", Float, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("lease_until", Float, nullable=True),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_certscan_deliveries_due", "status", "next_attempt_at"),
)
