"""extract: ``extract_article`` on the seed page, scraped pages, HTML pages and records."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import InputRejected
from eventwire.extract import extract_article
from eventwire.extract.dateline import find_dateline
from eventwire.ingest import read_sources
from eventwire.model import Article, DocKind, RawDocument

SEED_CHROME = (
    "Connect with us",
    "Share this post via",
    "Continue Reading",
    "Click to comment",
    "Subscribe",
    "Notify of",
    "0 Comments",
    "Inline Feedbacks",
    "View all comments",
    "Trending",
)


def raw(body: str, kind: DocKind = "text", **fields: str) -> RawDocument:
    return RawDocument(source="test-page", body=body, kind=kind, content_hash="0" * 64, **fields)


def extract_file(path: Path) -> Article:
    (document,) = read_sources([str(path)])
    assert isinstance(document, RawDocument), document
    return extract_article(document)


# --- the seed page -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_article(seed_page: Path) -> Article:
    return extract_file(seed_page)


def test_seed_header_fields(seed_article: Article) -> None:
    assert seed_article.title == (
        "Putin’s North Korea visit raises concerns over military cooperation and technology sharing"
    )
    assert seed_article.section == "International"
    assert seed_article.summary is not None
    assert seed_article.summary.startswith(
        "Vladimir Putin’s acceptance of Kim Jong Un’s invitation"
    )
    assert seed_article.published is None  # "Published / on" with no date
    assert seed_article.comment_count == 0
    assert seed_article.language == "en"


def test_seed_text_runs_from_the_dateline_to_the_last_paragraph(seed_article: Article) -> None:
    assert seed_article.text.startswith("SEOUL/MOSCOW: Russian President")
    assert seed_article.text.endswith("other nations’ actions.")


@pytest.mark.parametrize("chrome", SEED_CHROME)
def test_seed_chrome_is_not_in_the_text(seed_article: Article, chrome: str) -> None:
    assert chrome not in seed_article.text


def test_seed_header_is_not_repeated_in_the_text(seed_article: Article) -> None:
    assert "International" not in seed_article.text
    assert seed_article.title is not None
    assert seed_article.title not in seed_article.text
    assert "Published" not in seed_article.text


def test_seed_dateline_is_found_and_blanked_for_parsing_only(seed_article: Article) -> None:
    text = seed_article.text

    assert seed_article.dateline == ("SEOUL", "MOSCOW")
    assert seed_article.agency is None
    assert text[: seed_article.dateline_end].rstrip() == "SEOUL/MOSCOW:"
    assert text[seed_article.dateline_end :].startswith("Russian President")
    parsing = seed_article.text_for_parsing
    assert len(parsing) == len(text)  # offsets stay aligned
    assert parsing[: seed_article.dateline_end] == " " * seed_article.dateline_end
    assert parsing[seed_article.dateline_end :] == text[seed_article.dateline_end :]


def test_seed_article_id_comes_from_the_content_hash(seed_article: Article) -> None:
    assert seed_article.id == "art_" + seed_article.content_hash[:16]


# --- scraped pages -----------------------------------------------------------------------

BODY = (
    "WARSAW: Ukraine and Poland agreed on Thursday to open a new transit corridor for "
    "Ukrainian grain, the two governments said in a joint statement.\n\n"
    "The corridor will run through the port of Gdansk and is expected to handle two "
    "million tonnes a year, officials said.\n"
)


@pytest.mark.parametrize(
    ("marker", "published"),
    [
        pytest.param("Published 14 September 2023", "2023-09-14", id="published-day-month-year"),
        pytest.param("Published: September 14, 2023", "2023-09-14", id="published-colon"),
        pytest.param("Posted on Sept. 14, 2023", "2023-09-14", id="posted-on"),
        pytest.param("Published on 2023-09-14", "2023-09-14", id="published-iso"),
        pytest.param("Published", None, id="published-without-date"),
    ],
)
def test_a_published_line_gives_the_publication_date(marker: str, published: str | None) -> None:
    page = f"World\n\nGrain corridor agreed\n\n{marker}\n\n{BODY}"

    article = extract_article(raw(page))

    assert article.published == published
    assert article.title == "Grain corridor agreed"
    assert marker not in article.text
    assert article.text.startswith("WARSAW: Ukraine and Poland")


@pytest.mark.parametrize(
    ("line", "author"),
    [
        pytest.param("By Anna Kowalska", "Anna Kowalska", id="by-name"),
        pytest.param("By Anna Kowalska | Staff Reporter", "Anna Kowalska", id="by-name-role"),
        pytest.param(
            "By John Smith and Mary Jones, Reuters", "John Smith and Mary Jones", id="two"
        ),
    ],
)
def test_a_byline_gives_the_author(line: str, author: str) -> None:
    page = f"Grain corridor agreed\n\n{line}\n\n{BODY}"

    article = extract_article(raw(page))

    assert article.author == author
    assert line not in article.text


@pytest.mark.parametrize(
    "paragraph",
    [
        pytest.param(
            "By contrast, the talks in Vienna made progress, officials said.", id="contrast"
        ),
        pytest.param("By Friday, both delegations had left the city.", id="weekday"),
        pytest.param("By then the convoy had left Kherson.", id="then"),
        pytest.param("By May, Russia had moved troops to the border.", id="month"),
    ],
)
def test_a_body_paragraph_starting_with_by_is_kept(paragraph: str) -> None:
    page = f"Grain corridor agreed\n\n{BODY}\n{paragraph}\n"

    article = extract_article(raw(page))

    assert article.text.endswith(paragraph)
    assert article.author is None


@pytest.mark.parametrize(
    ("trailer", "count"),
    [
        pytest.param("12 Comments", 12, id="n-comments"),
        pytest.param("1 comment", 1, id="one-comment"),
        pytest.param("Comments (3)", 3, id="comments-in-parentheses"),
        pytest.param("No comments yet", 0, id="no-comments"),
    ],
)
def test_a_comment_count_line_ends_the_article_and_gives_the_count(
    trailer: str, count: int
) -> None:
    page = (
        f"Grain corridor agreed\n\n{BODY}\n{trailer}\nLeave a comment\n"
        "Trending now\nCelebrity chef opens a restaurant in the old town of Lisbon\n"
    )

    article = extract_article(raw(page))

    assert article.comment_count == count
    assert article.text.endswith("officials said.")
    assert "Celebrity chef" not in article.text


def test_a_page_without_a_comment_widget_has_no_comment_count() -> None:
    assert extract_article(raw(f"Grain corridor agreed\n\n{BODY}")).comment_count is None


@pytest.mark.parametrize(
    "chrome",
    [
        pytest.param("We use cookies to improve your experience on our site.", id="cookie-notice"),
        pytest.param("Accept all cookies", id="accept-cookies"),
        pytest.param("Sign up for our daily newsletter", id="newsletter-sign-up"),
        pytest.param("Subscribe to our newsletter for daily updates", id="newsletter-subscribe"),
        pytest.param("Advertisement", id="advertisement"),
        pytest.param("Share", id="share"),
        pytest.param("Read more:", id="read-more"),
        pytest.param("Tags: Ukraine, Poland, grain", id="tags"),
        pytest.param("Updated: 14 Sep 2023 10:00", id="updated"),
        pytest.param("5 min read", id="reading-time"),
    ],
)
def test_a_chrome_line_inside_the_body_is_dropped(chrome: str) -> None:
    first, second = BODY.strip().split("\n\n")
    page = f"Grain corridor agreed\n\nBy Anna Kowalska\n\n{first}\n\n{chrome}\n\n{second}\n"

    article = extract_article(raw(page))

    assert chrome not in article.text
    assert article.text == f"{first}\n\n{second}"


@pytest.mark.parametrize(
    ("page", "title", "section", "text_start"),
    [
        pytest.param(
            "Protesters rally in Tbilisi against foreign agents law\n"
            "Thousands of protesters gathered outside the parliament in Tbilisi on Sunday.\n"
            "The opposition said it would continue the protests until the law is withdrawn.\n",
            "Protesters rally in Tbilisi against foreign agents law",
            None,
            "Thousands of protesters",
            id="headline-then-body",
        ),
        pytest.param(
            "Politics\n"
            "Senate passes defence spending bill after long debate\n"
            "The Senate passed the defence spending bill on Wednesday after two days of debate.\n"
            "Senators said the bill would fund the armed forces for another year.\n",
            "Senate passes defence spending bill after long debate",
            "Politics",
            "The Senate passed",
            id="section-headline-then-body",
        ),
    ],
)
def test_without_a_header_marker_the_first_heading_like_line_is_the_title(
    page: str, title: str, section: str | None, text_start: str
) -> None:
    article = extract_article(raw(page))

    assert (article.title, article.section) == (title, section)
    assert article.text.startswith(text_start)
    assert article.dateline == ()


def test_a_scraped_page_with_every_kind_of_chrome() -> None:
    page = (
        "Menu\nSearch\nWorld\n\n"
        "Ukraine and Poland agree on grain transit corridor\n\n"
        "The deal ends months of protests by Polish farmers.\n\n"
        "By Anna Kowalska | Staff Reporter\n"
        "Published 14 September 2023\n\n"
        "We use cookies to improve your experience. Accept all cookies\n"
        "Sign up for our daily newsletter\n\n"
        f"{BODY}\n"
        "Advertisement\n\n"
        "Polish farmers have protested against imports of cheap grain since the spring.\n\n"
        "12 Comments\nLeave a comment\nTrending now\nSome other headline about football\n"
    )

    article = extract_article(raw(page))

    assert article.title == "Ukraine and Poland agree on grain transit corridor"
    assert article.section == "World"
    assert article.summary == "The deal ends months of protests by Polish farmers."
    assert article.author == "Anna Kowalska"
    assert article.published == "2023-09-14"
    assert article.comment_count == 12
    assert article.dateline == ("WARSAW",)
    assert article.text == BODY.strip() + (
        "\n\nPolish farmers have protested against imports of cheap grain since the spring."
    )
    assert article.extractor.startswith("scraped-text+chrome.")


# --- HTML pages --------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ukraine and Russia swap prisoners of war | Meridian Wire</title>
<meta property="og:title" content="Ukraine and Russia swap prisoners of war">
<meta property="og:site_name" content="Meridian Wire">
<meta property="article:published_time" content="2024-05-31T09:15:00+00:00">
<meta name="description" content="The exchange returned 75 soldiers to each side.">
</head>
<body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
<button>Accept all cookies</button></div>
<header><nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<div class="ad-slot advertisement">Advertisement: cheap flights to Lisbon with SuperFly</div>
<main>
<article>
<h1>Ukraine and Russia swap prisoners of war</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a>
<a href="#">Email</a></div>
<p>KYIV (Reuters) — Ukraine and Russia exchanged 75 prisoners of war each on Friday in a swap
brokered by the United Arab Emirates, the Ukrainian government said.</p>
<p>The released Ukrainian soldiers included defenders of the Azovstal steel works in Mariupol,
who had been held for more than two years.</p>
<p>Russia's defence ministry confirmed the exchange and said its soldiers were being flown to
Moscow for medical treatment and rehabilitation.</p>
<p>It was the latest in a series of exchanges mediated by the Gulf state, which has maintained
ties with both Kyiv and Moscow since the invasion began.</p>
</article>
<section id="comments" class="comments-area"><h3>7 Comments</h3>
<div class="comment">Great news for the families!</div></section>
</main>
<aside class="sidebar"><h3>Trending</h3><ul><li><a href="/x">Celebrity chef opens a new
restaurant in Paris</a></li></ul></aside>
<footer><p>© 2024 Meridian Wire. All rights reserved.</p></footer>
</body>
</html>
"""


