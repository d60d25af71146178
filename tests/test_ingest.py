"""ingest: ``read_sources`` over files, directories, globs, stdin, JSONL and feeds.

Every input here is written by the test into ``tmp_path``; bad inputs must come back
as one ``InputError`` naming the input while the inputs after them are still read.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from pathlib import Path
from typing import BinaryIO

import pytest

from eventwire.ingest import read_sources
from eventwire.model import InputError, RawDocument

STORY = "Russia and North Korea held talks in Vladivostok on Wednesday, officials said."
CURLY = "The minister’s “visit” to the café in Besançon was brief, officials said."


def read(
    *sources: str | Path,
    max_bytes: int = 20_000_000,
    stdin: BinaryIO | None = None,
    jsonl_stdin: bool = False,
) -> list[RawDocument | InputError]:
    items = read_sources(
        [str(s) for s in sources], max_bytes=max_bytes, stdin=stdin, jsonl_stdin=jsonl_stdin
    )
    return list(items)


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sources_of(items: list[RawDocument | InputError]) -> list[str]:
    return [item.source for item in items]


# --- files, directories, globs, stdin ---------------------------------------------------


def test_a_text_file_is_one_document_with_its_bytes_hashed(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", STORY + "\n")

    assert read(path) == [
        RawDocument(
            source=str(path),
            body=STORY + "\n",
            kind="text",
            content_hash=sha256((STORY + "\n").encode("utf-8")),
            encoding="utf_8",
        )
    ]


@pytest.mark.parametrize(
    ("filename", "body", "kind"),
    [
        pytest.param("page.html", f"<p>{STORY}</p>", "html", id="html-suffix"),
        pytest.param("page.HTM", f"<p>{STORY}</p>", "html", id="upper-case-htm-suffix"),
        pytest.param("story.txt", f"<div>{STORY}</div>", "text", id="txt-suffix-wins-over-tags"),
        pytest.param("story.text", STORY, "text", id="text-suffix"),
    ],
)
def test_kind_follows_the_file_suffix(tmp_path: Path, filename: str, body: str, kind: str) -> None:
    (document,) = read(write(tmp_path / filename, body))

    assert isinstance(document, RawDocument)
    assert document.kind == kind


def test_a_directory_is_read_recursively_in_name_order_with_known_suffixes_only(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    # Written out of order: the result must not depend on creation order.
    write(corpus / "sub" / "deeper" / "d.htm", f"<p>{STORY}</p>")
    write(corpus / "b.txt", STORY)
    write(corpus / "sub" / "c.jsonl", json.dumps({"id": "c1", "text": STORY}) + "\n")
    write(corpus / "a.html", f"<p>{STORY}</p>")
    write(corpus / "notes.md", STORY)
    write(corpus / "photo.png", b"\x89PNG\r\n\x1a\n")
    write(corpus / "sub" / "data.csv", "a,b\n1,2\n")

    items = read(corpus)

    assert sources_of(items) == [
        str(corpus / "a.html"),
        str(corpus / "b.txt"),
        str(corpus / "sub" / "c.jsonl") + ":1",
        str(corpus / "sub" / "deeper" / "d.htm"),
    ]
    assert all(isinstance(item, RawDocument) for item in items)


def test_a_directory_without_readable_files_is_one_error(tmp_path: Path) -> None:
    write(tmp_path / "empty-dir" / "notes.md", STORY)

    assert read(tmp_path / "empty-dir") == [
        InputError(str(tmp_path / "empty-dir"), "directory holds no readable input files")
    ]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param("*.txt", ["a.txt", "c.txt"], id="star"),
        pytest.param("?.html", ["b.html"], id="question-mark"),
        pytest.param("**/*.txt", ["a.txt", "c.txt", "sub/d.txt"], id="recursive"),
    ],
)
def test_a_glob_reads_the_matching_files_in_name_order(
    tmp_path: Path, pattern: str, expected: list[str]
) -> None:
    for name in ("c.txt", "a.txt", "b.html", "sub/d.txt"):
        write(tmp_path / name, STORY)

    assert sources_of(read(f"{tmp_path}/{pattern}")) == [str(tmp_path / n) for n in expected]


def test_a_glob_matching_nothing_is_one_error(tmp_path: Path) -> None:
    pattern = f"{tmp_path}/*.html"

    assert read(pattern) == [InputError(pattern, "pattern matches no file")]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        pytest.param(STORY.encode(), "text", id="plain-text"),
        pytest.param(f"<!DOCTYPE html><html><p>{STORY}</p></html>".encode(), "html", id="html"),
    ],
)
def test_stdin_bytes_are_one_document_named_stdin(data: bytes, kind: str) -> None:
    (document,) = read("-", stdin=io.BytesIO(data))

    assert isinstance(document, RawDocument)
    assert (document.source, document.kind, document.content_hash) == (
        "<stdin>",
        kind,
        sha256(data),
    )


def test_stdin_larger_than_max_bytes_is_refused() -> None:
    assert read("-", stdin=io.BytesIO(b"x" * 101), max_bytes=100) == [
        InputError("<stdin>", "larger than the 100-byte limit (max_bytes)")
    ]


def test_stdin_as_jsonl_names_each_line() -> None:
    data = b'{"id": "a", "text": "First."}\n{"id": "b", "text": "Second."}\n'

    items = read("-", stdin=io.BytesIO(data), jsonl_stdin=True)

    assert [(i.source, i.doc_id, i.body) for i in items if isinstance(i, RawDocument)] == [
        ("<stdin>:1", "a", "First."),
        ("<stdin>:2", "b", "Second."),
    ]


def test_a_bad_source_does_not_stop_the_next_one(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", STORY)

    items = read(tmp_path / "missing.txt", good)

    assert items[0] == InputError(str(tmp_path / "missing.txt"), "no such file or directory")
    assert isinstance(items[1], RawDocument)
    assert items[1].source == str(good)


# --- JSONL records ---------------------------------------------------------------------


def test_jsonl_record_fields_become_document_fields(tmp_path: Path) -> None:
    record = {
        "id": "wire-7",
        "text": STORY,
        "title": "Talks in Vladivostok",
        "published": "2023-09-13",
        "url": "https://example.org/7",
        "extra": "ignored",
    }
    path = write(tmp_path / "batch.jsonl", json.dumps(record) + "\n")

    assert read(path) == [
        RawDocument(
            source=f"{path}:1",
            body=STORY,
            kind="record",
            content_hash=sha256(STORY.encode("utf-8")),
            doc_id="wire-7",
            url="https://example.org/7",
            title="Talks in Vladivostok",
            published="2023-09-13",
            encoding="utf_8",
        )
    ]


@pytest.mark.parametrize(
    ("record", "doc_id"),
    [
        pytest.param({"id": 42, "text": STORY}, "42", id="numeric-id-becomes-string"),
        pytest.param({"text": STORY}, None, id="no-id"),
        pytest.param({"id": None, "text": STORY, "title": None}, None, id="nulls-mean-absent"),
    ],
)
def test_jsonl_optional_fields(tmp_path: Path, record: dict[str, object], doc_id: str) -> None:
    (document,) = read(write(tmp_path / "batch.jsonl", json.dumps(record)))

    assert isinstance(document, RawDocument)
    assert document.doc_id == doc_id


def test_jsonl_blank_lines_are_skipped_but_still_counted(tmp_path: Path) -> None:
    lines = ['{"id": "a", "text": "One."}', "", "   ", '{"id": "b", "text": "Two."}', ""]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")

    assert sources_of(read(path)) == [f"{path}:1", f"{path}:4"]


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        pytest.param('{"id": "x", "text": ', "invalid JSON", id="truncated-json"),
        pytest.param("not json at all", "invalid JSON", id="plain-text"),
        pytest.param('["id", "text"]', "a record must be a JSON object", id="array"),
        pytest.param('"just a string"', "a record must be a JSON object", id="string"),
        pytest.param('{"id": "x"}', 'no "text" string', id="missing-text"),
        pytest.param('{"id": "x", "text": 5}', 'no "text" string', id="text-is-number"),
        pytest.param('{"id": "x", "text": null}', 'no "text" string', id="text-is-null"),
        pytest.param('{"id": ["x"], "text": "t"}', '"id" must be', id="id-is-list"),
        pytest.param('{"id": "x", "text": "t", "title": 3}', '"title" must be', id="title-number"),
        pytest.param(
            '{"id": "x", "text": "t", "published": 20230914}',
            '"published" must be',
            id="published-number",
        ),
        pytest.param('{"id": "x", "text": "t", "url": true}', '"url" must be', id="url-bool"),
    ],
)
def test_a_bad_jsonl_line_is_one_error_naming_the_line(
    tmp_path: Path, bad_line: str, reason: str
) -> None:
    lines = ['{"id": "a", "text": "One."}', bad_line, '{"id": "c", "text": "Three."}']
    path = write(tmp_path / "file.jsonl", "\n".join(lines) + "\n")

    first, error, last = read(path)

    assert isinstance(error, InputError)
    assert error.source == f"{path}:2"
    assert reason in error.reason
    assert isinstance(first, RawDocument)
    assert isinstance(last, RawDocument)
    assert (first.doc_id, last.doc_id, last.source) == ("a", "c", f"{path}:3")


def test_a_jsonl_line_longer_than_max_bytes_is_one_error(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "long", "text": "x" * 500}), json.dumps({"id": "ok", "text": "y"})]
    path = write(tmp_path / "file.jsonl", "\n".join(lines))

    error, document = read(path, max_bytes=200)

    assert isinstance(error, InputError)
    assert error.source == f"{path}:1"
    assert "longer than" in error.reason
    assert isinstance(document, RawDocument)
    assert document.doc_id == "ok"


# --- feeds -------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Test Wire</title><link>https://example.org/</link><description>Tests</description>
  <item>
    <title>Talks in Vladivostok</title>
    <link>https://example.org/1</link>
    <pubDate>Thu, 14 Sep 2023 08:00:00 GMT</pubDate>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>Russia and North Korea met.</p><p>More.</p>]]></content:encoded>
  </item>
  <item>
    <title>Shelling in Kharkiv</title>
    <link>https://example.org/2</link>
    <pubDate>Fri, 15 Sep 2023 21:30:00 GMT</pubDate>
    <description>&lt;p&gt;Ukraine said Russian forces shelled Kharkiv.&lt;/p&gt;</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Test Wire</title><id>urn:test</id><updated>2024-01-02T00:00:00Z</updated>
  <entry>
    <title>Shoal dispute</title>
    <link href="https://example.org/a1"/>
    <id>urn:a1</id>
    <updated>2024-01-02T10:00:00Z</updated>
    <summary>Short.</summary>
    <content type="html">&lt;p&gt;China and the Philippines traded accusations.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_an_rss_feed_gives_one_document_per_item(tmp_path: Path) -> None:
    path = write(tmp_path / "wire.rss", RSS)

    items = read(path)

    assert [
        (d.source, d.kind, d.title, d.url, d.published, d.body)
        for d in items
        if isinstance(d, RawDocument)
    ] == [
        (
            f"{path}#1",
            "html",
            "Talks in Vladivostok",
            "https://example.org/1",
            "2023-09-14",
            "<p>Russia and North Korea met.</p><p>More.</p>",  # content over summary
        ),
        (
            f"{path}#2",
            "html",
            "Shelling in Kharkiv",
            "https://example.org/2",
            "2023-09-15",
            "<p>Ukraine said Russian forces shelled Kharkiv.</p>",
        ),
    ]
    assert len(items) == 2


def test_an_atom_feed_gives_one_document_per_entry(tmp_path: Path) -> None:
    path = write(tmp_path / "wire.atom", ATOM)

    (document,) = read(path)

    assert isinstance(document, RawDocument)
    assert (document.source, document.title, document.url, document.published) == (
        f"{path}#1",
        "Shoal dispute",
        "https://example.org/a1",
        "2024-01-02",
    )
    assert document.body == "<p>China and the Philippines traded accusations.</p>"


def test_a_feed_is_recognised_by_its_root_element_whatever_its_suffix(tmp_path: Path) -> None:
    path = write(tmp_path / "download", RSS)

    assert sources_of(read(path)) == [f"{path}#1", f"{path}#2"]


def test_a_feed_entry_without_content_is_one_error_and_the_others_are_read(
    tmp_path: Path,
) -> None:
    feed = RSS.replace(
        "<description>Short summary.</description>\n"
        "    <content:encoded><![CDATA[<p>Russia and North Korea met.</p><p>More.</p>]]>"
        "</content:encoded>",
        "",
    )
    path = write(tmp_path / "wire.rss", feed)

    error, document = read(path)

    assert error == InputError(f"{path}#1", "feed entry has no content or summary")
    assert isinstance(document, RawDocument)
    assert document.source == f"{path}#2"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol4;</title>
<item><title>x</title><description>&lol4;</description></item></channel></rss>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title>
<item><title>x</title><description>&secret;</description></item></channel></rss>
"""


