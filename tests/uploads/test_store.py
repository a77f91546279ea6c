"""The file-backed upload store and oss:// resolution."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest

from certscan.errors import ImageForbidden, ImageNotFound, UrlNotAllowed
from certscan.settings import Settings
from certscan.uploads.ossv1 import OssError
from certscan.uploads.resolve import parse_oss_url, read_oss_object
from certscan.uploads.store import FileUploadStore, check_key

KEY = "1111/2026-11-30/images/a.jpg"


def put(store: FileUploadStore, key: str, data: bytes, max_bytes: int = 1000, md5: str | None = None) -> None:
    writer = store.open_writer(key, max_bytes)
    for start in range(0, len(data), 7):
        writer.write(data[start:start + 7])
    writer.commit(md5)


def leftovers(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_round_trip_and_overwrite(tmp_path: Path) -> None:
    store = FileUploadStore(tmp_path)
    put(store, KEY, b"first")
    put(store, KEY, b"second version")
    assert store.read(KEY, 1000) == b"second version"
    assert store.read("1111/other.jpg", 1000) is None
    assert len(leftovers(tmp_path)) == 1


def test_content_md5_is_checked(tmp_path: Path) -> None:
    store = FileUploadStore(tmp_path)
    good = base64.b64encode(hashlib.md5(b"data").digest()).decode()
    put(store, KEY, b"data", md5=good)
    with pytest.raises(OssError, match="InvalidDigest"):
        put(store, "1111/x.jpg", b"data", md5=base64.b64encode(b"0" * 16).decode())
    assert store.read("1111/x.jpg", 1000) is None
    assert len(leftovers(tmp_path)) == 1


def test_size_cap_stops_the_write_and_stores_nothing(tmp_path: Path) -> None:
    store = FileUploadStore(tmp_path)
    writer = store.open_writer(KEY, 10)
    writer.write(b"0123456789")
    with pytest.raises(OssError, match="EntityTooLarge"):
        writer.write(b"x")
    assert leftovers(tmp_path) == []
    assert store.read(KEY, 10) is None


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", "a//b", "./a", "a/.", "a\0b", "x" * 1024, "\\a"])
def test_invalid_object_names(key: str) -> None:
    with pytest.raises(OssError, match="InvalidObjectName"):
        check_key(key)


def test_keys_never_become_paths(tmp_path: Path) -> None:
    store = FileUploadStore(tmp_path / "store")
    put(store, "1111/..%2F..%2Fescape", b"x")
    files = leftovers(tmp_path)
    assert len(files) == 1 and files[0].is_relative_to(tmp_path / "store")


def test_purge_removes_old_objects_only(tmp_path: Path) -> None:
    store = FileUploadStore(tmp_path)
    put(store, KEY, b"old")
    put(store, "1111/new.jpg", b"new")
    old_path = next(p for p in leftovers(tmp_path) if p.read_bytes() == b"old")
    os.utime(old_path, (1000, 1000))
    assert store.purge(older_than=2000) == 1
    assert store.read(KEY, 1000) is None
    assert store.read("1111/new.jpg", 1000) == b"new"


class SpyStore(FileUploadStore):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.reads: list[str] = []

    def read(self, key: str, max_bytes: int) -> bytes | None:
        self.reads.append(key)
        return super().read(key, max_bytes)


def settings() -> Settings:
    return Settings(_env_file=None, upload_bucket="certscan-upload")  # type: ignore[call-arg]


def test_oss_urls_resolve_inside_the_account_only(tmp_path: Path) -> None:
    store = SpyStore(tmp_path)
    put(store, KEY, b"image bytes")
    assert read_oss_object(f"oss://certscan-upload/{KEY}", "1111", settings(), store) == b"image bytes"
    with pytest.raises(ImageForbidden) as forbidden:
        read_oss_object(f"oss://certscan-upload/{KEY}", "2222", settings(), store)
    assert forbidden.value.code == 403
    with pytest.raises(ImageForbidden):  # a uid that is a prefix of another is not that account
        read_oss_object(f"oss://certscan-upload/{KEY}", "111", settings(), store)
    assert store.reads == [KEY]  # the refused reads never touched the store
    with pytest.raises(ImageNotFound) as missing:
        read_oss_object("oss://certscan-upload/1111/none.jpg", "1111", settings(), store)
    assert missing.value.code == 404


@pytest.mark.parametrize("url", ["oss://other-bucket/1111/a.jpg", "oss:///1111/a.jpg", "oss://certscan-upload",
                                 "oss://certscan-upload/1111/a.jpg?x=1", "http://certscan-upload/1111/a.jpg"])
def test_unknown_buckets_and_malformed_oss_urls_are_refused(url: str, tmp_path: Path) -> None:
    with pytest.raises(UrlNotAllowed):
        read_oss_object(url, "1111", settings(), FileUploadStore(tmp_path))


def test_oss_url_keys_are_decoded() -> None:
    assert parse_oss_url("oss://b/1111/images/a%20b.jpg") == ("b", "1111/images/a b.jpg")
