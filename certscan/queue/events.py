"""One structured (JSON) log line per task state change, and the service's log setup.

Lines carry identifiers (taskId, requestId, dataId), the card type, codes and timings; never URLs (they
may carry signed tokens), image bytes, secrets or recognised card fields.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

task_logger = logging.getLogger("certscan.tasks")


def log_task_state(status: str, *, task_id: str, request_id: str, card: str, data_id: str | None = None,
                   code: int | None = None, msg: str | None = None, seconds: float | None = None,
                   attempt: int | None = None) -> None:
    fields: dict[str, Any] = {
        "event": "task_state", "status": status, "taskId": task_id, "requestId": request_id, "card": card,
    }
    if data_id is not None:
        fields["dataId"] = data_id
    if code is not None:
        fields["code"] = code
    if msg is not None:
        fields["msg"] = msg
    if seconds is not None:
        fields["seconds"] = round(seconds, 3)
    if attempt is not None:
        fields["attempt"] = attempt
    task_logger.info(json.dumps(fields, ensure_ascii=False, sort_keys=True))


class JsonLineFormatter(logging.Formatter):
    """Every record as one JSON object; a message that already is a JSON object is merged in."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
        }
        message = record.getMessage()
        parsed: Any = None
        if message.startswith("{"):
            try:
                parsed = json.loads(message)
            except ValueError:
                parsed = None
        if isinstance(parsed, dict):
            out.update(parsed)
        else:
            out["message"] = message
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request line with its full URL; image URLs may carry signed tokens.
    logging.getLogger("httpx").setLevel(logging.WARNING)
