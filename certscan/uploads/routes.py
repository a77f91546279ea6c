"""HTTP routes of the upload flow, for the API app to include: ``app.include_router(routes.router)``.

- ``POST /green/credentials/uploadcredentials``: signed like every call (the API's own authentication and
  QPS dependency); answers the envelope with ``credentials_answer`` as ``data``.
- ``PUT /<bucket>/<key>`` (and virtual-host style): the OSS-compatible upload store (``endpoint.py``),
  authenticated by the temporary credentials instead.

Settings come from the API's ``app.state.service.settings``; the store is ``app.state.upload_store`` when
the app set one, else ``sqlstore.open_upload_store(settings)`` (created on first use).
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from certscan.api.dependencies import RequestIdDep, caller_within_quota
from certscan.constants import CODE_OK
from certscan.settings import Settings
from certscan.store import Account
from certscan.uploads import credentials
from certscan.uploads.endpoint import put_object
from certscan.uploads.sqlstore import open_upload_store
from certscan.uploads.store import UploadStore

router = APIRouter()

UploadCredentialsCaller = Annotated[Account, Depends(caller_within_quota("UploadCredentials"))]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.service.settings
    return settings


def _store(request: Request) -> UploadStore:
    store: UploadStore | None = getattr(request.app.state, "upload_store", None)
    if store is None:
        store = request.app.state.upload_store = open_upload_store(_settings(request))
    return store


@router.post("/green/credentials/uploadcredentials", tags=["green"],
             summary="Temporary credentials for the vendor uploader (oss2) to put local files")
async def upload_credentials(request: Request, caller: UploadCredentialsCaller,
                             request_id: RequestIdDep) -> JSONResponse:
    base_url = str(request.base_url)
    data = credentials.credentials_answer(caller.uid, _settings(request), base_url, time.time())
    return JSONResponse({"code": CODE_OK, "msg": "OK", "requestId": request_id, "data": data})


@router.put("/{path:path}", include_in_schema=False)
async def upload_object(request: Request, path: str) -> Response:
    settings = _settings(request)
    return await put_object(request, settings, _store(request), credentials.upload_secret(settings))
