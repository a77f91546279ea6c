"""Request signatures: both schemes against API.md's worked examples and the vendor SDKs' own signers."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest

from certscan.api.auth import acs3, hmac_sha1
from certscan.api.auth.common import SignedRequest
from certscan.api.signing import MemoryNonceStore, error_body, verify_request
from certscan.errors import (
    AuthError,
    BodyDigestMismatch,
    IncompleteSignature,
    InvalidAccessKey,
    NonceUsed,
    SignatureMismatch,
    TimestampExpired,
)

AK, SECRET = "AK123", "SECRET456"
KEYS = {AK: SECRET}

# --- API.md's first-generation worked example -----------------------------------------------------
V1_BODY = (b'{"scenes": ["ocr"], "extras": {"card": "bank-card"}, '
           b'"tasks": [{"dataId": "d1", "url": "http://127.0.0.1/x.png"}]}')
V1_DATE = "Wed, 25 Nov 2026 03:22:34 GMT"
V1_NOW = parsedate_to_datetime(V1_DATE).timestamp()
V1_HEADERS = {
    "Accept": "application/json",
    "Content-MD5": "tbb8ZlF0hWUMZEYOo1cwpQ==",
    "Content-Type": "application/octet-stream",
    "Date": V1_DATE,
    "x-acs-action": "ImageAsyncScan",
    "x-acs-region-id": "cn-shanghai",
    "x-acs-signature-method": "HMAC-SHA1",
    "x-acs-signature-version": "1.0",
    "x-acs-version": "2018-05-09",
    "x-sdk-client": "python/2.0.0",  # not an x-acs- header: not signed, must not matter
    "Authorization": f"acs {AK}:W2ZZnk6v6clcFTdt8v26jOTyVYo=",
}
V1_PATH, V1_QUERY = "/green/image/asyncscan", [("RegionId", "cn-shanghai")]

# --- API.md's ACS3 worked example -----------------------------------------------------------------
V3_BODY = (b'{"scenes":["ocr"],"tasks":[{"dataId":"d1","url":"http://x/y.png"}],'
           b'"extras":{"card":"id-card-front"}}')
V3_SHA = "c5242c3460135188463ac1695e8aceac73f7363c72d527c35afc5933fef27763"
V3_SIG = "902de81e08feeeb50d14ed2423576a28306370a9987200b4aadb46ba9939bd09"
V3_DATE = "2026-11-30T15:24:38Z"
V3_NOW = datetime(2026, 11, 30, 15, 24, 38, tzinfo=UTC).timestamp()
V3_SIGNED = {
    "accept": "application/json",
    "content-type": "application/json; charset=utf-8",
    "host": "127.0.0.1:18777",
    "user-agent": "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
    "x-acs-action": "ImageAsyncScan",
    "x-acs-content-sha256": V3_SHA,
    "x-acs-credentials-provider": "static_ak",
    "x-acs-date": V3_DATE,
    "x-acs-signature-nonce": "536067f712f5f6b1d281729179194a22",
    "x-acs-version": "2018-05-09",
}
V3_QUERY = [("ClientInfo", '{"ip": "1.2.3.4"}')]
V3_PATH = "/green/image/asyncscan"


def v3_headers(**overrides: str) -> dict[str, str]:
    headers = dict(V3_SIGNED)
    names = ";".join(sorted(V3_SIGNED))
    headers["Authorization"] = f"ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={names},Signature={V3_SIG}"
    headers.update(overrides)
    return headers


def verify(method: str, path: str, query: list[tuple[str, str]], headers: dict[str, str], body: bytes,
           now: float, nonces: MemoryNonceStore | None = None, keys: dict[str, str] = KEYS) -> str:
    return verify_request(method, path, query, headers, body, keys.get, nonces or MemoryNonceStore(), now)


def test_hmac_sha1_worked_example_byte_for_byte() -> None:
    req = SignedRequest.build("POST", V1_PATH, V1_QUERY, V1_HEADERS, V1_BODY)
    assert base64.b64encode(hashlib.md5(V1_BODY).digest()).decode() == V1_HEADERS["Content-MD5"]
    assert hmac_sha1.sign(SECRET, hmac_sha1.string_to_sign(req)) == "W2ZZnk6v6clcFTdt8v26jOTyVYo="
    assert verify("POST", V1_PATH, V1_QUERY, V1_HEADERS, V1_BODY, V1_NOW) == AK


def test_acs3_worked_example_byte_for_byte() -> None:
    assert hashlib.sha256(V3_BODY).hexdigest() == V3_SHA
    req = SignedRequest.build("POST", V3_PATH, V3_QUERY, V3_SIGNED, V3_BODY)
    canonical = acs3.canonical_request(req, sorted(V3_SIGNED), V3_SHA)
    assert canonical.split("\n")[2] == "ClientInfo=%7B%22ip%22%3A%20%221.2.3.4%22%7D"
    assert acs3.sign(SECRET, acs3.string_to_sign(canonical)) == V3_SIG
    assert verify("POST", V3_PATH, V3_QUERY, v3_headers(), V3_BODY, V3_NOW) == AK


def test_header_names_in_any_case() -> None:
    upper = {k.upper() if k != "Authorization" else k: v for k, v in V1_HEADERS.items()}
    assert verify("POST", V1_PATH, V1_QUERY, upper, V1_BODY, V1_NOW) == AK


@pytest.mark.parametrize("scheme", ["hmac-sha1", "acs3"])
def test_wrong_secret_is_signature_mismatch_with_colon(scheme: str) -> None:
    wrong = {AK: "NOT-THE-SECRET"}
    with pytest.raises(SignatureMismatch) as info:
        if scheme == "hmac-sha1":
            verify("POST", V1_PATH, V1_QUERY, V1_HEADERS, V1_BODY, V1_NOW, keys=wrong)
        else:
            verify("POST", V3_PATH, V3_QUERY, v3_headers(), V3_BODY, V3_NOW, keys=wrong)
    # The first-generation SDK evaluates Message.split(':')[1]; it must not raise IndexError.
    assert info.value.msg.split(":")[1]
    assert info.value.vendor_code == "SignatureDoesNotMatch"


def test_tampered_body_hmac_sha1_is_content_md5_mismatch() -> None:
    with pytest.raises(BodyDigestMismatch) as info:
        verify("POST", V1_PATH, V1_QUERY, V1_HEADERS, V1_BODY.replace(b"bank-card", b"id-card-back"), V1_NOW)
    assert info.value.vendor_code == "InvalidContentMD5"


def test_tampered_body_acs3_is_content_sha256_mismatch() -> None:
    with pytest.raises(BodyDigestMismatch) as info:
        verify("POST", V3_PATH, V3_QUERY, v3_headers(), V3_BODY + b" ", V3_NOW)
    assert info.value.vendor_code == "InvalidContentSHA256"


def test_tampered_digest_header_breaks_the_signature() -> None:
    tampered_sha = hashlib.sha256(b"other").hexdigest()
    with pytest.raises(SignatureMismatch):
        verify("POST", V3_PATH, V3_QUERY, v3_headers(**{"x-acs-content-sha256": tampered_sha}),
               b"other", V3_NOW)
    tampered_md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    with pytest.raises(SignatureMismatch):
        verify("POST", V1_PATH, V1_QUERY, {**V1_HEADERS, "Content-MD5": tampered_md5}, b"other", V1_NOW)


@pytest.mark.parametrize("offset", [-901, 901, 3600 * 24])
def test_expired_date_refused(offset: float) -> None:
    with pytest.raises(TimestampExpired) as info:
        verify("POST", V1_PATH, V1_QUERY, V1_HEADERS, V1_BODY, V1_NOW + offset)
    assert info.value.vendor_code == "InvalidTimeStamp.Expired"
    with pytest.raises(TimestampExpired):
        verify("POST", V3_PATH, V3_QUERY, v3_headers(), V3_BODY, V3_NOW + offset)


def test_date_inside_window_accepted() -> None:
    assert verify("POST", V1_PATH, V1_QUERY, V1_HEADERS, V1_BODY, V1_NOW + 899) == AK
    assert verify("POST", V3_PATH, V3_QUERY, v3_headers(), V3_BODY, V3_NOW - 899) == AK


def test_reused_nonce_refused_within_window_and_forgotten_after() -> None:
    nonces = MemoryNonceStore()
    args = ("POST", V3_PATH, V3_QUERY, v3_headers(), V3_BODY)
    assert verify(*args, V3_NOW, nonces=nonces) == AK
    with pytest.raises(NonceUsed) as info:
        verify(*args, V3_NOW + 10, nonces=nonces)
    assert info.value.vendor_code == "SignatureNonceUsed"
    # Once the request's date is outside the window, the clock check refuses it before the nonce matters.
    with pytest.raises(TimestampExpired):
        verify(*args, V3_NOW + 901, nonces=nonces)


def test_failed_request_does_not_burn_the_nonce() -> None:
    nonces = MemoryNonceStore()
    with pytest.raises(SignatureMismatch):
        verify("POST", V3_PATH, V3_QUERY, v3_headers(), V3_BODY, V3_NOW, nonces=nonces,
               keys={AK: "wrong"})
    assert verify("POST", V3_PATH, V3_QUERY, v3_headers(), V3_BODY, V3_NOW, nonces=nonces) == AK


def test_memory_nonce_store_is_per_key_and_expires() -> None:
    store = MemoryNonceStore()
    assert store.add_if_new("n", "a", now=0, ttl=10)
    assert not store.add_if_new("n", "a", now=5, ttl=10)
    assert store.add_if_new("n", "b", now=5, ttl=10)
    assert store.add_if_new("n", "a", now=11, ttl=10)


@pytest.mark.parametrize("scheme", ["hmac-sha1", "acs3"])
def test_unknown_key(scheme: str) -> None:
    with pytest.raises(InvalidAccessKey) as info:
        if scheme == "hmac-sha1":
            verify("POST", V1_PATH, V1_QUERY, V1_HEADERS, V1_BODY, V1_NOW, keys={})
        else:
            verify("POST", V3_PATH, V3_QUERY, v3_headers(), V3_BODY, V3_NOW, keys={})
    assert info.value.vendor_code == "InvalidAccessKeyId.NotFound"
    assert AK in info.value.msg


def test_missing_or_foreign_authorization() -> None:
    headers = {k: v for k, v in V1_HEADERS.items() if k != "Authorization"}
    with pytest.raises(IncompleteSignature):
        verify("POST", V1_PATH, V1_QUERY, headers, V1_BODY, V1_NOW)
    for auth in ("Bearer abc", "acs no-colon", "ACS3-HMAC-SHA256 Credential=AK123",
                 "ACS3-HMAC-SM3 Credential=AK123,SignedHeaders=host,Signature=00"):
        with pytest.raises(IncompleteSignature):
            verify("POST", V1_PATH, V1_QUERY, {**headers, "Authorization": auth}, V1_BODY, V1_NOW)


def test_a_scheme_is_judged_only_by_its_own_rules() -> None:
    # A valid HMAC-SHA1 signature presented under the ACS3 prefix is refused, not retried as HMAC-SHA1.
    auth = f"ACS3-HMAC-SHA256 Credential={AK},SignedHeaders=host;x-acs-content-sha256;x-acs-date,Signature=" \
           + base64.b64decode("W2ZZnk6v6clcFTdt8v26jOTyVYo=").hex()
    with pytest.raises(AuthError):
        verify("POST", V1_PATH, V1_QUERY, {**V1_HEADERS, "Authorization": auth}, V1_BODY, V1_NOW)


def test_acs3_refuses_unsigned_acs_headers() -> None:
    with pytest.raises(IncompleteSignature, match="x-acs-extra"):
        verify("POST", V3_PATH, V3_QUERY, v3_headers(**{"x-acs-extra": "1"}), V3_BODY, V3_NOW)
    # A signature over fewer headers than the date and the body digest is refused even if it verifies.
    names = [n for n in sorted(V3_SIGNED) if n != "x-acs-date"]
    auth = f"ACS3-HMAC-SHA256 Credential={AK},SignedHeaders={';'.join(names)},Signature={V3_SIG}"
    with pytest.raises(IncompleteSignature, match="x-acs-date"):
        verify("POST", V3_PATH, V3_QUERY, {**V3_SIGNED, "Authorization": auth}, V3_BODY, V3_NOW)


def test_first_generation_sdk_request_with_plus_in_query() -> None:
    """Sign with aliyun-python-sdk-core itself; its urlencoded query turns a space into '+'."""
    from aliyunsdkgreen.request.v20180509.ImageAsyncScanRequest import ImageAsyncScanRequest

    request = ImageAsyncScanRequest()
    request.set_content(V1_BODY)
    request.add_query_param("ClientInfo", json.dumps({"ip": "1.2.3.4", "name": "a b+c"}))
    headers = request.get_signed_header("cn-shanghai", AK, SECRET)
    url = urlsplit(request.get_url("cn-shanghai", AK, SECRET))
    assert "+" in url.query and " " not in url.query
    query = parse_qsl(url.query, keep_blank_values=True)
    now = parsedate_to_datetime(headers["Date"]).timestamp()
    assert verify("POST", url.path, query, headers, V1_BODY, now) == AK
    # unquote() instead of form decoding would keep the '+' and break the signature.
    wrong = [(k, v.replace(" ", "+")) for k, v in query]
    with pytest.raises(SignatureMismatch):
        verify("POST", url.path, wrong, headers, V1_BODY, now)


def _tea_request(headers: dict[str, str], query: dict[str, str]) -> SimpleNamespace:
    return SimpleNamespace(method="POST", pathname="/green/image/asyncscan", headers=headers, query=query)


def test_tea_openapi_signers_both_schemes_with_space_in_query() -> None:
    """tea-openapi's own ACS3 and v2 signers, a query value with a space, a blank value and a nonce."""
    from alibabacloud_tea_openapi.utils import Utils

    query = {"ClientInfo": '{"ip": "1.2.3.4"}', "Blank": ""}
    wire_query = [("ClientInfo", '{"ip": "1.2.3.4"}'), ("Blank", "")]
    headers = {**V3_SIGNED, "x-acs-signature-nonce": "n-acs3"}
    auth = Utils.get_authorization(_tea_request(headers, query), "ACS3-HMAC-SHA256", V3_SHA, AK, SECRET)
    assert verify("POST", "/green/image/asyncscan", wire_query, {**headers, "Authorization": auth}, V3_BODY,
                  V3_NOW) == AK

    v2 = {"date": V1_DATE, "host": "127.0.0.1:1", "accept": "application/json",
          "content-type": "application/json; charset=utf-8", "x-acs-signature-nonce": "n-v2",
          "x-acs-signature-method": "HMAC-SHA1", "x-acs-signature-version": "1.0",
          "x-acs-version": "2018-05-09", "x-acs-action": "ImageAsyncScan",
          "x-acs-credentials-provider": "static_ak"}
    signature = Utils.get_roasignature(Utils.get_string_to_sign(_tea_request(v2, query)), SECRET)
    signed = {**v2, "authorization": f"acs {AK}:{signature}"}
    nonces = MemoryNonceStore()
    assert verify("POST", "/green/image/asyncscan", wire_query, signed, V1_BODY, V1_NOW, nonces=nonces) == AK
    with pytest.raises(NonceUsed):
        verify("POST", "/green/image/asyncscan", wire_query, signed, V1_BODY, V1_NOW, nonces=nonces)


def test_error_body_has_both_spellings() -> None:
    exc = SignatureMismatch()
    body = error_body(exc, "req-1")
    assert body == {"Code": "SignatureDoesNotMatch", "Message": exc.msg, "RequestId": "req-1", "code": 401,
                    "msg": exc.msg, "requestId": "req-1"}
    assert error_body(BodyDigestMismatch("x", "InvalidContentSHA256"), "r")["Code"] == "InvalidContentSHA256"
    assert error_body(TimestampExpired(), "r")["Code"] == "InvalidTimeStamp.Expired"
