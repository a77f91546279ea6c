"""Submit-time checks: a callback URL the fetch guard refuses (each task 401, nothing stored, never called)
and the ``ClientInfo`` query parameter (accepted, signed, stored with the tasks, otherwise ignored)."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.api.conftest import ClientFactory
from tests.api.support import ImageServer, SdkClient, ServerProcess, scan_body
from tests.api.test_service import post


class ConnectionRecorder:
    """A TCP listener on 127.0.0.1 that counts every connection made to it (and answers nothing)."""

    def __init__(self) -> None:
        self.connections = 0
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.port = int(self._sock.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    @contextmanager
    def running(self) -> Iterator[ConnectionRecorder]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join(timeout=5)
            self._sock.close()


@pytest.fixture
def recorder() -> Iterator[ConnectionRecorder]:
    with ConnectionRecorder().running() as rec:
        yield rec


def _callback_urls(port: int) -> list[str]:
    return [f"http://127.0.0.1:{port}/cb", f"http://localhost:{port}/cb", f"http://[::ffff:127.0.0.1]:{port}/cb"]


@pytest.mark.parametrize("path", ["/green/image/asyncscan", "/green/image/scan"])
def test_a_loopback_callback_is_refused_at_submit_and_never_called(
    service_client: ClientFactory, recorder: ConnectionRecorder, path: str
) -> None:
    with service_client(fetch_allow="") as client:  # the default: no allowlist
        store = client.app.state.service.store
        for callback in _callback_urls(recorder.port):
            tasks: list[Any] = [{"dataId": "a", "url": "https://img.example.com/a.jpg"},
                                {"url": "https://img.example.com/b.jpg"},
                                {"dataId": "bad", "url": "ftp://img.example.com/c.jpg"}]
            body = {"scenes": ["ocr"], "extras": {"card": "bank-card"}, "tasks": tasks,
                    "callback": callback, "seed": "s1"}
            answer = post(client, path, body)
            assert answer["code"] == 200
            data = answer["data"]
            assert [d["code"] for d in data] == [401, 401, 400], data
            assert all("callback" in d["msg"] and "loopback" in d["msg"] for d in data[:2])
            assert data[0]["dataId"] == "a" and "dataId" not in data[1]
            assert [d["url"] for d in data] == [t["url"] for t in tasks]
            assert all("taskId" not in d for d in data)
            assert store.tasks.count_for_request(answer["requestId"]) == 0
        assert store.tasks.counts() == {}
    time.sleep(1.0)  # nothing is queued that could still call it, but give a stray sender a chance
    assert recorder.connections == 0


def test_an_allowlisted_callback_is_still_accepted(service_client: ClientFactory,
                                                   images: ImageServer) -> None:
    body = scan_body([images.url("junk.png")], callback="http://127.0.0.1:9/cb", seed="s1")
    with service_client(fetch_allow="127.0.0.0/8") as client:
        [accepted] = post(client, "/green/image/asyncscan", body)["data"]
    assert accepted["code"] == 200 and accepted["taskId"]


def test_client_info_is_stored_with_each_task(service_client: ClientFactory, images: ImageServer) -> None:
    info = json.dumps({"ip": "203.0.113.7", "userId": "u 1+2"})
    with service_client() as client:
        store = client.app.state.service.store
        rows = {}
        for name, params in [("upper", {"ClientInfo": info}), ("lower", {"clientInfo": info}), ("none", {})]:
            response = client.post("/green/image/asyncscan", params=params,
                                   content=json.dumps(scan_body([images.url("junk.png")] * 2)).encode())
            data = response.json()["data"]
            assert [d["code"] for d in data] == [200, 200]
            rows[name] = [store.tasks.get(d["taskId"]).client_info for d in data]
        assert rows == {"upper": [info, info], "lower": [info, info], "none": [None, None]}
        sync = client.post("/green/image/scan", params={"ClientInfo": info},
                           content=json.dumps(scan_body([images.url("junk.png")])).encode()).json()
        [element] = sync["data"]
        assert element["code"] == 590 and "clientInfo" not in element and "ClientInfo" not in element
        assert store.tasks.get(element["taskId"]).client_info == info


def test_an_oversized_client_info_refuses_the_request(service_client: ClientFactory,
                                                      images: ImageServer) -> None:
    with service_client() as client:
        answer = client.post("/green/image/asyncscan", params={"ClientInfo": "x" * 5000},
                             content=json.dumps(scan_body([images.url("junk.png")])).encode()).json()
        assert answer["code"] == 400 and "ClientInfo" in answer["msg"] and answer["data"] == []
        assert client.app.state.service.store.tasks.counts() == {}


# -- the same through a real server and the vendor's SDK (signed requests, default fetch guard) --------


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("guard") / "data", env={"CERTSCAN_FETCH_ALLOW": ""})
    with proc.running():
        yield proc


@pytest.mark.slow
def test_sdk_loopback_callback_is_401_and_signed_client_info_is_stored(
    guarded_server: ServerProcess, recorder: ConnectionRecorder
) -> None:
    from aliyunsdkcore.acs_exception.exceptions import ServerException
    from aliyunsdkgreen.request.v20180509 import ImageAsyncScanRequest

    key = guarded_server.create_key()
    sdk = SdkClient(guarded_server.port, key)
    refused = sdk.async_scan(scan_body(["https://img.example.com/a.jpg"], callback=_callback_urls(
        recorder.port)[0], seed="s1"))
    assert [(d["code"], d["dataId"]) for d in refused["data"]] == [(401, "d0")]

    info = json.dumps({"ip": "203.0.113.7", "name": "a b+c"})

    def submit_with_client_info(client: SdkClient) -> dict[str, Any]:
        request = ImageAsyncScanRequest.ImageAsyncScanRequest()
        request.add_query_param("ClientInfo", info)
        # A URL the guard refuses when the task runs: the task fails fast, no image is fetched anywhere.
        return client._call(request, scan_body(["http://127.0.0.1:9/x.png"], bizType="clientinfo"))

    [accepted] = submit_with_client_info(sdk)["data"]
    assert accepted["code"] == 200
    wrong = SdkClient(guarded_server.port, {**key, "accessKeySecret": key["accessKeySecret"][::-1]})
    with pytest.raises(ServerException) as caught:
        submit_with_client_info(wrong)  # ClientInfo is part of what is signed and checked
    assert caught.value.get_error_code() == "SignatureDoesNotMatch"
    with sqlite3.connect(guarded_server.data_dir / "certscan.sqlite3") as db:
        stored = db.execute("SELECT task_id, client_info FROM certscan_tasks WHERE biz_type = 'clientinfo'"
                            ).fetchall()
        refused_rows = db.execute("SELECT count(*) FROM certscan_tasks WHERE callback IS NOT NULL").fetchone()
    assert stored == [(accepted["taskId"], info)]
    assert refused_rows == (0,)
    assert sdk.poll_until_done([accepted["taskId"]])[accepted["taskId"]]["code"] == 401
    assert recorder.connections == 0
