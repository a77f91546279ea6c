"""A database made before a column existed gets it when the store opens it (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, Table, create_engine, inspect

from certscan.store import NewTask, Store
from certscan.store.database import add_missing_columns
from certscan.store.schema import metadata, tasks
from tests.store.backends import _postgres_schema_url

ADDED_SINCE_FIRST_RELEASE = {"client_info"}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        yield from _postgres_schema_url()


def _create_old_schema(url: str) -> None:
    """The tables as the first release made them: ``certscan_tasks`` without the later columns."""
    old = MetaData()
    for table in metadata.sorted_tables:
        if table is tasks:
            columns = [Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
                       for c in table.columns if c.name not in ADDED_SINCE_FIRST_RELEASE]
            Table(table.name, old, *columns)
        else:
            table.to_metadata(old)
    engine = create_engine(url)
    old.create_all(engine)
    with engine.begin() as conn:
        conn.execute(old.tables["certscan_tasks"].insert().values(
            task_id="old-task", uid="u1", request_id="r1", url="http://a/b.png", card="bank-card",
            extras="{}", status="queued", priority=0, attempts=0, created_at=1.0))
    engine.dispose()


def test_an_old_database_gets_the_new_columns_and_keeps_its_rows(database_url: str) -> None:
    _create_old_schema(database_url)
    store = Store(database_url)
    try:
        columns = {c["name"] for c in inspect(store.engine).get_columns("certscan_tasks")}
        assert columns >= ADDED_SINCE_FIRST_RELEASE
        old = store.tasks.get("old-task")
        assert old is not None and old.client_info is None
        store.tasks.add([NewTask(task_id="new-task", uid="u1", request_id="r2", url="http://a/c.png",
                                 card="bank-card", client_info='{"ip": "203.0.113.7"}')], now=2.0)
        new = store.tasks.get("new-task")
        assert new is not None and new.client_info == '{"ip": "203.0.113.7"}'
        assert add_missing_columns(store.engine) == []  # a second opening changes nothing
    finally:
        store.close()
    Store(database_url).close()  # and opening it again is fine
