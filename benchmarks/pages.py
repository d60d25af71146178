"""Generated articles as the documents ingest reads: JSONL records, scraped text, HTML pages.

Scraped text keeps a news site's chrome (menu, section label, byline, "Published /
on", advertisements, share buttons, comment count, related headlines, footer);
HTML pages come in three layouts (``<article>`` with JSON-LD, a blog theme, a
plain ``<div>`` page), each with navigation, a cookie banner, scripts, an inline
related-links box, a comment widget and a footer, so that extract does real work.
"""

from __future__ import annotations

import json
from datetime import date
from html import escape

from benchmarks.corpus import GeneratedArticle, load_templates


def render(article: GeneratedArticle) -> tuple[str | None, str]:
    """(file name, content); no file name for a record, which is one line of a JSONL file."""
    if article.kind == "record":
        return None, record_line(article)
    if article.kind == "text":
        return f"{article.id}.txt", scraped_page(article)
    return f"{article.id}.html", html_page(article)


def record_line(article: GeneratedArticle) -> str:
    record = {
        "id": article.id,
        "text": article.text,
        "title": article.title,
        "published": article.published,
        "url": article.url,
    }
    return json.dumps(record, ensure_ascii=False)


def _long_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day:%B} {day.day}, {day.year}"


def _variant(article: GeneratedArticle, count: int) -> int:
    """A layout choice that depends only on the article."""
    return int(article.id.rsplit("-", 1)[-1]) % count


def scraped_page(article: GeneratedArticle) -> str:
    """The page as text copied from a browser: blocks separated by blank lines."""
    menu = load_templates()["words"]["menu"]
    variant = _variant(article, 3)
    blocks: list[str] = ["Skip to content\nMenu\n" + "\n".join(menu[: 6 + variant * 3])]
    if variant == 1:
        blocks.append("Subscribe\nSign in")
    blocks += [article.section, article.title, article.summary]
    if variant == 0:
        blocks += ["Published", "on", f"By {article.author}"]
    elif variant == 1:
        blocks += [f"By {article.author}", f"Published {_long_date(article.published)}"]
    else:
        blocks += [f"By {article.author} | {article.site}", "4 min read"]
    blocks.append("Advertisement")
    for number, paragraph in enumerate(article.paragraphs):
        blocks.append(paragraph)
        if number == 3 and variant != 2:
            blocks.append("Advertisement")
        if number == 5 and variant == 2:
            blocks.append(f"Read more: {article.related[0]}")
    blocks += ["Share this article", "Facebook\nX\nWhatsApp\nEmail"]
    blocks.append(f"{article.comments} Comments")
    blocks += ["Related Topics:", "\n".join(article.related)]
    blocks.append(f"© {article.published[:4]} {article.site}. All rights reserved.")
    return "\n\n".join(blocks) + "\n"


def _head(article: GeneratedArticle, extra: str = "") -> str:
    title, summary = escape(article.title), escape(article.summary)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | {escape(article.site)}</title>
<meta name="description" content="{summary}">
<meta name="author" content="{escape(article.author)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{escape(article.site)}">
<meta property="og:title" content="{title}">
<meta property="og:description" content="{summary}">
<meta property="og:url" content="{escape(article.url)}">
<meta property="article:published_time" content="{article.published}T07:30:00+00:00">
<meta property="article:section" content="{escape(article.section)}">
<link rel="canonical" href="{escape(article.url)}">
<link rel="stylesheet" href="/static/css/site.css">
<script async src="/static/js/ads.js"></script>
<script>window.dataLayer = window.dataLayer || [];
dataLayer.push({{"section": "{escape(article.section)}", "wordCount": {article.words}}});</script>
{extra}</head>
"""


def _navigation(article: GeneratedArticle) -> str:
    items = "".join(
        f'<li><a href="/{escape(m.lower().replace(" ", "-"))}">{escape(m)}</a></li>'
        for m in load_templates()["words"]["menu"]
    )
    return f"""<a class="skip-link" href="#main">Skip to main content</a>
