"""Callbacks through the real service (in process, unsigned requests): submit → finish → deliver → poll."""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi.testclient import TestClient

from certscan.api.service import INSECURE_ACCOUNT
from certscan.callbacks import verify
from tests.api.conftest import ClientFactory
from tests.api.support import ImageServer, scan_body
from tests.callbacks.receiver import Receiver

FAST = {"callback_backoff_base_seconds": 0.01, "callback_backoff_max_seconds": 0.02,
        "callback_poll_seconds": 0.05}


def post(client: TestClient, path: str, body: Any) -> dict[str, Any]:
    response = client.post(path, content=json.dumps(body).encode())
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_never_200_receiver_gets_16_attempts_and_the_task_stays_pollable(
        service_client: ClientFactory, images: ImageServer) -> None:
    receiver = Receiver(statuses=[500]).start()
    try:
        with service_client(**FAST) as client:
            body = scan_body([images.url("junk.png")], callback=receiver.url, seed="s_1", cryptType="SHA256")
            task_id = post(client, "/green/image/asyncscan", body)["data"][0]["taskId"]
            deadline = time.monotonic() + 30
            while len(receiver.received) < 16 and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)  # a 17th attempt would show up by now
            assert len(receiver.received) == 16
            raw = client.post("/green/image/results", content=json.dumps([task_id]).encode()).content
            element = json.loads(raw)["data"][0]
    finally:
        receiver.stop()
    assert element["taskId"] == task_id and element["code"] == 590
    for attempt in receiver.received:
        assert verify(attempt.form, INSECURE_ACCOUNT.uid, "s_1", "SHA256")
        assert attempt.form["content"].encode("utf-8") in raw  # the poll's very bytes


def test_500_three_times_then_200_is_one_delivery_after_4_attempts(
        service_client: ClientFactory, images: ImageServer) -> None:
    receiver = Receiver(statuses=[500, 500, 500, 200]).start()
    try:
        with service_client(**FAST) as client:
            body = scan_body([images.url("junk.png")], callback=receiver.url, seed="s_1", cryptType="SM3")
            post(client, "/green/image/asyncscan", body)
            deadline = time.monotonic() + 30
            while len(receiver.received) < 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)
    finally:
        receiver.stop()
    assert [r.status for r in receiver.received] == [500, 500, 500, 200]
    assert all(verify(r.form, INSECURE_ACCOUNT.uid, "s_1", "SM3") for r in receiver.received)
