"""Plain text scraped from a news page, site chrome and all, to article parts.

The page is read as lines. Each line is classified by the chrome patterns
(``data/chrome.v1.json``); the remaining content lines are split into a header
(section, title, standfirst) and a body, at the first dateline or, failing that,
after a publication/byline marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eventwire.extract.chrome import ChromePatterns, classify_line, comment_count_of
from eventwire.extract.dateline import find_dateline
from eventwire.timex import parse_date

_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]?$")
_MAX_TITLE_WORDS = 30
# A header marker (publication date, byline) this far into the content lines still
# separates header from body; further down it is part of the body's chrome.
_MAX_HEADER_LINES = 6


@dataclass(frozen=True, slots=True)
class ScrapedParts:
    paragraphs: tuple[str, ...]
    title: str | None
    summary: str | None
    section: str | None
    author: str | None
    published: str | None
    comment_count: int | None


@dataclass(frozen=True, slots=True)
class _Line:
    kind: str
    text: str
    match: re.Match[str] | None


def _is_heading(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= _MAX_TITLE_WORDS and not _SENTENCE_END.search(line)


def _is_section(line: str, patterns: ChromePatterns) -> bool:
    return line.lower() in patterns.section_names


def _body_start(content: list[_Line]) -> int:
    """Index in ``content`` of the first body line."""
    for index, line in enumerate(content):
        if line.kind == "content" and find_dateline(line.text):
            return index
    last_marker = -1
    for index, line in enumerate(content[:_MAX_HEADER_LINES]):
        if line.kind in {"published", "byline"}:
            last_marker = index
    if last_marker >= 0:
        return last_marker + 1
    # No marker: a heading-like first line (after an optional section) is the title.
    index = 0
    while index < len(content) and index < 2 and _is_heading(content[index].text):
        index += 1
    return index if index < len(content) else 0


def _content_lines(text: str, patterns: ChromePatterns) -> tuple[list[_Line], int | None]:
    """Lines that are not chrome, up to the page trailer; and the comment count."""
    comment_count: int | None = None
    content: list[_Line] = []
    in_trailer = False
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            continue
        count = comment_count_of(stripped, patterns)
        if count is not None:
            comment_count = count
        if in_trailer:
            continue
        kind, match = classify_line(stripped, patterns)
        if kind == "trailer":
            in_trailer = True
        elif kind != "drop":
            content.append(_Line(kind, stripped, match))
    return content, comment_count


def _markers(lines: list[_Line]) -> tuple[str | None, str | None]:
    """Author and publication date from byline and "Published …" lines (first found)."""
    author = published = None
    for line in lines:
        if line.match is None:
            continue
        if line.kind == "byline" and author is None:
            author = line.match.group("author")
        elif line.kind == "published" and published is None and line.match.group("date"):
            day = parse_date(line.match.group("date"))
            published = day.isoformat() if day else None
    return author, published


def split_scraped_page(text: str, patterns: ChromePatterns) -> ScrapedParts:
    """Article parts of one scraped page."""
    content, comment_count = _content_lines(text, patterns)
    start = _body_start(content)
    header, body = content[:start], content[start:]
    section = title = None
    summary_lines: list[str] = []
    for line in header:
        if line.kind != "content":
            continue
        if section is None and title is None and _is_section(line.text, patterns):
            section = line.text
        elif title is None and _is_heading(line.text):
            title = line.text
        elif title is None and section is None and len(line.text.split()) <= 3:
            section = line.text  # a short label above the headline
        else:
            summary_lines.append(line.text)
    # A byline or date may sit above or below the headline block.
    author, published = _markers(header + body)
    return ScrapedParts(
        paragraphs=tuple(line.text for line in body if line.kind == "content"),
        title=title,
        summary=" ".join(summary_lines) or None,
        section=section,
        author=author,
        published=published,
        comment_count=comment_count,
    )
