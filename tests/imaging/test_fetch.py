"""fetch_image against real HTTP servers on loopback (allowlisted per test through Settings.fetch_allow)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest

from certscan.errors import (
    DownloadFailed,
    DownloadTimeout,
    ImageForbidden,
    ImageNotFound,
    ImageTooLarge,
    TaskError,
    UrlNotAllowed,
)
from certscan.imaging.fetch import MAX_REDIRECTS, fetch_image, fetch_with_client, read_local_image
from certscan.imaging.guard import guarded_client
from certscan.settings import Settings
from tests.imaging.servers import Exchange, closed_port, drip, serving

BODY = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
MB = 1024 * 1024


def settings(allow: str = "127.0.0.1/32", **overrides: Any) -> Settings:
    return Settings(_env_file=None, fetch_allow=allow, **overrides)  # type: ignore[call-arg]


def fetch(url: str, config: Settings) -> bytes:
    return asyncio.run(fetch_image(url, config))


def answer(
    status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> Callable[[Exchange], None]:
    return lambda exchange: exchange.respond(status, body, headers)


def test_allowlisted_server_returns_the_exact_body_with_host_header_kept() -> None:
    with serving(answer(200, BODY)) as server:
        assert fetch(server.url("/a/b.png?x=1"), settings()) == BODY
    assert server.requests[0].path == "/a/b.png?x=1"
    assert server.requests[0].headers["host"] == f"127.0.0.1:{server.port}"
    assert server.requests[0].headers["accept-encoding"] == "identity"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433", "[::ffff:127.0.0.1]"])
def test_loopback_refused_with_default_settings_and_no_connection_made(host: str) -> None:
    with serving(answer(200, BODY)) as server:
        with pytest.raises(UrlNotAllowed) as caught:
            fetch(server.url(host=host), settings(allow=""))
        time.sleep(0.05)  # give a (wrongly) opened connection time to be accepted and counted
    assert caught.value.code == 401
    assert server.connections == 0


@pytest.mark.parametrize(
    ("status", "error", "code"),
    [
        (401, ImageForbidden, 403),
        (403, ImageForbidden, 403),
        (404, ImageNotFound, 404),
        (410, ImageNotFound, 404),
        (500, DownloadFailed, 480),
        (418, DownloadFailed, 480),
        (304, DownloadFailed, 480),
    ],
)
def test_image_server_status_maps_to_vendor_code(status: int, error: type[TaskError], code: int) -> None:
    with serving(answer(status, b"nope")) as server, pytest.raises(error) as caught:
        fetch(server.url(), settings())
    assert caught.value.code == code


def test_shared_client_keeps_no_cookies_between_fetches() -> None:
    config = settings()

    async def twice(url: str) -> None:
        async with guarded_client(config) as client:
            for _ in range(2):
                assert await fetch_with_client(client, url, config) == BODY

    with serving(answer(200, BODY, {"Set-Cookie": "session=tenant-a; Path=/"})) as server:
        asyncio.run(twice(server.url()))
    assert [r.headers.get("cookie") for r in server.requests] == [None, None]


def test_shared_client_serves_concurrent_fetches() -> None:
    config = settings()

    def slow_ok(exchange: Exchange) -> None:
        time.sleep(0.3)
        exchange.respond(200, BODY)

    async def many(url: str) -> list[bytes]:
        async with guarded_client(config) as client:
            return await asyncio.gather(*(fetch_with_client(client, url, config) for _ in range(12)))

    with serving(slow_ok) as server:
        started = time.monotonic()
        assert asyncio.run(many(server.url())) == [BODY] * 12
        assert time.monotonic() - started < 2  # in parallel, not queued behind a small connection cap
    assert server.connections == 12


def test_connection_refused_is_download_failed() -> None:
    with pytest.raises(DownloadFailed) as caught:
        fetch(f"http://127.0.0.1:{closed_port()}/x", settings())
    assert caught.value.code == 480


def test_body_cut_short_is_download_failed() -> None:
    def cut(exchange: Exchange) -> None:
        exchange.send(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + BODY[:10])

    with serving(cut) as server, pytest.raises(DownloadFailed):
        fetch(server.url(), settings())


@pytest.mark.parametrize("scheme_url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "oss://bucket/key", "gopher://x"])
def test_other_schemes_are_refused(scheme_url: str) -> None:
    with pytest.raises(UrlNotAllowed):
        fetch(scheme_url, settings())


# --- redirects ------------------------------------------------------------------------------------------


def redirect_to(location: str, status: int = 302) -> Callable[[Exchange], None]:
    return answer(status, b"", {"Location": location})


def test_redirects_are_followed_up_to_the_limit() -> None:
    def chain(exchange: Exchange) -> None:
        hop = int(exchange.request.path.strip("/") or 0)
        if hop < MAX_REDIRECTS:
            exchange.respond(301 if hop % 2 else 307, b"", {"Location": f"/{hop + 1}"})
        else:
            exchange.respond(200, BODY)

    with serving(chain) as server:
        assert fetch(server.url("/0"), settings()) == BODY
    assert [r.path for r in server.requests] == [f"/{hop}" for hop in range(MAX_REDIRECTS + 1)]


def test_one_redirect_too_many_is_download_failed() -> None:
    def endless(exchange: Exchange) -> None:
        exchange.respond(302, b"", {"Location": "/again"})

    with serving(endless) as server, pytest.raises(DownloadFailed):
        fetch(server.url(), settings())
    assert len(server.requests) == MAX_REDIRECTS + 1


def test_redirect_to_a_refused_address_is_refused_without_connecting_there() -> None:
    # 127.0.0.2 is loopback too, but only 127.0.0.1 is allowlisted: the hop must be re-checked.
    with serving(answer(200, BODY), host="127.0.0.2") as target:
        with serving(redirect_to(target.url())) as first, pytest.raises(UrlNotAllowed):
            fetch(first.url(), settings("127.0.0.1/32"))
        time.sleep(0.05)
    assert first.connections == 1
    assert target.connections == 0


@pytest.mark.parametrize(
    "location",
    ["http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://10.0.0.1/", "file:///etc/passwd"],
)
def test_redirect_to_internal_targets_is_refused(location: str) -> None:
    with serving(redirect_to(location)) as server, pytest.raises(UrlNotAllowed):
        fetch(server.url(), settings("127.0.0.1/32"))


# --- time and size budgets ------------------------------------------------------------------------------


def test_slow_server_hits_the_budget_fast_variant() -> None:
    with serving(lambda exchange: drip(exchange, 1000, 0.1)) as server:
        started = time.monotonic()
        with pytest.raises(DownloadTimeout) as caught:
            fetch(server.url(), settings(download_timeout_seconds=0.5))
        elapsed = time.monotonic() - started
    assert caught.value.code == 592
    assert 0.45 <= elapsed < 1.5


def test_server_that_never_answers_hits_the_budget() -> None:
    def silent(exchange: Exchange) -> None:
        while not exchange.stopped():
            time.sleep(0.02)

    with serving(silent) as server, pytest.raises(DownloadTimeout):
        fetch(server.url(), settings(download_timeout_seconds=0.3))


@pytest.mark.slow
def test_slow_drip_one_byte_per_100ms_is_592_within_the_3s_budget() -> None:
    with serving(lambda exchange: drip(exchange, 1000, 0.1)) as server:
        started = time.monotonic()
        with pytest.raises(DownloadTimeout):
            fetch(server.url(), settings())  # default budget: 3 s
        elapsed = time.monotonic() - started
    assert 2.9 <= elapsed < 3.8
    assert 10 <= server.bytes_sent < 1000


def big_body(total: int, declare_length: bool) -> Callable[[Exchange], None]:
    def handler(exchange: Exchange) -> None:
        length = f"Content-Length: {total}\r\n" if declare_length else "Connection: close\r\n"
        exchange.send(f"HTTP/1.1 200 OK\r\n{length}\r\n".encode())
        chunk = b"\0" * (256 * 1024)
        for _ in range(total // len(chunk)):
            if exchange.stopped() or not exchange.send(chunk):
                return

    return handler


def test_declared_25mb_body_is_refused_before_reading_it() -> None:
    with serving(big_body(25 * MB, declare_length=True)) as server, pytest.raises(ImageTooLarge) as caught:
        fetch(server.url(), settings())
    assert caught.value.code == 589
    assert server.bytes_sent < 25 * MB


def test_undeclared_25mb_body_is_cut_once_it_passes_20mb() -> None:
    with serving(big_body(25 * MB, declare_length=False)) as server, pytest.raises(ImageTooLarge):
        fetch(server.url(), settings())


def test_endless_body_stops_at_the_limit_not_at_the_end() -> None:
    # A 1 GB stream: the fetch must give up near 20 MB (plus socket buffers), never read it all.
    with serving(big_body(1024 * MB, declare_length=False)) as server:
        started = time.monotonic()
        with pytest.raises(ImageTooLarge):
            fetch(server.url(), settings())
        elapsed = time.monotonic() - started
    assert server.bytes_sent < 64 * MB
    assert elapsed < 3


def test_byte_limit_is_configurable() -> None:
    with serving(answer(200, BODY)) as server:
        with pytest.raises(ImageTooLarge):
            fetch(server.url(), settings(max_image_bytes=len(BODY) - 1))
        assert fetch(server.url(), settings(max_image_bytes=len(BODY))) == BODY


def test_read_local_image_for_the_cli(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "card.png"  # type: ignore[operator]
    path.write_bytes(BODY)
    assert read_local_image(str(path), MB) == BODY
    assert read_local_image(f"file://{path}", MB) == BODY
    with pytest.raises(ImageTooLarge):
        read_local_image(str(path), 10)
    with pytest.raises(ImageNotFound):
        read_local_image(str(path) + ".missing", MB)
