"""Request policy the service applies: task identifiers, and the per-account QPS window.

Task identifiers: ``img<11 hex digits: submission time in ms>-<24 url-safe chars: 144 random bits>``. The
randomness makes an id impossible to guess; the embedded time lets the results operation answer "expired"
(594) for any id past retention, whether or not its row has been purged yet, the same way every time.

QPS: a sliding one-second window of accepted calls per (account, operation). Refused calls are not
counted, so a client that backs off gets through as soon as the window frees. The window lives in this
server process: with several servers behind a balancer each enforces it alone.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import deque

_TASK_ID = re.compile(r"^img([0-9a-f]{11})-[A-Za-z0-9_-]{24}$")


def new_task_id(now: float) -> str:
    return f"img{int(now * 1000):011x}-{secrets.token_urlsafe(18)}"


def submitted_at(task_id: str) -> float | None:
    """The submission time (epoch seconds) embedded in a well-formed task id, else None."""
    match = _TASK_ID.match(task_id)
    if match is None:
        return None
    return int(match.group(1), 16) / 1000.0

class QpsLimiter:
    def __init__(self) -> None:
        self._windows: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, account: str, operation: str, limit: int, now: float) -> bool:
        """Count a call at ``now`` (monotonic s) unless ``limit`` calls happened in the last second."""
        with self._lock:
            window = self._windows.setdefault((account, operation), deque())
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= limit:
                return False
            window.append(now)
            return True