@pytest.fixture(scope="module")
def html_article(tmp_path_factory: pytest.TempPathFactory) -> Article:
    path = tmp_path_factory.mktemp("html") / "swap.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    return extract_file(path)


def test_html_metadata(html_article: Article) -> None:
    assert html_article.title == "Ukraine and Russia swap prisoners of war"
    assert html_article.published == "2024-05-31"
    assert html_article.comment_count == 7
    assert html_article.site_name == "Meridian Wire"
    assert html_article.extractor.startswith("trafilatura+chrome.")


def test_html_dateline_with_agency(html_article: Article) -> None:
    assert html_article.dateline == ("KYIV",)
    assert html_article.agency == "Reuters"
    assert html_article.text[: html_article.dateline_end].rstrip() == "KYIV (Reuters) —"


def test_html_text_is_the_article_paragraphs_only(html_article: Article) -> None:
    paragraphs = html_article.text.split("\n\n")

    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("KYIV (Reuters) — Ukraine and Russia exchanged 75 prisoners")
    assert paragraphs[-1].endswith("since the invasion began.")


@pytest.mark.parametrize(
    "chrome",
    [
        "cookies",
        "Accept all",
        "Home",
        "Sport",
        "Advertisement",
        "SuperFly",
        "Share on Facebook",
        "Tweet",
        "7 Comments",
        "Great news for the families",
        "Trending",
        "Celebrity chef",
        "All rights reserved",
        "Meridian Wire",
    ],
)
def test_html_chrome_is_not_in_the_text(html_article: Article, chrome: str) -> None:
    assert chrome not in html_article.text


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("<html><head><title>Empty</title></head><body></body></html>", id="no-body"),
        pytest.param(
            "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav></body></html>",
            id="navigation-only",
        ),
    ],
)
def test_an_html_page_without_article_text_is_rejected(body: str) -> None:
    with pytest.raises(InputRejected, match=r"^test-page: "):
        extract_article(raw(body, kind="html"))


