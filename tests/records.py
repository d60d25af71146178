"""Hand-built results for store, cluster, query and export tests.

They are made without the spaCy model, so tests over many articles stay fast and
say exactly which events exist; every offset points into the article text, as the
real pipeline's do.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from eventwire.model import Actor, Article, Event, EventDate, Place, Result, Sentence, Span


@dataclass(frozen=True)
class Spec:
    """One event: its trigger word must occur in ``sentence``."""

    sentence: str
    trigger: str
    type: str
    actors: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    status: str = "reported"
    date: str | None = "2024-03-04"
    mode: str | None = None
    context: tuple[str, ...] = ()
    country: str | None = None
    place: str | None = None
    city: int | None = None  # geonameid of a city-level place
    lat: float | None = None
    lon: float | None = None
    reciprocal: bool = False
    extra: dict[str, str] = field(default_factory=dict)


NAMES = {"RUS": "Russia", "UKR": "Ukraine", "USA": "United States", "CHN": "China",
         "PRK": "North Korea", "IRN": "Iran", "POL": "Poland", "NATO": "NATO"}  # fmt: skip


def _actor(code: str, sentence: Sentence) -> Actor:
    name = NAMES.get(code, code)
    at = sentence.text.find(name)
    start = sentence.start + max(at, 0)
    return Actor(name, start, start + len(name), name=name, code=code, sector="GOV", rule="test.v1")


def result(
    article_id: str,
    specs: list[Spec],
    published: str | None = "2024-03-05",
    site: str | None = None,
    url: str | None = None,
    filler: str = "",
) -> Result:
    """An article made of the specs' sentences (plus ``filler``) and their events."""
    sentences: list[Sentence] = []
    text = ""
    for spec in specs:
        if any(s.text == spec.sentence for s in sentences):
            continue
        start = len(text)
        text += spec.sentence + " "
        sentences.append(Sentence(len(sentences), start, start + len(spec.sentence), spec.sentence))
    text += filler
    events = []
    for spec in specs:
        sentence = next(s for s in sentences if s.text == spec.sentence)
        at = sentence.start + spec.sentence.index(spec.trigger)
        key = f"{article_id}|{sentence.index}|{at}|{spec.type}"
        location = Place(
            text=spec.place,
            name=spec.place,
            country=spec.country,
            geonameid=spec.city,
            lat=spec.lat,
            lon=spec.lon,
            precision="city" if spec.city else ("country" if spec.country else None),
            basis="sentence" if spec.country else None,
        )
        events.append(
            Event(
                id="ev_" + hashlib.sha1(key.encode()).hexdigest()[:16],
                article_id=article_id,
                type=spec.type,
                mode=spec.mode,
                context=spec.context,
                status=spec.status,  # type: ignore[arg-type]
                actor=tuple(_actor(c, sentence) for c in spec.actors),
                recipient=tuple(_actor(c, sentence) for c in spec.recipients),
                trigger=Span(spec.trigger, at, at + len(spec.trigger)),
                sentence=sentence,
                rule="test.v1",
                date=EventDate(
                    spec.date,
                    None
                    if spec.date is None
                    else {4: "year", 7: "month"}.get(len(spec.date), "day"),  # type: ignore[arg-type]
                    None,
                    "sentence" if spec.date else None,
                ),
                location=location,
                confidence=0.8,
                extractor="test",
                reciprocal=spec.reciprocal,
            )
        )
    body = text.strip()
    article = Article(
        id=article_id,
        source=f"{article_id}.txt",
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
        text=body,
        title=f"Title of {article_id}",
        published=published,
        url=url,
        site_name=site,
        extractor="test",
    )
    return Result(article, tuple(sentences), tuple(events))


# A small corpus for query and export tests: two reports of one Kharkiv shelling
# (k1, k2), a later drone strike, a reciprocal visit, US aid and sanctions.
SHELL = "Russia shelled Ukraine near Kharkiv on Monday."
DRONES = "Russia struck Ukraine with drones overnight."
VISIT = "China hosted North Korea for talks in Beijing."
AID = "United States sent military aid to Ukraine."
SANCTION = "United States imposed sanctions on Iran over its missile tests."

CORPUS: list[Result] = [
    result("k1", [Spec(SHELL, "shelled", "ASSAULT", ("RUS",), ("UKR",), date="2024-03-04",
                       country="UKR", place="Kharkiv", city=706483, lat=49.98, lon=36.25,
                       context=("military",)),
                  Spec(AID, "sent", "AID", ("USA",), ("UKR",), date="2024-03-04",
                       context=("military",))], site="Wire A"),
    result("k2", [Spec(SHELL, "shelled", "ASSAULT", ("RUS",), ("UKR",), date="2024-03-05",
                       country="UKR", place="Kharkiv", city=706483, lat=49.98, lon=36.25,
                       status="alleged")], site="Paper B", filler="Second report."),
    result("k3", [Spec(DRONES, "struck", "ASSAULT", ("RUS",), ("UKR",), date="2024-03-28",
                       mode="drone")], site="Paper C"),
    result("k4", [Spec(VISIT, "hosted", "CONSULT", ("CHN",), ("PRK",), date="2024-02-10",
                       mode="visit", country="CHN", place="Beijing", reciprocal=True)],
           site="Paper D"),
    result("k5", [Spec(SANCTION, "imposed", "SANCTION", ("USA",), ("IRN",), date="2024-01-15",
                       context=("economic",))], site="Wire A"),
]  # fmt: skip
