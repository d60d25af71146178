"""net: the fetcher's limits and manners against a real HTTP server on 127.0.0.1.

Redirects, timeouts, size caps (a 1 GB gzip bomb), content types, error statuses,
429 and Retry-After, robots.txt, per-host limits, the User-Agent and conditional
GET. The server's loopback address is allow-listed by ``local_server.fetcher``;
the refusals themselves are in ``test_net_addresses.py``.
"""

from __future__ import annotations

import email.utils
import itertools
import socket
import struct
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.errors import (
    AddressRefused,
    ConnectionFailed,
    ContentTypeRefused,
    EventwireError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InputRejected,
    RateLimited,
    ResponseTooLarge,
    RobotsDisallowed,
    TooManyRedirects,
    URLRefused,
)
from eventwire.net import USER_AGENT, Fetcher
from local_server import LocalServer, RequestHandler, fetcher, policy, resolver_for

PAGE = "<html><body><p>Russia and North Korea held talks, officials said.</p></body></html>"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer("127.0.0.1") as site:
        yield site


# --- redirects -------------------------------------------------------------------------------


def test_redirects_are_followed_by_hand_and_listed(server: LocalServer) -> None:
    server.page("/final", PAGE)
    server.redirect("/b", "/final", status=301)
    url = server.redirect("/a", server.url("/b"), status=307)

    response = fetcher().fetch(url)

    assert response.redirects == (server.url("/b"), server.url("/final"))
    assert response.final_url == server.url("/final")
    assert [r.path for r in server.requests] == ["/robots.txt", "/a", "/b", "/final"]


def test_a_redirect_loop_stops_after_max_redirects(server: LocalServer) -> None:
    server.redirect("/loop", "/loop")

    with pytest.raises(TooManyRedirects, match="more than 3 redirects"):
        fetcher(max_redirects=3).fetch(server.url("/loop"))

    assert len(server.hits("/loop")) == 4


@pytest.mark.parametrize(
    ("location", "error"),
    [
        pytest.param("ftp://example.com/x", URLRefused, id="to-ftp"),
        pytest.param("file:///etc/passwd", URLRefused, id="to-file"),
        pytest.param("", HTTPStatusError, id="no-location"),
    ],
)
def test_a_redirect_to_a_refused_scheme_is_an_error(
    server: LocalServer, location: str, error: type[FetchError]
) -> None:
    url = server.redirect("/go", location)

    with pytest.raises(error):
        fetcher().fetch(url)


# --- time ------------------------------------------------------------------------------------


def test_a_server_that_stays_silent_trips_the_read_timeout(server: LocalServer) -> None:
    @server.route("/silent")
    def silent(handler: RequestHandler) -> None:
        time.sleep(3)
        handler.send(200, b"late")

    started = time.monotonic()
    with pytest.raises(FetchTimeout, match=r"sent nothing for 0\.5 s \(read_timeout\)"):
        fetcher(read_timeout=0.5).fetch(server.url("/silent"))

    assert time.monotonic() - started < 2


def test_a_server_that_drips_bytes_trips_the_total_timeout(server: LocalServer) -> None:
    @server.route("/drip")
    def drip(handler: RequestHandler) -> None:
        handler.send_chunked(200, (time.sleep(0.1) or b"x" for _ in range(100)))

    started = time.monotonic()
    with pytest.raises(FetchTimeout, match=r"longer than 1 s \(fetch_timeout\)"):
        fetcher(read_timeout=1.0, fetch_timeout=1.0).fetch(server.url("/drip"))

    assert time.monotonic() - started < 2.5


def test_a_server_that_never_accepts_trips_the_connect_timeout() -> None:
    # A listening socket whose queue is full: the next connection is never accepted.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port))
    try:
        started = time.monotonic()
        with pytest.raises(FetchTimeout, match="connect_timeout"):
            fetcher(connect_timeout=0.5).fetch(f"http://127.0.0.1:{port}/")
        assert time.monotonic() - started < 2
    finally:
        filler.close()
        listener.close()