<div id="cookie-consent" class="consent-banner" role="dialog">
  <p>We use cookies to personalise content and ads and to analyse our traffic.
  You can change your choices at any time in Privacy settings.</p>
  <button>Accept all cookies</button><button>Manage preferences</button>
</div>
<header class="site-header">
  <a class="logo" href="/"><img src="/static/logo.svg" alt="{escape(article.site)}"></a>
  <nav class="primary-nav"><ul>{items}</ul></nav>
  <a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a>
</header>
"""


def _body(article: GeneratedArticle) -> str:
    parts = []
    for number, paragraph in enumerate(article.paragraphs):
        parts.append(f"<p>{escape(paragraph)}</p>")
        if number == 2:
            links = "".join(
                f'<li><a href="/story/{n}">{escape(r)}</a></li>'
                for n, r in enumerate(article.related)
            )
            parts.append(
                f'<aside class="related-inline"><h3>Read more</h3><ul>{links}</ul></aside>'
            )
    return "\n".join(parts)


def _after_story(article: GeneratedArticle) -> str:
    related = "".join(
        f'<li><a href="/story/r{n}">{escape(r)}</a></li>' for n, r in enumerate(article.related)
    )
    return f"""<div class="share-tools"><span>Share this article</span>
  <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>
<section class="comments" id="comments">
  <h3><span class="count">{article.comments}</span> Comments</h3>
  <p>Log in to comment</p>
</section>
<aside class="most-read"><h2>Most read</h2><ol>{related}</ol></aside>
"""


def _footer(article: GeneratedArticle) -> str:
    return f"""<footer class="site-footer">
  <ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
  <li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul>
  <p>© {article.published[:4]} {escape(article.site)}. All rights reserved.</p>
</footer>
<script src="/static/js/site.js"></script>
<script>(function(){{var s=document.createElement("script");
s.src="/static/js/comments.js";document.body.appendChild(s);}})();</script>
</body>
</html>
"""


def html_page(article: GeneratedArticle) -> str:
    variant = _variant(article, 3)
    title, summary = escape(article.title), escape(article.summary)
    section, author = escape(article.section), escape(article.author)
    section_link = escape(article.section.lower().replace(" ", "-"))
    author_link = escape(article.author.lower().replace(" ", "-"))
    iso, shown = article.published, _long_date(article.published)
    byline = (
        f'<div class="byline">By <a rel="author" href="/authors/{author_link}">{author}</a>\n'
        f'<time datetime="{iso}">{shown}</time></div>'
    )
    if variant == 0:
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "datePublished": f"{iso}T07:30:00Z",
            "author": {"@type": "Person", "name": article.author},
            "publisher": {"@type": "Organization", "name": article.site},
        }
        extra = (
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>\n'
        )
        story = f"""<main id="main"><article class="story">
<div class="kicker"><a href="/{section_link}">{section}</a></div>
<h1>{title}</h1>
<p class="standfirst">{summary}</p>
{byline}
<figure><img src="/img/lead.jpg" alt="">
<figcaption>Photo: file image. {escape(article.site)}</figcaption></figure>
<div class="article-body">
{_body(article)}
</div>
</article>
{_after_story(article)}</main>
"""
    elif variant == 1:
        extra = ""
        story = f"""<div id="main" class="site-content"><div class="post type-post">
<header class="entry-header">
<span class="cat-links"><a href="/category/{section_link}">{section}</a></span>
<h1 class="entry-title">{title}</h1>
<div class="entry-meta">Posted on <time datetime="{iso}">{shown}</time> by {author}</div>
</header>
<div class="entry-content">
<p><strong>{summary}</strong></p>
{_body(article)}
</div>
<footer class="entry-footer">Tags: <a href="/tag/1">{section}</a></footer>
</div>
{_after_story(article)}</div>
"""
    else:
        extra = ""
        story = f"""<div id="main" class="page">
<div class="headline-block"><h1 class="headline">{title}</h1>
<h2 class="dek">{summary}</h2>
{byline}</div>
<div class="story-text">
{_body(article)}
</div>
{_after_story(article)}</div>
"""
    return _head(article, extra) + "<body>\n" + _navigation(article) + story + _footer(article)