@pytest.mark.parametrize(
    "xml",
    [pytest.param(BILLION_LAUGHS, id="billion-laughs"), pytest.param(EXTERNAL_ENTITY, id="xxe")],
)
@pytest.mark.parametrize("filename", ["bomb.rss", "bomb.xml"])
def test_a_feed_declaring_entities_is_refused_unexpanded(
    tmp_path: Path, xml: str, filename: str
) -> None:
    path = write(tmp_path / filename, xml)

    (error,) = read(path)

    assert isinstance(error, InputError)
    assert error.source == str(path)
    assert error.reason.startswith("unsafe XML refused")


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        pytest.param("<rss version='2.0'><channel><item>", "malformed feed XML", id="truncated"),
        pytest.param(
            "<rss version='2.0'><channel><title>t</title></channel></rss>",
            "feed has no entries",
            id="no-entries",
        ),
    ],
)
def test_a_broken_feed_is_one_error(tmp_path: Path, xml: str, reason: str) -> None:
    path = write(tmp_path / "wire.rss", xml)

    (error,) = read(path)

    assert isinstance(error, InputError)
    assert error.source == str(path)
    assert error.reason.startswith(reason)


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        pytest.param(
            "page.html",
            "<!DOCTYPE html><html><head><title>Talks</title></head><body>"
            f"<feedback-widget></feedback-widget><article><p>{STORY}</p></article></body></html>",
            id="html-page-with-feedback-element",
        ),
        pytest.param(
            "story.txt",
            f'A feed starts with <rss version="2.0">, the editor explained. {STORY}',
            id="text-quoting-an-rss-tag",
        ),
    ],
)
def test_a_page_that_mentions_a_feed_tag_is_not_read_as_a_feed(
    tmp_path: Path, filename: str, data: str
) -> None:
    (document,) = read(write(tmp_path / filename, data))

    assert isinstance(document, RawDocument)
    assert STORY in document.body


