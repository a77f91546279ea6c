"""The body of one task, shared by every runner: read the image, recognise it, record the outcome.

The embedded runner (``embedded.py``) and the Celery worker (``celery_app.py``) differ only in where the
recognition runs (a process pool next to the event loop, or the Celery worker process itself) and in
whom they tell about a finished task. What a task does, how its failures become (code, msg) pairs, and
how its outcome is stored and logged lives here, once.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from certscan.errors import TaskError
from certscan.queue.events import log_task_state
from certscan.queue.metrics import ServiceMetrics
from certscan.queue.process import ScanOutcome
from certscan.settings import Settings
from certscan.store import Store, TaskRow
from certscan.uploads.resolve import read_task_image
from certscan.uploads.store import UploadStore

logger = logging.getLogger("certscan.queue")

FetchImage = Callable[[str, Settings], Awaitable[bytes]]
# Recognise image bytes as a card type, wherever that runs (awaitable so a pool or thread can do it).
RunScan = Callable[[bytes, str], Awaitable[ScanOutcome]]
# Told about every finished task after its outcome (and callback delivery row) is stored.
FinishedHook = Callable[[TaskRow], Any]


async def fetch_and_scan(row: TaskRow, settings: Settings, fetch: FetchImage, uploads: UploadStore,
                         scan: RunScan) -> ScanOutcome:
    """Read the task's image and recognise it. Every failure but a dead worker process (which the
    caller handles: the task is retried) becomes the task's (code, msg)."""
    try:
        data = await read_task_image(row.url, row.uid, settings, fetch, uploads)
        return await scan(data, row.card)
    except TaskError as exc:
        return exc.code, exc.msg, None
    except (BrokenProcessPool, asyncio.CancelledError):
        raise
    except Exception:
        logger.exception("task %s failed unexpectedly", row.task_id)
        return 500, "internal error", None


async def record_outcome(store: Store, row: TaskRow, outcome: ScanOutcome, started: float,
                         metrics: ServiceMetrics | None = None,
                         on_finished: FinishedHook | None = None) -> TaskRow | None:
    """Store the outcome (which also queues the callback delivery), count and log it, then tell the
    hook. Raises if the store cannot record it: the task then stays running until its lease lapses
    and is run again."""
    code, msg, element = outcome
    elapsed = time.time() - started
    finished = await asyncio.to_thread(store.tasks.finish, row.task_id, code, msg, element, time.time())
    if metrics is not None:
        metrics.task_seconds.labels(card=row.card).observe(elapsed)
        metrics.tasks_finished.labels(card=row.card, code=str(code)).inc()
    log_task_state("done" if element is not None else "failed", task_id=row.task_id,
                   request_id=row.request_id, card=row.card, data_id=row.data_id, code=code,
                   msg=None if element is not None else msg, seconds=elapsed)
    if finished is not None:
        await call_finished_hook(on_finished, finished)
    return finished


async def call_finished_hook(hook: FinishedHook | None, task: TaskRow) -> None:
    """The hook may be sync or async; its failure is logged, never the task's."""
    if hook is None:
        return
    try:
        outcome = hook(task)
        if inspect.isawaitable(outcome):
            await outcome
    except Exception:
        logger.exception("finished-task hook failed for task %s", task.task_id)


async def purge_expired(store: Store, uploads: UploadStore, settings: Settings) -> None:
    """One round of retention: tasks (with their deliveries), signature nonces and uploaded objects."""
    now = time.time()
    cutoff = now - settings.result_retention_seconds
    purged = await asyncio.to_thread(store.tasks.purge_created_before, cutoff)
    await asyncio.to_thread(store.nonces.purge, now)
    # Uploaded objects live as long as the tasks that name them.
    await asyncio.to_thread(uploads.purge, cutoff)
    if purged:
        logger.info("purged %d task(s) past retention", purged)


async def purge_forever(store: Store, uploads: UploadStore, settings: Settings,
                        stopping: Callable[[], bool]) -> None:
    """``purge_expired`` every ``purge_interval_seconds`` until ``stopping()``; a failed round is logged."""
    while not stopping():
        try:
            await purge_expired(store, uploads, settings)
        except Exception:
            logger.exception("purging expired tasks failed")
        await asyncio.sleep(settings.purge_interval_seconds)
