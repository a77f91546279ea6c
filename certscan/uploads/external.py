"""External buckets for ``oss://<bucket>/<object>`` task URLs: S3/OSS-compatible stores the operator
configured (``CERTSCAN_OSS_BUCKETS``), read with boto3.

The endpoint, region and keys come from configuration only, never from the URL, so an ``oss://`` URL can
name nothing but the configured buckets. Which accounts may read a bucket is configured too (``uids``: a
list of account UIDs, or ``["*"]`` for every account; absent means none). The image limits apply: the
object's size is checked with a HEAD before any byte is read, and the download has the same time budget.
Example::

    CERTSCAN_OSS_BUCKETS='{"scans": {"endpoint": "https://s3.example.internal", "region": "us-east-1",
                           "access_key_id": "...", "secret_access_key": "...", "uids": ["1234567890123456"]}}'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from certscan.errors import (
    DownloadFailed,
    DownloadTimeout,
    ImageForbidden,
    ImageNotFound,
    ImageTooLarge,
)
from certscan.settings import Settings

_NOT_FOUND = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}
_FORBIDDEN = {"403", "AccessDenied", "Forbidden", "InvalidAccessKeyId", "SignatureDoesNotMatch"}


@dataclass(frozen=True)
class ExternalBucket:
    name: str
    endpoint: str
    region: str
    access_key_id: str
    secret_access_key: str
    uids: frozenset[str]

    def __repr__(self) -> str:  # keep the secret out of logs
        return f"ExternalBucket(name={self.name!r}, endpoint={self.endpoint!r})"

    def readable_by(self, uid: str) -> bool:
        return "*" in self.uids or uid in self.uids


def external_bucket(settings: Settings, name: str) -> ExternalBucket | None:
    """The configured bucket ``name``, or None. A malformed entry is a configuration error (ValueError)."""
    entry: dict[str, Any] | None = settings.oss_buckets.get(name)
    if entry is None:
        return None
    try:
        return ExternalBucket(
            name=name,
            endpoint=str(entry["endpoint"]),
            region=str(entry.get("region", "us-east-1")),
            access_key_id=str(entry.get("access_key_id", "")),
            secret_access_key=str(entry.get("secret_access_key", "")),
            uids=frozenset(str(uid) for uid in entry.get("uids", [])),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"CERTSCAN_OSS_BUCKETS: bucket {name!r} needs at least an 'endpoint'") from exc


def read_external_object(bucket: ExternalBucket, key: str, uid: str, settings: Settings) -> bytes:
    """The object's bytes for account ``uid`` (blocking: run it in a thread)."""
    if not bucket.readable_by(uid):
        raise ImageForbidden("this account may not read that bucket")
    try:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError
    except ImportError as exc:  # external buckets are an optional feature (pip install 'certscan[scale]')
        raise DownloadFailed("external buckets need boto3 on the server") from exc

    budget = settings.download_timeout_seconds
    client = boto3.client(
        "s3",
        endpoint_url=bucket.endpoint,
        region_name=bucket.region,
        aws_access_key_id=bucket.access_key_id or None,
        aws_secret_access_key=bucket.secret_access_key or None,
        config=Config(connect_timeout=budget, read_timeout=budget, retries={"max_attempts": 1},
                      s3={"addressing_style": "path"}),
    )
    try:
        size = int(client.head_object(Bucket=bucket.name, Key=key)["ContentLength"])
        if size > settings.max_image_bytes:
            raise ImageTooLarge(f"object is {size} bytes; at most {settings.max_image_bytes} bytes")
        body = client.get_object(Bucket=bucket.name, Key=key)["Body"]
        data: bytes = body.read(settings.max_image_bytes + 1)
        body.close()
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in _NOT_FOUND:
            raise ImageNotFound("no such object in that bucket") from exc
        if code in _FORBIDDEN:
            raise ImageForbidden("the bucket refused access") from exc
        raise DownloadFailed(f"bucket answered {code or 'an error'}") from exc
    except (ConnectTimeoutError, ReadTimeoutError) as exc:
        raise DownloadTimeout(f"bucket did not answer within {budget:g} s") from exc
    except BotoCoreError as exc:
        raise DownloadFailed(f"cannot read from the bucket: {type(exc).__name__}") from exc
    if len(data) > settings.max_image_bytes:
        raise ImageTooLarge(f"object is larger than {settings.max_image_bytes} bytes")
    return data
