"""Where uploaded objects live: one small interface, and the embedded backend (files under the data dir).

Objects are written by the OSS-compatible PUT endpoint (``certscan.uploads.endpoint``) and read back when a
task names them with ``oss://<bucket>/<key>`` (``certscan.uploads.resolve``). Writes stream into a temporary
file and are refused the moment they pass the size cap, so an oversized body is never stored; only a
complete, verified object is renamed into place. File names are hashes of the key, so no key, however
crafted, can name a path outside the store. Objects expire with the task retention (``purge``).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from certscan.uploads.ossv1 import OssError

MAX_KEY_BYTES = 1023  # OSS's own limit


@dataclass(frozen=True)
class StoredObject:
    size: int
    md5_hex: str


class ObjectWriter(Protocol):
    def write(self, chunk: bytes) -> None: ...
    def commit(self, expected_md5_b64: str | None) -> StoredObject: ...
    def abort(self) -> None: ...


class UploadStore(Protocol):
    def open_writer(self, key: str, max_bytes: int) -> ObjectWriter: ...
    def read(self, key: str, max_bytes: int) -> bytes | None: ...
    def purge(self, older_than: float) -> int: ...


def check_key(key: str) -> None:
    """Refuse object names OSS itself refuses (InvalidObjectName 400)."""
    encoded = key.encode("utf-8", "surrogatepass")
    if not key or len(encoded) > MAX_KEY_BYTES or key.startswith(("/", "\\")) or "\0" in key:
        raise OssError(400, "InvalidObjectName", "The specified object name is not valid.")
    if any(part in ("", ".", "..") for part in key.split("/")):
        raise OssError(400, "InvalidObjectName", "The specified object name is not valid.")


def entity_too_large(max_bytes: int) -> OssError:
    message = f"Your proposed upload exceeds the maximum allowed size ({max_bytes} bytes)."
    return OssError(400, "EntityTooLarge", message)


class FileObjectWriter:
    def __init__(self, final_path: Path, max_bytes: int) -> None:
        final_path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=final_path.parent, prefix=".part-")
        self._file = os.fdopen(fd, "wb")
        self._temp = Path(temp_name)
        self._final = final_path
        self._max = max_bytes
        self._size = 0
        self._md5 = hashlib.md5(usedforsecurity=False)

    def write(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self._max:
            self.abort()
            raise entity_too_large(self._max)
        self._md5.update(chunk)
        self._file.write(chunk)

    def commit(self, expected_md5_b64: str | None) -> StoredObject:
        digest = self._md5.digest()
        if expected_md5_b64 is not None and base64.b64encode(digest).decode() != expected_md5_b64.strip():
            self.abort()
            raise OssError(400, "InvalidDigest", "The Content-MD5 you specified is not valid.")
        self._file.close()
        os.replace(self._temp, self._final)  # atomic: readers see the old object or the whole new one
        return StoredObject(size=self._size, md5_hex=digest.hex().upper())

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            self._temp.unlink()


class FileUploadStore:
    """Objects as files under ``root`` (``<data_dir>/uploads`` by default), named by SHA-256 of the key."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        name = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        return self.root / name[:2] / f"{name}.obj"

    def open_writer(self, key: str, max_bytes: int) -> FileObjectWriter:
        check_key(key)
        return FileObjectWriter(self._path(key), max_bytes)

    def read(self, key: str, max_bytes: int) -> bytes | None:
        """The object's bytes, None if there is none; ``max_bytes`` guards against a swapped file."""
        try:
            with self._path(key).open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except (FileNotFoundError, NotADirectoryError):
            return None
        if len(data) > max_bytes:
            raise entity_too_large(max_bytes)
        return data

    def purge(self, older_than: float) -> int:
        """Delete objects (and abandoned partial writes) last written before ``older_than`` (epoch s)."""
        removed = 0
        if not self.root.exists():
            return 0
        for path in self.root.glob("*/*"):
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < older_than:
                    path.unlink()
                    removed += 1
        return removed


def default_store(data_dir: Path) -> FileUploadStore:
    return FileUploadStore(Path(data_dir) / "uploads")
