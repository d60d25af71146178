"""Where a page's header ends, its body begins and its body ends: rules over classified lines.

A news page reads, top to bottom: navigation, a section label, the headline, a
standfirst, byline and date, then the story (often opening with a dateline),
then share buttons, tags, related headlines and comments. Scraped text keeps
all of it; trafilatura keeps some of the header. Both are split here by the
same rules, which look at the shape of lines (prose or headline, position,
blank-line blocks) rather than at one site's wording:

1. the body starts at a dateline near the top, else after the last byline or
   publication marker above the story, else after the headline;
2. the headline is the last headline-like line right above prose (the
   standfirst), else the longest headline-like line; the section is the short
   label right above the headline, the standfirst the prose under it;
3. the body ends at the first trailer line (comment count, "Share this post
   via") below story text; a list label ("Read more:", "Related Topics:", "Up
   Next") takes the headline-like lines under it with it; headline-like lines
   left at the end are a related-links block no label announced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from eventwire.extract.chrome import ChromePatterns, Line
from eventwire.extract.dateline import find_dateline
from eventwire.timex import parse_date

_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")
_STATEMENT_END = re.compile(r"[.…][\"”’')\]]*$")  # not "?" or "!": headlines ask and exclaim
_CLAUSE_END = re.compile(r"[.…:;,][\"”’')\]]*$")
_BREADCRUMB = re.compile(r"\s+[›»>/|]\s+")
_NAME_JOINS = re.compile(r",| and | & ", re.I)
_MAX_TITLE_WORDS = 30
_MAX_LABEL_WORDS = 4
# Prose (the standfirst, the story) has this many words and ends like a sentence;
# anything this long is prose however it ends.
_MIN_PROSE_WORDS = 6
_LONG_LINE_WORDS = 30
# The standfirst may take two lines; a dateline under more prose than that is not the
# story's opening but a second dateline inside it.
_MAX_PROSE_ABOVE_DATELINE = 3
# A byline under more than one prose line (the standfirst) is below the story's
# opening: the byline of an author's box or an agency credit, not the header's.
_MAX_PROSE_ABOVE_MARKER = 1
# A date on a line of its own: "Monday, March 25, 2024".
_MAX_DATE_WORDS = 5
# A line ending in "?" or "!" this short, at the end of a page, is a linked headline.
_MIN_LAST_QUESTION_WORDS = 12


@dataclass(frozen=True, slots=True)
class Layout:
    header: tuple[Line, ...]
    body: tuple[Line, ...]  # content lines of the story, chrome removed
    title: str | None
    section: str | None
    summary: str | None


def words(text: str) -> int:
    return len(text.split())


def is_prose(text: str) -> bool:
    """A sentence or paragraph, as opposed to a headline, label or link."""
    count = words(text)
    return count >= _LONG_LINE_WORDS or (
        count >= _MIN_PROSE_WORDS and bool(_SENTENCE_END.search(text))
    )


def is_heading(text: str) -> bool:
    """Shaped like a headline: a few words, not ending as a statement or clause does."""
    return 2 <= words(text) <= _MAX_TITLE_WORDS and not _CLAUSE_END.search(text)


def _is_label(text: str) -> bool:
    return 1 <= words(text) <= _MAX_LABEL_WORDS and not _CLAUSE_END.search(text)


def _is_standfirst(text: str) -> bool:
    return is_prose(text) and not (is_heading(text) and not _STATEMENT_END.search(text))


def breadcrumb_tail(text: str) -> str | None:
    """The last crumb of "Home › World › Europe", if ``text`` is a breadcrumb trail."""
    crumbs = _BREADCRUMB.split(text)
    if len(crumbs) >= 2 and all(_is_label(c) for c in crumbs):
        return crumbs[-1]
    return None


def _body_start(lines: Sequence[Line]) -> int:
    """Index in ``lines`` of the first line of the story."""
    prose_above = 0
    for index, line in enumerate(lines):
        # Only prose opens the story: "HOME — NEWS — SPORT" is a menu, not a dateline.
        if line.kind != "content" or not is_prose(line.text):
            continue
        if find_dateline(line.text):
            return index
        prose_above += 1
        if prose_above > _MAX_PROSE_ABOVE_DATELINE:
            break
    # No dateline: a byline or publication marker with at most the standfirst above it
    # closes the header.
    prose_above = 0
    last_marker = -1
    for index, line in enumerate(lines):
        if line.kind in {"published", "byline"}:
            last_marker = index
        elif line.kind == "content" and is_prose(line.text):
            prose_above += 1
            if prose_above > _MAX_PROSE_ABOVE_MARKER:
                break
    if last_marker >= 0:
        return last_marker + 1
    # Nothing marks the header: it ends with the last headline before the first prose.
    title_at = -1
    for index, line in enumerate(lines):
        if line.kind != "content":
            continue
        if is_prose(line.text):
            break
        if is_heading(line.text):
            title_at = index
    return title_at + 1


def _names(author: str | None) -> frozenset[str]:
    return frozenset(n.strip().casefold() for n in _NAME_JOINS.split(author or "") if n.strip())


def _body_lines(lines: Sequence[Line], authors: frozenset[str]) -> list[Line]:
    """The story's content lines: up to the trailer, list labels and their links removed.

    A line that is only a name from the byline, below story text, opens the
    author's box ("HANNA ARHIROVA / Arhirova covers Ukraine for…"): a trailer too.
    """
    body: list[Line] = []
    in_list = False
    for line in lines:
        if line.kind == "trailer" or (body and line.text.casefold() in authors):
            if body:
                break
            continue  # "12 Comments" beside the byline, above the story
        if line.kind == "label":
            in_list = True
            continue
        if line.kind != "content":
            continue
        if in_list and not is_prose(line.text):
            continue  # a linked headline or tag under "Read more:", "Related Topics:"
        in_list = False
        body.append(line)
    # Short lines that do not end a sentence, left after the last paragraph, are
    # related headlines, tags or buttons that no label announced; a headline-like
    # line before the first paragraph is header chrome no pattern knew.
    while body and not _ends_story(body[-1].text):
        body.pop()
    while len(body) > 1 and is_heading(body[0].text) and not is_prose(body[0].text):
        body.pop(0)
    return body


def _ends_story(text: str) -> bool:
    if _STATEMENT_END.search(text) or words(text) >= _LONG_LINE_WORDS:
        return True
    return bool(_SENTENCE_END.search(text)) and words(text) >= _MIN_LAST_QUESTION_WORDS


def _title_index(content: Sequence[Line], first_marker: int) -> int | None:
    """The headline among the header's content lines.

    The last headline-like line right above a standfirst; else the longest
    headline-like line above the first byline or date line (the headline comes
    before them; a ticker, promo or timestamp line may look like either).
    """
    title_at = None
    for index in range(len(content) - 1):
        if is_heading(content[index].text) and _is_standfirst(content[index + 1].text):
            title_at = index
    if title_at is not None:
        return title_at
    headings = [i for i, line in enumerate(content) if is_heading(line.text)]
    pool = [i for i in headings if i < first_marker] or headings
    return min(pool, key=lambda i: (-words(content[i].text), i)) if pool else None


def _header_fields(
    header: Sequence[Line], patterns: ChromePatterns
) -> tuple[str | None, str | None, str | None]:
    """Title, section and standfirst among the header's content lines."""
    content: list[Line] = []
    first_marker = len(header)
    for line in header:
        if line.kind == "content":
            content.append(line)
        elif line.kind in {"byline", "published"}:
            first_marker = min(first_marker, len(content))
    title_at = _title_index(content, first_marker)
    if title_at is None:
        return None, None, None
    summary_lines: list[str] = []
    for line in content[title_at + 1 :]:
        if not _is_standfirst(line.text):
            break
        summary_lines.append(line.text)
    return (
        content[title_at].text,
        _section_above(content, title_at, patterns),
        " ".join(summary_lines) or None,
    )


