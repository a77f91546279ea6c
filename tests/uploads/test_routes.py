"""The upload routes as the API app includes them: credentials answer → oss2 upload → oss:// read."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import oss2
import pytest
import uvicorn
from fastapi import FastAPI, Request

from certscan.errors import ImageForbidden
from certscan.settings import Settings
from certscan.store import Account
from certscan.uploads import routes
from certscan.uploads.resolve import read_oss_object
from certscan.uploads.store import default_store

UID = "1234567890123456"


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[tuple[str, Settings]]:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    app = FastAPI()
    app.state.service = SimpleNamespace(settings=settings)

    @app.middleware("http")
    async def request_id(request: Request, call_next):  # type: ignore[no-untyped-def]
        request.state.request_id = "REQ-1"
        return await call_next(request)

    caller = routes.UploadCredentialsCaller.__metadata__[0].dependency
    app.dependency_overrides[caller] = lambda: Account("LTAIkey", "secret", UID, None, True)
    app.include_router(routes.router)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", settings
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_credentials_answer_lets_oss2_upload_what_a_task_can_read(app_url: tuple[str, Settings]) -> None:
    base_url, settings = app_url
    answer = httpx.post(f"{base_url}/green/credentials/uploadcredentials?RegionId=cn-shanghai", json={},
                        trust_env=False).json()
    assert answer["code"] == 200 and answer["requestId"] == "REQ-1"
    data = answer["data"]
    assert data["ossEndpoint"] == base_url and data["uploadBucket"] == settings.upload_bucket
    assert data["uploadFolder"].startswith(f"{UID}/")
    assert abs(data["expiredTime"] - (time.time() + settings.upload_credential_ttl_seconds) * 1000) < 60_000

    # What the vendor's ClientUploader.uploadBytes does with that answer:
    auth = oss2.StsAuth(data["accessKeyId"], data["accessKeySecret"], data["securityToken"])
    key = f"{data['uploadFolder']}/images/0b7c4a7e-0000-11f1-8000-000000000001.jpg"
    oss2.Bucket(auth, data["ossEndpoint"], data["uploadBucket"]).put_object(key, b"\xff\xd8\xffimage")
    url = f"oss://{data['uploadBucket']}/{key}"

    store = default_store(settings.data_dir)
    assert read_oss_object(url, UID, settings, store) == b"\xff\xd8\xffimage"
    with pytest.raises(ImageForbidden):
        read_oss_object(url, "6543210987654321", settings, store)
