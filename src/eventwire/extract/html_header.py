"""What a reader sees above an HTML story: headline, kicker, standfirst; and the comment count.

trafilatura reads the metadata (``og:title``, ``description``), which sites often
write differently from the visible headline and standfirst, and it keeps or drops
the visible header depending on the page. These lookups read the parsed tree
(the same one trafilatura then extracts from, so the page is parsed once):

- the headline is the ``<h1>`` with a few words, one inside ``<article>`` or
  ``<main>`` first; a site's logo is sometimes an ``<h1>`` too, so one elsewhere
  must not be an image or a link home, and must agree with the metadata title;
- the standfirst is the first prose block after it, before the story's first
  paragraph (one that opens with a dateline, or a container of paragraphs);
- the kicker is the short label right before it;
- the comment count is a short text block that states one, preferably inside
  the comments widget.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from eventwire.extract.chrome import ChromePatterns, classify_line, comment_count_of
from eventwire.extract.dateline import find_dateline
from eventwire.extract.layout import is_prose, words

# lxml ships no type information; trees are handled as Any.
Element = Any

_MIN_HEADLINE_WORDS = 3
_MAX_STANDFIRST_WORDS = 90
_MAX_KICKER_WORDS = 4
# How many elements after the headline may hold the standfirst (kicker, byline, date
# and image usually come in between), and how many wrappers to climb out of.
_MAX_SIBLINGS = 6
_MAX_CLIMB = 2
_MAX_COUNT_CHARS = 40
# "omment" finds "Comments" and "comments"; XPath's translate() to fold case would
# cost more than the rest of this module together.
_COMMENT_TEXT = "//text()[contains(., 'omment') or contains(., 'OMMENT')]"
# Blocks that are never the standfirst, however they read.
_SKIP_TAGS = frozenset(
    {
        "figure",
        "figcaption",
        "img",
        "picture",
        "aside",
        "nav",
        "time",
        "script",
        "style",
        "noscript",
        "form",
        "button",
        "iframe",
        "svg",
        "ul",
        "ol",
    }
)
_STORY_CONTAINERS = frozenset({"article", "main", "body"})
_HOME_LINKS = frozenset({"", "/", "./", "#", "index.html"})


@dataclass(frozen=True, slots=True)
class PageHeader:
    headline: str | None = None
    kicker: str | None = None
    standfirst: str | None = None


def text_of(element: Element) -> str:
    return " ".join(str(element.text_content()).split())


def _is_element(node: Element) -> bool:
    return isinstance(node.tag, str)  # comments and processing instructions are not


def _shares_words(text: str, other: str) -> bool:
    mine, theirs = set(text.casefold().split()), set(other.casefold().split())
    return len(mine & theirs) * 2 >= min(len(mine), len(theirs))


def _is_logo(h1: Element, site_name: str | None) -> bool:
    """The site's name set as an ``<h1>``: an image, a link home, or the name itself."""
    if next(h1.iter("img", "svg"), None) is not None:
        return True
    if any(a.get("href", "").strip() in _HOME_LINKS for a in h1.iter("a")):
        return True
    return bool(site_name) and text_of(h1).casefold() == str(site_name).casefold()


def _headline(tree: Element, metadata_title: str | None, site_name: str | None) -> Element | None:
    candidates = [
        h
        for h in tree.iter("h1")
        if words(text_of(h)) >= _MIN_HEADLINE_WORDS and not _is_logo(h, site_name)
    ]
    for h1 in candidates:
        if any(a.tag in {"article", "main"} for a in h1.iterancestors()):
            return h1
    if not metadata_title:
        return candidates[0] if candidates else None
    # Outside <article>, an <h1> may be the site's name: trust one that agrees with
    # the metadata title.
    return next((h for h in candidates if _shares_words(text_of(h), metadata_title)), None)