@pytest.mark.parametrize(
    "entry_body",
    [
        pytest.param("<p>Ukraine said Russian forces shelled Kharkiv on Monday.</p>", id="html-p"),
        pytest.param("Ukraine said Russian forces shelled Kharkiv on Monday.", id="plain-text"),
    ],
)
def test_a_short_feed_entry_becomes_an_article(entry_body: str) -> None:
    document = raw(entry_body, kind="html", title="Kharkiv shelled")

    article = extract_article(document)

    assert article.text == "Ukraine said Russian forces shelled Kharkiv on Monday."


# --- records -----------------------------------------------------------------------------


def test_a_record_keeps_its_text_verbatim_and_its_caller_fields() -> None:
    text = "  WASHINGTON (AP) — The talks ended.\n\nBoth sides said they would meet again.  "
    document = raw(
        text,
        kind="record",
        doc_id="wire-1",
        title="Talks end",
        published="14 September 2023",
        url="https://example.org/1",
    )

    article = extract_article(document)

    assert article.text == text  # offsets given by callers refer to their own text
    assert (article.id, article.title, article.published, article.url) == (
        "wire-1",
        "Talks end",
        "2023-09-14",
        "https://example.org/1",
    )
    assert article.extractor == "record.v1"


# --- datelines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "places", "agency"),
    [
        pytest.param("WASHINGTON (AP) — ", ("WASHINGTON",), "AP", id="agency-em-dash"),
        pytest.param("WASHINGTON (Reuters) - ", ("WASHINGTON",), "Reuters", id="agency-hyphen"),
        pytest.param("NEW YORK: ", ("NEW YORK",), None, id="two-word-colon"),
        pytest.param("SEOUL/MOSCOW: ", ("SEOUL", "MOSCOW"), None, id="two-places"),
        pytest.param("KYIV, Ukraine (AP) — ", ("KYIV",), "AP", id="city-country-agency"),
        pytest.param("NEW DELHI -- ", ("NEW DELHI",), None, id="double-hyphen"),
        pytest.param("MANILA, Sept 16 — ", ("MANILA",), None, id="city-date"),
        pytest.param("BRUSSELS/VILNIUS, March 11 — ", ("BRUSSELS", "VILNIUS"), None, id="date-2"),
        pytest.param("ST. PETERSBURG, Russia — ", ("ST. PETERSBURG",), None, id="abbreviation"),
        pytest.param("PORT-AU-PRINCE, Haiti (AP) — ", ("PORT-AU-PRINCE",), "AP", id="hyphenated"),
        pytest.param("GAZA CITY, Sept. 3 (Reuters) — ", ("GAZA CITY",), "Reuters", id="everything"),
    ],
)
def test_find_dateline_accepts(opening: str, places: tuple[str, ...], agency: str | None) -> None:
    paragraph = opening + "The talks ended on Friday."

    dateline = find_dateline(paragraph)

    assert dateline is not None
    assert (dateline.places, dateline.agency) == (places, agency)
    assert paragraph[dateline.end :] == "The talks ended on Friday."


