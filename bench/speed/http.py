"""``python -m bench.speed.http --image FILE [--card id-card-front] [-n 30] [--workers 1]``.

The synchronous scan end to end, as a customer sees it: a real ``certscan serve`` process (its own data
dir, its worker processes warmed up), the image on a local HTTP server, and the vendor's own Python SDK
signing each ``/green/image/scan`` request with a key made by ``certscan keys create``. Prints p50 / p95 /
max seconds per request (after one untimed request) and the server's own stage timings are left to its
log. Nothing is asserted: the output is the record.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from bench.speed.run import percentile


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def image_server(body: bytes, content_type: str) -> Iterator[str]:
    """Serves ``body`` at the URL it yields, on 127.0.0.1."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/image"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve(data_dir: Path, env: dict[str, str], timeout: float = 120.0) -> Iterator[int]:
    """``certscan serve`` on a free port (yielded) until the block ends; SIGTERM, then SIGKILL."""
    port = _free_port()
    log = open(data_dir / "serve.log", "wb")  # noqa: SIM115 - closed below, after the process ends
    proc = subprocess.Popen([sys.executable, "-m", "certscan.cli", "serve", "--port", str(port),
                             "--data-dir", str(data_dir)], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError("certscan serve exited: " + (data_dir / "serve.log").read_text()[-2000:])
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("certscan serve did not come up")
            time.sleep(0.2)
        yield port
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
        log.close()


class SdkClient:
    """The vendor's first-generation SDK (aliyun-python-sdk-green), pointed at the local server."""

    def __init__(self, port: int, key: dict[str, str]) -> None:
        from aliyunsdkcore.client import AcsClient
        from aliyunsdkcore.profile import region_provider

        region_provider.modify_point("Green", "cn-shanghai", f"127.0.0.1:{port}")
        self.client = AcsClient(key["accessKeyId"], key["accessKeySecret"], "cn-shanghai")

    def sync_scan(self, url: str, card: str) -> dict[str, Any]:
        from aliyunsdkgreen.request.v20180509 import ImageSyncScanRequest

        request = ImageSyncScanRequest.ImageSyncScanRequest()
        request.set_accept_format("JSON")
        request.set_protocol_type("http")
        body = {"scenes": ["ocr"], "extras": {"card": card}, "tasks": [{"dataId": "bench", "url": url}]}
        request.set_content(json.dumps(body).encode("utf-8"))
        answer: dict[str, Any] = json.loads(self.client.do_action_with_exception(request))
        return answer


def measure(image: Path, card: str, count: int, workers: int, threads: int | None) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CERTSCAN_")}
    env.update({"CERTSCAN_FETCH_ALLOW": "127.0.0.0/8", "CERTSCAN_WORKERS": str(workers),
                "CERTSCAN_QPS_PER_ACCOUNT": "1000"})
    if threads:
        env["CERTSCAN_WORKER_THREADS"] = str(threads)
    content_type = "image/png" if image.suffix.lower() == ".png" else "image/jpeg"
    with tempfile.TemporaryDirectory(prefix="certscan-http-bench-") as tmp:
        data_dir = Path(tmp)
        out = subprocess.run([sys.executable, "-m", "certscan.cli", "keys", "create", "--data-dir", tmp],
                             env=env, check=True, capture_output=True, timeout=120)
        key = json.loads(out.stdout)
        with image_server(image.read_bytes(), content_type) as url, serve(data_dir, env) as port:
            client = SdkClient(port, key)
            first = client.sync_scan(url, card)  # untimed: connections, first task of the worker
            seconds: list[float] = []
            codes: dict[int, int] = {}
            for _ in range(count):
                started = time.perf_counter()
                answer = client.sync_scan(url, card)
                seconds.append(time.perf_counter() - started)
                for element in answer.get("data", []):
                    codes[element.get("code")] = codes.get(element.get("code"), 0) + 1
    element = (first.get("data") or [{}])[0]
    return {"image": str(image), "card": card, "requests": count, "workers": workers,
            "p50_s": percentile(seconds, 0.5), "p95_s": percentile(seconds, 0.95), "max_s": max(seconds),
            "codes": codes, "first_answer_code": element.get("code"),
            "load_average": os.getloadavg()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speed.http", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", type=Path, required=True)
    parser.add_argument("--card", default="id-card-front")
    parser.add_argument("-n", type=int, default=30, help="timed requests (one after another)")
    parser.add_argument("--workers", type=int, default=1, help="CERTSCAN_WORKERS of the server")
    parser.add_argument("--threads", type=int, help="CERTSCAN_WORKER_THREADS (default: Settings)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.image.is_file():
        parser.error(f"no such image: {args.image}")
    result = measure(args.image, args.card, max(1, args.n), args.workers, args.threads)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"sync /green/image/scan  {result['card']}  {result['image']}  workers={result['workers']}  "
              f"n={result['requests']}")
        print(f"p50 {result['p50_s']:.3f} s   p95 {result['p95_s']:.3f} s   max {result['max_s']:.3f} s   "
              f"codes {result['codes']}   load average {result['load_average']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
