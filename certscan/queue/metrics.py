"""Prometheus metrics of one server: request and task latency, outcomes, queue depth, tasks by status.

Each service instance has its own registry (several apps can live in one test process). Counts of
stored tasks come from the store at scrape time, so they are right across restarts and servers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from certscan.store.schema import QUEUED, TASK_STATUSES

TaskCounts = Callable[[], dict[tuple[str, str], int]]

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 6, 10, 30, 60)


class _StoredTasks(Collector):
    def __init__(self, counts: TaskCounts) -> None:
        self._counts = counts

    def collect(self) -> Iterator[Metric]:
        counts = self._counts()
        by_status = GaugeMetricFamily("certscan_tasks", "Stored tasks by status and card type.",
                                      labels=["status", "card"])
        depth = 0
        for (status, card), n in sorted(counts.items()):
            by_status.add_metric([status, card], n)
            if status == QUEUED:
                depth += n
        for status in TASK_STATUSES:  # every status present, even at zero
            if not any(s == status for s, _ in counts):
                by_status.add_metric([status, ""], 0)
        yield by_status
        yield GaugeMetricFamily("certscan_queue_depth", "Tasks waiting to run (queued).", value=depth)


class ServiceMetrics:
    def __init__(self, task_counts: TaskCounts) -> None:
        self.registry = CollectorRegistry()
        self.request_seconds = Histogram(
            "certscan_request_seconds", "HTTP request latency by operation.", ["operation"],
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.task_seconds = Histogram(
            "certscan_task_seconds", "Task processing time (download + recognition) by card type.",
            ["card"], buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.task_queue_seconds = Histogram(
            "certscan_task_queue_wait_seconds", "Time from submission to the start of processing.",
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.tasks_finished = Counter(
            "certscan_tasks_finished", "Finished tasks by card type and result code.", ["card", "code"],
            registry=self.registry,
        )
        self.tasks_in_flight = Gauge(
            "certscan_tasks_in_flight", "Tasks this server is processing now.", registry=self.registry,
        )
        self.requests_refused = Counter(
            "certscan_requests_refused", "Requests refused before any task was stored, by code.",
            ["operation", "code"], registry=self.registry,
        )
        self.registry.register(_StoredTasks(task_counts))