@pytest.mark.parametrize(
    "paragraph",
    [
        pytest.param("US President Joe Biden said the talks had ended.", id="sentence"),
        pytest.param("A: B said so.", id="single-letter"),
        pytest.param("The UN said: no deal.", id="colon-later"),
        pytest.param("WASHINGTON said the talks had ended.", id="capital-subject"),
        pytest.param("NEW YORK: the talks ended.", id="lower-case-after"),
        pytest.param("", id="empty"),
        pytest.param("BREAKING: Russia and Ukraine exchanged prisoners.", id="breaking-label"),
        pytest.param("UPDATE: The talks ended.", id="update-label"),
        pytest.param("EXCLUSIVE: The talks ended.", id="exclusive-label"),
    ],
)
def test_find_dateline_rejects(paragraph: str) -> None:
    assert find_dateline(paragraph) is None


# --- language and size -------------------------------------------------------------------

GERMAN = (
    "Die Bundesregierung hat am Montag neue Sanktionen gegen Russland beschlossen. Der Kanzler "
    "sagte, die Maßnahmen seien notwendig, um den Druck auf Moskau weiter zu erhöhen."
)
FRENCH = (
    "Le gouvernement français a annoncé lundi de nouvelles sanctions contre la Russie. Le "
    "président a déclaré que ces mesures étaient nécessaires pour accroître la pression."
)
RUSSIAN = (
    "Правительство России в понедельник объявило о новых мерах. Президент заявил, что эти "
    "меры необходимы для защиты экономики страны от внешнего давления."
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        pytest.param(GERMAN, "de", id="german"),
        pytest.param(FRENCH, "fr", id="french"),
        pytest.param(RUSSIAN, "ru", id="russian"),
    ],
)
@pytest.mark.parametrize("kind", ["record", "text"])
def test_non_english_text_is_rejected_naming_the_language(
    text: str, language: str, kind: DocKind
) -> None:
    with pytest.raises(InputRejected, match=f"^test-page: language is '{language}'") as caught:
        extract_article(raw(text, kind=kind))

    assert caught.value.source == "test-page"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        pytest.param("", "record", id="empty-record"),
        pytest.param(" \n\n \t", "record", id="blank-record"),
        pytest.param("Share\nSubscribe\nConnect with us\n", "text", id="chrome-only-page"),
    ],
)
def test_empty_text_is_rejected(body: str, kind: DocKind) -> None:
    with pytest.raises(InputRejected, match="empty text"):
        extract_article(raw(body, kind=kind))


def test_text_over_max_chars_is_rejected_and_at_max_chars_accepted() -> None:
    text = ("The ministers met in Geneva and said that the talks would go on. " * 20).strip()

    assert extract_article(raw(text, kind="record"), max_chars=len(text)).text == text
    with pytest.raises(InputRejected, match=f"exceeds max_chars={len(text) - 1:,}"):
        extract_article(raw(text, kind="record"), max_chars=len(text) - 1)
