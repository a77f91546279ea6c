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
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.loopback import ImageServer, SdkClient, ServerProcess
from bench.speed.run import percentile
from certscan.settings import Settings


def _sync_body(url: str, card: str) -> dict[str, Any]:
    return {"scenes": ["ocr"], "extras": {"card": card}, "tasks": [{"dataId": "bench", "url": url}]}


def measure(image: Path, card: str, count: int, workers: int, threads: int | None) -> dict[str, Any]:
    default_threads = Settings.model_fields["worker_threads"].default
    env = {"CERTSCAN_WORKERS": str(workers), "CERTSCAN_QPS_PER_ACCOUNT": "1000",
           "CERTSCAN_WORKER_THREADS": str(threads or default_threads)}
    name = "image.jpg" if image.suffix.lower() in (".jpg", ".jpeg") else "image.png"
    with tempfile.TemporaryDirectory(prefix="certscan-http-bench-") as tmp:
        server = ServerProcess(Path(tmp), env=env)
        key = server.create_key()
        images = ImageServer(files={name: image.read_bytes()})
        with images.running(), _started(server, timeout=120):
            client = SdkClient(server.port, key)
            body = _sync_body(images.url(name), card)
            first = client.sync_scan(body)  # untimed: connections, first task of the worker
            seconds: list[float] = []
            codes: dict[int, int] = {}
            for _ in range(count):
                started = time.perf_counter()
                answer = client.sync_scan(body)
                seconds.append(time.perf_counter() - started)
                for element in answer.get("data", []):
                    codes[element.get("code")] = codes.get(element.get("code"), 0) + 1
    element = (first.get("data") or [{}])[0]
    return {"image": str(image), "card": card, "requests": count, "workers": workers,
            "p50_s": percentile(seconds, 0.5), "p95_s": percentile(seconds, 0.95), "max_s": max(seconds),
            "codes": codes, "first_answer_code": element.get("code"),
            "load_average": os.getloadavg()}


@contextmanager
def _started(server: ServerProcess, timeout: float) -> Iterator[ServerProcess]:
    """``server`` running for the block; a longer start-up allowance than the tests' (every model loads)."""
    server.start(timeout=timeout)
    try:
        yield server
    finally:
        server.stop()


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
