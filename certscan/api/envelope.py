"""The response bodies: the business envelope, per-task elements, and error bodies for both SDKs."""

from __future__ import annotations

from typing import Any

from certscan.constants import CODE_OK, CODE_PROCESSING
from certscan.store import TaskRow
from certscan.store.schema import DONE, FAILED


def envelope(request_id: str, data: list[dict[str, Any]], code: int = CODE_OK,
             msg: str = "OK") -> dict[str, Any]:
    return {"code": code, "msg": msg, "requestId": request_id, "data": data}


def error_envelope(request_id: str, code: int, msg: str) -> dict[str, Any]:
    """A request-level refusal that is not about identity: HTTP 200, the code in the JSON (API.md)."""
    return envelope(request_id, [], code=code, msg=msg)


def internal_error_body(request_id: str) -> dict[str, Any]:
    """HTTP 500 body: readable by the first-generation SDK (capitalised keys) and the envelope readers."""
    msg = "internal error; safe to retry"
    return {"Code": "InternalError", "Message": msg, "RequestId": request_id,
            "code": 500, "msg": msg, "requestId": request_id}


def _identity(task_id: str, data_id: str | None, url: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if data_id is not None:
        out["dataId"] = data_id
    out["taskId"] = task_id
    if url is not None:
        out["url"] = url
    return out


def task_element(row: TaskRow) -> dict[str, Any]:
    """What the results operation (and a synchronous scan) reports for a stored task."""
    ident = _identity(row.task_id, row.data_id, row.url)
    if row.status == DONE and row.result is not None:
        # The stored msg is "OK" or "OK; <hint>" (e.g. a small image).
        return {"code": CODE_OK, "msg": row.msg or "OK", **ident, "extras": {}, "results": [row.result]}
    if row.status == FAILED:
        return {"code": row.code or 500, "msg": row.msg or "failed", **ident}
    return {"code": CODE_PROCESSING, "msg": "PROCESSING", **ident}


def lookup_failure(task_id: str, code: int, msg: str) -> dict[str, Any]:
    return {"code": code, "msg": msg, "taskId": task_id}
