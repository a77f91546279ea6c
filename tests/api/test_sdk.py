"""The vendor's own Python SDK (aliyun-python-sdk-core + -green) against a real ``certscan serve``."""

from __future__ import annotations

import concurrent.futures
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from certscan.cards import PARSERS
from certscan.constants import empty_fields
from tests.api.support import (
    ImageServer,
    SdkClient,
    ServerProcess,
    id_number,
    png_bytes,
    render_id_card_front,
    scan_body,
)

pytestmark = pytest.mark.slow

ID_NUMBER = id_number("11010119900307123")
NAME = "王小明"


@pytest.fixture(scope="module")
def images() -> Iterator[ImageServer]:
    server = ImageServer(files={
        "idcard.png": render_id_card_front(NAME, ID_NUMBER),
        "white.png": png_bytes(),
        "junk.png": b"definitely not an image",
    })
    with server.running():
        yield server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("sdk") / "data")
    with proc.running():
        yield proc


@pytest.fixture(scope="module")
def key(server: ServerProcess) -> dict[str, str]:
    return server.create_key()


@pytest.fixture
def sdk(server: ServerProcess, key: dict[str, str]) -> SdkClient:
    time.sleep(1.0)  # each test starts with a fresh QPS window
    return SdkClient(server.port, key)


def test_submit_poll_and_read_the_card(sdk: SdkClient, images: ImageServer) -> None:
    answer = sdk.async_scan(scan_body([images.url("idcard.png")]))
    assert answer["code"] == 200
    [accepted] = answer["data"]
    assert accepted["code"] == 200 and accepted["dataId"] == "d0"
    final = sdk.poll_until_done([accepted["taskId"]], timeout=180)[accepted["taskId"]]
    if "id-card-front" not in PARSERS:
        # No parser registered yet: the task fails honestly, with no made-up fields.
        assert final["code"] == 586 and "no parser" in final["msg"] and "results" not in final
        return
    assert final["code"] == 200, final
    [element] = final["results"]
    assert element["scene"] == "ocr" and element["label"] in ("ocr", "normal")
    info = element["idCardInfo"]
    assert set(empty_fields("id-card-front")) <= set(info)
    assert info["number"] == ID_NUMBER


def test_sync_scan_answers_inline(sdk: SdkClient, images: ImageServer) -> None:
    started = time.monotonic()
    answer = sdk.sync_scan(scan_body([images.url("junk.png"), "ftp://127.0.0.1/x"]))
    assert time.monotonic() - started < 7
    assert answer["code"] == 200
    assert [d["code"] for d in answer["data"]] == [590, 400]


def _server_error(call: Any) -> Any:
    from aliyunsdkcore.acs_exception.exceptions import ServerException

    with pytest.raises(ServerException) as caught:
        call()
    return caught.value


def test_wrong_secret_is_401(server: ServerProcess, key: dict[str, str], images: ImageServer) -> None:
    wrong = SdkClient(server.port, {**key, "accessKeySecret": key["accessKeySecret"][::-1]})
    error = _server_error(lambda: wrong.async_scan(scan_body([images.url("white.png")])))
    assert error.get_http_status() == 401
    assert error.get_error_code() == "SignatureDoesNotMatch"
    assert error.get_request_id()


def test_unknown_key_is_401(server: ServerProcess, images: ImageServer) -> None:
    stranger = SdkClient(server.port, {"accessKeyId": "LTAInobodyhasthiskey00", "accessKeySecret": "x" * 30})
    error = _server_error(lambda: stranger.results(["x"]))
    assert error.get_http_status() == 401
    assert error.get_error_code() == "InvalidAccessKeyId.NotFound"


def test_tampered_body_is_401(sdk: SdkClient, images: ImageServer, monkeypatch: pytest.MonkeyPatch,
                              server: ServerProcess) -> None:
    from aliyunsdkcore.http import http_response

    original = http_response.HttpResponse.get_body

    def tampered(self: Any) -> Any:
        # After the SDK signed the body (and its Content-MD5), a man in the middle swaps the image.
        body = original(self)
        return body.replace(b"white.png", b"junk0.png") if body else body

    monkeypatch.setattr(http_response.HttpResponse, "get_body", tampered)
    error = _server_error(lambda: sdk.async_scan(scan_body([images.url("white.png")])))
    assert error.get_http_status() == 401
    assert error.get_error_code().startswith("InvalidContent")
    monkeypatch.undo()
    with sqlite3.connect(server.data_dir / "certscan.sqlite3") as db:
        stored = db.execute("SELECT count(*) FROM certscan_tasks WHERE url LIKE '%junk0%'").fetchone()[0]
    assert stored == 0


def test_101_tasks_is_400(sdk: SdkClient) -> None:
    urls = [f"http://127.0.0.1/{i}.png" for i in range(101)]
    answer = sdk.async_scan(scan_body(urls))
    assert answer["code"] == 400 and answer["data"] == [] and "100" in answer["msg"]


def test_qps_limit_is_588_and_stores_nothing(sdk: SdkClient, images: ImageServer,
                                             server: ServerProcess) -> None:
    marker = f"qps{int(time.time())}"
    body = scan_body([images.url("junk.png")], bizType=marker)
    # Fired together so all land inside one second even on a loaded machine: exactly 10 get through.
    with concurrent.futures.ThreadPoolExecutor(14) as pool:
        answers = list(pool.map(lambda _: sdk.async_scan(body), range(14)))
    codes = [a["code"] for a in answers]
    assert sorted(codes) == [200] * 10 + [588] * 4, codes
    assert all(a["data"] == [] for a in answers if a["code"] == 588)
    with sqlite3.connect(Path(server.data_dir) / "certscan.sqlite3") as db:
        stored = db.execute("SELECT count(*) FROM certscan_tasks WHERE biz_type = ?", (marker,)).fetchone()[0]
    assert stored == codes.count(200)


def test_another_accounts_task_is_404(server: ServerProcess, sdk: SdkClient, images: ImageServer) -> None:
    [accepted] = sdk.async_scan(scan_body([images.url("junk.png")]))["data"]
    other = SdkClient(server.port, server.create_key())
    [seen] = other.results([accepted["taskId"]])["data"]
    assert seen["code"] == 404
    assert sdk.poll_until_done([accepted["taskId"]])[accepted["taskId"]]["code"] == 590


def test_the_readme_quick_start_runs(server: ServerProcess, key: dict[str, str], images: ImageServer,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    code = quick_start.split("```python\n", 1)[1].split("```", 1)[0]
    code = (code.replace("127.0.0.1:8080", f"127.0.0.1:{server.port}")
            .replace("<accessKeyId>", key["accessKeyId"]).replace("<accessKeySecret>", key["accessKeySecret"])
            .replace("https://files.example.com/id-front.jpg", images.url("idcard.png")))
    time.sleep(1.0)
    exec(compile(code, "README.md quick start", "exec"), {})
    printed = capsys.readouterr().out.split()
    expected = "200" if "id-card-front" in PARSERS else "586"
    assert printed[0] == expected
