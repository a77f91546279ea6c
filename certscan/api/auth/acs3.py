"""The ACS3-HMAC-SHA256 scheme of ``alibabacloud-tea-openapi`` (its default), per API.md.

``Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b;c>,Signature=<hex>``.
The signature covers a canonical request whose last line is ``x-acs-content-sha256``; that header is then
recomputed from the body, so the body is covered too. Other ACS3 algorithms (SM3, RSA) are refused.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from urllib.parse import quote

from certscan.api.auth.common import NonceStore, SecretLookup, SignedRequest, check_fresh, check_nonce
from certscan.errors import BodyDigestMismatch, IncompleteSignature, InvalidAccessKey, SignatureMismatch

ALGORITHM = "ACS3-HMAC-SHA256"
PREFIX = "ACS3-"

# Headers a request must sign: without them the date, the body digest or the target could be swapped
# under a valid signature. Every x-acs-* header the request carries must be signed as well.
_ALWAYS_SIGNED = ("host", "x-acs-content-sha256", "x-acs-date")


def _enc(value: str) -> str:
    """RFC 3986 percent-encoding: only A-Za-z0-9-_.~ stay as they are, space becomes %20."""
    return quote(value, safe="~", encoding="utf-8")


def canonical_request(req: SignedRequest, signed_headers: list[str], content_sha256: str) -> str:
    query = "&".join(f"{_enc(k)}={_enc(v)}" for k, v in sorted(req.query))
    headers = "".join(f"{name}:{req.header(name).strip()}\n" for name in signed_headers)
    return "\n".join([req.method, req.path, query, headers, ";".join(signed_headers), content_sha256])


def string_to_sign(canonical: str) -> str:
    return f"{ALGORITHM}\n{hashlib.sha256(canonical.encode()).hexdigest()}"


def sign(secret: str, to_sign: str) -> str:
    return hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


def _parse_authorization(authorization: str) -> tuple[str, list[str], str]:
    algorithm, _, rest = authorization.partition(" ")
    if algorithm != ALGORITHM:
        raise IncompleteSignature(f"Unsupported signature algorithm: {algorithm} (only {ALGORITHM})")
    fields: dict[str, str] = {}
    for item in rest.split(","):
        name, sep, value = item.strip().partition("=")
        if sep:
            fields[name] = value.strip()
    credential, signed, signature = (fields.get(k, "") for k in ("Credential", "SignedHeaders", "Signature"))
    if not credential or not signed or not signature:
        raise IncompleteSignature("The Authorization header is incomplete: "
                                  "expected Credential=...,SignedHeaders=...,Signature=...")
    return credential, sorted({name.strip().lower() for name in signed.split(";") if name.strip()}), signature


def _parse_acs_date(value: str) -> float | None:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.timestamp() if parsed.tzinfo is not None else None


class Acs3Verifier:
    """Verifies ``ACS3-...`` requests by this scheme's rules alone."""

    prefix = PREFIX

    def verify(self, req: SignedRequest, authorization: str, secret_for: SecretLookup, nonces: NonceStore,
               now: float, skew: float) -> str:
        access_key_id, signed_headers, signature = _parse_authorization(authorization)
        must_sign = set(_ALWAYS_SIGNED) | {name for name in req.headers if name.startswith("x-acs-")}
        unsigned = sorted(must_sign - set(signed_headers))
        if unsigned:
            raise IncompleteSignature(f"These headers must be signed: {', '.join(unsigned)}")
        missing = [name for name in signed_headers if name not in req.headers]
        if missing:
            raise IncompleteSignature(f"Signed headers are missing from the request: {', '.join(missing)}")
        secret = secret_for(access_key_id)
        if secret is None:
            raise InvalidAccessKey(f"Specified access key is not found: {access_key_id}")

        content_sha256 = req.header("x-acs-content-sha256").strip()
        to_sign = string_to_sign(canonical_request(req, signed_headers, content_sha256))
        if not hmac.compare_digest(sign(secret, to_sign).encode(), signature.lower().encode()):
            raise SignatureMismatch(
                "Specified signature is not matched with our calculation. server string to sign is:" + to_sign
            )

        actual = hashlib.sha256(req.body).hexdigest()
        if not hmac.compare_digest(content_sha256.lower().encode(), actual.encode()):
            raise BodyDigestMismatch("Specified content sha256 is not matched with your request body: "
                                     f"x-acs-content-sha256 {content_sha256}, body {actual}",
                                     "InvalidContentSHA256")
        check_fresh(_parse_acs_date(req.header("x-acs-date")), "x-acs-date", now, skew)
        nonce = req.header("x-acs-signature-nonce")
        if nonce:
            check_nonce(nonces, nonce, access_key_id, now, skew)
        return access_key_id
