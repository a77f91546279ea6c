"""SSRF guard for every outgoing request certscan makes to a caller-supplied URL (images, callbacks).

Policy (on by default): only ``http``/``https`` URLs, and only to addresses that are globally routable.
Refused: loopback, private (RFC 1918, ULA), shared/CGNAT, link-local, multicast, reserved, unspecified,
documentation/benchmark ranges, and the cloud metadata endpoints (169.254.169.254, fd00:ec2::254,
100.100.100.200). IPv6 addresses that embed an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``, 6to4, Teredo,
NAT64 ``64:ff9b::/96``) are judged by the embedded address as well. A refusal raises ``UrlNotAllowed``
(task code 401) before any connection is opened.

Allowlist: ``Settings.fetch_allow`` (env ``CERTSCAN_FETCH_ALLOW``), comma-separated CIDRs such as
``127.0.0.0/8,10.1.0.0/16``; addresses inside them are allowed whatever their kind. The metadata endpoints
are the exception: only an allowlist entry naming exactly that one address (``169.254.169.254/32``) lets
them through, so allowlisting a whole private or CGNAT range never exposes instance credentials.

No DNS-rebinding window: the check lives in the connection layer. ``GuardedNetworkBackend`` resolves the
host once per connection, checks every address it got, and opens the TCP connection to a checked address
itself, so the address checked is the address connected to. The URL (hence the ``Host`` header, TLS SNI and
certificate verification) keeps the host name. Every redirect hop opens its connection through the same
layer, so it is re-checked. Proxies from the environment are ignored (``trust_env=False``): through a proxy
the guard would only see the proxy's address.

Reuse (the callback sender does this)::

    await check_url(url, settings)            # optional early refusal, e.g. at submit time
    async with guarded_client(settings) as client:
        response = await client.post(url, ...)  # every connection it opens is checked again

``check_url`` returns the resolved, checked addresses; ``check_address`` judges one address.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import lru_cache
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import anyio
import certifi
import httpcore
import httpx

from certscan.errors import DownloadFailed, UrlNotAllowed
from certscan.settings import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

FETCHED_SCHEMES = ("http", "https")
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(text) for text in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


@lru_cache(maxsize=16)
def parse_allowlist(text: str) -> tuple[IPNetwork, ...]:
    """CIDRs of ``CERTSCAN_FETCH_ALLOW``; a bad entry is a configuration error (ValueError)."""
    networks: list[IPNetwork] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ValueError(f"CERTSCAN_FETCH_ALLOW: {entry!r} is not an IP network (CIDR)") from exc
    return tuple(networks)


def _translated_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped (``::ffff:a.b.c.d``) or NAT64 address actually reaches."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses tunnelled in 6to4, Teredo or IPv4-compatible forms (refused if any is internal)."""
    embedded: list[ipaddress.IPv4Address] = []
    if address.sixtofour is not None:
        embedded.append(address.sixtofour)
    if address.teredo is not None:
        embedded.extend(address.teredo)
    if address in _IPV4_COMPATIBLE and int(address) > 1:
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return embedded


def _kind(address: IPAddress) -> str | None:
    """Why ``address`` is not a public destination, or None when it is."""
    if address in METADATA_ADDRESSES:
        return "cloud metadata"
    if isinstance(address, ipaddress.IPv6Address):
        translated = _translated_ipv4(address)
        if translated is not None:  # the connection really goes to this IPv4 address: judge it alone
            inner_kind = _kind(translated)
            return None if inner_kind is None else f"{inner_kind} (embedded in IPv6)"
        for inner in _embedded_ipv4(address):
            inner_kind = _kind(inner)
            if inner_kind is not None:
                return f"{inner_kind} (embedded in IPv6)"
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_private:
        return "private"
    if address.is_reserved:
        return "reserved"
    if not address.is_global:
        return "non-public"
    return None


