"""Real HTTP(S) servers on loopback for the fetch tests, scripted per test and recording what happened.

Each server listens on 127.0.0.x on a free port and serves every connection in its own thread. It records
accepted connections, request lines and headers, and how many body bytes it managed to send, so a test can
prove e.g. that no connection was made or that a large body was not read in full.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Exchange:
    """One connection as a handler sees it: the parsed request and a recording ``send``."""

    request: Request
    conn: socket.socket
    server: LoopbackServer

    def send(self, data: bytes) -> bool:
        """Send ``data``; False once the client is gone (the handler should stop)."""
        try:
            self.conn.sendall(data)
        except OSError:
            return False
        with self.server.lock:
            self.server.bytes_sent += len(data)
        return True

    def respond(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        head = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
        head += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.send(("\r\n".join(head) + "\r\n\r\n").encode() + body)

    def stopped(self) -> bool:
        return self.server.stop_event.is_set()


Handler = Callable[[Exchange], None]


@dataclass
class LoopbackServer:
    handler: Handler
    host: str = "127.0.0.1"
    tls: ssl.SSLContext | None = None
    connections: int = 0
    bytes_sent: int = 0
    requests: list[Request] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop_event: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        self._listener = socket.create_server((self.host, 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        if self.tls is not None:
            self.tls.sni_callback = self._record_sni
        self._threads = [threading.Thread(target=self._accept_loop, daemon=True)]
        self._threads[0].start()

    def url(self, path: str = "/image", scheme: str = "http", host: str | None = None) -> str:
        return f"{scheme}://{host or self.host}:{self.port}{path}"

    def close(self) -> None:
        self.stop_event.set()
        for thread in list(self._threads):
            thread.join(timeout=5)
        self._listener.close()

    def _record_sni(self, _sock: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> None:
        with self.lock:
            self.server_names.append(name)

    def _accept_loop(self) -> None:
        while not self.stop_event.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            request = _read_request(conn)
            if request is None:
                return
            with self.lock:
                self.requests.append(request)
            self.handler(Exchange(request, conn, self))
        except OSError:
            pass
        finally:
            conn.close()


def _read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    method, path, _version = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method, path, headers)


@contextmanager
def serving(
    handler: Handler, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None
) -> Iterator[LoopbackServer]:
    server = LoopbackServer(handler, host=host, tls=tls)
    server.start()
    try:
        yield server
    finally:
        server.close()


def closed_port() -> int:
    """A loopback port nothing listens on (connecting to it is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def drip(exchange: Exchange, total: int, interval: float) -> None:
    """Announce ``total`` body bytes, then send them one at a time every ``interval`` seconds."""
    exchange.send(f"HTTP/1.1 200 OK\r\nContent-Length: {total}\r\n\r\n".encode())
    for _ in range(total):
        if exchange.stopped() or not exchange.send(b"\xff"):
            return
        time.sleep(interval)
