"""The embedded task runner: claims tasks from the store, downloads, recognises in worker processes.

One asyncio dispatcher per server claims up to ``task_concurrency`` tasks at a time under a lease. For
each task it downloads the image on the event loop (async I/O) and hands the bytes to a process pool
(``workers`` processes), so OCR never blocks the loop. The outcome is written to the store before anyone
is told, which is what makes an accepted task survive a crash: whatever is not finished in the store is
claimed again (at start-up for the embedded SQLite store; when its lease lapses on a shared database).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import multiprocessing
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures.process import BrokenProcessPool

from certscan.queue.events import log_task_state
from certscan.queue.metrics import ServiceMetrics
from certscan.queue.process import ScanOutcome, init_worker_process, scan_in_worker, warm_up
from certscan.queue.task_body import FetchImage, FinishedHook, fetch_and_scan, purge_forever, record_outcome
from certscan.settings import Settings
from certscan.store import Store, TaskRow
from certscan.store.schema import FINAL_STATUSES
from certscan.uploads.sqlstore import open_upload_store
from certscan.uploads.store import UploadStore

logger = logging.getLogger("certscan.queue")

ScanImage = Callable[[bytes, str], ScanOutcome]
ExecutorFactory = Callable[[], concurrent.futures.Executor]
# FinishedHook (task_body): told about every finished task after its outcome (and callback delivery row)
# is stored; the callback dispatcher uses it to send at once instead of at its next poll.

# A task whose worker process died is retried this many times in all before it fails with 500, so an
# image that crashes the decoder cannot keep the queue busy forever.
MAX_ATTEMPTS_AFTER_CRASH = 3
POLL_SECONDS = 1.0  # how often to look for tasks this server was not told about (other servers, leases)


async def open_shared_fetch(settings: Settings) -> tuple[FetchImage, Callable[[], Awaitable[None]]]:
    """The image download (``certscan.imaging.fetch``) on one guarded HTTP client for the server's life:
    building a client loads the CA bundle (tens of ms of CPU), which must not happen per task on the
    event loop. Returns the fetch function and the client's closer."""
    from certscan.imaging.fetch import fetch_with_client
    from certscan.imaging.guard import guarded_client

    client = await asyncio.to_thread(guarded_client, settings)

    async def fetch(url: str, task_settings: Settings) -> bytes:
        return await fetch_with_client(client, url, task_settings)

    return fetch, client.aclose


def process_pool_factory(settings: Settings) -> ExecutorFactory:
    def build() -> concurrent.futures.Executor:
        # spawn: a fork of a process running an event loop and threads can inherit held locks.
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=max(1, settings.workers),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker_process,
        )

    return build


