"""The HMAC-SHA1 scheme: ``Authorization: acs <AccessKeyId>:<Signature>``.

Used by the first-generation SDK (``aliyun-python-sdk-core``, with Content-MD5 and Date, no nonce), by
``alibabacloud-tea-openapi`` with ``signature_algorithm="v2"`` (Date and a nonce, no Content-MD5) and by
Node's ``@alicloud/pop-core`` ROAClient. The formula is API.md's "First generation" section.

What this scheme cannot protect: the body is covered only through Content-MD5, so a client that sends
none (tea-openapi v2) signs no body; and a client that sends no nonce (the first-generation SDK) can be
replayed unchanged while its Date is inside the clock window.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC
from email.utils import parsedate_to_datetime

from certscan.api.auth.common import NonceStore, SecretLookup, SignedRequest, check_fresh, check_nonce
from certscan.errors import BodyDigestMismatch, IncompleteSignature, InvalidAccessKey, SignatureMismatch

PREFIX = "acs "


def _resource(path: str, query: list[tuple[str, str]], bare_blank: bool) -> str:
    if not query:
        return path
    # SDKs differ on a blank value: tea-openapi writes the key bare, aliyun-python-sdk-core writes "k=".
    parts = [k if (v == "" and bare_blank) else f"{k}={v}" for k, v in sorted(query)]
    return path + "?" + "&".join(parts)


def string_to_sign(req: SignedRequest, bare_blank: bool = True) -> str:
    """API.md's string to sign: five fixed header lines, the x-acs-* headers, then the resource."""
    lines = [req.method, req.header("accept"), req.header("content-md5"), req.header("content-type"),
             req.header("date")]
    acs_headers = sorted((name, value) for name, value in req.headers.items() if name.startswith("x-acs-"))
    head = "".join(line + "\n" for line in lines) + "".join(f"{n}:{v}\n" for n, v in acs_headers)
    return head + _resource(req.path, req.query, bare_blank)


def sign(secret: str, to_sign: str) -> str:
    digest = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _parse_date(value: str) -> float | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None:  # "-0000" parses naive; RFC 1123 dates are GMT by definition.
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def _check_body(req: SignedRequest) -> None:
    sent_md5 = req.header("content-md5")
    if sent_md5:
        actual = base64.b64encode(hashlib.md5(req.body).digest()).decode()
        if not hmac.compare_digest(sent_md5.strip().encode(), actual.encode()):
            raise BodyDigestMismatch("Specified content md5 is not matched with your request body: "
                                     f"Content-MD5 {sent_md5.strip()}, body {actual}", "InvalidContentMD5")
    sent_sha = req.header("x-acs-content-sha256")
    if sent_sha:
        actual = hashlib.sha256(req.body).hexdigest()
        if not hmac.compare_digest(sent_sha.strip().lower().encode(), actual.encode()):
            raise BodyDigestMismatch("Specified content sha256 is not matched with your request body: "
                                     f"x-acs-content-sha256 {sent_sha.strip()}, body {actual}",
                                     "InvalidContentSHA256")


class HmacSha1Verifier:
    """Verifies ``acs <AccessKeyId>:<Signature>`` requests by this scheme's rules alone."""

    prefix = PREFIX

    def verify(self, req: SignedRequest, authorization: str, secret_for: SecretLookup, nonces: NonceStore,
               now: float, skew: float) -> str:
        credential = authorization[len(PREFIX):].strip()
        access_key_id, sep, signature = credential.rpartition(":")
        if not sep or not access_key_id or not signature:
            raise IncompleteSignature("The Authorization header is malformed: "
                                      "expected acs <AccessKeyId>:<Signature>")
        secret = secret_for(access_key_id)
        if secret is None:
            raise InvalidAccessKey(f"Specified access key is not found: {access_key_id}")

        candidates = [string_to_sign(req, bare_blank=True)]
        if any(v == "" for _, v in req.query):
            candidates.append(string_to_sign(req, bare_blank=False))
        if not any(hmac.compare_digest(sign(secret, c).encode(), signature.encode()) for c in candidates):
            raise SignatureMismatch(
                "Specified signature is not matched with our calculation. server string to sign is:"
                + candidates[0]
            )

        _check_body(req)
        check_fresh(_parse_date(req.header("date")), "Date", now, skew)
        nonce = req.header("x-acs-signature-nonce")
        if nonce:
            check_nonce(nonces, nonce, access_key_id, now, skew)
        return access_key_id
