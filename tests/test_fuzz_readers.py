"""Property-based fuzzing of every reader: HTML, text, feeds, WARC/ARC, bodies, URLs.

Whatever the bytes, a reader yields documents and clear ``InputError`` values and
returns: no exception escapes, nothing hangs (each example has a deadline), and
extraction either gives an article or refuses the input with ``InputRejected``.

The CI run is short (``EVENTWIRE_FUZZ_EXAMPLES``, default 30 examples per test, a
few seconds in all). Fuzz longer with, for example::

    EVENTWIRE_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz_readers.py
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import random
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.errors import ConfigError, InputRejected, URLRefused
from eventwire.extract import extract_article
from eventwire.ingest import read_sources
from eventwire.ingest.decode import decode_bytes
from eventwire.ingest.feeds import FeedEntry, entry_document, parse_feed
from eventwire.ingest.urls import normalize_url
from eventwire.model import InputError, RawDocument
from eventwire.net import Fetcher, parse_allow_list, refusal_reason
from eventwire.net.body import BodyEncodingError, BodyTooLarge, decode_body

EXAMPLES = int(os.environ.get("EVENTWIRE_FUZZ_EXAMPLES", "30"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=10),  # a hang shows up as a deadline failure
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

STORY = "Russia and North Korea held talks in Vladivostok on Wednesday, officials said."


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def read_file(directory: Path, name: str, data: bytes, **options: object) -> list[object]:
    path = directory / name
    path.write_bytes(data)
    items: list[object] = list(read_sources([str(path)], **options))  # type: ignore[arg-type]
    assert all(isinstance(item, RawDocument | InputError) for item in items)
    for item in items:
        if isinstance(item, InputError):
            assert item.source.startswith(str(path))
            assert item.reason.strip()
            assert "\n" not in item.reason
    return items


def extract_all(items: list[object]) -> None:
    """Extraction gives an article or refuses with InputRejected; nothing else escapes."""
    for item in items:
        if isinstance(item, RawDocument):
            try:
                text = extract_article(item).text
            except InputRejected as exc:
                text = exc.reason  # a reason, given in words
            assert text.strip()


# --- strategies ------------------------------------------------------------------------------

weird_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200
) | st.sampled_from(
    ["&#0;", "&#x110000;", "&nbsp;", "\u202e", "\ufeff", "<![CDATA[", "]]>", "<!--", "\x00", STORY]
)
TAGS = ["html", "head", "body", "title", "meta", "p", "div", "article", "h1", "script", "style",
        "br", "li", "ul", "table", "td", "span", "a", "time", "noscript", "template", "svg",
        "iframe", "form", "textarea", "xmp", "plaintext"]  # fmt: skip
ATTRIBUTES = st.sampled_from(
    ['', ' class="content"', ' charset="utf-16"', ' http-equiv="refresh"', ' id="x" id="y"',
     ' property="article:published_time" content="2023-13-45"', ' content="9999-01-01"',
     ' style="display:none"', " a=b'c", ' data-x="&amp;&amp;"']
)  # fmt: skip


@st.composite
def html_fragment(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            inner = draw(html_fragment(depth + 1))
            closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}", "</>"]))
            parts.append(f"<{tag}{draw(ATTRIBUTES)}>{inner}{closing}")
        else:
            parts.append(draw(weird_text))
    return "".join(parts)


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    codec = draw(st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1", "koi8-r", "utf-8-sig"]))
    data = text.encode(codec, errors="replace")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=20)) + data[cut:]
    return data


@st.composite
def html_page(draw: st.DrawFn) -> bytes:
    body = draw(html_fragment())
    if draw(st.booleans()):
        body = f"<html><head><title>{draw(weird_text)}</title></head><body>{body}</body></html>"
    return draw(encoded(body))


@st.composite
def feed_document(draw: st.DrawFn) -> bytes:
    def field(name: str) -> str:
        return f"<{name}>{draw(weird_text)}</{name}>" if draw(st.booleans()) else ""

    atom = draw(st.booleans())
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        inner = "".join(field(n) for n in ("title", "link", "guid", "id", "description",
                                           "summary", "pubDate", "updated", "content"))  # fmt: skip
        entries.append(f"<entry>{inner}</entry>" if atom else f"<item>{inner}</item>")
    root = (
        f'<feed xmlns="http://www.w3.org/2005/Atom">{"".join(entries)}</feed>'
        if atom
        else f'<rss version="2.0"><channel>{"".join(entries)}</channel></rss>'
    )
    prolog = draw(st.sampled_from(['<?xml version="1.0"?>', "", "<!DOCTYPE rss>", "\ufeff",
                                   '<?xml version="1.0" encoding="utf-16"?>']))  # fmt: skip
    data = (prolog + root).encode("utf-8", errors="replace")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


def archive(records: list[tuple[str, bytes, str]], gzipped: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for url, body, content_type in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
        )
    return buffer.getvalue()


@st.composite
def damaged_archive(draw: st.DrawFn) -> tuple[bytes, bool, int]:
    """A real archive of a few records, then damaged: flips, cuts, insertions, deletions."""
    gzipped = draw(st.booleans())
    count = draw(st.integers(1, 5))
    records = [
        (
            draw(st.sampled_from([f"https://news.example/{n}", "http://x/", "dns:x", "https://"])),
            draw(st.sampled_from([f"<p>{STORY}</p>".encode(), b"", b"\x00\xff" * 30]))
            + draw(st.binary(max_size=60)),
            draw(st.sampled_from(["text/html", "text/html; charset=utf-16", "image/png", ""])),
        )
        for n in range(count)
    ]
    data = bytearray(archive(records, gzipped))
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(0, 6))):
        action = rng.choice(["flip", "insert", "delete", "cut"])
        at = rng.randrange(len(data) + 1)
        if action == "flip" and at < len(data):
            data[at] ^= rng.randrange(1, 256)
        elif action == "insert":
            data[at:at] = rng.choice([b"WARC/1.0\r\n", b"\x1f\x8b\x08", b"\r\n\r\n", b"\x00" * 5,
                                      b"Content-Length: 99999999\r\n"])  # fmt: skip
        elif action == "delete":
            del data[at : at + rng.randrange(1, 50)]
        elif action == "cut":
            del data[at:]
    return bytes(data), gzipped, count


# --- readers ---------------------------------------------------------------------------------


@fuzz
@given(data=html_page())
@example(data=b"&nbsp<html><script></script></html>")  # found: lxml assertion via htmldate
def test_fuzz_html_pages(workdir: Path, data: bytes) -> None:
    extract_all(read_file(workdir, "page.html", data))


@fuzz
@given(data=st.binary(max_size=2000) | st.builds(lambda t: t.encode(), weird_text))
def test_fuzz_text_and_raw_bytes(workdir: Path, data: bytes) -> None:
    extract_all(read_file(workdir, "story.txt", data))
    extract_all(read_file(workdir, "unknown.xhtml", data))


@fuzz
@given(data=feed_document() | st.binary(max_size=500))
def test_fuzz_feeds(workdir: Path, data: bytes) -> None:
    items = read_file(workdir, "feed.rss", data)
    extract_all(items)


@fuzz
@given(
    entry=st.builds(
        FeedEntry,
        number=st.integers(1, 100),
        guid=st.none() | weird_text,
        link=st.none() | weird_text,
        title=st.none() | weird_text,
        published=st.none() | st.sampled_from(["2023-09-13", "0000-00-00"]),
        body=weird_text,
    )
)
def test_fuzz_feed_entries_as_documents(entry: FeedEntry) -> None:
    document = entry_document(entry, "feed#1")
    assert isinstance(document, RawDocument | InputError)
    if isinstance(document, RawDocument):
        extract_all([document])


# warcio's writer leaves its temporary buffers to the garbage collector.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@fuzz
@given(damaged=damaged_archive())
def test_fuzz_damaged_warc_archives(workdir: Path, damaged: tuple[bytes, bool, int]) -> None:
    data, gzipped, count = damaged
    items = read_file(workdir, "crawl.warc.gz" if gzipped else "crawl.warc", data)
    documents = [i for i in items if isinstance(i, RawDocument)]
    assert len(documents) <= count
    assert len(items) <= count + 10  # one error per damaged stretch, not one per byte
    extract_all(documents)


@fuzz
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(["warc", "warc.gz", "arc", "arc.gz"]))
def test_fuzz_random_bytes_as_archives(workdir: Path, data: bytes, suffix: str) -> None:
    if suffix.endswith("gz") and data[:1] == b"\x00":
        data = gzip.compress(data)  # reach the record parser too
    read_file(workdir, f"random.{suffix}", data)


@fuzz
@given(data=st.binary(max_size=2000), declared=st.none() | weird_text)
def test_fuzz_decoding(data: bytes, declared: str | None) -> None:
    with contextlib.suppress(InputRejected):  # the one error bad bytes may give
        text, encoding = decode_bytes(data, "input", declared=declared)
        assert isinstance(text, str)
        assert encoding


@fuzz
@given(
    data=st.binary(max_size=2000) | st.builds(lambda b: gzip.compress(b), st.binary(max_size=2000)),
    encoding=st.sampled_from(["gzip", "deflate", "identity", "br", "gzip, gzip", "", "x-gzip"]),
    lenient=st.booleans(),
)
def test_fuzz_compressed_bodies(data: bytes, encoding: str, lenient: bool) -> None:
    try:
        body = decode_body(data, encoding, 10_000, lenient)
    except (BodyTooLarge, BodyEncodingError):
        return
    assert len(body) <= 10_000


@fuzz
@given(url=weird_text | st.builds(lambda s: "http://" + s, weird_text))
def test_fuzz_urls(url: str) -> None:
    normalize_url(url)
    client = Fetcher()
    with contextlib.suppress(URLRefused):  # the one error a bad URL may give
        client._checked_url(url, url)


@fuzz
@given(entries=weird_text, address=st.ip_addresses())
def test_fuzz_allow_lists_and_addresses(entries: str, address: object) -> None:
    try:
        parse_allow_list(entries)
        problem = "allow_hosts entry"
    except ConfigError as exc:
        problem = str(exc)
    assert "allow_hosts entry" in problem
    reason = refusal_reason(address)  # type: ignore[arg-type]
    assert reason is None or "address" in reason


@fuzz
@given(data=feed_document())
def test_fuzz_parse_feed(data: bytes) -> None:
    try:
        numbers = [entry.number for entry in parse_feed(data, "feed")]
    except InputRejected as exc:
        numbers = [1] if exc.source == "feed" else []
    assert numbers
    assert min(numbers) >= 1