# --- size ------------------------------------------------------------------------------------


def gzip_bomb(gigabytes: int = 1) -> bytes:
    """A valid gzip body of about 1 MB that decompresses to ``gigabytes`` GB of zeros.

    Made in half a second: deflate output after a full flush does not depend on what
    came before, so one compressed megabyte of zeros is repeated.
    """
    zero = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = compressor.compress(zero) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush(zlib.Z_FINISH)
    count = gigabytes << 10
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zero, crc)
    size = (count << 20) & 0xFFFFFFFF
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + segment * count + end + struct.pack("<II", crc, size)


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def test_a_gzip_bomb_is_refused_after_the_cap_with_bounded_memory(server: LocalServer) -> None:
    bomb = gzip_bomb(1)
    assert len(bomb) < 2_000_000
    server.page("/bomb", bomb, headers=[("Content-Encoding", "gzip")])
    peak = [resident_bytes()]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], resident_bytes())

    baseline = resident_bytes()
    watcher = threading.Thread(target=watch)
    watcher.start()
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ResponseTooLarge) as caught:
            fetcher(max_bytes=20_000_000).fetch(server.url("/bomb"))
        _, traced_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        done.set()
        watcher.join()

    assert "larger than the 20,000,000-byte limit (max_bytes) after decompression" in str(
        caught.value
    )
    assert time.monotonic() - started < 10
    assert traced_peak < 25_000_000  # the 20 MB cap plus small buffers, not 1 GB
    assert peak[0] - baseline < 64_000_000


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_body_larger_than_the_cap_is_refused(
    server: LocalServer, encoding: str
) -> None:
    wbits = 31 if encoding == "gzip" else zlib.MAX_WBITS
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = compressor.compress(b"a" * 3_000_000) + compressor.flush()
    server.page("/big", body, headers=[("Content-Encoding", encoding)])

    with pytest.raises(ResponseTooLarge, match="after decompression"):
        fetcher(max_bytes=1_000_000).fetch(server.url("/big"))


@pytest.mark.parametrize(
    "wbits",
    [
        pytest.param(31, id="gzip"),
        pytest.param(zlib.MAX_WBITS, id="deflate"),
        pytest.param(-zlib.MAX_WBITS, id="raw-deflate"),
    ],
)
def test_a_compressed_body_within_the_cap_is_decoded(server: LocalServer, wbits: int) -> None:
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = compressor.compress(PAGE.encode()) + compressor.flush()
    encoding = "gzip" if wbits == 31 else "deflate"
    server.page("/page", body, headers=[("Content-Encoding", encoding)])

    assert fetcher().fetch(server.url("/page")).body == PAGE.encode()


def test_a_corrupt_compressed_body_is_an_error(server: LocalServer) -> None:
    body = zlib.compress(PAGE.encode() * 50, wbits=31)
    damaged = body[:40] + bytes(b ^ 0xFF for b in body[40:60]) + body[60:]
    server.page("/damaged", damaged, headers=[("Content-Encoding", "gzip")])

    with pytest.raises(FetchError, match="corrupt gzip data"):
        fetcher().fetch(server.url("/damaged"))


def test_a_declared_length_above_the_cap_is_refused_unread(server: LocalServer) -> None:
    @server.route("/huge")
    def huge(handler: RequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(50_000_000))
        handler.end_headers()
        handler.wfile.write(b"x" * 1000)

    with pytest.raises(ResponseTooLarge, match="Content-Length is 50,000,000"):
        fetcher(max_bytes=1_000_000).fetch(server.url("/huge"))


def test_an_endless_body_is_refused_on_the_wire(server: LocalServer) -> None:
    @server.route("/endless")
    def endless(handler: RequestHandler) -> None:
        handler.send_chunked(
            200, (b"x" * 65536 for _ in range(1000)), [("Content-Type", "text/plain")]
        )

    with pytest.raises(ResponseTooLarge, match="on the wire"):
        fetcher(max_bytes=1_000_000).fetch(server.url("/endless"))