def _section_above(content: Sequence[Line], title_at: int, patterns: ChromePatterns) -> str | None:
    """The label right above the headline, when it stands alone.

    On a page laid out in blank-line blocks, the section label is a block of its
    own and the last item of a menu is not; on a page without blank lines only a
    known section name is taken.
    """
    if title_at > 0:
        above = content[title_at - 1]
        if len({line.block for line in content}) > 1:
            alone = all(line.block != above.block for line in content if line is not above)
        else:
            alone = above.text.lower() in patterns.section_names
        if _is_label(above.text) and alone:
            return above.text
    for line in content[:title_at]:
        tail = breadcrumb_tail(line.text)
        if tail:
            return tail
    return None


def _day(text: str | None) -> str | None:
    day = parse_date(text) if text else None
    return day.isoformat() if day else None


def markers(lines: Sequence[Line]) -> tuple[str | None, str | None]:
    """Author and publication date from byline and "Published …" lines (first found).

    A "Published" without a date takes one from a date-only line right under it
    ("Published / on / March 25, 2024", as WordPress themes print it).
    """
    author = published = None
    date_below = False
    for line in lines:
        if line.kind == "byline" and author is None:
            author = line.author
        elif line.kind == "published" and published is None and line.match is not None:
            published = _day(line.match.group("date"))
            date_below = published is None
            continue
        elif date_below and line.text.lower() in {"on", "at"}:
            continue
        elif date_below and published is None and words(line.text) <= _MAX_DATE_WORDS:
            published = _day(line.text)
        date_below = False
    return author, published


def split_lines(lines: Sequence[Line], patterns: ChromePatterns) -> Layout:
    """Header fields and story lines of a classified page."""
    start = _body_start(lines)
    header = tuple(lines[:start])
    title, section, summary = _header_fields(header, patterns)
    author, _ = markers(header)
    return Layout(
        header=header,
        body=tuple(_body_lines(lines[start:], _names(author))),
        title=title,
        section=section,
        summary=summary,
    )
