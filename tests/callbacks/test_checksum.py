"""Callback checksums: the reference vectors, and the receiver-side helper."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from certscan.callbacks import checksum, verify

CONTENT = '{"code":200,"msg":"OK","taskId":"t1","results":[{"idCardInfo":{"name":"张三"}}]}'


def test_sm3_reference_vector() -> None:
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert checksum("a", "b", "c", "SM3") == expected
    assert checksum("", "", "abc", "sm3") == expected


def test_sha256_is_plain_digest_of_uid_seed_content_utf8() -> None:
    abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # FIPS 180-2 vector
    assert checksum("", "", "abc", "SHA256") == abc
    expected = hashlib.sha256(("1234" + "seed_1" + CONTENT).encode("utf-8")).hexdigest()
    assert checksum("1234", "seed_1", CONTENT) == expected
    assert checksum("1234", "seed_1", CONTENT, None) == expected


def test_unknown_crypt_type() -> None:
    with pytest.raises(ValueError):
        checksum("u", "s", "c", "MD5")


@pytest.mark.parametrize("crypt", ["SHA256", "SM3"])
def test_verify(crypt: str) -> None:
    form = {"checksum": checksum("1234", "seed_1", CONTENT, crypt), "content": CONTENT}
    assert verify(form, "1234", "seed_1", crypt)
    assert verify({**form, "checksum": form["checksum"].upper()}, "1234", "seed_1", crypt)
    assert not verify(form, "1234", "seed_2", crypt)
    assert not verify(form, "9999", "seed_1", crypt)
    assert not verify({**form, "content": CONTENT.replace("张三", "李四")}, "1234", "seed_1", crypt)
    assert not verify({"content": CONTENT}, "1234", "seed_1", crypt)
    other = "SM3" if crypt == "SHA256" else "SHA256"
    assert not verify(form, "1234", "seed_1", other)


@pytest.mark.parametrize("crypt", ["SHA256", "SM3"])
def test_readme_receiver_snippet_agrees_with_verify(crypt: str) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Callbacks\n", 1)[1].split("\n## ", 1)[0]
    snippet = section.split("```python\n", 1)[1].split("\n```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    verify_callback = namespace["verify_callback"]
    form = {"checksum": checksum("1234", "seed_1", CONTENT, crypt), "content": CONTENT}
    assert verify_callback(form, "1234", "seed_1", crypt) is True
    assert verify_callback({**form, "content": CONTENT + " "}, "1234", "seed_1", crypt) is False
    assert verify_callback(form, "1234", "seed_9", crypt) is False
