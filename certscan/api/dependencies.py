"""FastAPI dependencies: the service, the request id, the raw body, and the authenticated caller.

Routes declare what they need with these ``Annotated`` aliases; a caller dependency authenticates the
signature and then spends one unit of the account's per-operation QPS budget, both before the body is
even parsed, so a refused call stores nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends, Request

from certscan.api.service import ScanService
from certscan.store import Account


def get_service(request: Request) -> ScanService:
    service: ScanService = request.app.state.service
    return service


def get_request_id(request: Request) -> str:
    request_id: str = request.state.request_id
    return request_id


async def get_raw_body(request: Request) -> bytes:
    return await request.body()


def get_client_info(request: Request) -> str | None:
    """The ``ClientInfo`` query parameter (``clientInfo`` in some samples): signed like any query
    parameter, stored with the request's tasks, otherwise ignored."""
    query = request.query_params
    value = query.get("ClientInfo")
    return value if value is not None else query.get("clientInfo")


ServiceDep = Annotated[ScanService, Depends(get_service)]
RequestIdDep = Annotated[str, Depends(get_request_id)]
RawBodyDep = Annotated[bytes, Depends(get_raw_body)]
ClientInfoDep = Annotated[str | None, Depends(get_client_info)]


async def authenticated_account(request: Request, service: ServiceDep, body: RawBodyDep) -> Account:
    # Form rules for the query (API.md): the SDK's urlencode turns a space into "+".
    query = parse_qsl(request.url.query, keep_blank_values=True)
    return await service.authenticate(request.method, request.url.path, query, request.headers, body)


AccountDep = Annotated[Account, Depends(authenticated_account)]


def caller_within_quota(operation: str) -> Callable[..., Awaitable[Account]]:
    async def dependency(account: AccountDep, service: ServiceDep) -> Account:
        service.check_quota(account, operation)
        return account

    dependency.__name__ = f"caller_of_{operation}"
    return dependency


AsyncScanCaller = Annotated[Account, Depends(caller_within_quota("ImageAsyncScan"))]
ResultsCaller = Annotated[Account, Depends(caller_within_quota("ImageAsyncScanResults"))]
SyncScanCaller = Annotated[Account, Depends(caller_within_quota("ImageSyncScan"))]
