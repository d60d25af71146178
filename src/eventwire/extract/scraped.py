"""Plain text scraped from a news page, site chrome and all, to article parts.

The page is read as lines, grouped into blocks by blank lines. Each line is
classified by the chrome patterns (``data/chrome.v1.json``); ``layout`` then
splits the lines into a header (section, title, standfirst) and a body.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from eventwire.extract.chrome import ChromePatterns, Line, classify_lines, comment_count_of
from eventwire.extract.layout import markers, split_lines


@dataclass(frozen=True, slots=True)
class ScrapedParts:
    paragraphs: tuple[str, ...]
    title: str | None
    summary: str | None
    section: str | None
    author: str | None
    published: str | None
    comment_count: int | None


def _numbered_lines(text: str) -> Iterator[tuple[str, int]]:
    """Stripped non-empty lines, each with the number of its blank-line-separated block."""
    block = 0
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped:
            yield stripped, block
        else:
            block += 1


def _comment_count(lines: Sequence[Line], patterns: ChromePatterns) -> int | None:
    # The last count on the page: the comment widget sits below the story, while a
    # count near the top may belong to a teaser for another story.
    for line in reversed(lines):
        if line.kind == "trailer":
            count = comment_count_of(line.text, patterns)
            if count is not None:
                return count
    return None


def split_scraped_page(text: str, patterns: ChromePatterns) -> ScrapedParts:
    """Article parts of one scraped page."""
    lines = classify_lines(_numbered_lines(text), patterns)
    layout = split_lines(lines, patterns)
    # A byline or date may sit above or below the headline block, or under the story.
    author, published = markers(lines)
    return ScrapedParts(
        paragraphs=tuple(line.text for line in layout.body),
        title=layout.title,
        summary=layout.summary,
        section=layout.section,
        author=author,
        published=published,
        comment_count=_comment_count(lines, patterns),
    )
