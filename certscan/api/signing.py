"""Entry point of request authentication: :func:`verify_request` and :func:`error_body`.

Two signature schemes are accepted, each by its own verifier, chosen by the Authorization prefix:

- ``acs <AccessKeyId>:<Signature>``: HMAC-SHA1 (first-generation SDK; tea-openapi with
  ``signature_algorithm="v2"``), see :mod:`certscan.api.auth.hmac_sha1`;
- ``ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...`` (tea-openapi's default), see
  :mod:`certscan.api.auth.acs3`.

A request that claims a scheme is judged only by that scheme's rules: nothing falls back to the other.
Checks run in API.md's order: access key, signature, body digest, clock (±skew), then the nonce (recorded
only once everything else passed, so a forged request cannot burn a legitimate client's nonce).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from certscan.api.auth.acs3 import Acs3Verifier
from certscan.api.auth.common import MemoryNonceStore, NonceStore, SecretLookup, SignedRequest
from certscan.api.auth.hmac_sha1 import HmacSha1Verifier
from certscan.errors import AuthError, IncompleteSignature

__all__ = ["MemoryNonceStore", "NonceStore", "SchemeVerifier", "error_body", "verify_request"]


class SchemeVerifier(Protocol):
    prefix: str

    def verify(self, req: SignedRequest, authorization: str, secret_for: SecretLookup, nonces: NonceStore,
               now: float, skew: float) -> str: ...


VERIFIERS: tuple[SchemeVerifier, ...] = (HmacSha1Verifier(), Acs3Verifier())


def verify_request(
    method: str,
    path: str,
    query: list[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    secret_for: SecretLookup,
    nonces: NonceStore,
    now: float,
    skew: float = 900,
) -> str:
    """Authenticate one request and return its AccessKeyId, or raise an :class:`AuthError` subclass.

    ``path`` is the URL path without the query; ``query`` the decoded query pairs with form rules
    (``urllib.parse.parse_qsl(raw, keep_blank_values=True)``, so ``+`` is a space); ``headers`` any
    mapping (names in any case); ``secret_for`` maps an AccessKeyId to its secret, None when unknown;
    ``now`` is the server clock in epoch seconds.
    """
    req = SignedRequest.build(method, path, query, headers, body)
    authorization = req.header("authorization").strip()
    if not authorization:
        raise IncompleteSignature("The request carries no Authorization header: it must be signed.")
    for verifier in VERIFIERS:
        if authorization.startswith(verifier.prefix):
            return verifier.verify(req, authorization, secret_for, nonces, now, skew)
    scheme = authorization.split(" ", 1)[0][:40]
    raise IncompleteSignature(f"Unsupported Authorization scheme: {scheme}")


def error_body(exc: AuthError, request_id: str) -> dict[str, Any]:
    """The JSON body of an authentication failure, readable by both SDK generations (API.md).

    The first generation reads only ``Code``/``Message``/``RequestId``; the second reads either spelling
    but takes ``Code`` before ``code``, so ``code`` can stay the numeric 401 of certscan's envelope.
    """
    return {
        "Code": exc.vendor_code,
        "Message": exc.msg,
        "RequestId": request_id,
        "code": exc.code,
        "msg": exc.msg,
        "requestId": request_id,
    }
