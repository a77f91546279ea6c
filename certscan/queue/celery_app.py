"""Scale-out mode, the Celery side: the app (Redis broker, no result backend) and its one task.

A message carries a task id only; the task itself (URL, card, account) is read from the shared store,
which is also where the outcome goes. Each worker process (a Celery prefork child) holds what the
embedded runner's server holds: the store, one guarded HTTP client, the upload store and the OCR models
(loaded once, at process start). The task body is ``task_body.fetch_and_scan`` + ``record_outcome``,
the same code the embedded runner runs.

Durability: messages are acknowledged only after the task ran (``acks_late``) and a message whose worker
process died goes back to the broker (``reject_on_worker_lost``). Whatever the broker loses, the store
still has: a running task keeps a lease its worker renews, and the API servers' sweep puts a task whose
lease lapsed back in the queue (``celery_queue.CeleryQueue``). ``claim_task`` makes duplicates harmless.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time

from celery import Celery

from certscan.queue.celery_store import claim_task
from certscan.queue.events import log_task_state
from certscan.queue.process import ScanOutcome, scan_in_worker, warm_up
from certscan.queue.task_body import fetch_and_scan, record_outcome
from certscan.settings import Settings
from certscan.store import Store, TaskRow

logger = logging.getLogger("certscan.worker")

TASK_NAME = "certscan.run_task"
# Redis priorities: 0 is served first. Synchronous scans (store priority 1) have someone waiting.
SYNC_PRIORITY, ASYNC_PRIORITY = 0, 6


def finished_channel(settings: Settings) -> str:
    """Redis pub/sub channel on which workers announce finished task ids (API servers listen)."""
    return f"{settings.celery_queue}:finished"


def celery_priority(store_priority: int) -> int:
    return SYNC_PRIORITY if store_priority > 0 else ASYNC_PRIORITY


def make_celery(settings: Settings) -> Celery:
    app = Celery("certscan", broker=settings.redis_url, set_as_current=False)
    app.conf.update(
        task_default_queue=settings.celery_queue,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,  # outcomes live in the store
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a busy worker must not sit on messages others could run
        worker_hijack_root_logger=False,
        worker_proc_alive_timeout=120,  # a child loads the OCR models before it reports ready
        broker_connection_retry_on_startup=True,
        broker_transport_options={"queue_order_strategy": "priority", "priority_steps": [0, 3, 6, 9]},
        worker_send_task_events=False,
    )

    @app.task(name=TASK_NAME, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
    def run_task(task_id: str) -> str:
        return worker_process(settings).run(task_id)

    return app


class WorkerProcess:
    """One Celery worker process's long-lived state. Built after the fork (never in the parent)."""

    def __init__(self, settings: Settings) -> None:
        from redis import Redis

        from certscan.queue.embedded import open_shared_fetch
        from certscan.uploads.sqlstore import open_upload_store

        self.settings = settings
        self.owner = f"worker-{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self.store = Store.from_settings(settings)
        self.uploads = open_upload_store(settings)
        self.redis = Redis.from_url(settings.redis_url)
        # One event loop for the process's life: the shared HTTP client (CA bundle loaded once) is bound
        # to it. Tasks run on it one at a time (a prefork child runs one task at a time).
        self.loop = asyncio.new_event_loop()
        self.fetch, self._close_fetch = self.loop.run_until_complete(open_shared_fetch(settings))

    def run(self, task_id: str) -> str:
        return self.loop.run_until_complete(self._run(task_id))

    def close(self) -> None:
        self.loop.run_until_complete(self._close_fetch())
        self.loop.close()
        self.store.close()
        self.redis.close()

    async def _run(self, task_id: str) -> str:
        settings = self.settings
        now = time.time()
        row = await asyncio.to_thread(claim_task, self.store.engine, task_id, self.owner, now,
                                      settings.task_lease_seconds, now - settings.result_retention_seconds)
        if row is None:  # a duplicate message: running elsewhere, finished, or purged
            logger.info("task %s is not runnable (finished or running elsewhere); message dropped", task_id)
            return "skipped"
        started = time.time()
        log_task_state("running", task_id=row.task_id, request_id=row.request_id, card=row.card,
                       data_id=row.data_id, attempt=row.attempts)
        renewer = asyncio.create_task(self._renew_lease(row.task_id))
        try:
            outcome = await fetch_and_scan(row, settings, self.fetch, self.uploads, self._scan)
            await record_outcome(self.store, row, outcome, started, on_finished=self._announce)
        except Exception:
            # Not recorded: the lease lapses and the API servers' sweep queues the task again.
            logger.exception("task %s could not be finished; it will be retried", row.task_id)
            return "unrecorded"
        finally:
            renewer.cancel()
            await asyncio.gather(renewer, return_exceptions=True)
        return str(outcome[0])

    async def _scan(self, data: bytes, card: str) -> ScanOutcome:
        # In a thread, so the loop stays free to renew the lease during a long recognition.
        return await asyncio.to_thread(scan_in_worker, data, card)

    async def _renew_lease(self, task_id: str) -> None:
        lease = self.settings.task_lease_seconds
        while True:
            await asyncio.sleep(max(0.5, lease / 3))
            try:
                await asyncio.to_thread(self.store.tasks.renew_leases, [task_id], self.owner,
                                        time.time() + lease)
            except Exception:
                logger.exception("renewing the lease of task %s failed", task_id)

    async def _announce(self, row: TaskRow) -> None:
        """Tell the API servers at once (waiting synchronous scans, the callback sender); they also
        find out from the store at their next poll, so a lost announcement only costs latency."""
        await asyncio.to_thread(self.redis.publish, finished_channel(self.settings), row.task_id)


_process_state: WorkerProcess | None = None


def worker_process(settings: Settings) -> WorkerProcess:
    global _process_state
    if _process_state is None:
        _process_state = WorkerProcess(settings)
    return _process_state


def init_worker_process(settings: Settings) -> None:
    """At the start of each worker process: open the store and client, load the models."""
    worker_process(settings)
    if settings.warm_up_workers:
        warm_up()


def close_worker_process() -> None:
    global _process_state
    if _process_state is not None:
        state, _process_state = _process_state, None
        try:
            state.close()
        except Exception:
            logger.exception("closing the worker process state failed")
