"""HTML pages to article parts, through trafilatura plus our chrome patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura

from eventwire.errors import InputRejected
from eventwire.extract.chrome import ChromePatterns, classify_line, comment_count_of

_TAG = re.compile(r"<[^>]{0,2000}>")
# Look for a comment count only in text nodes that are short, like widget labels.
_MAX_COUNT_LINE = 40


@dataclass(frozen=True, slots=True)
class HtmlParts:
    paragraphs: tuple[str, ...]
    title: str | None
    summary: str | None
    section: str | None
    author: str | None
    published: str | None
    site_name: str | None
    categories: tuple[str, ...]
    comment_count: int | None


def comment_count_in_html(html: str, patterns: ChromePatterns) -> int | None:
    for piece in _TAG.split(html):
        line = " ".join(piece.split())
        if line and len(line) <= _MAX_COUNT_LINE:
            count = comment_count_of(line, patterns)
            if count is not None:
                return count
    return None


def split_html_page(html: str, source: str, patterns: ChromePatterns) -> HtmlParts:
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or isinstance(document, dict) or not (document.text or "").strip():
        raise InputRejected(source, "no article text found in the HTML page")
    title = (document.title or "").strip() or None
    paragraphs: list[str] = []
    for raw_line in (document.text or "").splitlines():
        line = raw_line.strip()
        if not line or (not paragraphs and title and line == title):
            continue
        kind, _ = classify_line(line, patterns)
        if kind == "trailer":
            break
        if kind == "content":
            paragraphs.append(line)
    if not paragraphs:
        raise InputRejected(source, "the HTML page holds only navigation and widgets")
    categories = tuple(c for c in (document.categories or []) if c)
    return HtmlParts(
        paragraphs=tuple(paragraphs),
        title=title,
        summary=(document.description or "").strip() or None,
        section=categories[0] if categories else None,
        author=(document.author or "").strip() or None,
        published=document.date or None,
        site_name=(document.sitename or "").strip() or None,
        categories=categories,
        comment_count=comment_count_in_html(html, patterns),
    )
