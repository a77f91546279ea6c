"""oss:// URLs naming an operator-configured S3-compatible bucket (a moto S3 server on 127.0.0.1)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from certscan.errors import ImageForbidden, ImageNotFound, ImageTooLarge, UrlNotAllowed
from certscan.settings import Settings
from certscan.uploads.resolve import read_oss_object, submit_time_problem
from certscan.uploads.store import FileUploadStore

BUCKET = "scans"
OWNER = "1111111111111111"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="k",
                      aws_secret_access_key="s")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="cards/a.jpg", Body=b"\xff\xd8\xff external image")
    s3.put_object(Bucket=BUCKET, Key="cards/big.jpg", Body=b"\0" * 5000)
    try:
        yield url
    finally:
        server.stop()


def settings(endpoint: str, uids: list[str], **overrides: Any) -> Settings:
    bucket = {"endpoint": endpoint, "region": "us-east-1", "access_key_id": "k", "secret_access_key": "s",
              "uids": uids}
    return Settings(_env_file=None, oss_buckets={BUCKET: bucket}, **overrides)  # type: ignore[call-arg]


def test_configured_bucket_is_read_for_allowed_accounts(endpoint: str, tmp_path: Any) -> None:
    store = FileUploadStore(tmp_path)
    url = f"oss://{BUCKET}/cards/a.jpg"
    assert read_oss_object(url, OWNER, settings(endpoint, [OWNER]), store) == b"\xff\xd8\xff external image"
    assert read_oss_object(url, "2222", settings(endpoint, ["*"]), store) == b"\xff\xd8\xff external image"
    with pytest.raises(ImageForbidden):
        read_oss_object(url, "2222", settings(endpoint, [OWNER]), store)
    with pytest.raises(ImageForbidden):
        read_oss_object(url, OWNER, settings(endpoint, []), store)  # no uids: nobody


def test_missing_objects_and_limits(endpoint: str, tmp_path: Any) -> None:
    store = FileUploadStore(tmp_path)
    with pytest.raises(ImageNotFound):
        read_oss_object(f"oss://{BUCKET}/cards/none.jpg", OWNER, settings(endpoint, [OWNER]), store)
    with pytest.raises(ImageTooLarge):
        read_oss_object(f"oss://{BUCKET}/cards/big.jpg", OWNER,
                        settings(endpoint, [OWNER], max_image_bytes=4000), store)


def test_unconfigured_buckets_are_refused_and_never_taken_as_hosts(endpoint: str, tmp_path: Any) -> None:
    config = settings(endpoint, ["*"])
    assert submit_time_problem(f"oss://{BUCKET}/cards/a.jpg", config) is None
    assert submit_time_problem("oss://127.0.0.1/cards/a.jpg", config)
    with pytest.raises(UrlNotAllowed):
        read_oss_object("oss://127.0.0.1/cards/a.jpg", OWNER, config, FileUploadStore(tmp_path))
