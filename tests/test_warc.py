"""ingest: WARC and ARC archives, written by the tests with warcio.

Every archive is built record by record, so a test can damage one record (its
header, its length, its bytes) and check that exactly that record is reported,
by file and byte offset, and every other record is read.
"""

from __future__ import annotations

import gzip
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.extract import extract_article
from eventwire.ingest import read_sources
from eventwire.ingest.decode import content_hash
from eventwire.model import InputError, RawDocument

STORY = "Russia and North Korea held talks in Vladivostok on Wednesday, officials said."
DATE = "2023-09-14T08:00:00Z"


def page(title: str, text: str = STORY, encoding: str = "utf-8") -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{text}</p><p>{text}</p></article></body></html>"
    ).encode(encoding)


@dataclass(frozen=True)
class Rec:
    """One record to write: a response unless ``kind`` says otherwise."""

    url: str
    body: bytes = b""
    kind: str = "response"
    status: str = "200 OK"
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    date: str = DATE
    warc_headers: dict[str, str] = field(default_factory=dict)


def record_bytes(rec: Rec) -> bytes:
    """The record as warcio writes it, uncompressed."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    http = None
    if rec.kind in ("response", "revisit"):
        http = StatusAndHeaders(rec.status, list(rec.headers), protocol="HTTP/1.1")
    elif rec.kind == "request":
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
    record = writer.create_warc_record(
        rec.url,
        rec.kind,
        payload=io.BytesIO(rec.body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": rec.date, **rec.warc_headers},
    )
    writer.write_record(record)
    return buffer.getvalue()


def typed(content_type: str) -> tuple[tuple[str, str], ...]:
    return (("Content-Type", content_type),)


Damage = Callable[[bytes], bytes]


def write_archive(
    path: Path,
    records: list[Rec],
    *,
    gzipped: bool,
    damage: dict[int, Damage] | None = None,
    damage_compressed: dict[int, Damage] | None = None,
) -> list[int]:
    """Write ``records`` (each its own gzip member when ``gzipped``); their byte offsets.

    ``damage`` changes a record's bytes before compression, ``damage_compressed``
    the gzip member after it.
    """
    offsets = []
    position = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as stream:
        for number, rec in enumerate(records):
            data = record_bytes(rec)
            if damage and number in damage:
                data = damage[number](data)
            if gzipped:
                data = gzip.compress(data)
                if damage_compressed and number in damage_compressed:
                    data = damage_compressed[number](data)
            offsets.append(position)
            stream.write(data)
            position += len(data)
    return offsets


def documents(items: list[RawDocument | InputError]) -> list[RawDocument]:
    return [item for item in items if isinstance(item, RawDocument)]


def errors(items: list[RawDocument | InputError]) -> list[InputError]:
    return [item for item in items if isinstance(item, InputError)]


def stories(count: int) -> list[Rec]:
    return [Rec(f"https://news.example/story/{n}", page(f"Story {n}")) for n in range(count)]


@pytest.fixture(params=[True, False], ids=["warc.gz", "warc"])
def gzipped(request: pytest.FixtureRequest) -> bool:
    flag: bool = request.param
    return flag


def archive_path(tmp_path: Path, gzipped: bool, name: str = "crawl") -> Path:
    return tmp_path / (f"{name}.warc.gz" if gzipped else f"{name}.warc")


# --- what is read ----------------------------------------------------------------------------


def test_html_responses_become_documents_with_url_and_capture_date(
    tmp_path: Path, gzipped: bool
) -> None:
    path = archive_path(tmp_path, gzipped)
    body = page("Talks")
    offsets = write_archive(
        path,
        [
            Rec(
                "https://news.example/talks?utm_source=feed#top", body, date="2023-09-14T08:00:00Z"
            ),
        ],
        gzipped=gzipped,
    )

    assert list(read_sources([str(path)])) == [
        RawDocument(
            source=f"{path}@{offsets[0]}",
            body=body.decode(),
            kind="html",
            content_hash=content_hash(body),
            url="https://news.example/talks",
            encoding="utf_8",
            captured="2023-09-14",
        )
    ]


def test_records_that_are_not_html_pages_are_skipped_silently(
    tmp_path: Path, gzipped: bool
) -> None:
    path = archive_path(tmp_path, gzipped)
    records = [
        Rec("https://news.example/a", kind="request"),
        Rec("https://news.example/a", page("Kept")),
        Rec("https://news.example/a", b'{"crawler": "test"}', kind="metadata"),
        Rec("https://news.example/missing", page("Not found"), status="404 Not Found"),
        Rec("https://news.example/moved", b"", status="301 Moved", headers=(("Location", "/a"),)),
        Rec("https://news.example/logo.png", b"\x89PNG\r\n", headers=typed("image/png")),
        Rec("https://news.example/data.json", b"{}", headers=typed("application/json")),
        Rec("dns:news.example", b"93.184.216.34", kind="resource"),
    ]  # fmt: skip

    write_archive(path, records, gzipped=gzipped)
    items = list(read_sources([str(path)]))

    assert [d.url for d in documents(items)] == ["https://news.example/a"]
    assert errors(items) == []


def test_offsets_are_those_warcio_gives(tmp_path: Path, gzipped: bool) -> None:
    path = archive_path(tmp_path, gzipped)
    write_archive(
        path, [Rec("https://news.example/a", kind="request"), *stories(3)], gzipped=gzipped
    )
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream)
        expected = [
            iterator.get_record_offset() for record in iterator if record.rec_type == "response"
        ]

    sources = [d.source for d in documents(list(read_sources([str(path)])))]

    assert sources == [f"{path}@{offset}" for offset in expected]


@pytest.mark.parametrize(
    ("headers", "payload"),
    [
        pytest.param(
            (("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
            gzip.compress(page("Zipped")),
            id="content-encoding-gzip",
        ),
        pytest.param(
            (("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")),
            b"%x\r\n%s\r\n0\r\n\r\n" % (len(page("Zipped")), page("Zipped")),
            id="chunked",
        ),
        pytest.param(
            (("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
            page("Zipped"),
            id="gzip-header-but-stored-decoded",
        ),
    ],
)
def test_archived_bodies_are_decoded(
    tmp_path: Path, headers: tuple[tuple[str, str], ...], payload: bytes
) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_archive(path, [Rec("https://news.example/z", payload, headers=headers)], gzipped=True)

    (document,) = read_sources([str(path)])

    assert isinstance(document, RawDocument)
    assert document.body == page("Zipped").decode()


def test_the_http_charset_is_used_and_a_wrong_one_overruled(tmp_path: Path) -> None:
    curly = "The minister’s “visit” to the café was brief, officials said."
    path = tmp_path / "crawl.warc"
    write_archive(
        path,
        [
            Rec("https://news.example/cp", page("A", curly, "cp1252"),
                headers=(("Content-Type", "text/html; charset=windows-1252"),)),
            Rec("https://news.example/liar", page("B", curly),
                headers=(("Content-Type", "text/html; charset=iso-8859-1"),)),
        ],
        gzipped=False,
    )  # fmt: skip

    bodies = [d.body for d in documents(list(read_sources([str(path)])))]

    assert len(bodies) == 2
    assert all(curly in body for body in bodies)


def test_the_capture_date_is_a_hint_the_page_date_wins(tmp_path: Path) -> None:
    dated = (
        b'<html><head><meta property="article:published_time" content="2021-03-04">'
        b"<title>Dated</title></head><body><article><h1>Dated</h1><p>" + STORY.encode() + b"</p>"
        b"<p>" + STORY.encode() + b"</p></article></body></html>"
    )
    path = tmp_path / "crawl.warc.gz"
    write_archive(
        path,
        [
            Rec("https://news.example/undated", page("Undated")),
            Rec("https://news.example/d", dated),
        ],
        gzipped=True,
    )

    undated, with_date = documents(list(read_sources([str(path)])))

    assert extract_article(undated).published == "2023-09-14"
    assert extract_article(with_date).published == "2021-03-04"


def test_an_arc_file_is_read(tmp_path: Path) -> None:
    version = b"1 0 eventwire-test\nURL IP-address Archive-date Content-type Archive-length\n"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page("Archived")
    arc = b"filedesc://crawl.arc 0.0.0.0 20230914080000 text/plain %d\n%s\n" % (
        len(version),
        version,
    ) + b"http://news.example/old 93.184.216.34 20230914080000 text/html %d\n%s\n" % (
        len(http),
        http,
    )
    plain, zipped = tmp_path / "crawl.arc", tmp_path / "crawl.arc.gz"
    plain.write_bytes(arc)
    split = arc.index(b"http://news.example/old")
    zipped.write_bytes(gzip.compress(arc[:split]) + gzip.compress(arc[split:]))

    for path in (plain, zipped):
        (document,) = read_sources([str(path)])
        assert isinstance(document, RawDocument), document
        assert (document.url, document.captured) == ("http://news.example/old", "2023-09-14")
        assert "Archived" in document.body


def test_archives_in_a_directory_are_read(tmp_path: Path) -> None:
    write_archive(tmp_path / "corpus" / "a.warc.gz", stories(2), gzipped=True)
    write_archive(tmp_path / "corpus" / "b.warc", stories(1), gzipped=False)
    (tmp_path / "corpus" / "c.cdx").write_text("not an archive")

    items = list(read_sources([str(tmp_path / "corpus")]))

    assert len(documents(items)) == 3
    assert errors(items) == []


# --- damage: one record reported, the rest read ----------------------------------------------


def garble_version(data: bytes) -> bytes:
    return data.replace(b"WARC/1.", b"WARX/1.", 1)


def lengthen(data: bytes) -> bytes:
    return data.replace(b"Content-Length: ", b"Content-Length: 9", 1)


def shorten(data: bytes) -> bytes:
    header, _, rest = data.partition(b"Content-Length: ")
    digits = rest[: rest.index(b"\r\n")]
    return header + b"Content-Length: " + str(int(digits) - 7).encode() + rest[len(digits) :]


def flip_payload(data: bytes) -> bytes:
    middle = len(data) - 60
    return data[:middle] + bytes(b ^ 0x5A for b in data[middle : middle + 8]) + data[middle + 8 :]


def drop_length(data: bytes) -> bytes:
    return data.replace(b"Content-Length:", b"Content-Lenght:", 1)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(garble_version, id="garbled-version-line"),
        pytest.param(lengthen, id="content-length-too-long"),
        pytest.param(shorten, id="content-length-too-short"),
        pytest.param(flip_payload, id="damaged-bytes"),
        pytest.param(drop_length, id="no-content-length"),
    ],
)
def test_one_damaged_record_is_one_error_and_the_others_are_read(
    tmp_path: Path, gzipped: bool, damage: Damage
) -> None:
    path = archive_path(tmp_path, gzipped)
    offsets = write_archive(path, stories(9), gzipped=gzipped, damage={4: damage})

    items = list(read_sources([str(path)]))

    assert [d.url for d in documents(items)] == [
        f"https://news.example/story/{n}" for n in range(9) if n != 4
    ]
    (error,) = errors(items)
    assert error.source == f"{path}@{offsets[4]}"
    assert f"record at byte {offsets[4]}" in error.reason


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: d[:30] + b"\x00" * 20 + d[50:], id="zeroed-deflate-data"),
        pytest.param(lambda d: d[:-8] + b"\x00" * 8, id="bad-crc"),
        pytest.param(lambda d: b"\x1f\x8b\x09" + d[3:], id="bad-gzip-header"),
    ],
)
def test_one_damaged_gzip_member_is_one_error_and_the_others_are_read(
    tmp_path: Path, damage: Damage
) -> None:
    path = tmp_path / "crawl.warc.gz"
    offsets = write_archive(path, stories(9), gzipped=True, damage_compressed={4: damage})

    items = list(read_sources([str(path)]))

    assert len(documents(items)) == 8
    (error,) = errors(items)
    assert error.source == f"{path}@{offsets[4]}"


def test_a_truncated_archive_reports_its_last_record(tmp_path: Path, gzipped: bool) -> None:
    path = archive_path(tmp_path, gzipped)
    offsets = write_archive(path, stories(5), gzipped=gzipped)
    data = path.read_bytes()
    path.write_bytes(data[: offsets[4] + (len(data) - offsets[4]) // 2])

    items = list(read_sources([str(path)]))

    assert len(documents(items)) == 4
    (error,) = errors(items)
    assert error.source == f"{path}@{offsets[4]}"
    assert "truncated" in error.reason


def test_garbage_between_records_is_one_error(tmp_path: Path, gzipped: bool) -> None:
    path = archive_path(tmp_path, gzipped)
    offsets = write_archive(path, stories(4), gzipped=gzipped)
    data = path.read_bytes()
    path.write_bytes(data[: offsets[2]] + b"GARBAGE " * 100 + data[offsets[2] :])

    items = list(read_sources([str(path)]))

    assert len(documents(items)) == 4
    (error,) = errors(items)
    assert error.source == f"{path}@{offsets[2]}"


@pytest.mark.parametrize(
    "content", [b"", b"hello, this is not an archive\n", bytes(range(256)) * 10]
)
def test_a_file_that_is_no_archive_is_at_most_one_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fake.warc"
    path.write_bytes(content)

    items = list(read_sources([str(path)]))

    assert documents(items) == []
    assert len(items) == (1 if content else 0)


# --- size ------------------------------------------------------------------------------------


def test_a_record_larger_than_max_bytes_is_skipped_and_html_ones_reported(
    tmp_path: Path, gzipped: bool
) -> None:
    path = archive_path(tmp_path, gzipped)
    big_page = page("Big", STORY * 2000)
    offsets = write_archive(
        path,
        [
            Rec("https://news.example/video.mp4", b"\0" * 200_000, headers=typed("video/mp4")),
            Rec("https://news.example/big", big_page),
            Rec("https://news.example/small", page("Small")),
        ],
        gzipped=gzipped,
    )  # fmt: skip

    items = list(read_sources([str(path)], max_bytes=100_000))

    assert [d.url for d in documents(items)] == ["https://news.example/small"]
    (error,) = errors(items)
    assert error.source == f"{path}@{offsets[1]}"
    assert "larger than max_bytes" in error.reason


def test_an_archive_gzipped_as_a_whole_is_read_when_small(tmp_path: Path) -> None:
    plain = tmp_path / "plain.warc"
    write_archive(plain, stories(3), gzipped=False)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))

    assert len(documents(list(read_sources([str(whole)])))) == 3


def test_an_archive_gzipped_as_a_whole_and_large_says_how_to_fix_it(tmp_path: Path) -> None:
    plain = tmp_path / "plain.warc"
    write_archive(plain, stories(200), gzipped=False)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))

    items = list(read_sources([str(whole)], max_bytes=20_000))

    assert 0 < len(documents(items)) < 200
    (error,) = errors(items)
    assert "warcio recompress" in error.reason


# --- 10,000 records --------------------------------------------------------------------------


def ingest_large_archive(tmp_path: Path, count: int, gzipped: bool) -> tuple[int, int, float]:
    path = archive_path(tmp_path, gzipped, "large")
    records = stories(count)
    damaged = count // 2
    offsets = write_archive(
        path, records, gzipped=gzipped, damage={damaged: garble_version} if not gzipped else None,
        damage_compressed={damaged: lambda d: d[:30] + b"\x00" * 20 + d[50:]} if gzipped else None,
    )  # fmt: skip
    started = time.process_time()
    items = list(read_sources([str(path)]))
    seconds = time.process_time() - started

    urls = [d.url for d in documents(items)]
    assert urls == [rec.url for n, rec in enumerate(records) if n != damaged]
    (error,) = errors(items)
    assert error.source == f"{path}@{offsets[damaged]}"
    return len(urls), len(items), seconds


def test_a_few_hundred_records_with_one_damaged(tmp_path: Path, gzipped: bool) -> None:
    read, _, _ = ingest_large_archive(tmp_path, 300, gzipped)

    assert read == 299


@pytest.mark.slow
def test_ten_thousand_records_with_one_damaged(
    tmp_path: Path, gzipped: bool, record_property: Callable[[str, object], None]
) -> None:
    read, items, seconds = ingest_large_archive(tmp_path, 10_000, gzipped)

    assert read == 9_999
    rate = items / seconds
    record_property("records_per_cpu_second", round(rate))
    print(f"\n{'gzip' if gzipped else 'plain'} WARC: {rate:,.0f} records/s (CPU time)")
