"""A task accepted with 200 is never lost: SIGKILL the server mid-queue, restart it, every task finishes."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from tests.api.support import ImageServer, SdkClient, ServerProcess, scan_body

pytestmark = pytest.mark.slow


def statuses(data_dir: Path) -> dict[str, tuple[str, int]]:
    with sqlite3.connect(data_dir / "certscan.sqlite3") as db:
        rows = db.execute("SELECT task_id, status, attempts FROM certscan_tasks").fetchall()
    return {task_id: (status, attempts) for task_id, status, attempts in rows}


def test_sigkill_with_tasks_queued_and_running_then_restart(tmp_path: Path) -> None:
    images = ImageServer(files={"junk.png": b"not an image"}, delay=3.0)  # slow: tasks pile up
    env = {"CERTSCAN_TASK_CONCURRENCY": "2", "CERTSCAN_WARM_UP_WORKERS": "false"}
    server = ServerProcess(tmp_path / "data", env=env)
    with images.running():
        key = server.create_key()
        server.start()
        try:
            sdk = SdkClient(server.port, key)
            answer = sdk.async_scan(scan_body([images.url(f"junk.png?{i}") for i in range(6)]))
            task_ids = [d["taskId"] for d in answer["data"]]
            assert [d["code"] for d in answer["data"]] == [200] * 6
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # until two downloads are under way
                if sum(s == "running" for s, _ in statuses(server.data_dir).values()) == 2:
                    break
                time.sleep(0.1)
        finally:
            server.kill()

        before = statuses(server.data_dir)
        assert set(before) == set(task_ids)
        assert sorted(s for s, _ in before.values()) == ["queued"] * 4 + ["running"] * 2, before

        images.delay = 0.0
        server.start()
        try:
            final = SdkClient(server.port, key).poll_until_done(task_ids, timeout=60)
        finally:
            server.stop()
    # Every task ran to its end (the image is not decodable: 590), the interrupted ones twice.
    assert {final[t]["code"] for t in task_ids} == {590}
    after = statuses(server.data_dir)
    assert all(after[t][0] == "failed" for t in task_ids)
    interrupted = [t for t, (s, _) in before.items() if s == "running"]
    assert all(after[t][1] == 2 for t in interrupted)
