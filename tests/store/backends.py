"""The store under test, on both backends: a fresh SQLite file, and a throwaway PostgreSQL schema."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from certscan.store import Store

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_schema_url() -> Iterator[str]:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    pytest.importorskip("psycopg")
    admin = sqlalchemy.create_engine(POSTGRES_URL)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sqlalchemy.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at 127.0.0.1:5432 ({exc.__class__.__name__})")
    schema = f"certscan_test_{secrets.token_hex(6)}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        # Every connection of the store lands in the private schema: tests never touch others' tables.
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def open_store(backend: str, tmp_path: Path) -> Iterator[Store]:
    """A fresh store on ``backend`` ("sqlite" or "postgresql"), closed (and its schema dropped) after."""
    if backend == "sqlite":
        opened = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
        yield opened
        opened.close()
    else:
        for url in _postgres_schema_url():
            opened = Store(url)
            yield opened
            opened.close()
