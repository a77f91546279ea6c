"""The slice of the OSS protocol the vendor's uploader (``oss2`` 2.19) speaks: v1 request signatures and
OSS XML error bodies.

Signature (``shared/spec/API.md``, "Local files")::

    string_to_sign = VERB \\n Content-MD5 \\n Content-Type \\n Date \\n
                     (for each x-oss-* header, lower-cased, sorted: name ":" value \\n)
                     "/" bucket "/" decoded-key [sorted sub-resources]
    signature      = base64(HMAC-SHA1(accessKeySecret, string_to_sign))

oss2 turns an error answer into a typed exception from the ``<Error><Code>`` and the HTTP status, so
every refusal here carries the status and code real OSS uses for it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape

# Sub-resources that take part in the signed resource; an upload store only ever sees a few of them.
SIGNED_SUBRESOURCES = frozenset({"acl", "uploads", "uploadId", "partNumber", "append", "position",
                                 "response-content-type", "security-token", "x-oss-process"})


class OssError(Exception):
    """A refusal rendered as an OSS XML error (``status`` HTTP status, ``code`` the OSS error code)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def access_denied(message: str) -> OssError:
    return OssError(403, "AccessDenied", message)


def string_to_sign(
    method: str,
    headers: Mapping[str, str],
    bucket: str,
    key: str,
    params: Iterable[tuple[str, str]] = (),
) -> str:
    """The v1 string to sign for a request; ``headers`` keys in any case, ``key`` already URL-decoded."""
    lowered = {name.lower(): value for name, value in headers.items()}
    date = lowered.get("x-oss-date") or lowered.get("date", "")
    oss_headers = sorted((name, value) for name, value in lowered.items() if name.startswith("x-oss-"))
    canonical_headers = "".join(f"{name}:{value}\n" for name, value in oss_headers)
    subresources = sorted((name, value) for name, value in params if name in SIGNED_SUBRESOURCES)
    query = "&".join(f"{name}={value}" if value else name for name, value in subresources)
    resource = f"/{bucket}/{key}" + (f"?{query}" if query else "")
    return "\n".join([
        method.upper(),
        lowered.get("content-md5", ""),
        lowered.get("content-type", ""),
        date,
        canonical_headers + resource,
    ])


def signature(secret: str, text: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def parse_authorization(value: str) -> tuple[str, str]:
    """(accessKeyId, signature) of an ``Authorization: OSS <id>:<signature>`` header."""
    scheme, _, credentials = value.strip().partition(" ")
    access_key_id, colon, given = credentials.strip().rpartition(":")
    if scheme != "OSS" or not colon or not access_key_id or not given:
        raise access_denied("Authorization must be 'OSS <AccessKeyId>:<Signature>'.")
    return access_key_id, given


def signatures_match(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode("ascii"), given.encode("ascii", "replace"))


def error_xml(error: OssError, request_id: str, extra: Mapping[str, str] | None = None) -> bytes:
    fields = {"Code": error.code, "Message": error.message, "RequestId": request_id, **(extra or {})}
    body = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in fields.items())
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Error>{body}</Error>'.encode()
