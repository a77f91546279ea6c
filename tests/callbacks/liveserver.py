"""``certscan serve`` as a real child process on 127.0.0.1, for tests that need a server to kill.

The server runs in its own process group (its OCR worker processes included), so ``kill()`` can SIGKILL
exactly what the test started, as a crash would, and ``stop()`` leaves nothing running.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CERTSCAN_")}
        env.update({"CERTSCAN_DATA_DIR": str(self.data_dir), "PYTHONPATH": str(REPO)}, **self.env)
        return env

    def create_key(self) -> dict[str, str]:
        out = subprocess.run([sys.executable, "-m", "certscan.cli", "keys", "create"], env=self._env(),
                             cwd=self.data_dir, check=True, capture_output=True, timeout=60)
        key: dict[str, str] = json.loads(out.stdout)
        return key

    def start(self, timeout: float = 60.0) -> LiveServer:
        self.starts += 1
        log = open(self.data_dir / f"serve-{self.starts}.log", "wb")  # noqa: SIM115 (lives with the child)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "certscan.cli", "serve", "--port", str(self.port)],
            env=self._env(), cwd=self.data_dir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"certscan serve exited with {self.process.returncode}: {self.log()}")
            try:
                if httpx.get(self.base_url + "/healthz", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"certscan serve did not come up in {timeout} s: {self.log()}")

    def log(self) -> str:
        path = self.data_dir / f"serve-{self.starts}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def _signal_group(self, sig: signal.Signals) -> None:
        # The group outlives its leader while a worker process lives; signal it by the id we created.
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """SIGKILL the server and its worker processes: no shutdown code runs."""
        self._signal_group(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is not None:
            self._signal_group(signal.SIGKILL)  # stray workers of a server that already died
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(timeout=30)
        self._signal_group(signal.SIGKILL)
