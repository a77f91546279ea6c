"""Scale-out mode end to end: ``certscan serve`` (celery queue, PostgreSQL) + ``certscan worker`` processes
on a real Redis, driven by the vendor's SDK. A worker killed with SIGKILL mid-task: a new one finishes it."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from certscan.constants import empty_fields
from tests.api.support import (
    ImageServer,
    SdkClient,
    ServerProcess,
    id_number,
    render_id_card_front,
    scan_body,
)
from tests.callbacks.receiver import Receiver
from tests.queue.test_celery_queue import REDIS_URL, forget_queue
from tests.store.backends import _postgres_schema_url

pytestmark = pytest.mark.slow

ID_NUMBER = id_number("44030419851120271")
NAME = "李晓红"


@dataclass
class WorkerProcess:
    """``certscan worker`` in its own process group (the Celery parent and its pool children)."""

    env: dict[str, str]
    log_dir: Path
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self) -> None:
        self.log_path = self.log_dir / f"worker-{int(time.time() * 1000)}.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "certscan.cli", "worker", "--concurrency", "1"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.started.append(self.proc)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)  # parent and pool children: no shutdown code runs
            self.proc.wait(timeout=30)

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""


@dataclass
class Stack:
    server: ServerProcess
    worker: WorkerProcess
    images: ImageServer
    key: dict[str, str]
    database_url: str

    def task_row(self, task_id: str) -> tuple[str, int]:
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                row = conn.execute(text("SELECT status, attempts FROM certscan_tasks WHERE task_id = :t"),
                                   {"t": task_id}).one()
        finally:
            engine.dispose()
        return str(row[0]), int(row[1])


def redis_or_skip() -> None:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at 127.0.0.1:6379 ({exc.__class__.__name__})")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    redis_or_skip()
    queue = f"certscan-test-{secrets.token_hex(4)}"
    images = ImageServer(files={"idcard.png": render_id_card_front(NAME, ID_NUMBER)})
    data_dir = tmp_path_factory.mktemp("celery") / "data"
    data_dir.mkdir(parents=True)
    for database_url in _postgres_schema_url():
        env = {
            "CERTSCAN_QUEUE": "celery", "CERTSCAN_DATABASE_URL": database_url,
            "CERTSCAN_REDIS_URL": REDIS_URL, "CERTSCAN_CELERY_QUEUE": queue,
            # A dead worker's task is taken back within seconds (production: a minute).
            "CERTSCAN_TASK_LEASE_SECONDS": "3",
            "CERTSCAN_DOWNLOAD_TIMEOUT_SECONDS": "30",
            # The callback sender does not poll in these tests: only a worker's announcement wakes it.
            "CERTSCAN_CALLBACK_POLL_SECONDS": "300",
        }
        server = ServerProcess(data_dir, env=env)
        worker = WorkerProcess(server._environment(), data_dir)
        with images.running():
            key = server.create_key()
            worker.start()
            try:
                with server.running():
                    yield Stack(server, worker, images, key, database_url)
            finally:
                worker.stop_all()
                forget_queue(queue)


def assert_reads_the_card(element: dict[str, object]) -> None:
    assert element["code"] == 200, element
    [result] = element["results"]  # type: ignore[misc]
    info = result["idCardInfo"]
    assert set(empty_fields("id-card-front")) <= set(info)
    assert info["number"] == ID_NUMBER


def test_submit_on_the_api_run_on_a_celery_worker(stack: Stack) -> None:
    sdk = SdkClient(stack.server.port, stack.key)
    receiver = Receiver().start()
    try:
        body = scan_body([stack.images.url("idcard.png")], callback=receiver.url, seed="seed_1")
        [accepted] = sdk.async_scan(body)["data"]
        assert accepted["code"] == 200
        try:
            final = sdk.poll_until_done([accepted["taskId"]], timeout=60)[accepted["taskId"]]
        except AssertionError:
            logs = f"worker log:\n{stack.worker.log()}\nserver log:\n{stack.server.log()}"
            raise AssertionError(logs) from None
        assert_reads_the_card(final)
        assert stack.task_row(accepted["taskId"]) == ("done", 1)
        # The API server's callback sender was woken by the worker's announcement (it does not poll).
        deadline = time.monotonic() + 10
        while not receiver.received:
            assert time.monotonic() < deadline, "no callback"
            time.sleep(0.05)
    finally:
        receiver.stop()
    [callback] = receiver.received
    content = json.loads(callback.form["content"])
    assert content["taskId"] == accepted["taskId"] and content["code"] == 200

    # The synchronous twin: the worker's announcement (Redis pub/sub) answers the waiting request.
    time.sleep(1.0)  # a fresh QPS window
    started = time.monotonic()
    [inline] = sdk.sync_scan(scan_body([stack.images.url("idcard.png?sync")]))["data"]
    assert_reads_the_card(inline)
    assert time.monotonic() - started < 6.0


def test_a_worker_killed_mid_task_is_replaced_and_the_task_finishes(stack: Stack) -> None:
    sdk = SdkClient(stack.server.port, stack.key)
    stack.images.delay = 10.0  # the download hangs: the task is in flight when the worker dies
    try:
        [accepted] = sdk.async_scan(scan_body([stack.images.url("idcard.png?slow")]))["data"]
        task_id = accepted["taskId"]
        deadline = time.monotonic() + 30
        while stack.task_row(task_id)[0] != "running":
            assert time.monotonic() < deadline, f"never started:\n{stack.worker.log()}"
            time.sleep(0.1)
        stack.worker.kill()
    finally:
        stack.images.delay = 0.0
    assert stack.task_row(task_id) == ("running", 1)  # nothing of the dead worker finished it

    stack.worker.start()
    final = sdk.poll_until_done([task_id], timeout=60)[task_id]
    assert_reads_the_card(final)
    assert stack.task_row(task_id) == ("done", 2)  # run again, once


def pool_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children]


def test_a_pool_process_killed_mid_task_is_replaced_by_its_worker_and_the_task_finishes(stack: Stack) -> None:
    # The Celery parent survives: it hands the message back (reject_on_worker_lost) and forks a new
    # pool process, which finds the task still leased to the dead one and leaves it to the sweep.
    sdk = SdkClient(stack.server.port, stack.key)
    assert stack.worker.proc is not None and stack.worker.proc.poll() is None
    stack.images.delay = 10.0
    try:
        [accepted] = sdk.async_scan(scan_body([stack.images.url("idcard.png?child")]))["data"]
        task_id = accepted["taskId"]
        deadline = time.monotonic() + 30
        while stack.task_row(task_id)[0] != "running":
            assert time.monotonic() < deadline, f"never started:\n{stack.worker.log()}"
            time.sleep(0.1)
        [child] = pool_children(stack.worker.proc.pid)
        os.kill(child, signal.SIGKILL)
    finally:
        stack.images.delay = 0.0
    final = sdk.poll_until_done([task_id], timeout=60)[task_id]
    assert_reads_the_card(final)
    assert stack.task_row(task_id) == ("done", 2)
    assert stack.worker.proc.poll() is None  # the same worker went on
