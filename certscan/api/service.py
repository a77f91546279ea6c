"""What the three operations do, independent of HTTP: authenticate, limit, accept, look up, wait."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import anyio

from certscan.api.envelope import lookup_failure, task_element
from certscan.api.policy import QpsLimiter, new_task_id, submitted_at
from certscan.api.signing import verify_request
from certscan.api.validation import RejectedTask, TaskSpec, parse_results_request, parse_scan_request
from certscan.errors import (
    BadRequest,
    DownloadFailed,
    InvalidAccessKey,
    PermissionDenied,
    ProcessingTimeout,
    QuotaExceeded,
    UrlNotAllowed,
)
from certscan.imaging.guard import check_url
from certscan.queue import TaskQueue
from certscan.queue.events import log_task_state
from certscan.queue.metrics import ServiceMetrics
from certscan.settings import Settings
from certscan.store import Account, NewTask, Store

# The account every request acts as when signatures are switched off (Settings.insecure_no_auth).
INSECURE_ACCOUNT = Account(access_key_id="insecure", access_key_secret="", uid="insecure-dev",
                           qps=None, enabled=True)
MAX_CLIENT_INFO_LENGTH = 4096


class ScanService:
    def __init__(self, settings: Settings, store: Store, queue: TaskQueue,
                 metrics: ServiceMetrics) -> None:
        self.settings = settings
        self.store = store
        self.queue = queue
        self.metrics = metrics
        self.limiter = QpsLimiter()

    # -- identity and limits -----------------------------------------------------------------------

    async def authenticate(self, method: str, path: str, query: list[tuple[str, str]],
                           headers: Mapping[str, str], body: bytes) -> Account:
        """The calling account; raises an ``AuthError`` (HTTP 401) or ``PermissionDenied`` (596)."""
        if self.settings.insecure_no_auth:
            return INSECURE_ACCOUNT
        key_id = await asyncio.to_thread(
            verify_request, method, path, query, headers, body, self.store.accounts.secret_for,
            self.store.nonces, time.time(), self.settings.auth_clock_skew_seconds,
        )
        account = await asyncio.to_thread(self.store.accounts.get, key_id)
        if account is None:  # deleted between the two reads
            raise InvalidAccessKey(f"Specified access key is not found: {key_id}")
        if not account.enabled:
            raise PermissionDenied("this access key is disabled")
        return account

    def check_quota(self, account: Account, operation: str) -> None:
        limit = account.qps or self.settings.qps_per_account
        if not self.limiter.allow(account.uid, operation, limit, time.monotonic()):
            raise QuotaExceeded(f"more than {limit} {operation} calls per second for this account")

    # -- operations --------------------------------------------------------------------------------

    async def submit(self, account: Account, body: bytes, request_id: str, *,
                     synchronous: bool = False, started: float | None = None,
                     client_info: str | None = None) -> list[dict[str, Any]]:
        """Accept the valid tasks of a scan request (durably, before answering) and describe each task.

        Synchronous: then wait up to the budget and answer with the results; a task still running
        answers 581 and can be polled later under its taskId. A callback URL the fetch guard refuses
        refuses every task with 401 and stores nothing (it would never be called).
        """
        started = started if started is not None else time.monotonic()
        if client_info is not None and len(client_info) > MAX_CLIENT_INFO_LENGTH:
            raise BadRequest(f"ClientInfo is longer than {MAX_CLIENT_INFO_LENGTH} characters")
        options, items = parse_scan_request(body, self.settings)
        if options.callback is not None:
            refusal = await self._callback_refusal(options.callback)
            if refusal is not None:
                return [item.element if isinstance(item, RejectedTask) else _refused_task(item, refusal)
                        for item in items]
        now = time.time()
        accepted: list[NewTask] = []
        answers: list[dict[str, Any]] = []
        for item in items:
            if isinstance(item, RejectedTask):
                answers.append(item.element)
                continue
            task = NewTask(
                task_id=new_task_id(now), uid=account.uid, request_id=request_id, url=item.url,
                card=options.card, data_id=item.data_id, biz_type=options.biz_type, extras=options.extras,
                callback=options.callback, seed=options.seed, crypt_type=options.crypt_type,
                priority=1 if synchronous else 0,  # someone is waiting on the line for these
                client_info=client_info,
            )
            accepted.append(task)
            answer: dict[str, Any] = {"code": 200, "msg": "OK"}
            if item.data_id is not None:
                answer["dataId"] = item.data_id
            answers.append({**answer, "taskId": task.task_id, "url": item.url, "extras": options.extras})
        if accepted:
            await asyncio.to_thread(self.store.tasks.add, accepted, now)
            for task in accepted:
                log_task_state("queued", task_id=task.task_id, request_id=request_id, card=task.card,
                               data_id=task.data_id)
            self.queue.notify()
        if synchronous and accepted:
            return await self._wait_and_answer(account, answers, started)
        return answers

    async def _callback_refusal(self, callback: str) -> str | None:
        """The task msg when the fetch guard refuses ``callback`` (the sender would never call it)."""
        try:
            with anyio.fail_after(self.settings.download_timeout_seconds):
                await check_url(callback, self.settings)
        except UrlNotAllowed as exc:
            return f"callback {exc.msg}"
        except (DownloadFailed, TimeoutError):
            # The name does not resolve now: no verdict. The sender re-checks every connection it opens.
            return None
        return None

    async def _wait_and_answer(self, account: Account, answers: list[dict[str, Any]],
                               started: float) -> list[dict[str, Any]]:
        ids = [a["taskId"] for a in answers if a.get("code") == 200 and "taskId" in a]
        remaining = self.settings.sync_scan_budget_seconds - (time.monotonic() - started)
        await self.queue.wait_for(ids, account.uid, max(0.0, remaining))
        rows = await asyncio.to_thread(self.store.tasks.get_many, ids, account.uid)
        out = []
        for answer in answers:
            row = rows.get(answer.get("taskId", ""))
            if row is None:
                out.append(answer)  # a rejected task: its 400 stands
                continue
            element = task_element(row)
            if element["code"] == 280:
                timeout = ProcessingTimeout(
                    f"not finished within {self.settings.sync_scan_budget_seconds:g} s; "
                    "the task goes on: poll /green/image/results with its taskId"
                )
                element = {**element, "code": timeout.code, "msg": timeout.msg}
            out.append(element)
        return out

    async def results(self, account: Account, body: bytes) -> list[dict[str, Any]]:
        """Each asked-for task's state: 280, 200 with results, its failure, 404, or 594 once expired."""
        items = parse_results_request(body)
        ids = [item for item in items if isinstance(item, str)]
        rows = await asyncio.to_thread(self.store.tasks.get_many, ids, account.uid)
        now = time.time()
        retention = self.settings.result_retention_seconds
        out: list[dict[str, Any]] = []
        for item in items:
            if isinstance(item, RejectedTask):
                out.append(item.element)
                continue
            issued = submitted_at(item)
            if issued is None:
                out.append(lookup_failure(item, 404, "task not found"))
            elif now - issued > retention:
                # Decided by the id alone: the same answer before and after the row is purged.
                out.append(lookup_failure(item, 594, f"task results expired (kept {retention} s)"))
            elif item in rows:
                out.append(task_element(rows[item]))
            else:
                out.append(lookup_failure(item, 404, "task not found"))
        return out

    async def healthy(self) -> bool:
        def ping() -> None:
            with self.store.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")

        try:
            await asyncio.to_thread(ping)
        except Exception:
            return False
        return True


def _refused_task(task: TaskSpec, msg: str) -> dict[str, Any]:
    element: dict[str, Any] = {"code": UrlNotAllowed.code, "msg": msg}
    if task.data_id is not None:
        element["dataId"] = task.data_id
    element["url"] = task.url
    return element
