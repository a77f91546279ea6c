"""The FastAPI application: wiring of store, queue, metrics and routes, and how errors are answered.

Errors reach the SDKs as API.md says: an authentication failure is HTTP 401 with both key spellings; any
other request-level refusal (malformed body, too many tasks, QPS, disabled key) is HTTP 200 with the
envelope's ``code``; a bug is HTTP 500 with both spellings.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from certscan.api.docs import install_offline_docs
from certscan.api.envelope import error_envelope, internal_error_body
from certscan.api.routes import router
from certscan.api.schemas import ImageScanRequest, component_schemas
from certscan.api.service import ScanService
from certscan.api.signing import error_body
from certscan.callbacks.dispatcher import CallbackDispatcher
from certscan.errors import AuthError, CertscanError
from certscan.queue import TaskQueue
from certscan.queue.embedded import EmbeddedQueue, ExecutorFactory, FetchImage, FinishedHook, ScanImage
from certscan.queue.metrics import ServiceMetrics
from certscan.queue.process import scan_in_worker
from certscan.settings import Settings, get_settings
from certscan.store import Store
from certscan.uploads.routes import router as uploads_router
from certscan.uploads.sqlstore import open_upload_store

logger = logging.getLogger("certscan.api")

# (store, settings, metrics, finished-task hook) → the task runner
QueueFactory = Callable[[Store, Settings, ServiceMetrics, "FinishedHook | None"], TaskQueue]

# Operation name per path, for request metrics (anything else is grouped, keeping label cardinality low).
OPERATIONS = {
    "/green/image/asyncscan": "ImageAsyncScan",
    "/green/image/results": "ImageAsyncScanResults",
    "/green/image/scan": "ImageSyncScan",
}


def create_app(settings: Settings | None = None, *, store: Store | None = None,
               fetch: FetchImage | None = None, scan: ScanImage = scan_in_worker,
               executor_factory: ExecutorFactory | None = None,
               queue_factory: QueueFactory | None = None) -> FastAPI:
    """The service. ``fetch``/``scan``/``executor_factory`` replace the embedded runner's image download,
    recognition and worker pool (tests run them in threads); ``queue_factory`` replaces the runner as a
    whole. By default they are the real, embedded ones."""
    settings = settings or get_settings()
    store = store or Store.from_settings(settings)
    metrics = ServiceMetrics(store.tasks.counts)
    # Deliveries are written by TaskRepository.finish in the task's own transaction; the dispatcher
    # sends them, and is told about each finished task so the first attempt goes out at once.
    callbacks = CallbackDispatcher(store, settings)
    on_finished = callbacks.on_task_finished
    # One upload store for the PUT endpoint and the runner that reads oss:// task URLs back.
    uploads = open_upload_store(settings)
    queue: TaskQueue
    if queue_factory is not None:
        queue = queue_factory(store, settings, metrics, on_finished)
    else:
        queue = EmbeddedQueue(store, settings, metrics, fetch=fetch, scan=scan,
                              executor_factory=executor_factory, on_finished=on_finished, uploads=uploads)
    service = ScanService(settings, store, queue, metrics)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await queue.start()
        sender = asyncio.create_task(callbacks.run(), name="certscan-callbacks")
        try:
            yield
        finally:
            await queue.stop()
            await callbacks.stop()
            await asyncio.gather(sender, return_exceptions=True)
            store.close()

    app = FastAPI(
        title="certscan",
        version="0.1.0",
        description="Self-hosted certificate OCR behind the wire format of /green/image (API 2018-05-09). "
        "Requests are signed as the vendor's SDKs sign them (ACS HMAC-SHA1 or ACS3-HMAC-SHA256).",
        lifespan=lifespan,
        docs_url=None,  # served from local files instead (install_offline_docs): the product runs offline
        redoc_url=None,
    )
    app.state.service = service
    app.state.upload_store = uploads
    app.include_router(router)
    install_offline_docs(app)
    app.include_router(uploads_router)  # last: its PUT /{path} is the OSS-compatible upload endpoint
    _install_error_handlers(app)
    _install_request_context(app, metrics)
    _install_openapi(app)
    return app


def _request_id(request: Request) -> str:
    return getattr(request.state, "request_id", None) or str(uuid.uuid4()).upper()


def _install_error_handlers(app: FastAPI) -> None:
    async def auth_failed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AuthError)
        # The signature check's message is safe to return (it is what the SDK itself signed); the
        # secret never takes part in it.
        logger.info("authentication failed: %s (%s)", exc.vendor_code, request.url.path)
        return JSONResponse(error_body(exc, _request_id(request)), status_code=401)

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CertscanError)
        operation = OPERATIONS.get(request.url.path, "other")
        app.state.service.metrics.requests_refused.labels(operation=operation, code=str(exc.code)).inc()
        return JSONResponse(error_envelope(_request_id(request), exc.code, exc.msg), status_code=200)

    async def crashed(request: Request, exc: Exception) -> Response:
        logger.error("unhandled error on %s", request.url.path, exc_info=exc)
        return JSONResponse(internal_error_body(_request_id(request)), status_code=500)

    app.add_exception_handler(AuthError, auth_failed)
    app.add_exception_handler(CertscanError, refused)
    app.add_exception_handler(Exception, crashed)


def _install_request_context(app: FastAPI, metrics: ServiceMetrics) -> None:
    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.state.request_id = str(uuid.uuid4()).upper()
        request.state.started = time.monotonic()
        response = await call_next(request)
        response.headers["x-acs-request-id"] = request.state.request_id
        operation = OPERATIONS.get(request.url.path)
        if operation is not None:
            metrics.request_seconds.labels(operation=operation).observe(
                time.monotonic() - request.state.started
            )
        return response


def _install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {}).update(
                component_schemas(ImageScanRequest)
            )
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
