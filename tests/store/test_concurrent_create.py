"""Several processes opening one fresh PostgreSQL schema at once (a server and its Celery workers starting
together) all come up: table creation is serialised, not raced."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator

import pytest

from tests.store.backends import _postgres_schema_url


def _open_everything(url: str) -> None:
    from certscan.store.database import open_engine
    from certscan.uploads.sqlstore import SqlUploadStore

    engine = open_engine(url)
    SqlUploadStore(engine)
    engine.dispose()


@pytest.fixture
def fresh_schema_url() -> Iterator[str]:
    yield from _postgres_schema_url()


# The race is timing-dependent: several rounds, each on its own fresh schema, make a regression show.
@pytest.mark.slow
@pytest.mark.parametrize("round_", range(4))
def test_processes_starting_together_on_a_fresh_schema_open_it(fresh_schema_url: str, round_: int) -> None:
    context = multiprocessing.get_context("fork")  # fork: the processes start within milliseconds
    processes = [context.Process(target=_open_everything, args=(fresh_schema_url,)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0, 0, 0, 0]
