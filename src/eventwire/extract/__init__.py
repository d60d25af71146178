"""extract: ``RawDocument`` → ``Article`` (main text without boilerplate, and metadata).

Entry point: :func:`extract_article`. Steps:

1. split the input into paragraphs and header fields, by kind: HTML through
   trafilatura and the visible page header, scraped text through the chrome
   patterns, both through the same header/body rules (``layout``); records as
   given;
2. find the dateline that opens the first paragraph (kept in the text, but
   outside every sentence);
3. check language and size;
4. assemble the frozen ``Article``.
"""

from __future__ import annotations

from eventwire.errors import InputRejected
from eventwire.extract.chrome import load_chrome_patterns
from eventwire.extract.dateline import find_dateline
from eventwire.extract.html import split_html_page
from eventwire.extract.language import detect_language
from eventwire.extract.scraped import split_scraped_page
from eventwire.model import Article, RawDocument
from eventwire.timex import parse_date

__all__ = ["PARAGRAPH_BREAK", "extract_article"]

PARAGRAPH_BREAK = "\n\n"


def _normalise_date(value: str | None) -> str | None:
    if not value:
        return None
    day = parse_date(value)
    return day.isoformat() if day else None


def article_id_for(raw: RawDocument) -> str:
    return raw.doc_id if raw.doc_id is not None else "art_" + raw.content_hash[:16]


def extract_article(raw: RawDocument, *, max_chars: int = 1_000_000) -> Article:
    """The article in ``raw``; raises InputRejected when there is none to process."""
    patterns = load_chrome_patterns()
    title = summary = section = author = published = site_name = None
    categories: tuple[str, ...] = ()
    comment_count: int | None = None
    extractor = "record.v1"
    if raw.kind == "html":
        html = split_html_page(raw.body, raw.source, patterns)
        paragraphs = html.paragraphs
        title, summary, section, author = html.title, html.summary, html.section, html.author
        published, site_name, categories = html.published, html.site_name, html.categories
        comment_count = html.comment_count
        extractor = "trafilatura+" + patterns.version
    elif raw.kind == "text":
        scraped = split_scraped_page(raw.body, patterns)
        paragraphs = scraped.paragraphs
        title, summary, section = scraped.title, scraped.summary, scraped.section
        author, published, comment_count = scraped.author, scraped.published, scraped.comment_count
        extractor = "scraped-text+" + patterns.version
    else:
        paragraphs = tuple(p.strip() for p in raw.body.split(PARAGRAPH_BREAK) if p.strip())

    text = raw.body if raw.kind == "record" else PARAGRAPH_BREAK.join(paragraphs)
    if not text.strip():
        raise InputRejected(raw.source, "empty text: no article found")
    if len(text) > max_chars:
        raise InputRejected(
            raw.source, f"article text of {len(text):,} characters exceeds max_chars={max_chars:,}"
        )
    language = detect_language(text)
    if language != "en":
        raise InputRejected(raw.source, f"language is {language!r}; only English is processed")

    dateline = find_dateline(text)
    return Article(
        id=article_id_for(raw),
        source=raw.source,
        content_hash=raw.content_hash,
        text=text,
        title=raw.title or title,
        summary=summary,
        section=section,
        author=author,
        published=(
            _normalise_date(raw.published)
            or _normalise_date(published)
            or _normalise_date(raw.captured)
        ),
        url=raw.url,
        dateline=dateline.places if dateline else (),
        dateline_end=dateline.end if dateline else 0,
        agency=dateline.agency if dateline else None,
        language=language,
        comment_count=comment_count,
        site_name=site_name,
        categories=categories,
        extractor=extractor,
    )
