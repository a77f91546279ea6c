"""Per-account, per-operation QPS limit: a sliding one-second window of accepted calls.

Refused calls are not counted, so a client that backs off gets through as soon as the window frees. The
window lives in this server process: with several servers behind a balancer each enforces it alone.
"""

from __future__ import annotations

import threading
from collections import deque


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
