"""The scale-out upload store backend: objects as rows in the task store's database (PostgreSQL).

Every server of a scale-out deployment writes and reads the same table, so an object uploaded through
one server is read by a worker on another. The table (``upload_objects``) is created on first use; it
belongs to this module, not to the task store's schema. An object (≤ 20 MB) is buffered in memory while
it streams in and is written in one transaction only once it is complete and verified, so a refused or
broken upload leaves nothing behind. SQLite works too (the tests run both).

``open_upload_store(settings)`` picks the backend: this one when ``CERTSCAN_DATABASE_URL`` names a
server database, the file store under the data dir otherwise.
"""

from __future__ import annotations

import base64
import hashlib
import time

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    insert,
    select,
)
from sqlalchemy.engine import make_url

from certscan.settings import Settings
from certscan.store.database import create_tables
from certscan.uploads.ossv1 import OssError
from certscan.uploads.store import StoredObject, UploadStore, check_key, default_store, entity_too_large

upload_metadata = MetaData()
upload_objects = Table(
    "upload_objects",
    upload_metadata,
    Column("object_key", String(1024), primary_key=True),
    Column("data", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("md5_hex", String(32), nullable=False),
    Column("created_at", Float, nullable=False, index=True),
)


class SqlObjectWriter:
    def __init__(self, engine: Engine, key: str, max_bytes: int) -> None:
        self._engine = engine
        self._key = key
        self._max = max_bytes
        self._chunks: list[bytes] = []
        self._size = 0

    def write(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self._max:
            self.abort()
            raise entity_too_large(self._max)
        self._chunks.append(chunk)

    def commit(self, expected_md5_b64: str | None) -> StoredObject:
        data = b"".join(self._chunks)
        self._chunks = []
        digest = hashlib.md5(data, usedforsecurity=False).digest()
        if expected_md5_b64 is not None and base64.b64encode(digest).decode() != expected_md5_b64.strip():
            raise OssError(400, "InvalidDigest", "The Content-MD5 you specified is not valid.")
        stored = StoredObject(size=len(data), md5_hex=digest.hex().upper())
        with self._engine.begin() as conn:  # replace: a PUT over an existing key overwrites it, as in OSS
            conn.execute(delete(upload_objects).where(upload_objects.c.object_key == self._key))
            conn.execute(insert(upload_objects).values(
                object_key=self._key, data=data, size=stored.size, md5_hex=stored.md5_hex,
                created_at=time.time(),
            ))
        return stored

    def abort(self) -> None:
        self._chunks = []


class SqlUploadStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_tables(engine, upload_metadata)

    def open_writer(self, key: str, max_bytes: int) -> SqlObjectWriter:
        check_key(key)
        return SqlObjectWriter(self.engine, key, max_bytes)

    def read(self, key: str, max_bytes: int) -> bytes | None:
        query = select(upload_objects.c.data, upload_objects.c.size).where(upload_objects.c.object_key == key)
        with self.engine.connect() as conn:
            size_row = conn.execute(
                select(upload_objects.c.size).where(upload_objects.c.object_key == key)
            ).first()
            if size_row is None:
                return None
            if size_row.size > max_bytes:  # refuse before pulling the bytes over the wire
                raise entity_too_large(max_bytes)
            row = conn.execute(query).first()
        return None if row is None else bytes(row.data)

    def purge(self, older_than: float) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(delete(upload_objects).where(upload_objects.c.created_at < older_than))
        return int(result.rowcount or 0)


def open_upload_store(settings: Settings) -> UploadStore:
    """The SQL backend on a server database (``database_url``), the file store otherwise."""
    if settings.database_url and make_url(settings.database_url).get_backend_name() != "sqlite":
        return SqlUploadStore(create_engine(settings.database_url, pool_pre_ping=True, future=True))
    return default_store(settings.data_dir)
