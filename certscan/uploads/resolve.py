"""Reading ``oss://<bucket>/<object>`` task URLs: the bucket names a store this server knows, never a host.

The built-in upload bucket (``Settings.upload_bucket``) resolves to the upload store. An account may read
only objects inside its own folders (``<uid>/...``, where its upload credentials write): another account's
object answers the task's 403 without a byte read; a missing object 404. Other buckets must be configured
(``CERTSCAN_OSS_BUCKETS``, ``external.py``), else 401. The image intake limits apply to what is read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import unquote, urlsplit

import anyio

from certscan.errors import DownloadTimeout, ImageForbidden, ImageNotFound, ImageTooLarge, UrlNotAllowed
from certscan.settings import Settings
from certscan.uploads.external import external_bucket, read_external_object
from certscan.uploads.ossv1 import OssError
from certscan.uploads.store import UploadStore

SCHEME = "oss"


def is_oss_url(url: str) -> bool:
    return url[:6].lower() == "oss://"


def parse_oss_url(url: str) -> tuple[str, str]:
    """(bucket, decoded object key) of ``oss://<bucket>/<object>``; UrlNotAllowed if malformed."""
    parts = urlsplit(url)
    bucket = parts.netloc
    key = unquote(parts.path.lstrip("/"))
    if parts.scheme.lower() != SCHEME or not bucket or not key or parts.query or parts.fragment:
        raise UrlNotAllowed("malformed oss:// url: expected oss://<bucket>/<object>")
    return bucket, key


def read_oss_object(url: str, uid: str, settings: Settings, store: UploadStore) -> bytes:
    """The bytes of the object ``url`` names, for a task of account ``uid``."""
    bucket, key = parse_oss_url(url)
    if bucket != settings.upload_bucket:
        external = external_bucket(settings, bucket)
        if external is None:
            raise UrlNotAllowed(f"oss bucket {bucket!r} is not configured on this server")
        return read_external_object(external, key, uid, settings)
    if not key.startswith(f"{uid}/"):
        raise ImageForbidden("the object belongs to another account")
    try:
        data = store.read(key, settings.max_image_bytes)
    except OssError as exc:
        raise ImageTooLarge(f"object is larger than {settings.max_image_bytes} bytes") from exc
    if data is None:
        raise ImageNotFound("no such object in the upload store")
    return data


def submit_time_problem(url: str, settings: Settings) -> str | None:
    """Why an ``oss://`` task URL cannot be accepted at submit time (the task's 400 msg), or None."""
    try:
        bucket, _key = parse_oss_url(url)
    except UrlNotAllowed as exc:
        return exc.msg
    if bucket != settings.upload_bucket and external_bucket(settings, bucket) is None:
        return f"oss bucket {bucket!r} is not configured on this server"
    return None


async def read_task_image(
    url: str,
    uid: str,
    settings: Settings,
    fetch: Callable[[str, Settings], Awaitable[bytes]],
    store: UploadStore,
) -> bytes:
    """A task's image bytes: ``oss://`` from the upload store (account ``uid``), else by ``fetch``."""
    if not is_oss_url(url):
        return await fetch(url, settings)
    budget = settings.download_timeout_seconds
    try:
        with anyio.fail_after(budget):  # an external bucket may be slow; the store never is
            return await anyio.to_thread.run_sync(
                read_oss_object, url, uid, settings, store, abandon_on_cancel=True
            )
    except TimeoutError as exc:
        raise DownloadTimeout(f"reading the object took longer than {budget:g} s") from exc
