"""The OSS-compatible upload endpoint: ``PUT /<bucket>/<key>`` (path style) or ``PUT /<key>`` on host
``<bucket>.<host>`` (virtual-host style), exactly what ``oss2`` sends with upload credentials.

Checks, in order, each answered as an OSS XML error oss2 turns into its typed exception: the bucket
(404 NoSuchBucket), the temporary credential (403 InvalidSecurityToken / InvalidAccessKeyId /
SecurityTokenExpired), the v1 signature (403 SignatureDoesNotMatch), the request date (403
RequestTimeTooSkewed), the folder the credential is scoped to (403 AccessDenied), the declared size
(400 EntityTooLarge, before reading), then the streamed body against the cap and ``Content-MD5``
(EntityTooLarge / InvalidDigest, nothing stored). No listing, no reads: only PUT is served.

Mount with ``app.include_router(upload_router(settings, store))``.
"""

from __future__ import annotations

import time
import uuid
from email.utils import parsedate_to_datetime

import anyio
from fastapi import APIRouter, Request, Response

from certscan.settings import Settings
from certscan.uploads import credentials
from certscan.uploads.ossv1 import (
    OssError,
    access_denied,
    error_xml,
    parse_authorization,
    signature,
    signatures_match,
    string_to_sign,
)
from certscan.uploads.store import StoredObject, UploadStore, check_key, entity_too_large


def split_target(request: Request, bucket_name: str) -> tuple[str, str]:
    """(bucket, decoded key) of a path-style or virtual-host-style request."""
    host = request.headers.get("host", "").rsplit(":", 1)[0].lower()
    path = request.url.path  # ASGI paths arrive percent-decoded, as the signature wants the key
    if host.startswith(f"{bucket_name.lower()}."):
        return bucket_name, path.lstrip("/")
    bucket, _, key = path.lstrip("/").partition("/")
    return bucket, key


def check_date(request: Request, max_skew_seconds: float, now: float) -> None:
    value = request.headers.get("x-oss-date") or request.headers.get("date", "")
    try:
        sent = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        raise access_denied("The Date header is missing or malformed.") from None
    if abs(now - sent) > max_skew_seconds:
        raise OssError(403, "RequestTimeTooSkewed", "The difference between the request time and the "
                       "current time is too large.")


def authorize(request: Request, bucket: str, key: str, secret: bytes, settings: Settings,
              now: float) -> credentials.UploadGrant:
    header = request.headers.get("authorization")
    if not header:
        raise access_denied("You have no right to access this object because anonymous access is forbidden.")
    access_key_id, given = parse_authorization(header)
    grant = credentials.verify(access_key_id, request.headers.get("x-oss-security-token", ""), secret, now)
    text = string_to_sign(request.method, request.headers, bucket, key, request.query_params.multi_items())
    if not signatures_match(signature(grant.access_key_secret, text), given):
        raise OssError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                       "the signature you provided. Check your key and signing method.")
    check_date(request, settings.auth_clock_skew_seconds, now)
    if not key.startswith(grant.folder + "/"):
        raise access_denied("The credential may only write inside its upload folder.")
    return grant


# A refused PUT still reads (and discards) up to this much of its body, so the client, which is still
# sending, gets the XML error instead of a reset connection; beyond it the connection is simply closed.
DRAIN_FACTOR = 2


async def put_object(request: Request, settings: Settings, store: UploadStore, secret: bytes) -> Response:
    request_id = uuid.uuid4().hex.upper()
    drain_limit = DRAIN_FACTOR * settings.max_image_bytes
    try:
        try:
            key = _admit(request, settings, secret)
        except OssError:
            await _drain(request, drain_limit)
            raise
        stored = await _stream_into(request, store, key, settings.max_image_bytes, drain_limit)
    except OssError as error:
        return Response(error_xml(error, request_id), status_code=error.status, media_type="application/xml",
                        headers={"x-oss-request-id": request_id})
    return Response(status_code=200, headers={"ETag": f'"{stored.md5_hex}"', "x-oss-request-id": request_id})


def _admit(request: Request, settings: Settings, secret: bytes) -> str:
    """Every check that needs no body; the key to write."""
    bucket, key = split_target(request, settings.upload_bucket)
    if bucket != settings.upload_bucket:
        raise OssError(404, "NoSuchBucket", "The specified bucket does not exist.")
    if not key:
        raise access_denied("Buckets cannot be created or changed here.")
    check_key(key)
    authorize(request, bucket, key, secret, settings, time.time())
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_image_bytes:
        raise entity_too_large(settings.max_image_bytes)
    return key


async def _drain(request: Request, limit: int) -> None:
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            return


async def _stream_into(
    request: Request, store: UploadStore, key: str, max_bytes: int, drain_limit: int
) -> StoredObject:
    writer = await anyio.to_thread.run_sync(store.open_writer, key, max_bytes)
    failure: OssError | None = None
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if failure is None and chunk:
                try:
                    await anyio.to_thread.run_sync(writer.write, chunk)
                except OssError as error:  # over the cap: the writer dropped its partial file
                    failure = error
            elif received > drain_limit:
                break
        if failure is not None:
            raise failure
        return await anyio.to_thread.run_sync(writer.commit, request.headers.get("content-md5"))
    except BaseException:
        writer.abort()
        raise


def upload_router(settings: Settings, store: UploadStore) -> APIRouter:
    """The PUT route of the upload store (catch-all path; the API itself has no PUT routes)."""
    router = APIRouter()
    secret = credentials.upload_secret(settings)

    @router.put("/{path:path}", include_in_schema=False)
    async def upload(request: Request, path: str) -> Response:
        return await put_object(request, settings, store, secret)

    return router
