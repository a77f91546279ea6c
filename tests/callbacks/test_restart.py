"""kill -9 the server with callback deliveries pending; after a restart every delivery completes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from certscan.callbacks import verify
from tests.api.support import SdkClient, ServerProcess, free_port, scan_body
from tests.callbacks.receiver import Receiver

FAST_CALLBACKS = {
    "CERTSCAN_CALLBACK_BACKOFF_BASE_SECONDS": "0.5",
    "CERTSCAN_CALLBACK_BACKOFF_MAX_SECONDS": "1",
    "CERTSCAN_CALLBACK_TIMEOUT_SECONDS": "2",
    "CERTSCAN_CALLBACK_POLL_SECONDS": "0.2",
}


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def poll_raw(sdk: SdkClient, task_ids: list[str]) -> bytes:
    """The results operation's response body exactly as the server sent it."""
    from aliyunsdkgreen.request.v20180509 import ImageAsyncScanResultsRequest

    request = ImageAsyncScanResultsRequest.ImageAsyncScanResultsRequest()
    request.set_accept_format("JSON")
    request.set_protocol_type("http")
    request.set_content(json.dumps(task_ids).encode("utf-8"))
    raw: bytes = sdk.client.do_action_with_exception(request)
    return raw


@pytest.mark.slow
def test_kill_9_with_deliveries_pending_then_restart_delivers_all(tmp_path: Path) -> None:
    receiver = Receiver(statuses=[503]).start()
    server = ServerProcess(tmp_path / "data", env=FAST_CALLBACKS)
    try:
        key = server.create_key()
        server.start()
        sdk = SdkClient(server.port, key)
        unreachable = f"http://127.0.0.1:{free_port()}/card.png"  # fails fast: the task still finishes
        answer = sdk.async_scan(scan_body([unreachable] * 3, callback=receiver.url, seed="seed_1",
                                          cryptType="SM3"))
        task_ids = [element["taskId"] for element in answer["data"]]
        assert len(task_ids) == 3

        def attempted_all() -> bool:
            return {json.loads(r.form["content"])["taskId"] for r in receiver.received} == set(task_ids)

        wait_for(attempted_all, 60, "a first (refused) attempt of every callback")
        server.kill()
        refused_before_kill = len(receiver.received)
        assert all(r.status == 503 for r in receiver.received)
        receiver.statuses = [200]

        server.start()
        delivered: dict[str, str] = {}

        def all_delivered() -> bool:
            for r in receiver.received:
                if r.status == 200:
                    delivered.setdefault(json.loads(r.form["content"])["taskId"], r.form["content"])
            return set(delivered) == set(task_ids)

        wait_for(all_delivered, 60, "every callback delivered after the restart")
        time.sleep(1.5)  # long enough for a duplicate to show up, were one scheduled
        successes = [r for r in receiver.received if r.status == 200]
        assert len(successes) == 3, "exactly one successful delivery per task"
        assert len(receiver.received) >= refused_before_kill + 3
        for r in successes:
            assert verify(r.form, key["uid"], "seed_1", "SM3")

        # Each callback's content is byte for byte the element a poll returns for that task.
        raw = poll_raw(sdk, task_ids)
        for task_id, content in delivered.items():
            assert content.encode("utf-8") in raw, f"callback content of {task_id} differs from the poll"
            assert json.loads(content)["code"] == 480
    finally:
        server.stop()
        receiver.stop()
