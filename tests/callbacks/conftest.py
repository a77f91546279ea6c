"""Fixtures shared with the other suites: the store on SQLite and PostgreSQL, the in-process service."""

from tests.api.conftest import images, service_client
from tests.store.conftest import store

__all__ = ["images", "service_client", "store"]
