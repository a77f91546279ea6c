"""A loopback harness shared by the API tests and ``bench.speed.http``: an image server on 127.0.0.1, a real
``certscan serve`` process with its own data dir, and the vendor's first-generation Python SDK as client.

Both measure the product as a customer runs it, so they must start it the same way; this is that one way.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _content_type(path: str) -> str:
    name = path.split("?", 1)[0].lower()
    return "image/jpeg" if name.endswith((".jpg", ".jpeg")) else "image/png"


@dataclass
class ImageServer:
    """Serves ``files`` (path → bytes) on 127.0.0.1, each answer after ``delay`` seconds."""

    files: dict[str, bytes] = field(default_factory=dict)
    delay: float = 0.0
    hits: int = 0
    port: int = 0

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    @contextmanager
    def running(self) -> Iterator[ImageServer]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.hits += 1
                time.sleep(owner.delay)
                body = owner.files.get(self.path.split("?", 1)[0].lstrip("/"))
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", _content_type(self.path))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = int(server.server_address[1])
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


@dataclass
class ServerProcess:
    """``certscan serve`` in its own process, on a free port, with its own data dir."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CERTSCAN_")}
        env.update({"CERTSCAN_FETCH_ALLOW": "127.0.0.0/8", "CERTSCAN_WORKERS": "1",
                    "CERTSCAN_WORKER_THREADS": "1"})
        env.update(self.env)
        return env

    def create_key(self, uid: str | None = None) -> dict[str, str]:
        args = [sys.executable, "-m", "certscan.cli", "keys", "create", "--data-dir", str(self.data_dir)]
        if uid:
            args += ["--uid", uid]
        out = subprocess.run(args, env=self._environment(), check=True, capture_output=True, timeout=60)
        key: dict[str, str] = json.loads(out.stdout)
        return key

    def start(self, timeout: float = 60.0) -> None:
        """Start, and return once ``/healthz`` answers 200 (``RuntimeError`` with the log otherwise)."""
        self.log_path = self.data_dir / f"serve-{int(time.time() * 1000)}.log"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "certscan.cli", "serve", "--port", str(self.port),
                 "--data-dir", str(self.data_dir)],
                env=self._environment(), stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its worker processes form one group we can kill together
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server did not come up:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL the server and its worker processes: no shutdown code runs."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the server shuts its worker pool down itself
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    @contextmanager
    def running(self) -> Iterator[ServerProcess]:
        self.start()
        try:
            yield self
        finally:
            self.stop()


class SdkClient:
    """The vendor's first-generation Python SDK pointed at a local server over http."""

    def __init__(self, port: int, key: dict[str, str]) -> None:
        from aliyunsdkcore.client import AcsClient
        from aliyunsdkcore.profile import region_provider

        region_provider.modify_point("Green", "cn-shanghai", f"127.0.0.1:{port}")
        self.client = AcsClient(key["accessKeyId"], key["accessKeySecret"], "cn-shanghai")

    def _call(self, request: Any, body: Any) -> dict[str, Any]:
        request.set_accept_format("JSON")
        request.set_protocol_type("http")
        request.set_content(json.dumps(body).encode("utf-8"))
        answer: dict[str, Any] = json.loads(self.client.do_action_with_exception(request))
        return answer

    def async_scan(self, body: dict[str, Any]) -> dict[str, Any]:
        from aliyunsdkgreen.request.v20180509 import ImageAsyncScanRequest

        return self._call(ImageAsyncScanRequest.ImageAsyncScanRequest(), body)

    def results(self, task_ids: list[str]) -> dict[str, Any]:
        from aliyunsdkgreen.request.v20180509 import ImageAsyncScanResultsRequest

        return self._call(ImageAsyncScanResultsRequest.ImageAsyncScanResultsRequest(), task_ids)

    def sync_scan(self, body: dict[str, Any]) -> dict[str, Any]:
        from aliyunsdkgreen.request.v20180509 import ImageSyncScanRequest

        return self._call(ImageSyncScanRequest.ImageSyncScanRequest(), body)

    def poll_until_done(self, task_ids: list[str], timeout: float = 120.0) -> dict[str, dict[str, Any]]:
        """Poll (gently: the QPS limit applies) until no task answers 280; the final element per id."""
        deadline = time.monotonic() + timeout
        final: dict[str, dict[str, Any]] = {}
        while time.monotonic() < deadline:
            pending = [t for t in task_ids if t not in final]
            if not pending:
                return final
            for element in self.results(pending)["data"]:
                if element["code"] != 280:
                    final[element["taskId"]] = element
            time.sleep(0.3)
        raise AssertionError(f"tasks still processing after {timeout} s: {set(task_ids) - set(final)}")
