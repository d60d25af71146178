"""net: which addresses and URLs the fetcher reaches, against real loopback servers.

The test servers live on 127.0.0.1 and 127.0.0.2, which eventwire refuses by
default; each test allow-lists exactly what it needs, and every refusal is tested
against the same servers without the allow-list. Host names are pointed at the
servers by a resolver the test passes in, never by DNS. No test uses the internet.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.errors import AddressRefused, ConfigError, ConnectionFailed, URLRefused
from eventwire.net import Fetcher, parse_allow_list, refusal_reason
from eventwire.net.addresses import parse_ip
from local_server import LocalServer, fetcher, policy, resolver_for, self_signed_certificate

PAGE = "<html><body><p>Russia and North Korea held talks, officials said.</p></body></html>"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer("127.0.0.1") as site:
        yield site


@pytest.fixture
def other_server() -> Iterator[LocalServer]:
    """A second site on another loopback address, for redirects between hosts."""
    with LocalServer("127.0.0.2") as site:
        yield site


# --- which addresses -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        pytest.param("127.0.0.1", "loopback", id="loopback"),
        pytest.param("127.8.9.10", "loopback", id="loopback-range"),
        pytest.param("::1", "loopback", id="ipv6-loopback"),
        pytest.param("10.1.2.3", "private", id="private-10"),
        pytest.param("172.16.0.1", "private", id="private-172"),
        pytest.param("192.168.1.1", "private", id="private-192"),
        pytest.param("fc00::1", "private", id="ipv6-unique-local"),
        pytest.param("169.254.169.254", "metadata", id="aws-gcp-azure-metadata"),
        pytest.param("fd00:ec2::254", "metadata", id="aws-ipv6-metadata"),
        pytest.param("169.254.1.1", "link-local", id="link-local"),
        pytest.param("fe80::1", "link-local", id="ipv6-link-local"),
        pytest.param("100.64.0.1", "CGNAT", id="cgnat"),
        pytest.param("0.0.0.0", "unspecified", id="unspecified"),
        pytest.param("::", "unspecified", id="ipv6-unspecified"),
        pytest.param("224.0.0.1", "multicast", id="multicast"),
        pytest.param("ff02::1", "multicast", id="ipv6-multicast"),
        pytest.param("240.0.0.1", "private", id="reserved-class-e"),
        pytest.param("255.255.255.255", "private", id="broadcast"),
        pytest.param("192.0.2.1", "private", id="documentation"),
        pytest.param(
            "::ffff:127.0.0.1",
            "a loopback address (as the IPv6 address ::ffff:127.0.0.1)",
            id="ipv4-mapped-loopback",
        ),
        pytest.param("::ffff:169.254.169.254", "metadata", id="ipv4-mapped-metadata"),
        pytest.param("2002:7f00:1::1", "loopback", id="6to4-of-loopback"),
        pytest.param("64:ff9b::a00:1", "private", id="nat64-of-private"),
        pytest.param("fe80::1%eth0", "link-local", id="with-zone-id"),
    ],
)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    parsed = parse_ip(address)

    assert parsed is not None
    assert reason in (refusal_reason(parsed) or "")


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.216.34"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    parsed = parse_ip(address)

    assert parsed is not None
    assert refusal_reason(parsed) is None


def test_allow_list_takes_hosts_addresses_and_networks() -> None:
    allow = parse_allow_list("Intranet.Example., 10.0.0.0/8 [::1],127.0.0.1")

    assert allow.allows_host("intranet.example")
    assert not allow.allows_host("example")
    assert allow.allows_address(parse_ip("10.200.0.1"))  # type: ignore[arg-type]
    assert allow.allows_address(parse_ip("::1"))  # type: ignore[arg-type]
    assert allow.allows_address(parse_ip("::ffff:127.0.0.1"))  # type: ignore[arg-type]
    assert not allow.allows_address(parse_ip("127.0.0.2"))  # type: ignore[arg-type]


@pytest.mark.parametrize("entry", ["http://intranet", "intranet:8080", "10.0.0.0/33x", "*.example"])
def test_a_bad_allow_list_entry_is_a_config_error_naming_it(entry: str) -> None:
    with pytest.raises(ConfigError, match="allow_hosts entry"):
        parse_allow_list(entry)


# --- which URLs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        pytest.param("ftp://example.com/file", "ftp: URLs are not fetched", id="ftp"),
        pytest.param("file:///etc/passwd", "file: URLs are not fetched", id="file"),
        pytest.param("gopher://example.com/", "gopher: URLs", id="gopher"),
        pytest.param("javascript:alert(1)", "javascript: URLs", id="javascript"),
        pytest.param("data:text/html,<p>x</p>", "data: URLs", id="data"),
        pytest.param("http:///path-only", "no host", id="no-host"),
        pytest.param("example.com/story", "without a scheme", id="no-scheme"),
        pytest.param("http://[::1/", "not a valid URL", id="broken-ipv6"),
    ],
)
def test_urls_other_than_http_and_https_are_refused_before_any_lookup(
    url: str, reason: str
) -> None:
    calls: list[str] = []
    client = Fetcher(policy(), resolver=resolver_for({}, calls))

    with pytest.raises(URLRefused) as caught:
        client.fetch(url)

    assert reason in str(caught.value)
    assert str(caught.value).startswith(url)
    assert calls == []


# --- refused addresses, with and without the allow-list --------------------------------------


def test_a_loopback_url_is_refused_without_the_allow_list(server: LocalServer) -> None:
    url = server.page("/story", PAGE)

    with pytest.raises(AddressRefused) as caught:
        fetcher(allow="").fetch(url)

    assert str(caught.value) == (
        f"{url}: 127.0.0.1 is a loopback address; eventwire only fetches public addresses "
        "(add 127.0.0.1 to allow_hosts to fetch it anyway)"
    )
    assert server.requests == []  # not even robots.txt: nothing was sent


def test_a_loopback_url_is_fetched_when_allow_listed(server: LocalServer) -> None:
    url = server.page("/story", PAGE)

    response = fetcher(allow="127.0.0.1").fetch(url)

    assert (response.status, response.body, response.address) == (200, PAGE.encode(), "127.0.0.1")
    assert (response.media_type, response.charset) == ("text/html", "utf-8")


def test_a_host_name_is_judged_by_the_address_it_resolves_to(server: LocalServer) -> None:
    server.page("/story", PAGE)
    names = resolver_for({"news.example": ["127.0.0.1"]})
    url = f"http://news.example:{server.port}/story"

    with pytest.raises(AddressRefused, match=r"news\.example resolves to 127\.0\.0\.1, which is"):
        Fetcher(policy(allow=""), resolver=names).fetch(url)
    response = Fetcher(policy(allow="news.example"), resolver=names).fetch(url)

    assert response.body == PAGE.encode()
    assert server.hits("/story")[0].headers["host"] == f"news.example:{server.port}"


def test_every_address_a_name_resolves_to_must_be_allowed(server: LocalServer) -> None:
    names = resolver_for({"news.example": ["93.184.216.34", "10.0.0.7"]})

    with pytest.raises(AddressRefused, match=r"10\.0\.0\.7, which is a private address"):
        Fetcher(policy(allow="127.0.0.1"), resolver=names).fetch("http://news.example/")


def test_the_connection_goes_to_the_address_checked_without_a_second_lookup(
    server: LocalServer, other_server: LocalServer
) -> None:
    # DNS rebinding: the first answer passes the check; every later answer points at
    # another host (127.0.0.2, not allow-listed), which must never be reached.
    server.page("/story", PAGE)
    other_server.page("/story", "the wrong host")
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"] if len(calls) == 1 else ["127.0.0.2"]

    client = Fetcher(policy(allow="127.0.0.1"), resolver=rebinding)
    response = client.fetch(f"http://news.example:{server.port}/story")

    assert (response.address, response.body) == ("127.0.0.1", PAGE.encode())
    assert calls == ["news.example"]  # robots.txt and the page: one checked connection
    assert other_server.requests == []


def test_every_new_connection_checks_its_own_lookup(
    server: LocalServer, other_server: LocalServer
) -> None:
    server.page("/story", PAGE)
    answers = iter([["127.0.0.1"], ["127.0.0.2"]])
    client = Fetcher(
        policy(allow="127.0.0.1"), resolver=lambda host, port: next(answers, ["127.0.0.2"])
    )
    assert client.fetch(f"http://news.example:{server.port}/story").status == 200
    client.close()  # the next fetch needs a new connection, so a new lookup

    with pytest.raises(AddressRefused, match=r"resolves to 127\.0\.0\.2"):
        client.fetch(f"http://news.example:{server.port}/story")

    assert other_server.requests == []


@pytest.mark.parametrize(
    "location",
    [
        pytest.param("http://127.0.0.1:{port}/secret", id="loopback"),
        pytest.param("http://169.254.169.254/latest/meta-data/", id="cloud-metadata"),
        pytest.param("http://[::ffff:127.0.0.1]:{port}/secret", id="ipv4-mapped-loopback"),
        pytest.param("http://[::1]:{port}/secret", id="ipv6-loopback"),
        pytest.param("http://10.0.0.1/admin", id="private"),
        pytest.param("http://0.0.0.0:{port}/secret", id="unspecified"),
        pytest.param("http://2130706433:{port}/secret", id="decimal-loopback"),
    ],
)
def test_a_redirect_to_a_non_public_address_is_refused(
    server: LocalServer, other_server: LocalServer, location: str
) -> None:
    # The origin (127.0.0.2) is allow-listed; the address it redirects to is not.
    server.page("/secret", "internal data")
    target = location.format(port=server.port)
    url = other_server.redirect("/go", target)

    with pytest.raises(AddressRefused) as caught:
        fetcher(allow="127.0.0.2").fetch(url)

    message = str(caught.value)
    assert message.startswith(f"{url}: redirect to ")
    assert "allow_hosts" in message
    assert server.requests == []


@pytest.mark.parametrize(
    "location",
    [
        pytest.param("http://127.0.0.1:{port}/secret", id="loopback"),
        pytest.param("http://[::ffff:127.0.0.1]:{port}/secret", id="ipv4-mapped-loopback"),
    ],
)
def test_a_redirect_to_an_allow_listed_address_is_followed(
    server: LocalServer, other_server: LocalServer, location: str
) -> None:
    server.page("/secret", "internal data", content_type="text/plain")
    target = location.format(port=server.port)
    url = other_server.redirect("/go", target)

    response = fetcher(allow="127.0.0.2,127.0.0.1").fetch(url)

    assert response.body == b"internal data"
    assert response.redirects == (target,)
    assert response.final_url == target


def test_tls_uses_the_host_name_for_sni_and_the_certificate(tmp_path: Path) -> None:
    made = self_signed_certificate(tmp_path, "news.example")
    if made is None:
        pytest.skip("the openssl command is not installed")
    cert, key = made
    seen_sni: list[str | None] = []
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    server_context.sni_callback = lambda sock, name, ctx: seen_sni.append(name)  # type: ignore[assignment, misc, return-value]
    client_context = ssl.create_default_context(cafile=str(cert))
    with LocalServer("127.0.0.1", tls=server_context) as site:
        site.page("/story", PAGE)
        names = resolver_for({"news.example": ["127.0.0.1"]})
        client = Fetcher(policy(allow="127.0.0.1"), resolver=names, ssl_context=client_context)

        response = client.fetch(f"https://news.example:{site.port}/story")
        with pytest.raises(ConnectionFailed, match="certificate"):
            client.fetch(f"https://127.0.0.1:{site.port}/story")  # the name is not the IP

    assert response.body == PAGE.encode()
    assert seen_sni[0] == "news.example"
    assert site.hits("/story")[0].headers["host"] == f"news.example:{site.port}"
