"""One callback attempt, and the retry schedule between attempts.

Every connection goes through the image-fetch SSRF guard (``certscan.imaging.guard``): the receiver's
address is checked when the connection opens, so a host that resolves to an internal address is refused
exactly as an image URL would be. Redirects are not followed: only the receiver's own 200 counts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

import httpx

from certscan.errors import CertscanError, UrlNotAllowed
from certscan.imaging.guard import GuardedTransport, parse_allowlist
from certscan.settings import Settings

DELIVERED_STATUS = 200


def backoff_delay(attempts_made: int, base: float, cap: float, rand: Callable[[], float]) -> float:
    """Seconds to wait after the ``attempts_made``-th failed attempt: exponential (base·2^(n-1), at most
    ``cap``) with "equal jitter" (a uniform draw from the upper half), so receivers recovering from an
    outage are not hit by every server's retries at the same instant, yet the wait still grows."""
    delay = min(cap, base * 2.0 ** max(0, attempts_made - 1))
    return delay / 2 + rand() * delay / 2


def callback_client(settings: Settings) -> httpx.AsyncClient:
    """The HTTP client of the callback sender: guarded, no proxies from the environment, no redirects,
    enough connections that one slow receiver cannot hold up the others."""
    limits = httpx.Limits(max_connections=max(1, settings.callback_concurrency), max_keepalive_connections=0)
    transport = GuardedTransport(parse_allowlist(settings.fetch_allow), limits=limits)
    return httpx.AsyncClient(transport=transport, trust_env=False, follow_redirects=False,
                             timeout=httpx.Timeout(settings.callback_timeout_seconds))


async def post_once(
    client: httpx.AsyncClient, url: str, form: Mapping[str, str], timeout: float
) -> str | None:
    """POST ``form`` to ``url`` once. None when the receiver answered 200, else why the attempt failed.

    ``timeout`` bounds the whole attempt (connect, send, status line), not each socket operation, so a
    receiver that trickles bytes cannot stretch it. The response body is never read. ``UrlNotAllowed``
    (the guard's refusal) propagates: retrying cannot change it.
    """
    try:
        async with asyncio.timeout(timeout):
            async with client.stream("POST", url, data=dict(form)) as response:
                status = response.status_code
    except TimeoutError:
        return f"no answer within {timeout:g} s"
    except UrlNotAllowed:
        raise
    except (httpx.HTTPError, CertscanError, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    if status == DELIVERED_STATUS:
        return None
    return f"HTTP {status}"