class EmbeddedQueue:
    def __init__(self, store: Store, settings: Settings, metrics: ServiceMetrics, *,
                 fetch: FetchImage | None = None, scan: ScanImage = scan_in_worker,
                 executor_factory: ExecutorFactory | None = None,
                 on_finished: FinishedHook | None = None, uploads: UploadStore | None = None) -> None:
        self._store = store
        # oss:// task URLs are read from here (the app passes the store its upload endpoint writes to).
        self._uploads = uploads if uploads is not None else open_upload_store(settings)
        self._on_finished = on_finished
        self._settings = settings
        self._metrics = metrics
        self._fetch = fetch
        self._close_fetch: Callable[[], Awaitable[None]] | None = None
        self._scan = scan
        self._executor_factory = executor_factory or process_pool_factory(settings)
        self._executor: concurrent.futures.Executor | None = None
        self.owner = f"server-{secrets.token_hex(6)}"
        self._inflight: dict[str, asyncio.Task[None]] = {}
        self._waiters: dict[str, tuple[asyncio.Event, int]] = {}
        self._wake = asyncio.Event()
        self._background: list[asyncio.Task[None]] = []
        self._stopping = False

    # -- lifecycle ---------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._store.single_node:
            requeued = await asyncio.to_thread(self._store.tasks.requeue_running)
            if requeued:
                logger.info("requeued %d task(s) left running by a previous run", requeued)
        if self._fetch is None:
            self._fetch, self._close_fetch = await open_shared_fetch(self._settings)
        self._executor = self._executor_factory()
        pool = self._executor
        if self._settings.warm_up_workers and isinstance(pool, concurrent.futures.ProcessPoolExecutor):
            for _ in range(max(1, self._settings.workers)):  # one per process; results are not awaited
                pool.submit(warm_up)
        self._background = [
            asyncio.create_task(self._dispatch_loop(), name="certscan-dispatch"),
            asyncio.create_task(self._lease_loop(), name="certscan-leases"),
            asyncio.create_task(self._purge_loop(), name="certscan-purge"),
        ]

    async def stop(self) -> None:
        """Stop claiming; hand unfinished tasks back to the queue so the next start runs them."""
        self._stopping = True
        for task in self._background:
            task.cancel()
        running = list(self._inflight)
        for task in list(self._inflight.values()):
            task.cancel()
        await asyncio.gather(*self._background, *self._inflight.values(), return_exceptions=True)
        with contextlib.suppress(Exception):
            await asyncio.to_thread(self._store.tasks.release, running, self.owner)
        if self._executor is not None:
            executor, self._executor = self._executor, None
            await asyncio.to_thread(executor.shutdown, True, cancel_futures=True)
        if self._close_fetch is not None:
            await self._close_fetch()

    def notify(self) -> None:
        """New tasks were stored: look for work now instead of at the next poll."""
        self._wake.set()

    @property
    def in_flight(self) -> int:
        return len(self._inflight)

    # -- waiting for results (synchronous scan) ----------------------------------------------------

    async def wait_for(self, task_ids: Iterable[str], uid: str, timeout: float) -> None:
        """Return when every task is finished or ``timeout`` seconds have passed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        ids = list(dict.fromkeys(task_ids))
        events = [self._add_waiter(tid) for tid in ids]
        try:
            while True:
                pending = [ev for ev in events if not ev.is_set()]
                remaining = deadline - loop.time()
                if not pending or remaining <= 0:
                    return
                waits = [asyncio.ensure_future(ev.wait()) for ev in pending]
                _, not_done = await asyncio.wait(waits, timeout=min(remaining, POLL_SECONDS))
                for waiting in not_done:
                    waiting.cancel()
                if not_done:  # another server may have finished them: ask the store
                    rows = await asyncio.to_thread(self._store.tasks.get_many, ids, uid)
                    for tid, ev in zip(ids, events, strict=True):
                        if tid not in rows or rows[tid].status in FINAL_STATUSES:
                            ev.set()
        finally:
            for tid in ids:
                self._drop_waiter(tid)

    def _add_waiter(self, task_id: str) -> asyncio.Event:
        event, count = self._waiters.get(task_id, (asyncio.Event(), 0))
        self._waiters[task_id] = (event, count + 1)
        return event

    def _drop_waiter(self, task_id: str) -> None:
        event, count = self._waiters.get(task_id, (None, 0))
        if event is None:
            return
        if count <= 1:
            del self._waiters[task_id]
        else:
            self._waiters[task_id] = (event, count - 1)

    # -- the dispatcher ----------------------------------------------------------------------------

    async def _dispatch_loop(self) -> None:
        while not self._stopping:
            self._wake.clear()
            free = self._settings.task_concurrency - len(self._inflight)
            if free > 0:
                now = time.time()
                try:
                    rows = await asyncio.to_thread(
                        self._store.tasks.claim, free, self.owner, now, self._settings.task_lease_seconds,
                        now - self._settings.result_retention_seconds,
                    )
                except Exception:
                    logger.exception("claiming tasks failed; retrying")
                    rows = []
                for row in rows:
                    self._inflight[row.task_id] = asyncio.create_task(self._run(row), name=row.task_id)
                self._metrics.tasks_in_flight.set(len(self._inflight))
                if rows and len(rows) == free:
                    continue  # the queue may hold more; claim again once a slot frees (woken below)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)

    async def _run(self, row: TaskRow) -> None:
        started = time.time()
        self._metrics.task_queue_seconds.observe(max(0.0, started - row.created_at))
        log_task_state("running", task_id=row.task_id, request_id=row.request_id, card=row.card,
                       data_id=row.data_id, attempt=row.attempts)
        try:
            try:
                code, msg, element = await self._process(row)
            except BrokenProcessPool:
                self._replace_broken_executor()
                if row.attempts < MAX_ATTEMPTS_AFTER_CRASH:
                    await asyncio.to_thread(self._store.tasks.release, [row.task_id], self.owner)
                    log_task_state("queued", task_id=row.task_id, request_id=row.request_id, card=row.card,
                                   msg="worker process died; task requeued")
                    return
                code, msg, element = 500, "the worker process died while recognising this image", None
            await record_outcome(self._store, row, (code, msg, element), started, self._metrics,
                                 self._on_finished)
        except asyncio.CancelledError:
            raise
        except Exception:
            # The store could not record the outcome: the task stays running under our lease and is
            # claimed again once it lapses (or at the next start-up). Nothing is lost.
            logger.exception("task %s could not be finished; it will be retried", row.task_id)
        finally:
            self._inflight.pop(row.task_id, None)
            self._metrics.tasks_in_flight.set(len(self._inflight))
            waiter = self._waiters.get(row.task_id)
            if waiter is not None:
                waiter[0].set()
            self._wake.set()

    async def _process(self, row: TaskRow) -> ScanOutcome:
        """Download and recognise (``task_body.fetch_and_scan``), recognition in the process pool; every
        failure but a dead worker process becomes a (code, msg)."""
        if self._fetch is None or self._executor is None:
            logger.error("task %s: the queue is not started", row.task_id)
            return 500, "internal error", None
        return await fetch_and_scan(row, self._settings, self._fetch, self._uploads, self._scan_in_pool)

    async def _scan_in_pool(self, data: bytes, card: str) -> ScanOutcome:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._scan, data, card)

    def _replace_broken_executor(self) -> None:
        executor = self._executor
        if isinstance(executor, concurrent.futures.ProcessPoolExecutor) and not getattr(
            executor, "_broken", False
        ):
            return  # already replaced by another task that saw the same crash
        logger.error("a worker process died; starting a new pool")
        self._executor = self._executor_factory()
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    # -- housekeeping ------------------------------------------------------------------------------

    async def _lease_loop(self) -> None:
        interval = max(1.0, self._settings.task_lease_seconds / 3)
        while not self._stopping:
            await asyncio.sleep(interval)
            try:
                await asyncio.to_thread(self._store.tasks.renew_leases, list(self._inflight), self.owner,
                                        time.time() + self._settings.task_lease_seconds)
            except Exception:
                logger.exception("renewing task leases failed")

    async def _purge_loop(self) -> None:
        await purge_forever(self._store, self._uploads, self._settings, lambda: self._stopping)
