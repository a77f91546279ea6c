"""The upload endpoint against the vendor's own OSS client (oss2), on a real server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import httpx
import oss2
import pytest
import uvicorn
from fastapi import FastAPI

from certscan.settings import Settings
from certscan.uploads import credentials
from certscan.uploads.endpoint import upload_router
from certscan.uploads.ossv1 import signature, string_to_sign
from certscan.uploads.store import FileUploadStore

BUCKET = "certscan-upload"
UID = "1234567890123456"
MB = 1024 * 1024


class UploadServer:
    def __init__(self, root: Path) -> None:
        self.settings = Settings(_env_file=None, data_dir=root, upload_bucket=BUCKET,  # type: ignore[call-arg]
                                 upload_secret="test-secret")
        self.store = FileUploadStore(root / "uploads")
        app = FastAPI()
        app.include_router(upload_router(self.settings, self.store))
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> UploadServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "upload server did not start"
            time.sleep(0.02)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def mint(self, uid: str = UID, ttl: int = 3600) -> credentials.UploadCredentials:
        return credentials.mint(uid, b"test-secret", time.time(), ttl)

    def bucket(self, minted: credentials.UploadCredentials, secret: str | None = None) -> oss2.Bucket:
        grant = minted.grant
        auth = oss2.StsAuth(grant.access_key_id, secret or grant.access_key_secret, minted.security_token)
        return oss2.Bucket(auth, self.endpoint, BUCKET)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UploadServer]:
    with UploadServer(tmp_path_factory.mktemp("uploads")) as running:
        yield running


def test_oss2_put_object_is_stored(server: UploadServer) -> None:
    minted = server.mint()
    key = f"{minted.grant.folder}/images/card one.jpg"
    result = server.bucket(minted).put_object(key, b"\xff\xd8\xff jpeg bytes",
                                              headers={"Content-Type": "image/jpeg"})
    assert result.status == 200
    assert server.store.read(key, MB) == b"\xff\xd8\xff jpeg bytes"


def test_oss2_content_md5_is_verified(server: UploadServer) -> None:
    minted = server.mint()
    key = f"{minted.grant.folder}/images/md5.jpg"
    bucket = server.bucket(minted)
    bucket.put_object(key, b"payload", headers={"Content-MD5": oss2.utils.content_md5(b"payload")})
    with pytest.raises(oss2.exceptions.InvalidDigest):
        bucket.put_object(key + "2", b"payload", headers={"Content-MD5": oss2.utils.content_md5(b"other")})
    assert server.store.read(key + "2", MB) is None


def test_tampered_signature_is_signature_does_not_match(server: UploadServer) -> None:
    minted = server.mint()
    with pytest.raises(oss2.exceptions.SignatureDoesNotMatch):
        server.bucket(minted, secret="x" * 30).put_object(f"{minted.grant.folder}/images/t.jpg", b"data")


def test_expired_token(server: UploadServer) -> None:
    minted = server.mint(ttl=-1)
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        server.bucket(minted).put_object(f"{minted.grant.folder}/images/e.jpg", b"data")
    assert (caught.value.status, caught.value.code) == (403, "SecurityTokenExpired")


def test_other_accounts_folder_is_access_denied(server: UploadServer) -> None:
    minted = server.mint()
    other_folder = server.mint(uid="9999999999999999").grant.folder
    with pytest.raises(oss2.exceptions.AccessDenied):
        server.bucket(minted).put_object(f"{other_folder}/images/x.jpg", b"data")
    assert server.store.read(f"{other_folder}/images/x.jpg", MB) is None


def test_unknown_bucket_is_no_such_bucket(server: UploadServer) -> None:
    minted = server.mint()
    auth = oss2.StsAuth(minted.grant.access_key_id, minted.grant.access_key_secret, minted.security_token)
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        oss2.Bucket(auth, server.endpoint, "another-bucket").put_object(f"{minted.grant.folder}/a.jpg", b"x")


def test_25mb_body_is_entity_too_large_and_not_stored(server: UploadServer) -> None:
    minted = server.mint()
    key = f"{minted.grant.folder}/images/big.jpg"
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        server.bucket(minted).put_object(key, b"\0" * (25 * MB))
    assert (caught.value.status, caught.value.code) == (400, "EntityTooLarge")

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while streaming, at the cap
        for _ in range(25):
            yield b"\0" * MB

    with pytest.raises(oss2.exceptions.ServerError) as streamed:
        server.bucket(minted).put_object(key, chunks())
    assert streamed.value.code == "EntityTooLarge"
    assert server.store.read(key, 30 * MB) is None
    assert not [p for p in server.store.root.rglob(".part-*")]


def signed_put(server: UploadServer, minted: credentials.UploadCredentials, key: str, host: str,
               path: str, date: str) -> httpx.Response:
    headers = {"Date": date, "Content-Type": "image/jpeg", "x-oss-security-token": minted.security_token}
    text = string_to_sign("PUT", headers, BUCKET, key)
    signed = signature(minted.grant.access_key_secret, text)
    headers["Authorization"] = f"OSS {minted.grant.access_key_id}:{signed}"
    headers["Host"] = host
    return httpx.put(f"{server.endpoint}{path}", content=b"vhost bytes", headers=headers, trust_env=False)


def test_virtual_host_style_put(server: UploadServer) -> None:
    minted = server.mint()
    key = f"{minted.grant.folder}/images/vhost.jpg"
    response = signed_put(server, minted, key, f"{BUCKET}.uploads.example.test:{server.port}", f"/{key}",
                          formatdate(usegmt=True))
    assert response.status_code == 200, response.text
    assert server.store.read(key, MB) == b"vhost bytes"


def test_skewed_date_is_refused(server: UploadServer) -> None:
    minted = server.mint()
    key = f"{minted.grant.folder}/images/skew.jpg"
    response = signed_put(server, minted, key, f"127.0.0.1:{server.port}", f"/{BUCKET}/{key}",
                          formatdate(time.time() - 3600, usegmt=True))
    assert response.status_code == 403
    assert b"<Code>RequestTimeTooSkewed</Code>" in response.content


def test_no_reads_and_no_anonymous_writes(server: UploadServer) -> None:
    minted = server.mint()
    key = f"{minted.grant.folder}/images/read.jpg"
    server.bucket(minted).put_object(key, b"secret image")
    with pytest.raises(oss2.exceptions.OssError):
        server.bucket(minted).get_object(key)
    anonymous = httpx.put(f"{server.endpoint}/{BUCKET}/{key}", content=b"x", trust_env=False)
    assert anonymous.status_code == 403
    assert b"<Code>AccessDenied</Code>" in anonymous.content
    assert server.store.read(key, MB) == b"secret image"
