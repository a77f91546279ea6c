"""The upload store inside the service (fast, in process): oss:// task URLs read from the store the PUT
endpoint writes to, ownership by account, and objects purged with the tasks."""

from __future__ import annotations

import os
import time

from certscan.api.service import INSECURE_ACCOUNT
from certscan.uploads.store import UploadStore
from tests.api.conftest import ClientFactory
from tests.api.support import png_bytes, scan_body
from tests.api.test_service import poll, post

BUCKET = "certscan-upload"


def _put(store: UploadStore, key: str, data: bytes) -> str:
    writer = store.open_writer(key, 20 * 1024 * 1024)
    writer.write(data)
    writer.commit(None)
    return f"oss://{BUCKET}/{key}"


def test_oss_task_urls_read_the_callers_own_objects(service_client: ClientFactory) -> None:
    with service_client() as client:
        app = client.app
        store: UploadStore = app.state.upload_store  # type: ignore[attr-defined]
        # The runner reads from the very store the upload endpoint writes to.
        assert app.state.service.queue._uploads is store  # type: ignore[attr-defined]
        own = INSECURE_ACCOUNT.uid
        urls = [
            _put(store, f"{own}/2026-11-30/images/junk.jpg", b"uploaded, but not an image"),
            _put(store, f"{own}/2026-11-30/images/white.jpg", png_bytes(400, 300)),
            f"oss://{BUCKET}/{own}/2026-11-30/images/never-uploaded.jpg",
            _put(store, "someone-else/2026-11-30/images/theirs.jpg", png_bytes(400, 300)),
            "oss://not-a-configured-bucket/a.jpg",
        ]
        accepted = post(client, "/green/image/asyncscan", scan_body(urls, card="bank-card"))["data"]
        assert [a["code"] for a in accepted] == [200, 200, 200, 200, 400]
        ids = [a["taskId"] for a in accepted[:4]]
        final = poll(client, ids, timeout=120)
    # bytes read and judged by content (590); read and recognised (200); missing (404); not ours (403)
    assert [final[i]["code"] for i in ids] == [590, 200, 404, 403]
    assert final[ids[1]]["url"] == urls[1]


def test_uploaded_objects_are_purged_with_the_tasks(service_client: ClientFactory) -> None:
    with service_client(result_retention_seconds=30, purge_interval_seconds=0.2) as client:
        store: UploadStore = client.app.state.upload_store  # type: ignore[attr-defined]
        key = f"{INSECURE_ACCOUNT.uid}/2026-11-30/images/old.jpg"
        _put(store, key, b"old upload")
        fresh = f"{INSECURE_ACCOUNT.uid}/2026-11-30/images/fresh.jpg"
        assert store.read(key, 100) == b"old upload"
        for path in store.root.glob("*/*"):  # type: ignore[attr-defined]
            os.utime(path, (time.time() - 60, time.time() - 60))  # written before the retention window
        _put(store, fresh, b"fresh upload")
        deadline = time.monotonic() + 10
        while store.read(key, 100) is not None:
            assert time.monotonic() < deadline, "the purge loop never removed the expired object"
            time.sleep(0.1)
        assert store.read(fresh, 100) == b"fresh upload"
