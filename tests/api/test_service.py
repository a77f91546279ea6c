"""The three operations end to end in one process: real app, store, fetch and decode; workers in threads."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from certscan.api.service import INSECURE_ACCOUNT
from certscan.store import NewTask
from tests.api.conftest import ClientFactory
from tests.api.support import ImageServer, free_port, scan_body


def post(client: TestClient, path: str, body: Any) -> dict[str, Any]:
    response = client.post(path, content=json.dumps(body).encode(),
                           headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    assert set(answer) == {"code", "msg", "requestId", "data"}
    return answer


def poll(client: TestClient, task_ids: list[str], timeout: float = 20.0) -> dict[str, dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = post(client, "/green/image/results", task_ids)["data"]
        if all(element["code"] != 280 for element in data):
            return {element["taskId"]: element for element in data}
        time.sleep(0.1)
    raise AssertionError("tasks did not finish")


def test_tasks_fail_with_the_code_of_what_went_wrong(service_client: ClientFactory,
                                                     images: ImageServer) -> None:
    dead_port = free_port()
    urls = [images.url("junk.png"), images.url("missing.png"), f"http://127.0.0.1:{dead_port}/x.png"]
    with service_client() as client:
        answer = post(client, "/green/image/asyncscan", scan_body(urls))
        assert answer["code"] == 200
        accepted = answer["data"]
        assert [a["code"] for a in accepted] == [200, 200, 200]
        assert [a["dataId"] for a in accepted] == ["d0", "d1", "d2"]
        assert [a["url"] for a in accepted] == urls
        assert all(a["extras"] == {"card": "id-card-front"} for a in accepted)
        ids = [a["taskId"] for a in accepted]
        assert len(set(ids)) == 3 and all(len(i) >= 30 for i in ids)
        final = poll(client, ids)
    assert [final[i]["code"] for i in ids] == [590, 404, 480]  # bad format, image 404, refused
    assert all("results" not in final[i] and final[i]["dataId"] == f"d{n}" for n, i in enumerate(ids))


def test_a_bad_task_gets_its_own_400_and_the_others_run(service_client: ClientFactory,
                                                        images: ImageServer) -> None:
    tasks: list[Any] = [
        {"dataId": "ok", "url": images.url("junk.png")},
        {"dataId": "no-url"},
        {"dataId": "ftp", "url": "ftp://127.0.0.1/x.png"},
        {"dataId": "oss", "url": "oss://bucket/key.jpg"},
        {"dataId": "long", "url": "http://127.0.0.1/" + "a" * 2048},
        {"dataId": "dup", "url": images.url("junk.png")},
        {"dataId": "dup", "url": images.url("junk.png")},
        "not an object",
        {"dataId": 7, "url": images.url("junk.png")},
    ]
    body = {"scenes": ["ocr"], "extras": {"card": "bank-card"}, "tasks": tasks, "bizType": "kyc"}
    with service_client() as client:
        data = post(client, "/green/image/asyncscan", body)["data"]
        assert [d["code"] for d in data] == [200, 400, 400, 400, 400, 400, 400, 400, 400]
        assert "'bucket' is not configured" in data[3]["msg"] and "taskId" not in data[3]
        assert "unique" in data[5]["msg"] and "unique" in data[6]["msg"]
        store = client.app.state.service.store  # type: ignore[attr-defined]
        row = store.tasks.get(data[0]["taskId"])
        assert row is not None and (row.biz_type, row.card, row.data_id) == ("kyc", "bank-card", "ok")
        assert poll(client, [data[0]["taskId"]])[data[0]["taskId"]]["code"] == 590


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"{not json", "JSON"),
        ([], "object"),
        ({"scenes": ["porn"], "extras": {"card": "bank-card"}, "tasks": [{"url": "http://a/b"}]}, "scenes"),
        ({"scenes": ["ocr"], "extras": {"card": "selfie"}, "tasks": [{"url": "http://a/b"}]}, "extras.card"),
        ({"scenes": ["ocr"], "extras": {"card": "bank-card"}, "tasks": []}, "tasks"),
        ({"scenes": ["ocr"], "extras": {"card": "bank-card"},
          "tasks": [{"url": f"http://a/{i}"} for i in range(101)]}, "at most 100"),
        ({"scenes": ["ocr"], "extras": {"card": "bank-card"}, "tasks": [{"url": "http://a/b"}],
          "callback": "http://127.0.0.1/cb"}, "seed"),
        ({"scenes": ["ocr"], "extras": {"card": "bank-card"}, "tasks": [{"url": "http://a/b"}],
          "callback": "ftp://127.0.0.1/cb", "seed": "s"}, "callback"),
        ({"scenes": ["ocr"], "extras": {"card": "bank-card"}, "tasks": [{"url": "http://a/b"}],
          "callback": "http://127.0.0.1/cb", "seed": "bad seed!"}, "seed"),
        ({"scenes": ["ocr"], "extras": {"card": "bank-card"}, "tasks": [{"url": "http://a/b"}],
          "callback": "http://127.0.0.1/cb", "seed": "s" * 65}, "seed"),
        ({"scenes": ["ocr"], "extras": {"card": "bank-card"}, "tasks": [{"url": "http://a/b"}],
          "callback": "http://127.0.0.1/cb", "seed": "s", "cryptType": "MD5"}, "cryptType"),
    ],
)
def test_request_level_refusals_are_http_200_with_code_400(service_client: ClientFactory, body: Any,
                                                           fragment: str) -> None:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    with service_client() as client:
        for path in ("/green/image/asyncscan", "/green/image/scan"):
            response = client.post(path, content=raw)
            assert response.status_code == 200
            answer = response.json()
            assert answer["code"] == 400 and answer["data"] == [] and fragment in answer["msg"]
        assert client.app.state.service.store.tasks.counts() == {}  # type: ignore[attr-defined]


def test_callback_fields_are_stored_with_the_task(service_client: ClientFactory, images: ImageServer) -> None:
    body = scan_body([images.url("junk.png")], callback="http://127.0.0.1:9/cb", seed="abc_123",
                     cryptType="SM3")
    with service_client() as client:
        [accepted] = post(client, "/green/image/asyncscan", body)["data"]
        row = client.app.state.service.store.tasks.get(accepted["taskId"])  # type: ignore[attr-defined]
        assert row is not None
        assert (row.callback, row.seed, row.crypt_type) == ("http://127.0.0.1:9/cb", "abc_123", "SM3")


def test_results_unknown_other_accounts_and_malformed_ids_are_404(service_client: ClientFactory) -> None:
    with service_client() as client:
        store = client.app.state.service.store  # type: ignore[attr-defined]
        other_id = "img" + format(int(time.time() * 1000), "011x") + "-" + "A" * 24
        store.tasks.add([NewTask(task_id=other_id, uid="someone-else", request_id="r",
                                 url="http://127.0.0.1/x.png", card="bank-card")], now=time.time())
        unknown = "img" + format(int(time.time() * 1000), "011x") + "-" + "B" * 24
        data = post(client, "/green/image/results", [other_id, unknown, "garbage", 12])["data"]
        assert [d["code"] for d in data] == [404, 404, 404, 400]
        assert data[0] == {"code": 404, "msg": "task not found", "taskId": other_id}
        for bad in (b"[]", b"{}", json.dumps([str(i) for i in range(101)]).encode()):
            answer = client.post("/green/image/results", content=bad).json()
            assert answer["code"] == 400 and answer["data"] == []


def test_results_expire_to_594_before_and_after_the_purge(service_client: ClientFactory,
                                                          images: ImageServer) -> None:
    with service_client(result_retention_seconds=1, purge_interval_seconds=0.2) as client:
        [accepted] = post(client, "/green/image/asyncscan", scan_body([images.url("junk.png")]))["data"]
        task_id = accepted["taskId"]
        assert poll(client, [task_id])[task_id]["code"] == 590
        time.sleep(1.2)
        first = post(client, "/green/image/results", [task_id])["data"][0]
        time.sleep(0.5)  # the purge loop has deleted the row by now
        assert client.app.state.service.store.tasks.get(task_id) is None  # type: ignore[attr-defined]
        second = post(client, "/green/image/results", [task_id])["data"][0]
    assert first["code"] == second["code"] == 594


def test_qps_limit_refuses_the_extra_call_and_stores_nothing(service_client: ClientFactory,
                                                             images: ImageServer) -> None:
    with service_client(qps_per_account=3) as client:
        store = client.app.state.service.store  # type: ignore[attr-defined]
        answers = [post(client, "/green/image/asyncscan", scan_body([images.url("junk.png")]))
                   for _ in range(8)]
        codes = [a["code"] for a in answers]
        assert codes[:4] == [200, 200, 200, 588]
        assert all(a["data"] == [] for a in answers if a["code"] == 588)
        assert sum(store.tasks.counts().values()) == codes.count(200)
        # Limits are per operation: polling still works in the same second.
        assert post(client, "/green/image/results", ["x"])["code"] == 200
        time.sleep(1.05)
        assert post(client, "/green/image/asyncscan", scan_body([images.url("junk.png")]))["code"] == 200


def test_sync_scan_answers_inline(service_client: ClientFactory, images: ImageServer) -> None:
    with service_client() as client:
        answer = post(client, "/green/image/scan", scan_body([images.url("junk.png"), "ftp://x/y"]))
        assert [d["code"] for d in answer["data"]] == [590, 400]
        assert answer["data"][0]["dataId"] == "d0" and answer["data"][0]["taskId"].startswith("img")


def test_sync_scan_past_its_budget_answers_581_and_the_task_still_finishes(
    service_client: ClientFactory, images: ImageServer
) -> None:
    images.delay = 1.5
    with service_client(sync_scan_budget_seconds=0.5) as client:
        started = time.monotonic()
        [element] = post(client, "/green/image/scan", scan_body([images.url("junk.png")]))["data"]
        assert time.monotonic() - started < 1.4
        assert element["code"] == 581 and "poll" in element["msg"]
        assert poll(client, [element["taskId"]])[element["taskId"]]["code"] == 590


def test_a_crashing_recognition_fails_its_task_only(tmp_path: Any, images: ImageServer) -> None:
    import concurrent.futures

    from certscan.api.app import create_app
    from certscan.queue.process import scan_in_worker
    from certscan.settings import Settings

    def scan(data: bytes, card: str) -> Any:
        if card == "passport":
            raise RuntimeError("boom")
        return scan_in_worker(data, card)

    settings = Settings(data_dir=tmp_path, insecure_no_auth=True, fetch_allow="127.0.0.0/8")
    app = create_app(settings, scan=scan, executor_factory=lambda: concurrent.futures.ThreadPoolExecutor(1))
    with TestClient(app) as client:
        passport = scan_body([images.url("junk.png")], "passport")
        [bad] = post(client, "/green/image/asyncscan", passport)["data"]
        [good] = post(client, "/green/image/asyncscan", scan_body([images.url("junk.png")]))["data"]
        final = poll(client, [bad["taskId"], good["taskId"]])
    assert final[bad["taskId"]]["code"] == 500
    assert final[good["taskId"]]["code"] == 590


def test_one_log_line_per_state_change(service_client: ClientFactory, images: ImageServer,
                                       caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="certscan.tasks")
    with service_client() as client:
        answer = post(client, "/green/image/asyncscan", scan_body([images.url("junk.png")]))
        task_id = answer["data"][0]["taskId"]
        poll(client, [task_id])
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "certscan.tasks"]
    mine = [e for e in events if e["taskId"] == task_id]
    assert [e["status"] for e in mine] == ["queued", "running", "failed"]
    assert all(e["requestId"] == answer["requestId"] and e["event"] == "task_state" for e in mine)
    assert mine[-1]["code"] == 590
    assert all(images.url("junk.png") not in r.getMessage() for r in caplog.records)


def test_health_metrics_and_docs(service_client: ClientFactory, images: ImageServer) -> None:
    with service_client() as client:
        assert client.get("/healthz").json()["status"] == "ok"
        [accepted] = post(client, "/green/image/asyncscan", scan_body([images.url("junk.png")]))["data"]
        poll(client, [accepted["taskId"]])
        text = client.get("/metrics").text
        assert 'certscan_tasks{card="id-card-front",status="failed"} 1.0' in text
        assert "certscan_queue_depth 0.0" in text
        assert 'certscan_task_seconds_count{card="id-card-front"} 1.0' in text
        assert 'certscan_tasks_finished_total{card="id-card-front",code="590"} 1.0' in text
        assert 'certscan_request_seconds_count{operation="ImageAsyncScan"} 1.0' in text
        assert client.get("/docs").status_code == 200
        spec = client.get("/openapi.json").json()
    assert {"/green/image/asyncscan", "/green/image/results", "/green/image/scan"} <= set(spec["paths"])
    scan_op = spec["paths"]["/green/image/asyncscan"]["post"]
    ref = scan_op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.rsplit("/", 1)[1] in spec["components"]["schemas"]
    assert "CardExtras" in spec["components"]["schemas"]
    assert "401" in scan_op["responses"]


def test_insecure_mode_is_off_unless_asked(service_client: ClientFactory) -> None:
    with service_client(insecure_no_auth=False) as client:
        response = client.post("/green/image/results", content=b'["x"]')
    assert response.status_code == 401
    body = response.json()
    assert {"Code", "Message", "RequestId", "code", "msg", "requestId"} <= set(body)
    assert body["code"] == 401 and body["RequestId"] == body["requestId"]
    assert INSECURE_ACCOUNT.access_key_secret == ""


def test_the_service_on_postgresql(tmp_path: Any, images: ImageServer) -> None:
    import concurrent.futures

    from certscan.api.app import create_app
    from certscan.settings import Settings
    from tests.store.backends import open_store

    for store in open_store("postgresql", tmp_path):
        settings = Settings(data_dir=tmp_path, insecure_no_auth=True, fetch_allow="127.0.0.0/8")
        app = create_app(settings, store=store,
                         executor_factory=lambda: concurrent.futures.ThreadPoolExecutor(1))
        with TestClient(app) as client:
            answer = post(client, "/green/image/scan", scan_body([images.url("junk.png"), "ftp://x"]))
            assert [d["code"] for d in answer["data"]] == [590, 400]
            [accepted] = post(client, "/green/image/asyncscan", scan_body([images.url("junk.png")]))["data"]
            assert poll(client, [accepted["taskId"]])[accepted["taskId"]]["code"] == 590


def test_an_internal_error_is_http_500_with_both_spellings_and_stores_nothing(
    service_client: ClientFactory, images: ImageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with service_client() as client:
        store = client.app.state.service.store  # type: ignore[attr-defined]

        def broken(*args: Any) -> None:
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(store.tasks, "add", broken)
        raw = TestClient(client.app, raise_server_exceptions=False)
        response = raw.post("/green/image/asyncscan", content=json.dumps(scan_body([images.url("junk.png")])))
        assert response.status_code == 500
        body = response.json()
        assert body["Code"] == "InternalError" and body["code"] == 500
        assert body["RequestId"] == body["requestId"] and "disk on fire" not in response.text
        monkeypatch.undo()
        assert store.tasks.counts() == {}
