"""What both signature schemes share: the request view, the nonce store and the freshness checks."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from certscan.errors import NonceUsed, TimestampExpired

SecretLookup = Callable[[str], "str | None"]


@dataclass(frozen=True)
class SignedRequest:
    """The parts of an HTTP request a signature covers. ``headers`` keys are lower-case."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes

    @classmethod
    def build(
        cls, method: str, path: str, query: list[tuple[str, str]], headers: Mapping[str, str], body: bytes
    ) -> SignedRequest:
        return cls(method.upper(), path, list(query), {k.lower(): v for k, v in headers.items()}, body)

    def header(self, name: str) -> str:
        """A header's value, or "" when absent (both schemes sign a missing header as an empty string)."""
        return self.headers.get(name, "")


class NonceStore(Protocol):
    """Remembers signature nonces so a captured request cannot be replayed inside the clock window."""

    def add_if_new(self, nonce: str, access_key_id: str, now: float, ttl: float) -> bool:
        """Record ``nonce`` for ``access_key_id`` until ``now + ttl``; False if it is already recorded."""
        ...


class MemoryNonceStore:
    """A process-local :class:`NonceStore` (tests, single-process development servers)."""

    def __init__(self) -> None:
        self._expiry: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()
        self._next_purge = 0.0

    def add_if_new(self, nonce: str, access_key_id: str, now: float, ttl: float) -> bool:
        key = (access_key_id, nonce)
        with self._lock:
            if now >= self._next_purge:
                # Purging on every call would be quadratic under load; once per ttl/4 keeps memory bounded.
                self._expiry = {k: exp for k, exp in self._expiry.items() if exp > now}
                self._next_purge = now + ttl / 4
            expiry = self._expiry.get(key)
            if expiry is not None and expiry > now:
                return False
            self._expiry[key] = now + ttl
            return True


def check_fresh(timestamp: float | None, header_name: str, now: float, skew: float) -> None:
    """Refuse a request whose signed time is missing or further than ``skew`` seconds from ``now``."""
    if timestamp is None:
        raise TimestampExpired(f"Specified time stamp or date value is expired or malformed: {header_name}")
    if abs(now - timestamp) > skew:
        raise TimestampExpired(
            f"Specified time stamp or date value is expired: {header_name} is {abs(now - timestamp):.0f} s "
            f"away from the server clock (allowed {skew:.0f} s)"
        )


def check_nonce(nonces: NonceStore, nonce: str, access_key_id: str, now: float, skew: float) -> None:
    """Refuse a nonce seen before. A request stays acceptable while its time is within ±skew of the
    clock, i.e. for up to 2·skew seconds after it was first seen, so the nonce is remembered that long."""
    if not nonces.add_if_new(nonce, access_key_id, now, 2 * skew):
        raise NonceUsed(f"Specified signature nonce was used already: {nonce}")
