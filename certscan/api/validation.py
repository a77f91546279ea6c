"""Validation of the scan and results bodies, as the reference document states the rules.

Request-level problems (not JSON, wrong ``scenes``, unknown card, 0 or more than 100 tasks, a bad
``callback``/``seed``/``cryptType``) refuse the whole request with ``BadRequest`` (envelope code 400).
A problem of one task (its ``url`` or ``dataId``) rejects only that task: it gets its own 400 element and
the other tasks go ahead. A task URL is http(s), or ``oss://<bucket>/<object>`` naming the upload store or a
configured bucket (``certscan.uploads.resolve``; who may read the object is decided when the task runs).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from certscan.constants import CARD_TYPES, CRYPT_TYPES, MAX_SEED_LENGTH, MAX_TASKS_PER_REQUEST, MAX_URL_LENGTH
from certscan.errors import BadRequest
from certscan.settings import Settings, get_settings
from certscan.uploads.resolve import is_oss_url, submit_time_problem

MAX_DATA_ID_LENGTH = 128
MAX_BIZ_TYPE_LENGTH = 64
_SEED = re.compile(rf"^[A-Za-z0-9_]{{1,{MAX_SEED_LENGTH}}}$")
_NO_SPACE = re.compile(r"^\S+$")


@dataclass(frozen=True)
class ScanOptions:
    """The request-level fields every task of one request shares."""

    card: str
    extras: dict[str, Any]
    biz_type: str | None = None
    callback: str | None = None
    seed: str | None = None
    crypt_type: str | None = None


@dataclass(frozen=True)
class TaskSpec:
    url: str
    data_id: str | None


@dataclass(frozen=True)
class RejectedTask:
    element: dict[str, Any] = field(default_factory=dict)


def _load_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest("the body must be UTF-8 JSON") from exc


def _http_url_problem(url: str, what: str) -> str | None:
    if len(url) > MAX_URL_LENGTH:
        return f"{what} is longer than {MAX_URL_LENGTH} characters"
    if not _NO_SPACE.match(url):
        return f"{what} must not contain whitespace"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"{what} must be an http or https URL"
    return None


def _optional_str(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{key} must be a string")
    return value


def _options(body: dict[str, Any]) -> ScanOptions:
    scenes = body.get("scenes")
    if scenes != ["ocr"]:
        raise BadRequest('scenes must be ["ocr"]')
    extras = body.get("extras")
    card = extras.get("card") if isinstance(extras, dict) else None
    if card not in CARD_TYPES:
        raise BadRequest("extras.card must be one of: " + ", ".join(CARD_TYPES))
    biz_type = _optional_str(body, "bizType")
    if biz_type is not None and len(biz_type) > MAX_BIZ_TYPE_LENGTH:
        raise BadRequest(f"bizType is longer than {MAX_BIZ_TYPE_LENGTH} characters")
    callback = _optional_str(body, "callback") or None
    seed = _optional_str(body, "seed") or None
    crypt_type = _optional_str(body, "cryptType") or None
    if callback is not None:
        problem = _http_url_problem(callback, "callback")
        if problem:
            raise BadRequest(problem)
        if seed is None:
            raise BadRequest("seed is required when callback is set")
    if seed is not None and not _SEED.match(seed):
        raise BadRequest(f"seed must be 1-{MAX_SEED_LENGTH} characters of letters, digits and _")
    if crypt_type is not None and crypt_type not in CRYPT_TYPES:
        raise BadRequest("cryptType must be SHA256 or SM3")
    if callback is not None and crypt_type is None:
        crypt_type = "SHA256"  # the reference's default
    assert isinstance(extras, dict)
    return ScanOptions(card=card, extras=extras, biz_type=biz_type, callback=callback, seed=seed,
                       crypt_type=crypt_type)


def _task(raw: Any, duplicated: set[str], settings: Settings) -> TaskSpec | RejectedTask:
    if not isinstance(raw, dict):
        return RejectedTask({"code": 400, "msg": "each task must be a JSON object"})
    data_id = raw.get("dataId")
    url = raw.get("url")
    echo: dict[str, Any] = {}
    if isinstance(data_id, str):
        echo["dataId"] = data_id
    if isinstance(url, str):
        echo["url"] = url

    def reject(msg: str) -> RejectedTask:
        return RejectedTask({"code": 400, "msg": msg, **echo})

    if data_id is not None:
        if not isinstance(data_id, str):
            return reject("dataId must be a string")
        if len(data_id) > MAX_DATA_ID_LENGTH:
            return reject(f"dataId is longer than {MAX_DATA_ID_LENGTH} characters")
        if data_id in duplicated:
            return reject("dataId must be unique within the request")
    if not isinstance(url, str) or not url:
        return reject("url is required")
    if is_oss_url(url):
        if len(url) > MAX_URL_LENGTH:
            return reject(f"url is longer than {MAX_URL_LENGTH} characters")
        problem = submit_time_problem(url, settings)
        return reject(problem) if problem else TaskSpec(url=url, data_id=data_id)
    problem = _http_url_problem(url, "url")
    if problem:
        return reject(problem)
    return TaskSpec(url=url, data_id=data_id)


def parse_scan_request(body: bytes, settings: Settings | None = None,
                       ) -> tuple[ScanOptions, list[TaskSpec | RejectedTask]]:
    """The request's shared options and, in order, each task or its rejection. ``settings`` decide which
    ``oss://`` buckets exist (the process's settings when not given)."""
    settings = settings or get_settings()
    parsed = _load_json(body)
    if not isinstance(parsed, dict):
        raise BadRequest("the body must be a JSON object")
    options = _options(parsed)
    raw_tasks = parsed.get("tasks")
    if not isinstance(raw_tasks, list) or not raw_tasks:
        raise BadRequest("tasks must be a non-empty array")
    if len(raw_tasks) > MAX_TASKS_PER_REQUEST:
        raise BadRequest(f"at most {MAX_TASKS_PER_REQUEST} tasks per request (got {len(raw_tasks)})")
    # Every task sharing a dataId is refused: accepting one of them would make the answers ambiguous.
    seen: set[str] = set()
    duplicated: set[str] = set()
    for raw in raw_tasks:
        data_id = raw.get("dataId") if isinstance(raw, dict) else None
        if isinstance(data_id, str):
            (duplicated if data_id in seen else seen).add(data_id)
    return options, [_task(raw, duplicated, settings) for raw in raw_tasks]


def parse_results_request(body: bytes) -> list[str | RejectedTask]:
    """The task ids of a results request, in order; a non-string entry is rejected on its own."""
    parsed = _load_json(body)
    if not isinstance(parsed, list) or not parsed:
        raise BadRequest("the body must be a non-empty JSON array of taskIds")
    if len(parsed) > MAX_TASKS_PER_REQUEST:
        raise BadRequest(f"at most {MAX_TASKS_PER_REQUEST} taskIds per request (got {len(parsed)})")
    return [
        item if isinstance(item, str) else RejectedTask({"code": 400, "msg": "a taskId must be a string"})
        for item in parsed
    ]