# --- content types and statuses --------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["image/png", "application/octet-stream", "application/pdf", "video/mp4"]
)
def test_content_types_eventwire_does_not_read_are_refused(
    server: LocalServer, content_type: str
) -> None:
    url = server.page("/file", b"\x89PNG\r\n", content_type=content_type)

    with pytest.raises(ContentTypeRefused, match=f"Content-Type {content_type} is not"):
        fetcher().fetch(url)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=ISO-8859-1",
        "application/xhtml+xml",
        "text/plain",
        "application/rss+xml",
        "application/atom+xml",
        "text/xml",
        "",
    ],
)
def test_pages_text_and_feeds_are_read(server: LocalServer, content_type: str) -> None:
    url = server.page("/doc", PAGE, content_type=content_type)

    assert fetcher().fetch(url).body == PAGE.encode()


@pytest.mark.parametrize("status", [404, 410, 500, 204])
def test_an_error_status_is_an_error_naming_it(server: LocalServer, status: int) -> None:
    url = server.page("/gone", b"", status=status)

    with pytest.raises(HTTPStatusError, match=f"HTTP {status}") as caught:
        fetcher().fetch(url)

    assert caught.value.status == status


# --- 429 and Retry-After ---------------------------------------------------------------------


def rate_limited_then(server: LocalServer, path: str, retry_after: str, refusals: int = 1) -> None:
    @server.route(path)
    def answer(handler: RequestHandler) -> None:
        if len(server.hits(path)) <= refusals:
            handler.send(429, b"slow down", [("Retry-After", retry_after)])
        else:
            handler.send(200, PAGE.encode(), [("Content-Type", "text/html")])


def test_429_with_retry_after_seconds_is_waited_out(server: LocalServer) -> None:
    rate_limited_then(server, "/story", "1")

    started = time.monotonic()
    response = fetcher().fetch(server.url("/story"))

    assert response.body == PAGE.encode()
    hits = server.hits("/story")
    assert len(hits) == 2
    assert hits[1].at - hits[0].at >= 0.95
    assert time.monotonic() - started < 4


def test_429_with_retry_after_as_a_date_is_waited_out(server: LocalServer) -> None:
    rate_limited_then(server, "/story", email.utils.formatdate(time.time() + 2, usegmt=True))

    response = fetcher().fetch(server.url("/story"))

    assert response.status == 200
    hits = server.hits("/story")
    assert hits[1].at - hits[0].at >= 0.5


def test_a_retry_after_longer_than_eventwire_waits_is_an_error_at_once(
    server: LocalServer,
) -> None:
    rate_limited_then(server, "/story", "3600")

    started = time.monotonic()
    with pytest.raises(RateLimited, match="asks to wait 3,600 s, longer than the 60 s"):
        fetcher().fetch(server.url("/story"))

    assert time.monotonic() - started < 2


def test_429_forever_gives_up_after_the_retries(server: LocalServer) -> None:
    rate_limited_then(server, "/story", "0", refusals=100)

    with pytest.raises(RateLimited, match="again after 2 retries"):
        fetcher(retries=2).fetch(server.url("/story"))

    assert len(server.hits("/story")) == 3


def test_503_with_retry_after_is_retried_and_without_it_is_an_error(server: LocalServer) -> None:
    @server.route("/busy")
    def busy(handler: RequestHandler) -> None:
        if len(server.hits("/busy")) == 1:
            handler.send(503, b"", [("Retry-After", "0")])
        else:
            handler.send(200, PAGE.encode(), [("Content-Type", "text/html")])

    server.page("/down", b"", status=503)

    assert fetcher().fetch(server.url("/busy")).status == 200
    with pytest.raises(HTTPStatusError, match="HTTP 503"):
        fetcher().fetch(server.url("/down"))


