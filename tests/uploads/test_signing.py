"""OSS v1 signatures and temporary upload credentials."""

from __future__ import annotations

import pytest

from certscan.uploads import credentials
from certscan.uploads.ossv1 import OssError, error_xml, parse_authorization, signature, string_to_sign

SECRET = b"server-upload-secret"


def test_worked_example_from_the_spec() -> None:
    headers = {
        "Content-Type": "image/jpeg",
        "date": "Mon, 30 Nov 2026 15:46:38 GMT",
        "x-oss-security-token": "TOKEN123",
        "authorization": "ignored",
    }
    key = "uid1234/2026-11-30/images/3ab0a30c-ecd5-11f1-8f36-02fc00000001.jpg"
    text = string_to_sign("PUT", headers, "certscan-upload", key)
    assert text == (
        "PUT\n\nimage/jpeg\nMon, 30 Nov 2026 15:46:38 GMT\nx-oss-security-token:TOKEN123\n"
        f"/certscan-upload/{key}"
    )
    assert signature("STSSECRET", text) == "6MHrKPpA7nKC9IUcP/tk61x4JYU="


def test_subresources_are_signed_sorted_and_other_params_ignored() -> None:
    text = string_to_sign("GET", {"Date": "d"}, "b", "k", [("uploads", ""), ("acl", ""), ("foo", "bar")])
    assert text.endswith("/b/k?acl&uploads")


def test_authorization_header_parsing() -> None:
    assert parse_authorization("OSS STS.abc:c2ln+/=") == ("STS.abc", "c2ln+/=")
    for bad in ("", "OSS", "OSS nocolon", "AWS a:b", "OSS :sig", "OSS id:"):
        with pytest.raises(OssError) as caught:
            parse_authorization(bad)
        assert caught.value.code == "AccessDenied"


def test_error_body_is_escaped_oss_xml() -> None:
    body = error_xml(OssError(403, "AccessDenied", "a <b> & c"), "RID")
    assert b"<Code>AccessDenied</Code>" in body
    assert b"<Message>a &lt;b&gt; &amp; c</Message>" in body
    assert b"<RequestId>RID</RequestId>" in body


def test_minted_credentials_verify_and_scope_to_the_account_folder() -> None:
    now = 1_796_000_000.0
    minted = credentials.mint("1234567890123456", SECRET, now, 3600)
    grant = credentials.verify(minted.grant.access_key_id, minted.security_token, SECRET, now + 10)
    assert grant == minted.grant
    assert grant.folder.startswith("1234567890123456/")
    assert grant.expires_ms == int((now + 3600) * 1000)
    assert len(grant.access_key_secret) == 30
    assert "access_key_secret" not in repr(grant) and grant.access_key_secret not in repr(grant)


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda ak, token: (ak, token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]),
         "InvalidSecurityToken"),
        (lambda ak, token: (ak, token.replace(".", "", 1)), "InvalidSecurityToken"),
        (lambda ak, token: (ak, ""), "AccessDenied"),
        (lambda ak, token: ("STS.someone-else", token), "InvalidAccessKeyId"),
    ],
    ids=["tampered-mac", "no-mac", "no-token", "other-key-id"],
)
def test_forged_credentials_are_refused(mutate, code: str) -> None:  # type: ignore[no-untyped-def]
    minted = credentials.mint("1", SECRET, 1000.0, 3600)
    access_key_id, token = mutate(minted.grant.access_key_id, minted.security_token)
    with pytest.raises(OssError) as caught:
        credentials.verify(access_key_id, token, SECRET, 1000.0)
    assert caught.value.code == code


def test_tokens_from_another_secret_and_expired_tokens_are_refused() -> None:
    minted = credentials.mint("1", SECRET, 1000.0, 60)
    with pytest.raises(OssError, match="InvalidSecurityToken"):
        credentials.verify(minted.grant.access_key_id, minted.security_token, b"other", 1000.0)
    with pytest.raises(OssError, match="SecurityTokenExpired"):
        credentials.verify(minted.grant.access_key_id, minted.security_token, SECRET, 1061.0)


def test_secret_is_created_once_and_private(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from certscan.settings import Settings

    config = Settings(_env_file=None, data_dir=tmp_path, upload_secret="")  # type: ignore[call-arg]
    first = credentials.upload_secret(config)
    assert first == credentials.upload_secret(config)
    assert (tmp_path / credentials.SECRET_FILE).stat().st_mode & 0o077 == 0
    configured = Settings(_env_file=None, data_dir=tmp_path, upload_secret="shared")  # type: ignore[call-arg]
    assert credentials.upload_secret(configured) == b"shared"
