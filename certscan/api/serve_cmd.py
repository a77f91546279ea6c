"""``certscan serve [--host H] [--port P] [--data-dir D]``: the HTTP service with its embedded workers
(or, with ``CERTSCAN_QUEUE=celery``, feeding Celery workers: ``certscan worker``)."""

from __future__ import annotations

import argparse
import logging
import os

from certscan.settings import Settings, get_settings

logger = logging.getLogger("certscan.serve")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (default: CERTSCAN_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default: CERTSCAN_PORT or 8080)")
    parser.add_argument("--data-dir", help="SQLite store directory (default: CERTSCAN_DATA_DIR or .data)")
    parser.add_argument("--workers", type=int, help="OCR worker processes (default: CERTSCAN_WORKERS or 1)")
    parser.add_argument("--log-level", default="INFO", help="INFO (default), DEBUG, WARNING ...")


def apply_overrides(args: argparse.Namespace) -> Settings:
    """Command-line values win over the environment. They are written back to the environment so the
    worker processes (spawned, reading their own settings) see the same configuration."""
    overrides = {"CERTSCAN_HOST": args.host, "CERTSCAN_PORT": args.port,
                 "CERTSCAN_DATA_DIR": args.data_dir, "CERTSCAN_WORKERS": args.workers}
    for name, value in overrides.items():
        if value is not None:
            os.environ[name] = str(value)
    get_settings.cache_clear()
    return get_settings()


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from certscan.api.app import create_app
    from certscan.queue.events import configure_logging

    settings = apply_overrides(args)
    configure_logging(args.log_level.upper())
    if settings.insecure_no_auth:
        logger.warning("CERTSCAN_INSECURE_NO_AUTH is set: requests are NOT authenticated (development only)")
    if settings.queue == "celery":
        from certscan.queue.celery_queue import CeleryQueue

        # Tasks go to Celery workers (`certscan worker`) through Redis; this process runs no OCR.
        app = create_app(settings, queue_factory=CeleryQueue)
        runner = f"celery queue {settings.celery_queue!r}"
    elif settings.queue == "embedded":
        app = create_app(settings)
        runner = f"{settings.workers} worker process(es)"
    else:
        logger.error("CERTSCAN_QUEUE must be 'embedded' or 'celery', not %r", settings.queue)
        return 2
    logger.info("serving on http://%s:%d (store: %s, %s)", settings.host, settings.port,
                "database URL" if settings.database_url else settings.data_dir.resolve(), runner)
    # log_config=None keeps our JSON log lines for uvicorn's own loggers too.
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)
    return 0