# --- robots.txt ------------------------------------------------------------------------------


def test_a_path_robots_txt_disallows_is_not_fetched(server: LocalServer) -> None:
    server.page("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    server.page("/private/story", PAGE)
    server.page("/public/story", PAGE)
    client = fetcher()

    with pytest.raises(RobotsDisallowed, match=r"robots\.txt of .* disallows /private/story"):
        client.fetch(server.url("/private/story"))
    assert client.fetch(server.url("/public/story")).status == 200

    assert server.hits("/private/story") == []
    assert len(server.hits("/robots.txt")) == 1  # read once per site


def test_robots_rules_for_eventwire_by_name_apply(server: LocalServer) -> None:
    server.page(
        "/robots.txt",
        "User-agent: *\nAllow: /\n\nUser-agent: eventwire\nDisallow: /\n",
        content_type="text/plain",
    )
    url = server.page("/story", PAGE)

    with pytest.raises(RobotsDisallowed):
        fetcher().fetch(url)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [pytest.param(404, True, id="missing-allows-all"), pytest.param(500, False, id="error-closes")],
)
def test_robots_txt_errors_follow_rfc_9309(server: LocalServer, status: int, allowed: bool) -> None:
    server.page("/robots.txt", b"", status=status)
    url = server.page("/story", PAGE)

    if allowed:
        assert fetcher().fetch(url).status == 200
    else:
        with pytest.raises(RobotsDisallowed, match=r"robots.txt answered HTTP 500.*RFC 9309"):
            fetcher().fetch(url)


@pytest.mark.parametrize(
    "location",
    [
        pytest.param("http://169.254.169.254/robots.txt", id="to-a-refused-address"),
        pytest.param("/robots.txt", id="endless"),
    ],
)
def test_a_robots_txt_that_redirects_nowhere_counts_as_missing(
    server: LocalServer, location: str
) -> None:
    server.redirect("/robots.txt", location)
    url = server.page("/story", PAGE)

    assert fetcher().fetch(url).status == 200


