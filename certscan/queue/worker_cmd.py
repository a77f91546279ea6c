"""``certscan worker [--concurrency N]``: a Celery worker of the scale-out mode.

It takes task ids from the Redis broker (``CERTSCAN_REDIS_URL``, queue ``CERTSCAN_CELERY_QUEUE``) and
runs them against the shared store (``CERTSCAN_DATABASE_URL``), in ``N`` worker processes that each load
the OCR models once, at start-up. Start as many workers, on as many machines, as the load needs; the
API servers (``CERTSCAN_QUEUE=celery certscan serve``) need no restart.
"""

from __future__ import annotations

import argparse
import logging
import os
from typing import Any

from certscan.settings import get_settings

logger = logging.getLogger("certscan.worker")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--concurrency", type=int,
                        help="worker processes (default: CERTSCAN_WORKERS or 1); each holds the OCR models")
    parser.add_argument("--hostname", help="Celery node name (default: certscan-<pid>@<host>)")
    parser.add_argument("--log-level", default="INFO", help="INFO (default), DEBUG, WARNING ...")


def run(args: argparse.Namespace) -> int:
    from celery import signals

    from certscan.queue.celery_app import close_worker_process, init_worker_process, make_celery
    from certscan.queue.events import configure_logging

    settings = get_settings()
    configure_logging(args.log_level.upper())
    if not settings.database_url:
        logger.warning("CERTSCAN_DATABASE_URL is not set: this worker uses the SQLite file under %s, which "
                       "only servers on this machine share", settings.data_dir.resolve())
    concurrency = args.concurrency or max(1, settings.workers)

    # Runs in each forked worker process (never in this parent, which must not load the models or
    # open database connections a fork would share).
    def on_process_init(**_kwargs: Any) -> None:
        init_worker_process(settings)

    def on_process_shutdown(**_kwargs: Any) -> None:
        close_worker_process()

    signals.worker_process_init.connect(on_process_init, weak=False)
    signals.worker_process_shutdown.connect(on_process_shutdown, weak=False)

    app = make_celery(settings)
    argv = [
        "worker", f"--concurrency={concurrency}", "--pool=prefork", f"--queues={settings.celery_queue}",
        f"--loglevel={args.log_level.upper()}", "--without-gossip", "--without-mingle",
        f"--hostname={args.hostname or f'certscan-{os.getpid()}@%h'}",
    ]
    logger.info("celery worker: %d process(es), queue %s", concurrency, settings.celery_queue)
    app.worker_main(argv)
    return 0
