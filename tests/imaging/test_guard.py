"""The SSRF guard: address policy, allowlist, and that connections go to the checked address."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from certscan.errors import DownloadFailed, UrlNotAllowed
from certscan.imaging.fetch import fetch_with_client
from certscan.imaging.guard import (
    IPAddress,
    check_url,
    guarded_client,
    parse_allowlist,
    refusal_reason,
)
from certscan.settings import Settings
from tests.imaging.servers import Exchange, serving

REFUSED = [
    "127.0.0.1", "127.255.255.254", "0.0.0.0", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1",
    "169.254.1.1", "169.254.169.254", "100.100.100.200", "224.0.0.1", "239.255.255.250", "240.0.0.1",
    "255.255.255.255", "198.18.0.1", "192.0.2.1",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "fd00:ec2::254", "ff02::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1",
    "2002:7f00:1::1", "2002:a00:1::1", "64:ff9b::a00:1", "64:ff9b::7f00:1",
]
ALLOWED = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700::1111", "2a00:1450:4001:800::200e",
           "::ffff:8.8.8.8", "2002:808:808::1", "64:ff9b::808:808"]


def settings(allow: str = "") -> Settings:
    return Settings(_env_file=None, fetch_allow=allow)  # type: ignore[call-arg]


@pytest.mark.parametrize("text", REFUSED)
def test_internal_addresses_are_refused(text: str) -> None:
    assert refusal_reason(ipaddress.ip_address(text)) is not None


@pytest.mark.parametrize("text", ALLOWED)
def test_public_addresses_pass(text: str) -> None:
    assert refusal_reason(ipaddress.ip_address(text)) is None


def test_allowlist_opens_chosen_networks_only() -> None:
    allow = parse_allowlist("127.0.0.0/8, 10.1.0.0/16,fd00::/8")
    assert refusal_reason(ipaddress.ip_address("127.0.0.5"), allow) is None
    assert refusal_reason(ipaddress.ip_address("10.1.9.9"), allow) is None
    assert refusal_reason(ipaddress.ip_address("fd12::1"), allow) is None
    assert refusal_reason(ipaddress.ip_address("10.2.0.1"), allow) == "private"
    assert refusal_reason(ipaddress.ip_address("::1"), allow) == "loopback"


def test_metadata_needs_an_exact_allowlist_entry() -> None:
    metadata = ipaddress.ip_address("100.100.100.200")
    assert refusal_reason(metadata, parse_allowlist("100.64.0.0/10")) == "cloud metadata"
    assert refusal_reason(ipaddress.ip_address("169.254.169.254"), parse_allowlist("169.254.0.0/16"))
    assert refusal_reason(metadata, parse_allowlist("100.100.100.200/32")) is None


def test_bad_allowlist_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="CERTSCAN_FETCH_ALLOW"):
        parse_allowlist("127.0.0.0/8,not-a-network")


def test_allowlist_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CERTSCAN_FETCH_ALLOW", "127.0.0.0/8")
    assert asyncio.run(check_url("http://127.0.0.1:9/x", Settings(_env_file=None)))  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "url", ["http://localhost/", "http://127.1/", "http://0x7f000001/", "https://[::1]:8443/", "ftp://8.8.8.8/"]
)
def test_check_url_refuses_before_any_connection(url: str) -> None:
    with pytest.raises(UrlNotAllowed):
        asyncio.run(check_url(url, settings()))


def fake_resolver(answers: dict[str, list[str]], calls: list[str]):  # type: ignore[no-untyped-def]
    async def resolve(host: str, port: int) -> list[IPAddress]:
        calls.append(host)
        return [ipaddress.ip_address(text) for text in answers[host]]

    return resolve


def test_host_with_any_internal_answer_is_refused_without_connecting() -> None:
    calls: list[str] = []
    resolver = fake_resolver({"mixed.example.test": ["8.8.8.8", "127.0.0.1"]}, calls)
    with pytest.raises(UrlNotAllowed):
        asyncio.run(check_url("http://mixed.example.test/", settings(), resolver))

    async def through_client() -> None:
        async with guarded_client(settings(), resolver=resolver) as client:
            await client.get("http://mixed.example.test:1/")

    with pytest.raises(UrlNotAllowed):  # the client's own connection check, not only check_url
        asyncio.run(through_client())
    assert calls == ["mixed.example.test", "mixed.example.test"]


def make_tls_pair(tmp: Path, hostname: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context with a cert for ``hostname``, client context trusting only its private CA)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "certscan test CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(1).not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)]))
        .issuer_name(ca_name).public_key(leaf_key.public_key()).serial_number(2)
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "leaf.pem", tmp / "leaf.key"
    cert_path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(leaf_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_path, key_path)
    client = ssl.create_default_context(cadata=ca.public_bytes(serialization.Encoding.PEM).decode())
    return server, client


def test_https_connects_to_the_checked_address_keeping_host_sni_and_cert_check(tmp_path: Path) -> None:
    hostname = "images.example.test"
    server_tls, client_tls = make_tls_pair(tmp_path, hostname)
    calls: list[str] = []
    # Resolves once to the allowlisted 127.0.0.1; were it asked again it would answer a refused
    # address, so a second (rebinding) lookup would make the fetch fail.
    answers = iter([["127.0.0.1"], ["127.0.0.2"]])

    async def resolver(host: str, port: int) -> list[IPAddress]:
        calls.append(host)
        return [ipaddress.ip_address(text) for text in next(answers)]

    config = settings("127.0.0.1/32")

    async def run(url: str) -> bytes:
        async with guarded_client(config, ssl_context=client_tls, resolver=resolver) as client:
            return await fetch_with_client(client, url, config)

    def ok(exchange: Exchange) -> None:
        exchange.respond(200, b"tls body")

    with serving(ok, tls=server_tls) as server:
        assert asyncio.run(run(server.url(scheme="https", host=hostname))) == b"tls body"
    assert calls == [hostname]
    assert server.server_names == [hostname]
    assert server.requests[0].headers["host"] == f"{hostname}:{server.port}"


def test_https_certificate_for_another_name_is_rejected(tmp_path: Path) -> None:
    server_tls, client_tls = make_tls_pair(tmp_path, "other.example.test")

    async def resolver(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address("127.0.0.1")]

    config = settings("127.0.0.1/32")

    async def run(url: str) -> bytes:
        async with guarded_client(config, ssl_context=client_tls, resolver=resolver) as client:
            return await fetch_with_client(client, url, config)

    def ok(exchange: Exchange) -> None:
        exchange.respond(200, b"x")

    with serving(ok, tls=server_tls) as server, pytest.raises(DownloadFailed):
        asyncio.run(run(server.url(scheme="https", host="images.example.test")))
    assert server.requests == []  # the handshake failed: no request reached the server
