"""Callback checksums: lower-case hex SHA-256 or SM3 of ``UID + seed + content`` (API.md, "Callbacks").

The reference document calls these "HMAC", but its own SM3 example is the plain digest; so is this.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

SHA256 = "SHA256"
SM3 = "SM3"


def _sm3_hex(data: bytes) -> str:
    try:
        return hashlib.new("sm3", data).hexdigest()
    except ValueError:
        # OpenSSL built without SM3: fall back to the pure-Python implementation of `gmssl`.
        try:
            from gmssl import func, sm3
        except ImportError as exc:
            raise RuntimeError("SM3 needs OpenSSL with SM3, or the 'gmssl' package") from exc
        return str(sm3.sm3_hash(func.bytes_to_list(data)))


def checksum(uid: str, seed: str, content: str, crypt_type: str | None = SHA256) -> str:
    """The ``checksum`` field of a callback for ``content`` (UTF-8), with ``crypt_type`` SHA256 or SM3."""
    data = (uid + seed + content).encode("utf-8")
    kind = (crypt_type or SHA256).upper()
    if kind == SHA256:
        return hashlib.sha256(data).hexdigest()
    if kind == SM3:
        return _sm3_hex(data)
    raise ValueError(f"unknown cryptType {crypt_type!r}: expected SHA256 or SM3")


def verify(form: Mapping[str, str], uid: str, seed: str, crypt_type: str | None = SHA256) -> bool:
    """For receivers: True when a callback's form fields carry a checksum that matches its content.

    ``form`` is the decoded ``application/x-www-form-urlencoded`` body (e.g. Flask's ``request.form``,
    ``dict(urllib.parse.parse_qsl(body))``); ``uid`` is your account's UID and ``seed`` the seed you
    submitted the task with. Then ``json.loads(form["content"])`` is the task's results element::

        from certscan.callbacks import verify
        if not verify(request.form, uid="1234567890", seed="my_seed", crypt_type="SHA256"):
            abort(403)
    """
    sent, content = form.get("checksum"), form.get("content")
    if not sent or content is None:
        return False
    expected = checksum(uid, seed, content, crypt_type)
    return hmac.compare_digest(expected.encode(), sent.strip().lower().encode())
