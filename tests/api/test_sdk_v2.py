"""A live ``certscan serve`` driven by the vendor's SDKs, both generations, both signature schemes.

Second generation: ``alibabacloud-tea-openapi``'s ``Client.call_api`` (ROA style, as README shows), once
with its default ACS3-HMAC-SHA256 and once with ``signature_algorithm="v2"`` (HMAC-SHA1 + nonce). First
generation: ``aliyun-python-sdk-core``'s error handling (``ServerException`` error codes). A tampering
proxy on 127.0.0.1 changes request bodies in flight, as a man in the middle would.

Not tested because it cannot hold: with ``signature_algorithm="v2"`` the SDK sends no Content-MD5, so
that scheme's signature covers no body and a body changed in flight goes unnoticed (README says so).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.support import (
    ImageServer,
    SdkClient,
    ServerProcess,
    id_number,
    render_id_card_front,
    scan_body,
)

pytestmark = pytest.mark.slow  # one live server with its OCR worker for the module

ACS3, V2 = "ACS3-HMAC-SHA256", "v2"
CLIENT_INFO = json.dumps({"ip": "1.2.3.4", "sdk": "tea openapi"})  # a space: '+' on the wire


@dataclass
class Live:
    server: ServerProcess
    key: dict[str, str]
    images: ImageServer


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    files = {"id.png": render_id_card_front("王小明", id_number("11010119900307123")), "junk.png": b"junk"}
    images = ImageServer(files=files)
    server = ServerProcess(tmp_path_factory.mktemp("sdk") / "data")
    with images.running():
        key = server.create_key()
        with server.running():
            yield Live(server, key, images)


def tea_client(port: int, key: dict[str, str], algorithm: str, secret: str | None = None) -> Any:
    from alibabacloud_tea_openapi import models as open_api_models
    from alibabacloud_tea_openapi.client import Client

    config = open_api_models.Config(access_key_id=key["accessKeyId"],
                                    access_key_secret=secret or key["accessKeySecret"],
                                    endpoint=f"127.0.0.1:{port}", protocol="http", region_id="cn-shanghai")
    if algorithm == V2:
        config.signature_algorithm = "v2"
    return Client(config)


OPERATIONS = {"ImageAsyncScan": "/green/image/asyncscan", "ImageAsyncScanResults": "/green/image/results",
              "ImageSyncScan": "/green/image/scan"}


def call(client: Any, action: str, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """``Client.call_api`` as README shows it: ROA style, JSON body, ClientInfo in the query."""
    from alibabacloud_tea_openapi import models as open_api_models
    from alibabacloud_tea_util.models import RuntimeOptions

    params = open_api_models.Params(action=action, version="2018-05-09", pathname=OPERATIONS[action],
                                    method="POST", style="ROA", auth_type="AK", req_body_type="json",
                                    body_type="json")
    request = open_api_models.OpenApiRequest(body=body, query={"ClientInfo": CLIENT_INFO}, headers=headers)
    response: dict[str, Any] = client.call_api(params, request, RuntimeOptions())
    assert response["statusCode"] == 200
    answer: dict[str, Any] = response["body"]
    return answer


@pytest.mark.parametrize("algorithm", [ACS3, V2])
def test_call_api_asyncscan_results_syncscan(live: Live, algorithm: str) -> None:
    client = tea_client(live.server.port, live.key, algorithm)
    urls = [live.images.url("id.png"), live.images.url("junk.png")]
    submitted = call(client, "ImageAsyncScan", scan_body(urls))
    assert submitted["code"] == 200 and [e["code"] for e in submitted["data"]] == [200, 200]
    task_ids = [e["taskId"] for e in submitted["data"]]
    final: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + 120
    while len(final) < len(task_ids) and time.monotonic() < deadline:
        for element in call(client, "ImageAsyncScanResults", task_ids)["data"]:
            if element["code"] != 280:
                final[element["taskId"]] = element
        time.sleep(0.3)
    card, junk = final[task_ids[0]], final[task_ids[1]]
    assert card["code"] == 200 and card["dataId"] == "d0"
    assert card["results"][0]["scene"] == "ocr" and "idCardInfo" in card["results"][0]
    assert junk["code"] == 590 and "results" not in junk

    synced = call(client, "ImageSyncScan", scan_body([live.images.url("id.png")]))
    element = synced["data"][0]
    assert element["code"] == 200, element  # inside the 6 s budget: the models are warm by now
    assert "idCardInfo" in element["results"][0]


def expect_refusal(client: Any, headers: dict[str, str] | None = None) -> Any:
    from alibabacloud_tea_openapi.exceptions import ClientException

    with pytest.raises(ClientException) as info:
        call(client, "ImageAsyncScanResults", ["img-none"], headers=headers)
    assert info.value.status_code == 401
    return info.value


@pytest.mark.parametrize("algorithm", [ACS3, V2])
def test_wrong_secret_and_unknown_key(live: Live, algorithm: str) -> None:
    refused = expect_refusal(tea_client(live.server.port, live.key, algorithm, secret="not-the-secret"))
    assert refused.code == "SignatureDoesNotMatch"
    assert "server string to sign is:" in refused.message
    unknown = {"accessKeyId": "LTAInobodyhasthiskey", "accessKeySecret": "x"}
    refused = expect_refusal(tea_client(live.server.port, unknown, algorithm))
    assert refused.code == "InvalidAccessKeyId.NotFound" and "LTAInobodyhasthiskey" in refused.message


@pytest.mark.parametrize("algorithm", [ACS3, V2])
def test_expired_date_refused(live: Live, algorithm: str) -> None:
    old = time.time() - 3600
    # Request headers override the SDK's own (it merges them last), and they are signed like its own.
    headers = ({"x-acs-date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(old))} if algorithm == ACS3
               else {"date": formatdate(old, usegmt=True)})
    refused = expect_refusal(tea_client(live.server.port, live.key, algorithm), headers)
    assert refused.code == "InvalidTimeStamp.Expired"


@pytest.mark.parametrize("algorithm", [ACS3, V2])
def test_reused_nonce_refused(live: Live, algorithm: str) -> None:
    client = tea_client(live.server.port, live.key, algorithm)
    headers = {"x-acs-signature-nonce": f"fixed-nonce-{algorithm}-{time.time_ns()}"}
    assert call(client, "ImageAsyncScanResults", ["img-none"], headers=headers)["code"] == 200
    assert expect_refusal(client, headers).code == "SignatureNonceUsed"


@contextmanager
def tampering_proxy(target_port: int) -> Iterator[int]:
    """Forwards every request to 127.0.0.1:target_port with its body altered and its headers (Host,
    signature, digests) untouched; answers with what the server answered."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            tampered = body.replace(b"id.png", b"xx.png")
            assert tampered != body
            headers = {k: v for k, v in self.headers.items() if k.lower() != "content-length"}
            upstream = httpx.post(f"http://127.0.0.1:{target_port}{self.path}", content=tampered,
                                  headers=headers, timeout=10)
            self.send_response(upstream.status_code)
            self.send_header("Content-Type", upstream.headers.get("content-type", "application/json"))
            self.send_header("Content-Length", str(len(upstream.content)))
            self.end_headers()
            self.wfile.write(upstream.content)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        yield int(proxy.server_address[1])
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_tampered_body_refused_acs3(live: Live) -> None:
    from alibabacloud_tea_openapi.exceptions import ClientException

    with tampering_proxy(live.server.port) as port:
        client = tea_client(port, live.key, ACS3)
        with pytest.raises(ClientException) as info:
            call(client, "ImageAsyncScan", scan_body([live.images.url("id.png")]))
    assert info.value.status_code == 401 and info.value.code == "InvalidContentSHA256"


