"""The vendor's own uploader (aliyun-python-sdk-green-extension) against a real ``certscan serve``:
credentials → oss2 PUT into the upload store → ``oss://`` URL submitted with ``ImageAsyncScanRequest``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from certscan.cards import PARSERS
from tests.api.support import SdkClient, ServerProcess, id_number, render_id_card_front, scan_body

pytestmark = pytest.mark.slow

ID_NUMBER = id_number("32010219851112641")
NAME = "李华"
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(tmp_path_factory.mktemp("uploader") / "data")
    with proc.running():
        yield proc


@pytest.fixture(scope="module")
def key(server: ServerProcess) -> dict[str, str]:
    return server.create_key()


@pytest.fixture(scope="module")
def card_png() -> bytes:
    return render_id_card_front(NAME, ID_NUMBER)


@pytest.fixture
def sdk(server: ServerProcess, key: dict[str, str]) -> SdkClient:
    time.sleep(1.0)  # a fresh QPS window per test
    return SdkClient(server.port, key)  # also points the "Green" product at the server (modify_point)


def _uploader(sdk: SdkClient) -> Any:
    from aliyunsdkgreenextension.request.extension import ClientUploader

    return ClientUploader.getImageClientUploader(sdk.client)


def test_upload_file_and_bytes_then_scan_them(sdk: SdkClient, card_png: bytes, tmp_path: Path) -> None:
    assert "id-card-front" in PARSERS
    path = tmp_path / "id-front.png"
    path.write_bytes(card_png)
    uploader = _uploader(sdk)
    from_file = uploader.uploadFile(str(path))
    from_bytes = uploader.uploadBytes(card_png)
    for url in (from_file, from_bytes):
        assert url.startswith("oss://certscan-upload/") and "/images/" in url
    answer = sdk.async_scan(scan_body([from_file, from_bytes]))
    assert answer["code"] == 200, answer
    accepted = answer["data"]
    assert [a["code"] for a in accepted] == [200, 200], accepted
    ids = [a["taskId"] for a in accepted]
    final = sdk.poll_until_done(ids, timeout=240)
    for task_id, url in zip(ids, (from_file, from_bytes), strict=True):
        element = final[task_id]
        assert element["code"] == 200, element
        assert element["url"] == url
        assert element["results"][0]["idCardInfo"]["number"] == ID_NUMBER


def test_another_accounts_object_is_that_tasks_403(server: ServerProcess, sdk: SdkClient) -> None:
    mine = _uploader(sdk).uploadBytes(b"\x89PNG\r\n\x1a\n not read by anyone else")
    missing = mine.rsplit("/", 1)[0] + "/no-such-object.jpg"
    other = SdkClient(server.port, server.create_key())
    answer = other.async_scan(scan_body([mine]))
    [accepted] = answer["data"]
    assert accepted["code"] == 200  # who may read an object is decided when the task runs
    assert other.poll_until_done([accepted["taskId"]])[accepted["taskId"]]["code"] == 403
    [own_missing] = sdk.async_scan(scan_body([missing]))["data"]
    assert sdk.poll_until_done([own_missing["taskId"]])[own_missing["taskId"]]["code"] == 404


def test_unknown_bucket_is_refused_at_submit(sdk: SdkClient) -> None:
    answer = sdk.async_scan(scan_body(["oss://someone-elses-bucket/a.jpg", "oss://certscan-upload"]))
    assert answer["code"] == 200
    codes = [(d["code"], d["msg"]) for d in answer["data"]]
    assert codes[0][0] == 400 and "not configured" in codes[0][1]
    assert codes[1][0] == 400 and "oss://<bucket>/<object>" in codes[1][1]
    assert all("taskId" not in d for d in answer["data"])


def test_the_readme_local_files_example_runs(server: ServerProcess, key: dict[str, str], card_png: bytes,
                                             tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    section = README.read_text(encoding="utf-8").split("## Scanning local files", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "card.jpg"
    path.write_bytes(card_png)
    code = (code.replace("127.0.0.1:8080", f"127.0.0.1:{server.port}")
            .replace("<accessKeyId>", key["accessKeyId"]).replace("<accessKeySecret>", key["accessKeySecret"])
            .replace("/path/to/id-front.jpg", str(path)))
    time.sleep(1.0)
    exec(compile(code, "README.md scanning local files", "exec"), {})
    assert capsys.readouterr().out.split() == ["200", ID_NUMBER]