# --- content hashes ----------------------------------------------------------------------


def test_content_hash_is_stable_across_reads_and_file_names(tmp_path: Path) -> None:
    first = write(tmp_path / "one.txt", STORY)
    copy = write(tmp_path / "copy.txt", STORY)

    hashes = [d.content_hash for d in read(first, first, copy) if isinstance(d, RawDocument)]

    assert hashes == [sha256(STORY.encode())] * 3


@pytest.mark.parametrize(
    "changed",
    [
        pytest.param(STORY.replace("Wednesday", "Thursday"), id="one-word"),
        pytest.param(STORY + " ", id="trailing-space"),
        pytest.param(STORY.replace(".", "!"), id="punctuation"),
    ],
)
def test_different_content_has_a_different_hash(tmp_path: Path, changed: str) -> None:
    original, other = read(write(tmp_path / "a.txt", STORY), write(tmp_path / "b.txt", changed))

    assert isinstance(original, RawDocument)
    assert isinstance(other, RawDocument)
    assert original.content_hash != other.content_hash


# --- bad inputs --------------------------------------------------------------------------


def _png_with_noise() -> bytes:
    noise = random.Random(20230914).randbytes(4000)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise


@pytest.mark.parametrize(
    ("data", "max_bytes", "reason"),
    [
        pytest.param(None, 20_000_000, "no such file or directory", id="missing"),
        pytest.param(b"", 20_000_000, "empty input", id="empty"),
        pytest.param(b"  \n\n\t \r\n", 20_000_000, "empty input", id="whitespace-only"),
        pytest.param(_png_with_noise(), 20_000_000, "binary content", id="png-garbage"),
        pytest.param(b"\x00\x01\x02" * 100, 20_000_000, "binary content", id="nul-bytes"),
        pytest.param(STORY.encode() * 3, 100, "larger than the 100-byte limit", id="oversized"),
    ],
)
def test_a_bad_file_is_one_error_naming_it_and_the_next_file_is_read(
    tmp_path: Path, data: bytes | None, max_bytes: int, reason: str
) -> None:
    bad = tmp_path / "bad.txt"
    if data is not None:
        bad.write_bytes(data)
    good = write(tmp_path / "good.txt", "Short story.")

    error, document = read(bad, good, max_bytes=max_bytes)

    assert isinstance(error, InputError)
    assert error.source == str(bad)
    assert error.reason.startswith(reason)
    assert str(error) == f"{bad}: {error.reason}"
    assert isinstance(document, RawDocument)
    assert document.source == str(good)