def test_crawl_delay_spaces_requests_to_the_site(server: LocalServer) -> None:
    server.page("/robots.txt", "User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
    server.page("/a", PAGE)
    server.page("/b", PAGE)
    client = fetcher()

    client.fetch(server.url("/a"))
    client.fetch(server.url("/b"))

    assert server.hits("/b")[0].at - server.hits("/a")[0].at >= 0.95


# --- manners ---------------------------------------------------------------------------------


def test_requests_say_who_is_asking(server: LocalServer) -> None:
    url = server.page("/story", PAGE)

    fetcher().fetch(url)

    headers = server.hits("/story")[0].headers
    assert headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("eventwire/")
    assert "(+https://github.com/eventwire/eventwire)" in USER_AGENT
    assert headers["accept-encoding"] == "gzip, deflate"


def test_requests_to_one_host_are_limited_in_number_and_spaced(server: LocalServer) -> None:
    @server.route("/slow")
    def slow(handler: RequestHandler) -> None:
        time.sleep(0.3)
        handler.send(200, PAGE.encode(), [("Content-Type", "text/html")])

    client = fetcher(host_concurrency=2, host_interval=0.2, workers=6)
    urls = [server.url(f"/slow?n={n}") for n in range(6)]

    results = list(client.fetch_many(urls))

    assert [url for url, _ in results] == urls
    assert all(not isinstance(r, FetchError) for _, r in results)
    assert server.max_in_flight == 2
    starts = sorted(r.at for r in server.hits("/slow"))
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.15, gaps  # 0.2 s apart when sent; arrival times jitter a little


def test_fetch_many_keeps_errors_in_place(server: LocalServer) -> None:
    good = server.page("/good", PAGE)
    missing = server.url("/missing")

    results = list(fetcher().fetch_many([good, missing, "ftp://x/", good]))

    assert [type(r).__name__ for _, r in results] == [
        "FetchedResponse", "HTTPStatusError", "URLRefused", "FetchedResponse",
    ]  # fmt: skip


# --- conditional GET -------------------------------------------------------------------------


def conditional_page(
    server: LocalServer, path: str, etag: str | None, modified: str | None
) -> None:
    @server.route(path)
    def answer(handler: RequestHandler) -> None:
        validators = [("ETag", etag)] if etag else []
        validators += [("Last-Modified", modified)] if modified else []
        if (etag and handler.headers.get("If-None-Match") == etag) or (
            modified and handler.headers.get("If-Modified-Since") == modified
        ):
            handler.send(304, b"", validators)
        else:
            handler.send(200, PAGE.encode(), [("Content-Type", "text/html"), *validators])


@pytest.mark.parametrize(
    ("etag", "modified"),
    [
        pytest.param('"v1"', None, id="etag"),
        pytest.param(None, "Wed, 13 Sep 2023 08:00:00 GMT", id="last-modified"),
    ],
)
def test_an_unchanged_page_costs_a_304_and_comes_from_the_cache(
    server: LocalServer, tmp_path: Path, etag: str | None, modified: str | None
) -> None:
    conditional_page(server, "/feed", etag, modified)
    first = fetcher(cache_dir=tmp_path / "cache").fetch(server.url("/feed"))

    # A new fetcher (a new run) with the same cache directory.
    second = fetcher(cache_dir=tmp_path / "cache").fetch(server.url("/feed"))

    assert (first.from_cache, second.from_cache) == (False, True)
    assert second.body == first.body == PAGE.encode()
    assert second.media_type == "text/html"
    requests = server.hits("/feed")
    assert "if-none-match" not in requests[0].headers
    if etag:
        assert requests[1].headers["if-none-match"] == etag
    else:
        assert requests[1].headers["if-modified-since"] == modified


def test_a_changed_page_replaces_the_cached_copy(server: LocalServer, tmp_path: Path) -> None:
    versions = iter([(b"one", '"1"'), (b"two", '"2"'), (b"two", '"2"')])

    @server.route("/page")
    def answer(handler: RequestHandler) -> None:
        body, etag = next(versions)
        if handler.headers.get("If-None-Match") == etag:
            handler.send(304, b"", [("ETag", etag)])
        else:
            handler.send(200, body, [("Content-Type", "text/plain"), ("ETag", etag)])

    client = fetcher(cache_dir=tmp_path)
    bodies = [client.fetch(server.url("/page")) for _ in range(3)]

    assert [(r.body, r.from_cache) for r in bodies] == [
        (b"one", False), (b"two", False), (b"two", True)
    ]  # fmt: skip


def test_without_a_cache_nothing_is_conditional(server: LocalServer) -> None:
    conditional_page(server, "/feed", '"v1"', None)
    client = fetcher()

    client.fetch(server.url("/feed"))
    client.fetch(server.url("/feed"))

    assert all("if-none-match" not in r.headers for r in server.hits("/feed"))


# --- errors ----------------------------------------------------------------------------------


def test_fetch_errors_are_input_errors_of_the_one_tree() -> None:
    for error in (
        AddressRefused, ConnectionFailed, ContentTypeRefused, FetchTimeout, HTTPStatusError,
        RateLimited, ResponseTooLarge, RobotsDisallowed, TooManyRedirects, URLRefused,
    ):  # fmt: skip
        assert issubclass(error, FetchError)
    assert issubclass(FetchError, InputRejected)
    assert issubclass(InputRejected, EventwireError)


def test_a_refused_connection_is_an_error_naming_the_host() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now

    with pytest.raises(ConnectionFailed, match=r"127\.0\.0\.1"):
        fetcher().fetch(f"http://127.0.0.1:{port}/")


def test_an_unknown_host_is_an_error() -> None:
    client = Fetcher(policy(), resolver=resolver_for({}))

    with pytest.raises(ConnectionFailed, match=r"cannot resolve nowhere\.example"):
        client.fetch("http://nowhere.example/")
