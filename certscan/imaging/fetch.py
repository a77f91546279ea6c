"""Download a task's image from an http(s) URL, within the reference's time and size limits.

``fetch_image(url, settings)`` is what the worker calls. Codes (the vendor's meanings, see
``shared/spec/API.md``):

- the SSRF guard refuses the URL or a redirect target (``guard.py``) → ``UrlNotAllowed`` 401, nothing fetched;
- the image server answers 401/403 → ``ImageForbidden`` 403; 404/410 → ``ImageNotFound`` 404;
- connection refused/reset, DNS failure, any other non-2xx, more than 5 redirects → ``DownloadFailed`` 480;
- the whole download (DNS, connect, redirects, body) takes longer than ``download_timeout_seconds``
  → ``DownloadTimeout`` 592 (a slow-drip server cannot hold a worker beyond that);
- the body passes ``max_image_bytes`` → ``ImageTooLarge`` 589 the moment the stream crosses the limit
  (a declared ``Content-Length`` over the limit is refused before the body is read).

The body is read raw (we ask for ``Accept-Encoding: identity``), so a compressed body can never expand
past the byte limit in one step; a server ignoring that gets its bytes passed on undecoded and they fail
decoding (590). ``oss://`` URLs belong to the upload store and ``file://`` is never fetched here:
``read_local_image`` serves the CLI, which alone may read local files.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import anyio
import httpx

from certscan.errors import (
    DownloadFailed,
    DownloadTimeout,
    ImageForbidden,
    ImageNotFound,
    ImageTooLarge,
    UrlNotAllowed,
)
from certscan.imaging.guard import guarded_client, parse_fetch_url
from certscan.settings import Settings

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
REQUEST_HEADERS = {
    "Accept": "image/*, */*;q=0.5",
    "Accept-Encoding": "identity",
    "User-Agent": "certscan-fetch/1",
}


async def fetch_image(url: str, settings: Settings) -> bytes:
    """The image bytes at ``url``; raises the ``TaskError`` listed in the module docstring."""
    _refuse_oss(url)
    parse_fetch_url(url)  # refuse a bad scheme before a client exists
    async with guarded_client(settings) as client:
        return await fetch_with_client(client, url, settings)


async def fetch_with_client(client: httpx.AsyncClient, url: str, settings: Settings) -> bytes:
    """``fetch_image`` on a given client (normally one from ``guard.guarded_client``, which may be shared
    by concurrent fetches)."""
    _refuse_oss(url)
    budget = settings.download_timeout_seconds
    try:
        with anyio.fail_after(budget):
            return await _follow_redirects(client, url, settings.max_image_bytes)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise DownloadTimeout(f"download took longer than {budget:g} s") from exc
    except httpx.HTTPError as exc:
        raise DownloadFailed(f"download failed: {_describe(exc)}") from exc


async def _follow_redirects(client: httpx.AsyncClient, url: str, max_bytes: int) -> bytes:
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        target = parse_fetch_url(current)  # scheme re-checked per hop; addresses by the guarded transport
        async with client.stream("GET", target, headers=REQUEST_HEADERS) as response:
            if response.status_code in REDIRECT_STATUSES:
                location = response.headers.get("location")
                if not location:
                    status = response.status_code
                    raise DownloadFailed(f"image server answered HTTP {status} without Location")
                current = str(response.url.join(location))
                continue
            _raise_for_status(response.status_code)
            return await _read_body(response, max_bytes)
    raise DownloadFailed(f"download failed: more than {MAX_REDIRECTS} redirects")


def _refuse_oss(url: str) -> None:
    if url[:6].lower() == "oss://":
        raise UrlNotAllowed("oss:// urls are read from the upload store, not fetched over the network")


def _raise_for_status(status: int) -> None:
    if 200 <= status < 300:
        return
    if status in (401, 403):
        raise ImageForbidden(f"image server refused access (HTTP {status})")
    if status in (404, 410):
        raise ImageNotFound(f"image not found (HTTP {status})")
    raise DownloadFailed(f"image server answered HTTP {status}")


async def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ImageTooLarge(f"image is {int(declared)} bytes; at most {max_bytes} bytes")
    body = bytearray()
    async for chunk in response.aiter_raw():
        body += chunk
        if len(body) > max_bytes:
            raise ImageTooLarge(f"image is larger than {max_bytes} bytes")
    return bytes(body)


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "cannot connect to the image server"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "image server broke the HTTP protocol or closed the connection"
    if isinstance(exc, httpx.TransportError):
        return f"connection error ({type(exc).__name__})"
    return type(exc).__name__


def read_local_image(source: str, max_bytes: int) -> bytes:
    """CLI only: the bytes of a local path or ``file://`` URL, refused (589) over ``max_bytes``."""
    path = Path(unquote(urlsplit(source).path)) if source.startswith("file://") else Path(source)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImageTooLarge(f"image is {size} bytes; at most {max_bytes} bytes")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ImageNotFound(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise ImageTooLarge(f"image is larger than {max_bytes} bytes")
    return data
