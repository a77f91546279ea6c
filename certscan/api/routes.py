"""The HTTP routes: the three wire-compatible operations, health and metrics. Thin by design: each
route hands its authenticated caller and raw body to ``ScanService`` and wraps the answer."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from certscan.api.dependencies import (
    AsyncScanCaller,
    ClientInfoDep,
    RawBodyDep,
    RequestIdDep,
    ResultsCaller,
    ServiceDep,
    SyncScanCaller,
)
from certscan.api.envelope import envelope
from certscan.api.schemas import (
    RESULTS_REQUEST_SCHEMA,
    AuthErrorBody,
    Envelope,
    ImageScanRequest,
    component_ref,
    request_body,
)

router = APIRouter()

_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"model": Envelope, "description": "The envelope; each data element has its own code."},
    401: {"model": AuthErrorBody, "description": "Authentication failed (signature, key, clock, nonce)."},
}


@router.post("/green/image/asyncscan", tags=["green"], summary="Submit card images for recognition",
             responses=_RESPONSES, openapi_extra=request_body(component_ref(ImageScanRequest)))
async def image_async_scan(caller: AsyncScanCaller, service: ServiceDep, body: RawBodyDep,
                           request_id: RequestIdDep, client_info: ClientInfoDep) -> JSONResponse:
    """Accepts 1-100 image URLs of one card type; answers a taskId per accepted task."""
    data = await service.submit(caller, body, request_id, client_info=client_info)
    return JSONResponse(envelope(request_id, data))


@router.post("/green/image/results", tags=["green"], summary="Poll the results of submitted tasks",
             responses=_RESPONSES, openapi_extra=request_body(RESULTS_REQUEST_SCHEMA))
async def image_async_scan_results(caller: ResultsCaller, service: ServiceDep, body: RawBodyDep,
                                   request_id: RequestIdDep) -> JSONResponse:
    """Per taskId: 280 while processing, 200 with results, the task's failure code, 404, or 594."""
    data = await service.results(caller, body)
    return JSONResponse(envelope(request_id, data))


@router.post("/green/image/scan", tags=["green"], summary="Recognise card images synchronously",
             responses=_RESPONSES, openapi_extra=request_body(component_ref(ImageScanRequest)))
async def image_sync_scan(request: Request, caller: SyncScanCaller, service: ServiceDep, body: RawBodyDep,
                          request_id: RequestIdDep, client_info: ClientInfoDep) -> JSONResponse:
    """Same body as asyncscan; answers results inline within the budget (6 s), else 581 per task."""
    data = await service.submit(caller, body, request_id, synchronous=True,
                                started=getattr(request.state, "started", None), client_info=client_info)
    return JSONResponse(envelope(request_id, data))


@router.get("/healthz", tags=["ops"], summary="Liveness and store reachability")
async def healthz(service: ServiceDep) -> JSONResponse:
    ok = await service.healthy()
    body = {"status": "ok" if ok else "unavailable", "store": "ok" if ok else "unreachable",
            "tasksInFlight": service.queue.in_flight}
    return JSONResponse(body, status_code=200 if ok else 503)


@router.get("/metrics", tags=["ops"], summary="Prometheus metrics")
async def metrics(service: ServiceDep) -> Response:
    payload = await run_in_threadpool(generate_latest, service.metrics.registry)  # queries the store
    return Response(payload, media_type=CONTENT_TYPE_LATEST)
