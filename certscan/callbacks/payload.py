"""The one JSON form of a task's results element, shared by polls and callbacks.

A callback's ``content`` must be byte for byte what a poll returns for the task (issue 5), so both render
the element with :func:`task_element` and serialise with :func:`dumps`. ``dumps`` uses exactly the options
of Starlette's ``JSONResponse`` (UTF-8 text, no spaces), so an envelope rendered by ``JSONResponse``
contains each element as the same bytes :func:`element_json` produces.
"""

from __future__ import annotations

import json
from typing import Any

from certscan.store import TaskRow


def dumps(obj: Any) -> str:
    """Compact JSON, non-ASCII kept as UTF-8 text, same bytes as ``starlette.responses.JSONResponse``."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))


def task_element(row: TaskRow) -> dict[str, Any]:
    """The ``data[i]`` element of a results poll for a finished task (done or failed).

    Keys follow the reference's results example; ``dataId`` appears only when the caller sent one, and
    ``results`` only when recognition produced a result (a failed task carries just its code and msg).
    """
    element: dict[str, Any] = {"code": row.code, "msg": row.msg}
    if row.data_id is not None:
        element["dataId"] = row.data_id
    element["taskId"] = row.task_id
    element["url"] = row.url
    element["extras"] = row.extras
    if row.result is not None:
        element["results"] = [row.result]
    return element


def element_json(row: TaskRow) -> str:
    """The callback ``content`` of a finished task."""
    return dumps(task_element(row))
