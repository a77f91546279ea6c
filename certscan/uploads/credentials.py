"""Short-lived upload credentials (the vendor's ``UploadCredentials`` answer), minted without storage.

A credential is (accessKeyId, accessKeySecret, securityToken, expiredTime) scoped to one account's upload
folder ``<uid>/<yyyy-mm-dd>``. The security token carries its own claims (access key id, uid, folder,
expiry) and an HMAC-SHA256 over them under the server's upload secret; the accessKeySecret is derived from
the same claims under the same secret. So the upload store verifies a PUT with nothing but the secret, and
any number of servers sharing it (``CERTSCAN_UPLOAD_SECRET``) accept each other's credentials. Without the
setting, a random secret is created once under the data dir (fine for one server).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from certscan.settings import Settings
from certscan.uploads.ossv1 import OssError, access_denied

TOKEN_VERSION = 1
SECRET_FILE = "upload.secret"


@dataclass(frozen=True)
class UploadGrant:
    """What a verified security token allows: writes under ``folder`` for account ``uid`` until expiry."""

    access_key_id: str
    access_key_secret: str
    uid: str
    folder: str
    expires_ms: int

    def __repr__(self) -> str:  # keep the secret out of logs
        return f"UploadGrant(access_key_id={self.access_key_id!r}, uid={self.uid!r}, folder={self.folder!r})"


@dataclass(frozen=True)
class UploadCredentials:
    grant: UploadGrant
    security_token: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, purpose: str, claims: str) -> bytes:
    return hmac.new(secret, f"{purpose}|{claims}".encode("ascii"), hashlib.sha256).digest()


def upload_secret(settings: Settings) -> bytes:
    """The server's upload secret: the setting, else a random one kept in ``data_dir/upload.secret``."""
    if settings.upload_secret:
        return settings.upload_secret.encode("utf-8")
    path = Path(settings.data_dir) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: read theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip().encode("utf-8")


def upload_folder(uid: str, now: float) -> str:
    return f"{uid}/{time.strftime('%Y-%m-%d', time.gmtime(now))}"


def mint(uid: str, secret: bytes, now: float, ttl_seconds: int) -> UploadCredentials:
    """New credentials for account ``uid``, valid ``ttl_seconds`` from ``now``."""
    access_key_id = "STS." + secrets.token_urlsafe(18)
    claims_json = json.dumps(
        {"v": TOKEN_VERSION, "ak": access_key_id, "uid": uid, "folder": upload_folder(uid, now),
         "exp": int((now + ttl_seconds) * 1000)},
        separators=(",", ":"), sort_keys=True,
    )
    claims = _b64(claims_json.encode("utf-8"))
    token = f"{claims}.{_b64(_mac(secret, 'token', claims))}"
    return UploadCredentials(grant=_grant(claims, secret), security_token=token)


def _grant(claims: str, secret: bytes) -> UploadGrant:
    data = json.loads(_unb64(claims))
    return UploadGrant(
        access_key_id=str(data["ak"]),
        access_key_secret=_b64(_mac(secret, "secret", claims))[:30],
        uid=str(data["uid"]),
        folder=str(data["folder"]),
        expires_ms=int(data["exp"]),
    )


def verify(access_key_id: str, security_token: str, secret: bytes, now: float) -> UploadGrant:
    """The grant of a genuine, unexpired token issued for ``access_key_id``; OSS errors otherwise."""
    if not security_token:
        raise access_denied("Temporary credentials need the x-oss-security-token header.")
    claims, dot, mac = security_token.partition(".")
    try:
        genuine = bool(dot) and hmac.compare_digest(_unb64(mac), _mac(secret, "token", claims))
        grant = _grant(claims, secret) if genuine else None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        grant = None
    if grant is None:
        raise OssError(403, "InvalidSecurityToken", "The security token you provided is invalid.")
    if grant.access_key_id != access_key_id:
        raise OssError(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist.")
    if grant.expires_ms <= now * 1000:
        raise OssError(403, "SecurityTokenExpired", "The security token you provided has expired.")
    return grant


def credentials_answer(uid: str, settings: Settings, serving_base_url: str, now: float) -> dict[str, object]:
    """The ``data`` object of the ``UploadCredentials`` answer, keys as the vendor's uploader reads them.

    ``ossEndpoint`` is ``Settings.public_base_url`` when set (what clients can reach), else the base URL
    this request arrived on; the internal endpoint is the same store."""
    minted = mint(uid, upload_secret(settings), now, settings.upload_credential_ttl_seconds)
    endpoint = (settings.public_base_url or serving_base_url).rstrip("/")
    return {
        "accessKeyId": minted.grant.access_key_id,
        "accessKeySecret": minted.grant.access_key_secret,
        "securityToken": minted.security_token,
        "expiredTime": minted.grant.expires_ms,
        "ossEndpoint": endpoint,
        "ossInternalEndpoint": endpoint,
        "uploadBucket": settings.upload_bucket,
        "uploadFolder": minted.grant.folder,
    }
