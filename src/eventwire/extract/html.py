"""HTML pages to article parts, through trafilatura plus our chrome patterns.

The page is parsed once; the visible header (headline, standfirst, kicker) and
the comment count are read from that tree, which trafilatura then extracts the
story from. trafilatura's lines go through the same ``layout`` rules as scraped
text, because it often keeps part of the header (kicker, headline, standfirst,
byline) above the story and, at times, a related-links box below it.
"""

from __future__ import annotations

from dataclasses import dataclass

import lxml.etree
import lxml.html

from eventwire.errors import InputRejected
from eventwire.extract.chrome import ChromePatterns, Line, classify_lines
from eventwire.extract.html_header import PageHeader, comment_count_in_tree, find_page_header
from eventwire.extract.layout import markers, split_lines


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


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _without_known_header(lines: list[Line], header: PageHeader) -> list[Line]:
    """``lines`` after the leading run that repeats the visible header or is not content."""
    known = {_fold(t) for t in (header.headline, header.kicker, header.standfirst) if t}
    start = 0
    while start < len(lines) and (
        _fold(lines[start].text) in known or lines[start].kind in {"drop", "byline", "published"}
    ):
        start += 1
    return lines[start:] if start < len(lines) else lines


_BLOCKS = ("p", "li", "blockquote", "h2", "h3", "h4", "pre")


def _is_page(html: str) -> bool:
    head = html[:2000].lower()
    return "<html" in head or "<body" in head or "<head" in head or "<article" in head


def _fragment_paragraphs(html: str) -> list[str]:
    """The paragraphs of a bare fragment, which trafilatura, built for pages, rejects."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return []
    blocks = [" ".join(e.text_content().split()) for e in root.iter(*_BLOCKS)]
    paragraphs = [b for b in blocks if b]
    if not paragraphs:
        text = root.text_content()
        paragraphs = [p for p in (" ".join(t.split()) for t in text.split("\n\n")) if p]
    return paragraphs


def _fragment_parts(paragraphs: list[str]) -> HtmlParts:
    return HtmlParts(
        paragraphs=tuple(paragraphs),
        title=None,
        summary=None,
        section=None,
        author=None,
        published=None,
        site_name=None,
        categories=(),
        comment_count=None,
    )


def split_html_page(html: str, source: str, patterns: ChromePatterns) -> HtmlParts:
    # Imported on the first page: trafilatura (and courlan, htmldate) add a third of a
    # second to every start, and text or records never need it.
    import trafilatura

    tree = trafilatura.load_html(html) if _is_page(html) else None
    if tree is None:
        # A feed entry's bare fragment ("<p>…</p>" or plain text): no page to extract.
        fragment = _fragment_paragraphs(html)
        if fragment:
            return _fragment_parts(fragment)
        raise InputRejected(source, "the HTML page could not be parsed")
    try:
        document = trafilatura.bare_extraction(
            tree,  # trafilatura works on its own copy of the tree
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    # Found by fuzzing: odd trees (a <script> at the root) trip an assertion in lxml's
    # drop_tree, called by htmldate inside trafilatura. One odd page is one bad input.
    except (AssertionError, ValueError, lxml.etree.LxmlError) as exc:
        raise InputRejected(
            source, f"the HTML page could not be parsed ({type(exc).__name__} in trafilatura)"
        ) from None
    if document is None or isinstance(document, dict) or not (document.text or "").strip():
        raise InputRejected(source, "no article text found in the HTML page")
    header = find_page_header(tree, patterns, document.title, document.sitename)
    # Each line of trafilatura's text is one paragraph: a block of its own.
    numbered = ((line.strip(), n) for n, line in enumerate((document.text or "").splitlines()))
    lines = classify_lines(((text, n) for text, n in numbered if text), patterns)
    layout = split_lines(_without_known_header(lines, header), patterns)
    paragraphs = [line.text for line in layout.body]
    if not paragraphs:
        raise InputRejected(source, "the HTML page holds only navigation and widgets")
    categories = tuple(c for c in (document.categories or []) if c)
    author, published = markers(lines)
    return HtmlParts(
        paragraphs=tuple(paragraphs),
        # What the reader sees first; the metadata (often shorter or reworded) after.
        title=header.headline or (document.title or "").strip() or layout.title,
        summary=header.standfirst or layout.summary or (document.description or "").strip() or None,
        section=(categories[0] if categories else None) or header.kicker or layout.section,
        author=(document.author or "").strip() or author,
        published=document.date or published,
        site_name=(document.sitename or "").strip() or None,
        categories=categories,
        comment_count=comment_count_in_tree(tree, patterns),
    )
