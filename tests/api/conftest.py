"""In-process service fixtures: the real app, store, fetch and pipeline; worker pool in threads."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from certscan.api.app import create_app
from certscan.settings import Settings
from tests.api.support import ImageServer, png_bytes


@pytest.fixture
def images() -> Iterator[ImageServer]:
    server = ImageServer(files={"white.png": png_bytes(), "junk.png": b"not an image at all"})
    with server.running():
        yield server


ClientFactory = Callable[..., Any]


@pytest.fixture
def service_client(tmp_path: Path) -> Iterator[ClientFactory]:
    """``service_client(**settings)`` → a context manager yielding a TestClient of a fresh service
    (unsigned requests: Settings.insecure_no_auth; signatures are covered by the SDK tests)."""

    @contextmanager
    def factory(**overrides: Any) -> Iterator[TestClient]:
        values: dict[str, Any] = {"data_dir": tmp_path / "data", "insecure_no_auth": True,
                                  "fetch_allow": "127.0.0.0/8", "purge_interval_seconds": 3600}
        values.update(overrides)
        settings = Settings(**values)
        app = create_app(settings, executor_factory=lambda: concurrent.futures.ThreadPoolExecutor(2))
        with TestClient(app) as client:
            yield client

    yield factory
