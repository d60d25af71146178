"""The records that stages hand to each other.

Every stage takes frozen dataclasses and returns new ones (``dataclasses.replace``),
so a value seen by one stage is never changed behind its back by another.
Character offsets always refer to ``Article.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# html: a web page; text: plain text that may carry site chrome; record: clean text from a caller
DocKind = Literal["html", "text", "record"]

Status = Literal[
    "reported", "alleged", "denied", "planned", "conditional", "speculative", "negated"
]
STATUSES: tuple[Status, ...] = (
    "reported",
    "alleged",
    "denied",
    "planned",
    "conditional",
    "speculative",
    "negated",
)

Correction = Literal["confirmed", "edited", "rejected"]  # what an analyst said of an event

Precision = Literal["day", "week", "month", "year", "decade"]
PlacePrecision = Literal["city", "region", "country"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input as read from disk, stdin, a JSONL record or the network, already decoded."""

    source: str  # names the input in messages: a path, "batch.jsonl:3", a URL
    body: str
    kind: DocKind
    content_hash: str  # sha256 of the raw bytes (or record text): the idempotency key
    doc_id: str | None = None  # id given by the caller (JSONL records)
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date given by the caller
    encoding: str | None = None
    # ISO date an archive captured the page (WARC-Date): a hint, used only when
    # neither the caller nor the page gives a publication date.
    captured: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """Main text and metadata of one news article."""

    id: str
    source: str
    content_hash: str
    text: str  # the cleaned text all offsets refer to
    title: str | None = None
    summary: str | None = None
    section: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date (YYYY-MM-DD) or None when unknown
    url: str | None = None
    dateline: tuple[str, ...] = ()
    # The dateline prefix ("SEOUL/MOSCOW:") stays in ``text`` so offsets match what the
    # reader sees, but it belongs to no sentence and never becomes an actor.
    dateline_end: int = 0
    agency: str | None = None  # news agency named in the dateline: "(Reuters)", "(AP)"
    language: str = "en"
    comment_count: int | None = None
    site_name: str | None = None
    categories: tuple[str, ...] = ()
    extractor: str = ""  # which extractor produced this record, e.g. "scraped-text.v1"

    @property
    def text_for_parsing(self) -> str:
        """``text`` with the dateline blanked out, so offsets stay aligned with ``text``."""
        if not self.dateline_end:
            return self.text
        return " " * self.dateline_end + self.text[self.dateline_end :]


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Actor:
    """One participant as written in the text and, when known, resolved to a code."""

    text: str
    start: int
    end: int
    name: str | None = None
    code: str | None = None
    sector: str | None = None
    kb_id: str | None = None
    # How the code was found ("kb.alias.v1", "coref.title.v1" …) and, for coreference,
    # the text of the mention it points back to.
    rule: str | None = None
    antecedent: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    text: str | None = None
    start: int | None = None
    end: int | None = None
    name: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-3
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    precision: PlacePrecision | None = None
    basis: Literal["sentence", "dateline"] | None = None


@dataclass(frozen=True, slots=True)
class EventDate:
    value: str | None = None  # "2023", "2023-10", "2023-10-05"
    precision: Precision | None = None
    text: str | None = None  # the expression in the sentence, if any
    basis: Literal["sentence", "published"] | None = None


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    article_id: str
    type: str
    mode: str | None
    context: tuple[str, ...]
    status: Status
    actor: tuple[Actor, ...]
    recipient: tuple[Actor, ...]
    trigger: Span
    sentence: Sentence
    rule: str
    attributed_to: tuple[Actor, ...] = ()
    denied_by: tuple[Actor, ...] = ()
    about: str | None = None  # for ACCUSE/REJECT/THREATEN…: the id of the event it is about
    date: EventDate = field(default_factory=EventDate)
    location: Place = field(default_factory=Place)
    confidence: float = 0.5
    extractor: str = ""
    cluster_id: str | None = None
    reciprocal: bool = False
    # Set when an analyst corrected the stored event (``eventwire correct``):
    # "confirmed", "edited" or "rejected". Corrections win over re-extraction.
    correction: Correction | None = None


@dataclass(frozen=True, slots=True)
class Cluster:
    """The reports of one real event, gathered across articles."""

    id: str
    type: str
    actor_codes: tuple[str, ...]
    recipient_codes: tuple[str, ...]
    date: str | None  # the earliest report's event date
    country: str | None
    status: Status  # the status most sources give (ties: the more certain one)
    event_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    first_seen: str | None = None  # earliest publication date among its articles
    date_last: str | None = None
    # Articles per status, e.g. (("reported", 3), ("alleged", 1)): how the sources differ.
    status_counts: tuple[tuple[Status, int], ...] = ()
    sources: tuple[str, ...] = ()  # outlets (site name, URL host or article id), sorted
    independent: int = 0  # articles that are not near-duplicates of another one


@dataclass(frozen=True, slots=True)
class Result:
    """Everything eventwire found in one article."""

    article: Article
    sentences: tuple[Sentence, ...]
    events: tuple[Event, ...]
    mentions: tuple[Actor, ...] = ()  # every resolved actor mention, in text order
    places: tuple[Place, ...] = ()  # every resolved place mention, in text order


@dataclass(frozen=True, slots=True)
class InputError:
    """An input that could not be processed: reported on one line, the run goes on."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
