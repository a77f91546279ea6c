"""Throughput of certscan with N worker processes: a spawned pool whose processes each load the models
once and warm up on one image (as the service's workers do), then the whole image list, wall clock.

Spawned, not forked: the parent already holds ONNX Runtime sessions and their thread pools, which a fork
would copy in an undefined state. Each worker runs with ``Settings.worker_threads`` intra-op threads (the
environment, e.g. ``CERTSCAN_WORKER_THREADS``, is inherited), so N processes × threads is the layout a
deployment with ``CERTSCAN_WORKERS=N`` gets. Each task also returns its worker's peak RSS, so the largest
one is the RSS of one worker with every certscan model loaded (no stock engine in it).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

from bench.accuracy.harness import LabelledImage
from bench.speed.run import peak_rss_mb

Job = tuple[str, str]  # (image path, card type)
log = logging.getLogger("bench.speed")


@dataclass
class PoolResult:
    processes: int
    images: int
    failed: int
    seconds: float  # wall clock from the first job handed out to the last answer, models already loaded
    images_per_s: float
    startup_seconds: float  # spawning the processes and loading + warming their models (not in `seconds`)
    worker_peak_rss_mb: float

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _scan(job: Job) -> bool:
    from certscan.pipeline import scan_bytes

    try:
        scan_bytes(Path(job[0]).read_bytes(), job[1])
    except Exception as exc:  # a failed task still took its time; counted, and named on stderr
        log.warning("worker %d: scan of %s failed: %s: %s", os.getpid(), job[0], type(exc).__name__, exc)
        return False
    return True


def _load_and_warm(ready: Synchronized, warm: Job) -> None:
    from certscan.ocr.engine import get_engine

    get_engine()
    _scan(warm)
    with ready.get_lock():
        ready.value += 1


def _timed_scan(job: Job) -> tuple[int, float, bool]:
    ok = _scan(job)
    return os.getpid(), peak_rss_mb(), ok


def pool_throughput(items: Sequence[LabelledImage], processes: int,
                    startup_timeout: float = 600.0) -> PoolResult:
    jobs: list[Job] = [(str(item.image), item.card) for item in items]
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Value("i", 0)
    started = time.perf_counter()
    with ctx.Pool(processes, initializer=_load_and_warm, initargs=(ready, jobs[0])) as pool:
        while ready.value < processes:  # every worker has its models loaded before the clock starts
            if time.perf_counter() - started > startup_timeout:
                raise TimeoutError(f"{processes} worker(s) not ready after {startup_timeout:.0f} s")
            time.sleep(0.05)
        startup = time.perf_counter() - started
        began = time.perf_counter()
        answers = pool.map(_timed_scan, jobs, chunksize=1)
        wall = time.perf_counter() - began
    rss: dict[int, float] = {}
    for pid, mb, _ in answers:
        rss[pid] = max(rss.get(pid, 0.0), mb)
    return PoolResult(processes=processes, images=len(jobs), failed=sum(not ok for _, _, ok in answers),
                      seconds=round(wall, 3), images_per_s=round(len(jobs) / wall, 3) if wall else 0.0,
                      startup_seconds=round(startup, 2), worker_peak_rss_mb=max(rss.values(), default=0.0))
