"""The durable callback delivery loop.

Deliveries live in the store (``certscan_deliveries``): ``TaskRepository.finish`` writes the row in the
same transaction that finishes a task, so a finished task's callback is never lost. This loop claims due
rows under a lease, POSTs each one in its own asyncio task (the store's blocking calls run in worker
threads, so OCR and HTTP serving go on), and records every attempt. A slow receiver never blocks another:
each receiver gets at most ``callback_host_concurrency`` of the ``callback_concurrency`` attempts in flight;
a delivery past its receiver's share is postponed briefly, without counting an attempt. Outcomes:
delivered on HTTP 200; otherwise the next attempt is scheduled with back-off, until ``callback_attempts``
attempts in all, after which the delivery is recorded as given up. A server killed mid-attempt leaves its
claimed rows to be claimed again when their lease lapses: delivery is at least once.

Wiring (the server's lifespan)::

    dispatcher = CallbackDispatcher(store, settings)
    task = asyncio.create_task(dispatcher.run())
    ...  # the worker calls dispatcher.on_task_finished(row) with the row TaskRepository.finish returned
    await dispatcher.stop(); await task
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from certscan.callbacks.checksum import checksum
from certscan.callbacks.payload import element_json
from certscan.callbacks.sender import backoff_delay, callback_client, post_once
from certscan.errors import UrlNotAllowed
from certscan.settings import Settings
from certscan.store import Delivery, Store, TaskRow

log = logging.getLogger(__name__)

# A claimed delivery stays leased for one attempt's timeout plus this margin (store round trips).
LEASE_MARGIN_SECONDS = 10.0
# A delivery whose receiver is at its concurrency share is due again after 0.5-1 times this.
POSTPONE_SECONDS = 1.0


def receiver_key(url: str) -> str:
    """What a receiver's concurrency share is counted by: the scheme, host and port of its URL."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port or ''}"


class CallbackDispatcher:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
        client_factory: Callable[[Settings], httpx.AsyncClient] = callback_client,
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._rand = rand
        self._client_factory = client_factory
        self._in_flight: set[asyncio.Task[None]] = set()
        self._per_receiver: Counter[str] = Counter()
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False

    @property
    def lease_seconds(self) -> float:
        return self._settings.callback_timeout_seconds + LEASE_MARGIN_SECONDS

    def on_task_finished(self, row: TaskRow | None) -> None:
        """Hook for whoever finishes tasks: the delivery row already exists (``finish`` wrote it); this
        only wakes the loop so the first attempt goes out now rather than at the next poll. Safe to call
        from any thread."""
        if row is None or not row.callback or self._wake is None or self._loop is None:
            return
        wake = self._wake
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            wake.set()
        elif not self._loop.is_closed():
            self._loop.call_soon_threadsafe(wake.set)

    async def run(self) -> None:
        """Deliver until :meth:`stop`. Attempts in flight at stop are abandoned to their lease."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        async with self._client_factory(self._settings) as client:
            try:
                while not self._stopping:
                    # Cleared before claiming: a wake-up that arrives while claiming triggers another pass.
                    self._wake.clear()
                    try:
                        await self.dispatch_due(client)
                    except Exception:  # a store outage must not end the loop; the next poll retries
                        log.exception("callback dispatcher: claiming due deliveries failed")
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self._settings.callback_poll_seconds)
            finally:
                for task in list(self._in_flight):
                    task.cancel()
                await asyncio.gather(*self._in_flight, return_exceptions=True)

    async def stop(self) -> None:
        self._stopping = True
        if self._wake is not None:
            self._wake.set()

    async def dispatch_due(self, client: httpx.AsyncClient) -> int:
        """Claim what is due (up to the free concurrency) and start one attempt per delivery."""
        free = self._settings.callback_concurrency - len(self._in_flight)
        if free <= 0:
            return 0
        claimed = await asyncio.to_thread(
            self._store.deliveries.claim_due, free, self._clock(), self.lease_seconds
        )
        for delivery in claimed:
            task = asyncio.create_task(self._attempt(client, delivery), name=f"callback-{delivery.task_id}")
            self._in_flight.add(task)
            task.add_done_callback(self._attempt_done)
        return len(claimed)

    def _attempt_done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("callback attempt crashed (retried when its lease lapses)", exc_info=task.exception())
        if self._wake is not None and not self._stopping:
            self._wake.set()  # a slot is free: look for more due deliveries now

    async def _attempt(self, client: httpx.AsyncClient, delivery: Delivery) -> None:
        row = await asyncio.to_thread(self._store.tasks.get, delivery.task_id)
        if row is None or not row.callback:
            await self._record(delivery, delivered=False, error="task no longer stored", give_up=True)
            return
        try:
            content = element_json(row)
            signed = checksum(row.uid, row.seed or "", content, row.crypt_type)
        except ValueError as exc:  # unknown cryptType: no attempt can ever succeed
            await self._record(delivery, delivered=False, error=str(exc), give_up=True)
            return
        receiver = receiver_key(row.callback)
        if self._per_receiver[receiver] >= max(1, self._settings.callback_host_concurrency):
            # This receiver already has its share of attempts in flight (it may be slow): try again
            # shortly instead of taking a slot another receiver could use. Not counted as an attempt.
            now = self._clock()
            await asyncio.to_thread(self._store.deliveries.postpone, delivery.task_id,
                                    now + POSTPONE_SECONDS * (0.5 + self._rand() / 2), now)
            return
        self._per_receiver[receiver] += 1
        try:
            form = {"checksum": signed, "content": content}
            error = await post_once(client, row.callback, form, self._settings.callback_timeout_seconds)
        except UrlNotAllowed as exc:
            # The guard refuses the receiver's address; retrying cannot change that.
            await self._record(delivery, delivered=False, error=f"url not allowed: {exc.msg}", give_up=True)
            return
        finally:
            self._per_receiver[receiver] -= 1
            if self._per_receiver[receiver] <= 0:
                del self._per_receiver[receiver]
        await self._record(delivery, delivered=error is None, error=error, give_up=False)

    async def _record(self, delivery: Delivery, *, delivered: bool, error: str | None, give_up: bool) -> None:
        attempts_made = delivery.attempts + 1
        now = self._clock()
        next_at: float | None = None
        if not delivered and not give_up and attempts_made < self._settings.callback_attempts:
            next_at = now + backoff_delay(attempts_made, self._settings.callback_backoff_base_seconds,
                                          self._settings.callback_backoff_max_seconds, self._rand)
        if not delivered:
            outcome = "retry" if next_at is not None else "given up"
            log.info("callback for task %s: attempt %d failed (%s), %s", delivery.task_id, attempts_made,
                     error, outcome)
        await asyncio.to_thread(self._store.deliveries.record_attempt, delivery.task_id, delivered, error,
                                next_at, now)