def _following(h1: Element) -> Iterator[Element]:
    """Elements after the headline at its level, then after each wrapper around it."""
    node = h1
    for _ in range(_MAX_CLIMB + 1):
        yield from (s for s in node.itersiblings() if _is_element(s))
        parent = node.getparent()
        if parent is None or parent.tag in _STORY_CONTAINERS:
            return
        node = parent


def _texts_after(h1: Element) -> Iterator[tuple[Element, str]]:
    """Non-empty blocks after the headline that could be header, up to ``_MAX_SIBLINGS``."""
    seen = 0
    for element in _following(h1):
        if element.tag in _SKIP_TAGS:
            continue
        text = text_of(element)
        if text:
            seen += 1
            if seen > _MAX_SIBLINGS:
                return
            yield element, text


def _is_story(element: Element, text: str) -> bool:
    """The story has begun: a dateline, or a container of paragraphs."""
    second_paragraph = next(islice(element.iter("p"), 1, None), None)
    return bool(find_dateline(text)) or second_paragraph is not None


def _is_story_opening(element: Element, text: str, patterns: ChromePatterns) -> bool:
    """A prose paragraph that is not chrome and not a whole story container."""
    if _is_story(element, text) or not is_prose(text):
        return False
    return classify_line(text, patterns)[0] == "content"


def _standfirst(h1: Element, patterns: ChromePatterns) -> str | None:
    blocks = _texts_after(h1)
    for element, text in blocks:
        if _is_story(element, text):
            return None
        if is_prose(text) and words(text) <= _MAX_STANDFIRST_WORDS:
            if classify_line(text, patterns)[0] != "content":
                continue
            # Prose straight after prose is the story's opening paragraphs, with no
            # standfirst above them.
            following = next(blocks, None)
            if following and _is_story_opening(*following, patterns):
                return None
            return text
    return None


def _kicker(h1: Element, patterns: ChromePatterns) -> str | None:
    for element in h1.itersiblings(preceding=True):
        if not _is_element(element) or element.tag in _SKIP_TAGS:
            continue
        text = text_of(element)
        if text:
            is_label = words(text) <= _MAX_KICKER_WORDS
            return text if is_label and classify_line(text, patterns)[0] == "content" else None
    return None


def find_page_header(
    tree: Element,
    patterns: ChromePatterns,
    metadata_title: str | None = None,
    site_name: str | None = None,
) -> PageHeader:
    """Headline, kicker and standfirst as shown on the page (None where not found)."""
    h1 = _headline(tree, metadata_title, site_name)
    if h1 is None:
        return PageHeader()
    return PageHeader(
        headline=text_of(h1),
        kicker=_kicker(h1, patterns),
        standfirst=_standfirst(h1, patterns),
    )


def _in_comment_widget(element: Element) -> bool:
    for node in (element, *element.iterancestors()):
        marks = f"{node.get('class', '')} {node.get('id', '')}".lower()
        if "comment" in marks:
            return True
    return False


def comment_count_in_tree(tree: Element, patterns: ChromePatterns) -> int | None:
    """The count in a short block that states one: "23 Comments", "Comments (4)".

    A count inside an element whose class or id names comments wins over one found
    earlier elsewhere (a "most commented" list, a teaser). Only text nodes that say
    "comment" are looked at (every count pattern does), each with the element it
    belongs to and that element's parent, so "<h3><span>37</span> Comments</h3>" is
    read as one label.
    """
    first: int | None = None
    for node in tree.xpath(_COMMENT_TEXT):
        element = node.getparent()
        if element is None:
            continue
        if node.is_tail:
            element = element.getparent()
        for block in (element, element.getparent() if element is not None else None):
            if block is None or block.tag in {"script", "style"}:
                continue
            text = text_of(block)
            count = comment_count_of(text, patterns) if len(text) <= _MAX_COUNT_CHARS else None
            if count is None:
                continue
            if _in_comment_widget(block):
                return count
            if first is None:
                first = count
    return first