def refusal_reason(address: IPAddress, allow: Sequence[IPNetwork] = ()) -> str | None:
    """None if the guard lets ``address`` through under allowlist ``allow``, else the reason."""
    kind = _kind(address)
    if kind is None:
        return None
    if kind.startswith("cloud metadata"):
        exact = [net for net in allow if net.num_addresses == 1 and address in net]
        return None if exact else kind
    if any(address.version == net.version and address in net for net in allow):
        return None
    return kind


def check_address(address: IPAddress, allow: Sequence[IPNetwork] = ()) -> None:
    reason = refusal_reason(address, allow)
    if reason is not None:
        # The address itself stays out of the message: callers should not learn our internal DNS.
        raise UrlNotAllowed(f"url not allowed: it points to a {reason} address")


async def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself), in resolver order."""
    try:
        infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise DownloadFailed("download failed: cannot resolve host") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise DownloadFailed("download failed: host has no address")
    return addresses


def parse_fetch_url(url: str) -> httpx.URL:
    """``url`` as an http(s) URL with a host, or ``UrlNotAllowed`` (no network access)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise UrlNotAllowed("url not allowed: malformed url") from exc
    if parsed.scheme not in FETCHED_SCHEMES:
        raise UrlNotAllowed(f"url not allowed: scheme {parsed.scheme or '(none)'!r} is not fetched")
    if not parsed.host:
        raise UrlNotAllowed("url not allowed: no host")
    return parsed


async def check_url(url: str, settings: Settings, resolver: Resolver = resolve_host) -> list[IPAddress]:
    """Refuse ``url`` unless it is http(s) and EVERY address its host resolves to passes the guard."""
    parsed = parse_fetch_url(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = await resolver(parsed.host, port)
    allow = parse_allowlist(settings.fetch_allow)
    for address in addresses:
        check_address(address, allow)
    return addresses


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """httpcore backend that resolves, checks and connects to the checked address in one step."""

    def __init__(self, allow: Sequence[IPNetwork], resolver: Resolver = resolve_host) -> None:
        self._allow = tuple(allow)
        self._resolver = resolver
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolver(host, port)
        for address in addresses:  # all of them: a host mixing public and internal answers is refused
            check_address(address, self._allow)
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise UrlNotAllowed("url not allowed: unix sockets are never used")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


@lru_cache(maxsize=1)
def default_ssl_context() -> ssl.SSLContext:
    """Verifying TLS context on certifi's CAs; built once (loading the CA bundle costs ~80 ms)."""
    return ssl.create_default_context(cafile=certifi.where())


# No keep-alive: every request and redirect hop opens (and checks) its own connection. The connection cap
# is httpx's default: a client shared by all of a server's tasks must not make downloads queue for it.
_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=0)


def _no_cookies() -> CookieJar:
    """A jar that stores nothing: a client shared across tasks (and tenants) must not carry cookies one
    image server set into another task's request."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool rebuilt on ``GuardedNetworkBackend``."""

    def __init__(
        self,
        allow: Sequence[IPNetwork],
        *,
        ssl_context: ssl.SSLContext | None = None,
        resolver: Resolver = resolve_host,
        limits: httpx.Limits = _LIMITS,
    ) -> None:
        context = ssl_context or default_ssl_context()
        super().__init__(verify=context, trust_env=False, limits=limits)
        # httpx offers no public hook for the network backend; the pool it built is replaced by one
        # with the same role. tests/imaging prove the replacement is in effect (loopback refused).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedNetworkBackend(allow, resolver),
        )


def guarded_client(
    settings: Settings,
    *,
    timeout: float | None = None,
    ssl_context: ssl.SSLContext | None = None,
    resolver: Resolver = resolve_host,
    **client_options: Any,
) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` whose every connection passes the guard (proxies from env ignored, no
    cookies kept). One client may serve many tasks concurrently."""
    transport = GuardedTransport(
        parse_allowlist(settings.fetch_allow), ssl_context=ssl_context, resolver=resolver
    )
    return httpx.AsyncClient(
        transport=transport,
        trust_env=False,
        cookies=_no_cookies(),
        timeout=httpx.Timeout(timeout if timeout is not None else settings.download_timeout_seconds),
        **client_options,
    )
