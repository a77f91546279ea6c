"""Scale-out mode, the API side: ``CeleryQueue`` hands stored tasks to Celery workers via Redis.

The API server stores each task before it answers (as in the embedded mode); this runner then publishes
the task ids to the broker. It runs no OCR itself. Its loops, all driven by the store:

- publish: queued tasks not yet handed to the broker (woken by ``notify`` after each submission), and
  queued tasks handed over ``celery_republish_seconds`` ago that no worker took (a lost message);
- sweep: running tasks whose worker stopped renewing the lease (killed, machine gone) go back to the
  queue, or fail with 500 after ``MAX_ATTEMPTS_AFTER_CRASH`` attempts (an image that kills workers);
- listen: workers announce finished tasks on a Redis channel; waiting synchronous scans return and the
  callback dispatcher sends at once (both also poll the store, so a lost announcement costs latency only);
- purge: results, nonces and uploads past retention, as the embedded runner does.

Several API servers may share one store and broker: rows are taken with SKIP LOCKED, and any duplicate
message is dropped by the worker that finds its task no longer runnable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from certscan.queue.celery_app import TASK_NAME, celery_priority, finished_channel, make_celery
from certscan.queue.celery_store import Publishable, requeue_lapsed, take_unpublished, unmark_published
from certscan.queue.embedded import MAX_ATTEMPTS_AFTER_CRASH
from certscan.queue.events import log_task_state
from certscan.queue.metrics import ServiceMetrics
from certscan.queue.task_body import FinishedHook, call_finished_hook, purge_forever
from certscan.settings import Settings
from certscan.store import Store
from certscan.store.schema import FINAL_STATUSES
from certscan.uploads.store import UploadStore

logger = logging.getLogger("certscan.queue")

POLL_SECONDS = 1.0  # store polling of the publish loop and of waiting synchronous scans
RETRY_SECONDS = 5.0  # after a broker or database failure (not a log line per second while it is down)
PUBLISH_BATCH = 200


class CeleryQueue:
    def __init__(self, store: Store, settings: Settings, metrics: ServiceMetrics,
                 on_finished: FinishedHook | None = None, *, uploads: UploadStore | None = None) -> None:
        from certscan.uploads.sqlstore import open_upload_store

        self._store = store
        self._settings = settings
        self._metrics = metrics
        self._on_finished = on_finished
        self._uploads = uploads if uploads is not None else open_upload_store(settings)
        self._celery = make_celery(settings)
        self._wake = asyncio.Event()
        # Replaced on every announcement, so each waiter waits for the next one after its store read.
        self._finished_pulse = asyncio.Event()
        self._background: list[asyncio.Task[None]] = []
        self._stopping = False

    async def start(self) -> None:
        loops: list[tuple[str, Callable[[], Coroutine[Any, Any, None]]]] = [
            ("publish", self._publish_loop), ("sweep", self._sweep_loop),
            ("listen", self._listen_loop), ("purge", self._purge_loop),
        ]
        self._background = [asyncio.create_task(run(), name=f"certscan-celery-{name}") for name, run in loops]

    async def stop(self) -> None:
        """Stop publishing; queued tasks stay in the store (and the broker) for the workers."""
        self._stopping = True
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await asyncio.to_thread(self._celery.close)

    def notify(self) -> None:
        self._wake.set()

    @property
    def in_flight(self) -> int:
        return 0  # this server runs no tasks; the workers do

    async def wait_for(self, task_ids: Iterable[str], uid: str, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        ids = list(dict.fromkeys(task_ids))
        while True:
            pulse = self._finished_pulse
            rows = await asyncio.to_thread(self._store.tasks.get_many, ids, uid)
            if all(tid not in rows or rows[tid].status in FINAL_STATUSES for tid in ids):
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(pulse.wait(), timeout=min(remaining, POLL_SECONDS))

    # -- publishing --------------------------------------------------------------------------------

    async def _publish_loop(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                published = await asyncio.to_thread(self._publish_due)
            except Exception:
                logger.exception("publishing tasks to the broker failed; retrying in %g s", RETRY_SECONDS)
                await asyncio.sleep(RETRY_SECONDS)
                continue
            if published == PUBLISH_BATCH:
                continue  # more may be waiting
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)

    def _publish_due(self) -> int:
        settings = self._settings
        now = time.time()
        due = take_unpublished(self._store.engine, PUBLISH_BATCH, now, settings.celery_republish_seconds,
                               now - settings.result_retention_seconds)
        if not due:
            return 0
        sent: set[str] = set()
        try:
            with self._celery.producer_or_acquire() as producer:
                for task in due:
                    self._send(task, producer)
                    sent.add(task.task_id)
        finally:
            # Whatever did not reach the broker is due again at the next round, not in minutes.
            unmark_published(self._store.engine, [t.task_id for t in due if t.task_id not in sent])
        return len(due)

    def _send(self, task: Publishable, producer: object) -> None:
        self._celery.send_task(TASK_NAME, args=[task.task_id], queue=self._settings.celery_queue,
                               priority=celery_priority(task.priority), producer=producer)

    # -- dead workers ------------------------------------------------------------------------------

    async def _sweep_loop(self) -> None:
        interval = max(1.0, self._settings.task_lease_seconds / 3)
        while not self._stopping:
            await asyncio.sleep(interval)
            try:
                await self._sweep_once()
            except Exception:
                logger.exception("sweeping tasks of dead workers failed")

    async def _sweep_once(self) -> None:
        now = time.time()
        again, exhausted = await asyncio.to_thread(
            requeue_lapsed, self._store.engine, now, MAX_ATTEMPTS_AFTER_CRASH
        )
        if again:
            logger.warning("requeued %d task(s) whose worker stopped renewing the lease", len(again))
            self._wake.set()
        for task_id in exhausted:
            msg = "the worker process died while recognising this image"
            row = await asyncio.to_thread(self._store.tasks.finish, task_id, 500, msg, None, time.time())
            if row is None:
                continue
            log_task_state("failed", task_id=row.task_id, request_id=row.request_id, card=row.card,
                           data_id=row.data_id, code=500, msg=msg)
            self._pulse()
            await call_finished_hook(self._on_finished, row)

    # -- finished-task announcements ---------------------------------------------------------------

    def _pulse(self) -> None:
        pulse, self._finished_pulse = self._finished_pulse, asyncio.Event()
        pulse.set()

    async def _listen_loop(self) -> None:
        from redis.asyncio import Redis

        while not self._stopping:
            client = Redis.from_url(self._settings.redis_url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(finished_channel(self._settings))
                    while not self._stopping:
                        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                        if message is not None:
                            await self._on_announcement(message["data"])
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("listening for finished tasks failed; reconnecting in %g s", RETRY_SECONDS)
                await asyncio.sleep(RETRY_SECONDS)
            finally:
                await client.aclose()

    async def _on_announcement(self, data: bytes | str) -> None:
        task_id = data.decode() if isinstance(data, bytes) else data
        self._pulse()
        if self._on_finished is None:
            return
        row = await asyncio.to_thread(self._store.tasks.get, task_id)
        if row is not None:
            await call_finished_hook(self._on_finished, row)

    # -- retention ---------------------------------------------------------------------------------

    async def _purge_loop(self) -> None:
        await purge_forever(self._store, self._uploads, self._settings, lambda: self._stopping)
