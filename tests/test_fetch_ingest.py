"""ingest from the network: URLs, URL lists and feeds, fetched from a local server.

The server is on 127.0.0.1, which eventwire refuses unless allow-listed: every
test allow-lists it explicitly, and the refusal itself is tested on the same URLs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from eventwire.errors import InputRejected
from eventwire.extract import extract_article
from eventwire.ingest import read_sources
from eventwire.ingest.urls import normalize_url
from eventwire.ingest.web import FeedState, MemoryFeedStates, WebReader
from eventwire.model import InputError, RawDocument
from local_server import LocalServer, RequestHandler, fetcher

STORY = "Russia and North Korea held talks in Vladivostok on Wednesday, officials said."
CURLY = "The minister’s “visit” to the café in Besançon was brief, officials said."
RunCli = Callable[..., tuple[int, str, str]]


def article(title: str, text: str = STORY) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{text}</p><p>{text}</p></article></body></html>"
    )


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer("127.0.0.1") as site:
        yield site


def read(
    *sources: str, allow: str = "127.0.0.1", **options: object
) -> list[RawDocument | InputError]:
    with fetcher(allow) as client:
        return list(read_sources(list(sources), fetcher=client, **options))  # type: ignore[arg-type]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- pages -----------------------------------------------------------------------------------


def test_a_page_url_becomes_one_document(server: LocalServer) -> None:
    body = article("Talks")
    url = server.page("/news/talks", body) + "?utm_source=feed"

    assert read(url) == [
        RawDocument(
            source=url,
            body=body,
            kind="html",
            content_hash=sha256(body.encode()),
            url=server.url("/news/talks"),
            encoding="utf_8",
        )
    ]


def test_the_same_url_is_refused_without_the_allow_list(server: LocalServer) -> None:
    url = server.page("/news/talks", article("Talks"))

    refused = [
        InputError(
            url,
            "127.0.0.1 is a loopback address; eventwire only fetches public addresses "
            "(add 127.0.0.1 to allow_hosts to fetch it anyway)",
        )
    ]
    assert read(url, allow="") == refused
    assert list(read_sources([url])) == refused  # the default fetcher refuses it too
    assert server.requests == []


def test_a_plain_text_url_is_a_text_document(server: LocalServer) -> None:
    url = server.page("/story.txt", STORY, content_type="text/plain; charset=utf-8")

    (document,) = read(url)

    assert isinstance(document, RawDocument)
    assert (document.kind, document.body) == ("text", STORY)


@pytest.mark.parametrize(
    ("charset", "data"),
    [
        pytest.param("utf-8", CURLY.encode("cp1252"), id="says-utf8-is-cp1252"),
        pytest.param("iso-8859-1", CURLY.encode("utf-8"), id="says-latin1-is-utf8"),
        pytest.param("iso-8859-1", CURLY.encode("cp1252"), id="latin1-read-as-cp1252"),
        pytest.param("x-no-such-charset", CURLY.encode("utf-8"), id="unknown-charset"),
        pytest.param("windows-1252", CURLY.encode("cp1252"), id="right-charset"),
        pytest.param(None, CURLY.encode("cp1252"), id="no-charset"),
    ],
)  # fmt: skip
def test_wrong_charsets_still_give_the_right_text(
    server: LocalServer, charset: str | None, data: bytes
) -> None:
    content_type = f"text/html; charset={charset}" if charset else "text/html"
    url = server.page("/page", b"<html><body><p>" + data + b"</p></body></html>", content_type)

    (document,) = read(url)

    assert isinstance(document, RawDocument)
    assert CURLY in document.body


def test_a_meta_charset_is_honoured_when_the_server_says_nothing(server: LocalServer) -> None:
    body = f'<html><head><meta charset="windows-1252"></head><body><p>{CURLY}</p></body></html>'
    url = server.page("/page", body.encode("cp1252"), content_type="text/html")

    (document,) = read(url)

    assert isinstance(document, RawDocument)
    assert CURLY in document.body


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(b"\x00\x01\x02\x03" * 100, "binary content, not text or HTML", id="binary"),
        pytest.param(b"   \n ", "the page is empty", id="empty"),
    ],
)
def test_a_page_that_is_no_text_is_one_error(server: LocalServer, body: bytes, reason: str) -> None:
    url = server.page("/page", body)

    assert read(url) == [InputError(url, reason)]


def test_fetch_errors_name_the_url_and_the_run_goes_on(server: LocalServer, tmp_path: Path) -> None:
    good = server.page("/good", article("Good"))
    missing = server.url("/missing")
    local = tmp_path / "local.txt"
    local.write_text(STORY)

    items = read(missing, "ftp://example.com/x", str(local), good)

    assert [(type(i).__name__, i.source) for i in items] == [
        ("InputError", missing), ("InputError", "ftp://example.com/x"),
        ("RawDocument", str(local)), ("RawDocument", good),
    ]  # fmt: skip
    assert isinstance(items[0], InputError)
    assert items[0].reason == "HTTP 404 Not Found"


def test_a_url_given_twice_is_fetched_once(server: LocalServer) -> None:
    url = server.page("/story", article("Once"))

    items = read(url, url + "#comments", server.url("/story?utm_campaign=x"))

    assert len(items) == 1
    assert len(server.hits("/story")) == 1


# --- lists of URLs ---------------------------------------------------------------------------


def test_a_file_of_urls_is_read_line_by_line(server: LocalServer, tmp_path: Path) -> None:
    first = server.page("/a", article("A"))
    second = server.page("/b", article("B"))
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# morning reading\n{first}\n\nnot a url\n   {second}  \n")

    items = read(url_lists=[str(listing)])

    assert [(type(i).__name__, i.source) for i in items] == [
        ("RawDocument", first),
        ("InputError", f"{listing}:4"),
        ("RawDocument", second),
    ]
    assert isinstance(items[1], InputError)
    assert items[1].reason == "not a URL: 'not a url'"


def test_a_missing_url_list_is_one_error(tmp_path: Path) -> None:
    (error,) = read(url_lists=[str(tmp_path / "nowhere.txt")])

    assert isinstance(error, InputError)
    assert error.reason.startswith("cannot read the URL list")


# --- feeds -----------------------------------------------------------------------------------


def rss(*items: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        + "".join(items)
        + "</channel></rss>"
    )


def item(title: str, link: str | None, guid: str | None = None, summary: str = "") -> str:
    parts = [f"<title>{title}</title>", "<pubDate>Wed, 13 Sep 2023 08:00:00 GMT</pubDate>"]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if summary:
        parts.append(f"<description>{summary}</description>")
    return "<item>" + "".join(parts) + "</item>"


def test_a_feed_url_gives_its_entries_pages_deduplicated(server: LocalServer) -> None:
    server.page("/a", article("Page A"))
    server.page("/b", article("Page B"))
    feed = server.page(
        "/feed.xml",
        rss(
            item("A", server.url("/a"), guid="a-1", summary="Summary A"),
            item("A again", server.url("/a-copy"), guid="a-1", summary="same guid"),
            item("A tracked", server.url("/a?utm_source=rss#top"), summary="same page"),
            item("Missing", "/missing", summary=f"<p>{STORY}</p>"),
            item("No link", None, summary=f"<p>{STORY}</p>"),
            item("B", server.url("/b"), guid="b-1"),
        ),
        content_type="application/rss+xml",
    )
    states = MemoryFeedStates()

    with fetcher() as client:
        items = list(WebReader(client, states).read([feed]))

    assert [(type(i).__name__, i.source, i.url) for i in items if isinstance(i, RawDocument)] == [
        ("RawDocument", server.url("/a"), server.url("/a")),
        ("RawDocument", server.url("/missing"), server.url("/missing")),  # its summary
        ("RawDocument", f"{feed}#5", None),
        ("RawDocument", server.url("/b"), server.url("/b")),
    ]
    page_a, summary, _, _ = items
    assert isinstance(page_a, RawDocument)
    assert isinstance(summary, RawDocument)
    assert (page_a.title, page_a.published) == ("A", "2023-09-13")
    assert "Page A" in page_a.body
    assert summary.body == f"<p>{STORY}</p>"
    assert server.hits("/a-copy") == []
    assert len(server.hits("/a")) == 1
    (state,) = states.all()
    assert (state.url, state.polls, state.consecutive_failures, state.page_failures) == (
        feed, 1, 0, 1
    )  # fmt: skip
    assert "guid:a-1" in state.seen


def test_an_atom_feed_url_is_read(server: LocalServer) -> None:
    server.page("/story", article("Atom story"))
    feed = server.page(
        "/atom",
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        f'<entry><id>tag:x,2023:1</id><title>Story</title><link href="{server.url("/story")}"/>'
        "<updated>2023-09-13T08:00:00Z</updated><summary>S</summary></entry></feed>",
        content_type="application/atom+xml",
    )

    (document,) = read(feed)

    assert isinstance(document, RawDocument)
    assert "Atom story" in document.body


def test_an_entry_page_in_two_feeds_is_fetched_once(server: LocalServer) -> None:
    server.page("/shared", article("Shared"))
    one = server.page("/one.xml", rss(item("S", server.url("/shared"))), "application/rss+xml")
    two = server.page("/two.xml", rss(item("S", server.url("/shared"))), "application/rss+xml")

    items = read(one, two)

    assert len(items) == 1
    assert len(server.hits("/shared")) == 1


def test_polling_keeps_state_and_reads_only_new_entries(
    server: LocalServer, tmp_path: Path
) -> None:
    server.page("/a", article("A"))
    server.page("/b", article("B"))
    entries = [item("A", server.url("/a"), guid="a")]

    @server.route("/feed")
    def feed(handler: RequestHandler) -> None:
        body = rss(*entries).encode()
        etag = f'"{sha256(body)[:12]}"'
        if handler.headers.get("If-None-Match") == etag:
            handler.send(304, b"", [("ETag", etag)])
        else:
            handler.send(200, body, [("Content-Type", "application/rss+xml"), ("ETag", etag)])

    states = MemoryFeedStates()
    with fetcher(cache_dir=tmp_path / "cache") as client:
        reader = WebReader(client, states)
        first = list(reader.poll_feed(server.url("/feed")))
        unchanged = list(reader.poll_feed(server.url("/feed")))
        entries.append(item("B", server.url("/b"), guid="b"))
        changed = list(reader.poll_feed(server.url("/feed")))

    assert [d.source for d in first] == [server.url("/a")]
    assert unchanged == []
    assert [d.source for d in changed] == [server.url("/b")]
    assert len(server.hits("/a")) == 1
    state = states.get(server.url("/feed"))
    assert (state.polls, state.consecutive_failures) == (3, 0)


def test_a_failing_feed_keeps_its_error_state(server: LocalServer) -> None:
    server.page("/feed", b"", status=500)
    states = MemoryFeedStates()

    with fetcher() as client:
        reader = WebReader(client, states)
        first = list(reader.poll_feed(server.url("/feed")))
        second = list(reader.poll_feed(server.url("/feed")))
        server.page("/feed", rss(item("A", None, summary="<p>x</p>")), "application/rss+xml")
        recovered = list(reader.poll_feed(server.url("/feed")))

    assert first == second == [InputError(server.url("/feed"), "HTTP 500 Internal Server Error")]
    assert len(recovered) == 1
    state = states.get(server.url("/feed"))
    assert state == FeedState(
        url=server.url("/feed"),
        polls=3,
        consecutive_failures=0,
        last_error=None,
        last_polled=state.last_polled,
        last_success=state.last_success,
        page_failures=0,
        seen=state.seen,
    )


def test_a_polled_feed_with_no_entries_yet_is_no_failure(server: LocalServer) -> None:
    url = server.page("/feed", rss(), "application/rss+xml")
    states = MemoryFeedStates()

    with fetcher() as client:
        assert list(WebReader(client, states).poll_feed(url)) == []

    state = states.get(url)
    assert (state.polls, state.consecutive_failures, state.last_error) == (1, 0, None)


def test_a_page_that_is_not_a_feed_is_a_feed_error_when_polled(server: LocalServer) -> None:
    url = server.page("/page", article("Not a feed"))
    states = MemoryFeedStates()

    with fetcher() as client:
        (error,) = WebReader(client, states).poll_feed(url)

    assert error == InputError(url, "not an RSS or Atom feed")
    assert states.get(url).consecutive_failures == 1


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss><channel>'
            "<item><title>&a;</title></item></channel></rss>",
            id="entity-declaration",
        ),
        pytest.param("<rss><channel><item><title>x</title>", id="broken-xml"),
    ],
)
def test_an_unsafe_or_broken_remote_feed_is_one_error(server: LocalServer, body: str) -> None:
    url = server.page("/feed", body, content_type="application/rss+xml")

    (error,) = read(url)

    assert isinstance(error, InputError)
    assert error.source == url


# --- after ingest: language ------------------------------------------------------------------


def test_a_non_english_page_is_refused_by_extraction_with_its_language(
    server: LocalServer,
) -> None:
    french = (
        "Le président russe a accepté l'invitation de Kim Jong Un à se rendre en Corée du "
        "Nord, ont déclaré mercredi les autorités des deux pays, selon les agences de presse."
    )
    (document,) = read(server.page("/fr", article("Visite", french)))
    assert isinstance(document, RawDocument)

    with pytest.raises(InputRejected, match="language is 'fr'; only English is processed"):
        extract_article(document)


def test_normalized_urls_drop_tracking_and_fragments() -> None:
    assert (
        normalize_url("HTTPS://News.Example:443/a/?utm_source=x&b=2&a=1#frag")
        == "https://news.example/a/?a=1&b=2"
    )
    assert normalize_url("http://[::1") == "http://[::1"  # unparsable: unchanged


# --- the command -----------------------------------------------------------------------------


@pytest.mark.slow
def test_extract_reads_an_allow_listed_url(server: LocalServer, run_cli: RunCli) -> None:
    import json

    url = server.page("/talks", article("Talks"))

    code, stdout, stderr = run_cli("extract", url, "--allow-host", "127.0.0.1")

    assert code == 0, stderr
    (record,) = (json.loads(line) for line in stdout.splitlines())
    assert record["article"]["url"] == url
    assert "Vladivostok" in record["article"]["text"]


@pytest.mark.slow
def test_ingest_refuses_a_loopback_url_in_one_line(
    server: LocalServer, run_cli: RunCli, tmp_path: Path
) -> None:
    url = server.page("/talks", article("Talks"))
    listing = tmp_path / "urls.txt"
    listing.write_text(url + "\n")

    code, _, stderr = run_cli("ingest", "--urls", listing, "--db", f"sqlite:///{tmp_path}/e.db")

    assert code == 1
    assert f"eventwire: {url}: 127.0.0.1 is a loopback address" in stderr
    assert "Traceback" not in stderr
    assert server.requests == []


def test_a_bad_allow_host_is_a_usage_error(run_cli: RunCli) -> None:
    code, stdout, stderr = run_cli("extract", "http://example.com/", "--allow-host", "a b:c")

    assert (code, stdout) == (2, "")
    assert "allow_hosts entry 'a b:c'" in stderr
