"""The upload store (every backend: files, SQLite, PostgreSQL) and oss:// resolution."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, update

from certscan.errors import ImageForbidden, ImageNotFound, UrlNotAllowed
from certscan.settings import Settings
from certscan.uploads.ossv1 import OssError
from certscan.uploads.resolve import parse_oss_url, read_oss_object, read_task_image, submit_time_problem
from certscan.uploads.sqlstore import SqlUploadStore, upload_objects
from certscan.uploads.store import FileUploadStore, UploadStore, check_key
from tests.store.backends import _postgres_schema_url

KEY = "1111/2026-11-30/images/a.jpg"


@pytest.fixture(params=["files", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UploadStore]:
    if request.param == "files":
        yield FileUploadStore(tmp_path / "uploads")
    elif request.param == "sqlite":
        yield SqlUploadStore(create_engine(f"sqlite:///{tmp_path / 'uploads.sqlite3'}"))
    else:
        for url in _postgres_schema_url():
            engine = create_engine(url)
            yield SqlUploadStore(engine)
            engine.dispose()


def age(store: UploadStore, key: str, when: float) -> None:
    """Backdate ``key``'s write time to ``when``."""
    if isinstance(store, SqlUploadStore):
        with store.engine.begin() as conn:
            row = upload_objects.c.object_key == key
            conn.execute(update(upload_objects).where(row).values(created_at=when))
    else:
        assert isinstance(store, FileUploadStore)
        os.utime(store._path(key), (when, when))


def put(store: UploadStore, key: str, data: bytes, max_bytes: int = 1000, md5: str | None = None) -> None:
    writer = store.open_writer(key, max_bytes)
    for start in range(0, len(data), 7):
        writer.write(data[start:start + 7])
    writer.commit(md5)


def leftovers(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_round_trip_and_overwrite(store: UploadStore) -> None:
    put(store, KEY, b"first")
    put(store, KEY, b"second version")
    assert store.read(KEY, 1000) == b"second version"
    assert store.read("1111/other.jpg", 1000) is None
    with pytest.raises(OssError, match="EntityTooLarge"):  # the read cap holds whatever is stored
        store.read(KEY, 5)


def test_content_md5_is_checked(store: UploadStore) -> None:
    good = base64.b64encode(hashlib.md5(b"data").digest()).decode()
    put(store, KEY, b"data", md5=good)
    with pytest.raises(OssError, match="InvalidDigest"):
        put(store, "1111/x.jpg", b"data", md5=base64.b64encode(b"0" * 16).decode())
    assert store.read("1111/x.jpg", 1000) is None


def test_size_cap_stops_the_write_and_stores_nothing(store: UploadStore) -> None:
    writer = store.open_writer(KEY, 10)
    writer.write(b"0123456789")
    with pytest.raises(OssError, match="EntityTooLarge"):
        writer.write(b"x")
    assert store.read(KEY, 10) is None


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", "a//b", "./a", "a/.", "a\0b", "\\a",
                                 pytest.param("x" * 1024, id="too-long")])
def test_invalid_object_names(key: str) -> None:
    with pytest.raises(OssError, match="InvalidObjectName"):
        check_key(key)


def test_file_store_leaves_no_partial_files(tmp_path: Path) -> None:
    store = FileUploadStore(tmp_path)
    put(store, KEY, b"kept")
    with pytest.raises(OssError):
        put(store, "1111/x.jpg", b"data", md5=base64.b64encode(b"0" * 16).decode())
    writer = store.open_writer("1111/y.jpg", 3)
    with pytest.raises(OssError):
        writer.write(b"toolong")
    assert [p.read_bytes() for p in leftovers(tmp_path)] == [b"kept"]


def test_keys_never_become_paths(tmp_path: Path) -> None:
    store = FileUploadStore(tmp_path / "store")
    put(store, "1111/..%2F..%2Fescape", b"x")
    files = leftovers(tmp_path)
    assert len(files) == 1 and files[0].is_relative_to(tmp_path / "store")


def test_invalid_keys_are_refused_by_every_backend(store: UploadStore) -> None:
    with pytest.raises(OssError, match="InvalidObjectName"):
        store.open_writer("1111/../x", 10)


def test_purge_removes_old_objects_only(store: UploadStore) -> None:
    put(store, KEY, b"old")
    put(store, "1111/new.jpg", b"new")
    age(store, KEY, 1000)
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


def test_task_images_come_from_the_store_or_the_fetcher(tmp_path: Path) -> None:
    import asyncio

    store = FileUploadStore(tmp_path)
    put(store, KEY, b"uploaded")
    fetched: list[str] = []

    async def fetch(url: str, _settings: Settings) -> bytes:
        fetched.append(url)
        return b"downloaded"

    async def both() -> tuple[bytes, bytes]:
        uploaded = await read_task_image(f"oss://certscan-upload/{KEY}", "1111", settings(), fetch, store)
        web_url = "https://images.example.test/a.jpg"
        downloaded = await read_task_image(web_url, "1111", settings(), fetch, store)
        return uploaded, downloaded

    assert asyncio.run(both()) == (b"uploaded", b"downloaded")
    assert fetched == ["https://images.example.test/a.jpg"]


def test_submit_time_check_of_oss_urls() -> None:
    assert submit_time_problem(f"oss://certscan-upload/{KEY}", settings()) is None
    assert "not configured" in (submit_time_problem("oss://elsewhere/1111/a.jpg", settings()) or "")
    assert submit_time_problem("oss://certscan-upload/", settings())