def test_a_file_of_exactly_max_bytes_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", b"a" * 99 + b".")

    (document,) = read(path, max_bytes=100)

    assert isinstance(document, RawDocument)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(CURLY.encode("cp1252"), None, id="cp1252"),
        pytest.param(CURLY.encode("utf-16"), "utf_16", id="utf-16-with-bom"),
        pytest.param(CURLY.encode("utf-8-sig"), "utf_8", id="utf-8-with-bom"),
        pytest.param(CURLY.encode("utf-8"), "utf_8", id="utf-8"),
    ],
)
def test_text_in_any_common_encoding_is_decoded_exactly(
    tmp_path: Path, data: bytes, encoding: str | None
) -> None:
    (document,) = read(write(tmp_path / "story.txt", data))

    assert isinstance(document, RawDocument)
    assert document.body == CURLY
    if encoding is not None:
        assert document.encoding == encoding
    assert document.content_hash == sha256(data)  # the raw bytes, not the decoded text


def test_a_declared_html_charset_is_honoured(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="windows-1252"></head><body><p>{CURLY}</p></body></html>'

    (document,) = read(write(tmp_path / "page.html", page.encode("cp1252")))

    assert isinstance(document, RawDocument)
    assert CURLY in document.body


@pytest.mark.parametrize(
    ("mojibake", "repaired"),
    [
        pytest.param("KimÃ¢â‚¬â„¢s", "Kim’s", id="double-encoded-apostrophe"),
        pytest.param("Kimâ€™s", "Kim’s", id="single-encoded-apostrophe"),
        pytest.param("cafÃ©", "café", id="e-acute"),
    ],
)
def test_mojibake_is_repaired_and_curly_quotes_stay_curly(
    tmp_path: Path, mojibake: str, repaired: str
) -> None:
    text = f"{mojibake} “visit” was brief, officials said — and ‘short’."

    (document,) = read(write(tmp_path / "story.txt", text))

    assert isinstance(document, RawDocument)
    assert document.body == f"{repaired} “visit” was brief, officials said — and ‘short’."
