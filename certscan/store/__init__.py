"""The durable store: tasks, accounts, nonces and callback deliveries in one SQL database.

``Store(url)`` opens the embedded SQLite file or a shared PostgreSQL (``CERTSCAN_DATABASE_URL``) and
exposes one repository per table. All calls are synchronous; async code runs them in a worker thread.
"""

from __future__ import annotations

from certscan.settings import Settings
from certscan.store.accounts import Account, AccountRepository, DbNonceStore
from certscan.store.database import is_sqlite, open_engine
from certscan.store.deliveries import Delivery, DeliveryRepository
from certscan.store.tasks import NewTask, TaskRepository, TaskRow

__all__ = ["Account", "Delivery", "NewTask", "Store", "TaskRow"]


class Store:
    def __init__(self, url: str) -> None:
        self.engine = open_engine(url)
        self.tasks = TaskRepository(self.engine)
        self.accounts = AccountRepository(self.engine)
        self.nonces = DbNonceStore(self.engine)
        self.deliveries = DeliveryRepository(self.engine)

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        return cls(settings.sqlalchemy_url)

    @property
    def single_node(self) -> bool:
        """True for the embedded SQLite file: one server owns it, so at start-up nothing else is running."""
        return is_sqlite(self.engine)

    def close(self) -> None:
        self.engine.dispose()
