"""The retry schedule and a single attempt against a real receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio

import pytest

from certscan.callbacks.sender import backoff_delay, callback_client, post_once
from certscan.errors import UrlNotAllowed
from certscan.settings import Settings
from tests.callbacks.receiver import Receiver


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    assert [backoff_delay(n, 1.0, 600.0, lambda: 1.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 8.0]
    assert [backoff_delay(n, 1.0, 600.0, lambda: 0.0) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
    assert backoff_delay(15, 1.0, 600.0, lambda: 1.0) == 600.0
    assert 300.0 <= backoff_delay(30, 1.0, 600.0, lambda: 0.37) <= 600.0


def test_default_schedule_spans_about_an_hour() -> None:
    # 15 waits between 16 attempts; results are kept 4 h, so a receiver fixed within the hour still gets them.
    waits = [backoff_delay(n, 1.0, 600.0, lambda: 1.0) for n in range(1, 16)]
    assert 3600 < sum(waits) < 4 * 3600


def _post(settings: Settings, url: str, timeout: float = 2.0) -> str | None:
    async def go() -> str | None:
        async with callback_client(settings) as client:
            return await post_once(client, url, {"checksum": "c", "content": "{}"}, timeout)

    return asyncio.run(go())


def test_post_once_statuses() -> None:
    settings = Settings(fetch_allow="127.0.0.0/8")
    receiver = Receiver(statuses=[200, 500, 204]).start()
    try:
        assert _post(settings, receiver.url) is None
        assert _post(settings, receiver.url) == "HTTP 500"
        assert _post(settings, receiver.url) == "HTTP 204"  # only 200 means delivered
        assert receiver.received[0].content_type == "application/x-www-form-urlencoded"
        assert receiver.received[0].form == {"checksum": "c", "content": "{}"}
    finally:
        receiver.stop()


def test_post_once_timeout_bounds_the_whole_attempt() -> None:
    receiver = Receiver(delay=3.0).start()
    try:
        error = _post(Settings(fetch_allow="127.0.0.0/8"), receiver.url, timeout=0.5)
        assert error == "no answer within 0.5 s"
    finally:
        receiver.stop()


def test_connection_refused_is_a_retryable_failure() -> None:
    receiver = Receiver().start()
    url = receiver.url
    receiver.stop()
    error = _post(Settings(fetch_allow="127.0.0.0/8"), url)
    assert error is not None and "Connect" in error


def test_loopback_refused_by_the_guard_under_default_settings() -> None:
    receiver = Receiver().start()
    try:
        with pytest.raises(UrlNotAllowed):
            _post(Settings(fetch_allow=""), receiver.url)
        assert receiver.received == []
    finally:
        receiver.stop()
