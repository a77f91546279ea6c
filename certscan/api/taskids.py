"""Task identifiers: unguessable, and carrying their submission time.

``img<11 hex digits: submission time in ms>-<24 url-safe chars: 144 random bits>``. The randomness makes an
id impossible to guess; the embedded time lets the results operation answer "expired" (594) for any id
past retention, whether or not its row has been purged yet, the same way every time.
"""

from __future__ import annotations

import re
import secrets

_TASK_ID = re.compile(r"^img([0-9a-f]{11})-[A-Za-z0-9_-]{24}$")


def new_task_id(now: float) -> str:
    return f"img{int(now * 1000):011x}-{secrets.token_urlsafe(18)}"


def submitted_at(task_id: str) -> float | None:
    """The submission time (epoch seconds) embedded in a well-formed task id, else None."""
    match = _TASK_ID.match(task_id)
    if match is None:
        return None
    return int(match.group(1), 16) / 1000.0
