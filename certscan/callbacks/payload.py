"""The callback ``content``: byte for byte the element a results poll returns for the task.

Both come from the same two functions: the element is ``certscan.api.envelope.task_element`` (what the
results operation reports for a stored task), and :func:`dumps` serialises with exactly the options of
Starlette's ``JSONResponse`` (UTF-8 text, no spaces), which renders the poll's envelope. So the poll's
response body contains each element as the very bytes of :func:`element_json`.
"""

from __future__ import annotations

import json
from typing import Any

from certscan.api.envelope import task_element
from certscan.store import TaskRow


def dumps(obj: Any) -> str:
    """Compact JSON, non-ASCII kept as UTF-8 text: the same bytes as ``starlette.responses.JSONResponse``."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))


def element_json(row: TaskRow) -> str:
    """The callback ``content`` of a finished task."""
    return dumps(task_element(row))