def test_first_generation_error_message_is_readable(live: Live) -> None:
    """tests/api/test_sdk.py checks the first generation's error codes; here, that the SDK's own handling
    of a 401 SignatureDoesNotMatch body (it splits Message on ':') runs without crashing."""
    from aliyunsdkcore.acs_exception.exceptions import ServerException

    wrong = SdkClient(live.server.port, {**live.key, "accessKeySecret": "not-the-secret"})
    with pytest.raises(ServerException) as info:
        wrong.results(["img-none"])
    assert info.value.get_error_code() == "SignatureDoesNotMatch"  # not SDK.UnknownServerError
    assert "server string to sign is:POST\n" in info.value.get_error_msg()


def test_client_info_reaches_the_signature_with_a_space(live: Live) -> None:
    # call() always sends ClientInfo with a space (urlencoded as '+'); both schemes must sign it alike.
    for algorithm in (ACS3, V2):
        client = tea_client(live.server.port, live.key, algorithm)
        assert call(client, "ImageAsyncScanResults", ["img-none"])["data"][0]["code"] == 404


def readme_examples(heading: str) -> list[str]:
    """The ```python blocks of one README section."""
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [block.split("\n```", 1)[0] for block in section.split("```python\n")[1:]]


def test_readme_sdk_examples_run(live: Live, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    examples = readme_examples("Calling certscan from the vendor's SDKs")
    assert len(examples) == 2
    monkeypatch.setenv("CERTSCAN_ENDPOINT", f"127.0.0.1:{live.server.port}")
    monkeypatch.setenv("ACCESS_KEY_ID", live.key["accessKeyId"])
    monkeypatch.setenv("ACCESS_KEY_SECRET", live.key["accessKeySecret"])
    monkeypatch.setenv("IMAGE_URL", live.images.url("junk.png"))
    for example in examples:
        exec(compile(example, "README.md", "exec"), {})
        printed = capsys.readouterr().out.strip()
        assert printed.startswith("img") and len(printed) >= 30, printed
    # The same second-generation example with signature_algorithm="v2" enabled.
    v2 = examples[1].replace('# signature_algorithm="v2",', 'signature_algorithm="v2",')
    assert v2 != examples[1]
    exec(compile(v2, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip().startswith("img")
