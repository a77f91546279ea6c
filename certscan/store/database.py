"""Opening the database: the embedded SQLite file by default, any SQLAlchemy URL (PostgreSQL) when set."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from certscan.store.schema import metadata


def open_engine(url: str) -> Engine:
    """An engine for ``url`` with the store's tables created (idempotent)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, parsed.database)
    else:
        # pre_ping: a PostgreSQL restart must not leave the service with dead pooled connections.
        engine = create_engine(url, pool_pre_ping=True, future=True)
    create_tables(engine, metadata)
    add_missing_columns(engine)
    return engine


# Any fixed 64-bit key: it names the advisory lock every certscan process takes to create its tables.
_SCHEMA_LOCK_KEY = 0x6365727473636E  # "certscn"


def create_tables(engine: Engine, tables: MetaData) -> None:
    """``create_all``, serialised across processes. On a fresh PostgreSQL schema, a server and its
    workers starting together race on CREATE TABLE (a unique violation in the pg_type catalogue); a
    transaction-scoped advisory lock makes the later ones wait and then find the tables. SQLite's
    transactions already begin IMMEDIATE, which serialises them."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK_KEY})")
        tables.create_all(conn)


def add_missing_columns(engine: Engine) -> list[str]:
    """Bring a database made by an earlier version up to date: ``create_all`` creates missing tables
    but never alters existing ones, so each column added since (always nullable) is added here. Safe when
    several servers start at once. Returns the ``table.column`` names it added."""
    added: list[str] = []
    for table in metadata.sorted_tables:
        present = {column["name"] for column in inspect(engine).get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable:
                raise RuntimeError(f"cannot add NOT NULL column {table.name}.{column.name} to existing rows")
            ddl_type = column.type.compile(dialect=engine.dialect)
            guard = " IF NOT EXISTS" if engine.dialect.name == "postgresql" else ""
            statement = f"ALTER TABLE {table.name} ADD COLUMN{guard} {column.name} {ddl_type}"
            try:
                with engine.begin() as conn:
                    conn.exec_driver_sql(statement)
            except DBAPIError:
                # SQLite has no IF NOT EXISTS here: another process may have added it first.
                if column.name not in {c["name"] for c in inspect(engine).get_columns(table.name)}:
                    raise
            added.append(f"{table.name}.{column.name}")
    return added


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # The store is used from the event loop's worker threads: connections must cross threads, and a
    # writer waits for another (busy timeout) rather than failing with "database is locked".
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, future=True
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN; take control so BEGIN IMMEDIATE works.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL: readers never block the writer. synchronous=FULL: a task acknowledged with 200 survives
        # a power cut, not only a killed process.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Take the write lock up front: claim-then-update must not race between threads or processes.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
