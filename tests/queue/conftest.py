from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from certscan.store import Store
from tests.store.backends import open_store


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    yield from open_store(request.param, tmp_path)
