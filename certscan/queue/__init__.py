"""Running tasks: what the HTTP layer needs from a task runner, and the embedded one.

The API stores tasks itself (``Store.tasks.add``) before it answers, so a runner never holds the only copy
of a task: it claims stored tasks, runs them, and records the outcome in the store. ``EmbeddedQueue``
(``certscan.queue.embedded``) is the default: an asyncio dispatcher with worker processes inside the
server. Another runner (e.g. a scale-out one) plugs in through ``create_app(queue_factory=...)`` by
providing this interface.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class TaskQueue(Protocol):
    async def start(self) -> None:
        """Begin running stored tasks (called once the server starts)."""
        ...

    async def stop(self) -> None:
        """Stop; tasks not finished stay in the store for the next start (called at shutdown)."""
        ...

    def notify(self) -> None:
        """New tasks were just stored: look for work now rather than at the next poll."""
        ...

    async def wait_for(self, task_ids: Iterable[str], uid: str, timeout: float) -> None:
        """Return once every task is finished (in the store) or ``timeout`` seconds have passed."""
        ...

    @property
    def in_flight(self) -> int:
        """Tasks this server is processing now (for /healthz)."""
        ...
