"""GDELT 2.0-shaped events and mentions tables.

GDELT counts a real event once (the events table) and lists every article that
mentions it (the mentions table). eventwire's clusters are exactly that: one
events row per cluster, described by its earliest report, with NumMentions,
NumSources and NumArticles from the cluster, and one mentions row per report.

Both files are tab-separated without a header, like GDELT's; the column names are
``EVENT_COLUMNS`` and ``MENTION_COLUMNS``. CAMEO codes come from the ontology's
root codes (``cameo.v1.json`` refines some modes), zero-padded as strings.
GoldsteinScale holds the PLOVER cooperation–conflict score (−10 … +10, the same
range as Goldstein's). Geographic country codes are FIPS 10-4, as GDELT uses
(``fips.v1.tsv``); ActionGeo_FeatureID is the GeoNames id. AvgTone and
MentionDocTone are empty: eventwire does not score tone. GLOBALEVENTID is a
number derived from the cluster id, so it is stable across exports.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from eventwire.events.ontology import load_ontology
from eventwire.model import Actor, Event, Place
from eventwire.store import EventFilter, Store
from eventwire.store.exporting import ClusterRef, Record

_ACTOR_FIELDS = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GEO_FIELDS = (
    "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID",
)  # fmt: skip
EVENT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{f}" for f in _ACTOR_FIELDS),
    *(f"Actor2{f}" for f in _ACTOR_FIELDS),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{f}" for f in _GEO_FIELDS),
    *(f"Actor2Geo_{f}" for f in _GEO_FIELDS),
    *(f"ActionGeo_{f}" for f in _GEO_FIELDS),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)  # fmt: skip
EVENTS_FILE = "eventwire.export.CSV"
MENTIONS_FILE = "eventwire.mentions.CSV"
_WEB = 1  # MentionType: a web document
_FLAT = re.compile(r"[\t\r\n]+")


def _data(name: str) -> str:
    return resources.files("eventwire.export").joinpath(f"data/{name}").read_text("utf-8")


@cache
def fips_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-3 → FIPS 10-4."""
    rows = [line.split("\t") for line in _data("fips.v1.tsv").splitlines()]
    return {row[0]: row[1] for row in rows[1:] if len(row) == 2 and not row[0].startswith("#")}


@cache
def _cameo_table() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(_data("cameo.v1.json"))
    return {"roots": data["roots"], "bases": data["bases"]}


def cameo_codes(event_type: str, mode: str | None) -> tuple[str, str, str]:
    """(root, base, code) CAMEO codes of a PLOVER type and mode, as zero-padded strings."""
    table = _cameo_table()
    key = f"{event_type}:{mode}"
    root = table["roots"].get(key, load_ontology().types[event_type].cameo)
    base = table["bases"].get(key, root + "0")
    return root, base, base


def global_event_id(cluster_id: str) -> int:
    return int(cluster_id.removeprefix("cl_")[:13], 16)


def _timestamp(iso: str | None) -> str:
    digits = "".join(c for c in (iso or "") if c.isdigit())
    return (digits + "0" * 14)[:14] if digits else ""


def _day(value: str | None, fallback: str | None) -> date | None:
    for candidate in (value, fallback):
        if candidate:
            padded = (candidate + "-01-01")[:10] if len(candidate) < 10 else candidate[:10]
            try:
                return date.fromisoformat(padded)
            except ValueError:
                continue
    return None


def _actor(actor: Actor | None) -> list[Any]:
    if actor is None:
        return [""] * len(_ACTOR_FIELDS)
    code = actor.code or ""
    is_state = code in fips_codes()
    return [
        code + (actor.sector or "") if is_state else code,  # CAMEO style: RUSGOV
        actor.name or actor.text,
        code if is_state else "",
        "" if is_state else code,  # IGOs and groups: NATO, UN…
        "",
        "",
        "",
        actor.sector or "",
        "",
        "",
    ]


def _geo(place: Place) -> list[Any]:
    if place.lat is None and place.country is None:
        return [0, "", "", "", "", "", "", ""]
    fips = fips_codes().get(place.country or "", "")
    us = place.country == "USA"
    kind = {"country": 1, "region": 2 if us else 5, "city": 3 if us else 4}.get(
        place.precision or "country", 1
    )
    return [
        kind,
        place.name or place.text or "",
        fips,
        fips,  # ADM1 is not resolved: the country code, as GDELT writes for countries
        "",
        "" if place.lat is None else place.lat,
        "" if place.lon is None else place.lon,
        "" if place.geonameid is None else place.geonameid,
    ]


def event_row(cluster: ClusterRef, record: Record) -> list[Any]:
    event = record.event
    ontology = load_ontology()
    root, base, code = cameo_codes(event.type, event.mode)
    day = _day(event.date.value, record.article.published)
    return [
        global_event_id(cluster.id),
        day.strftime("%Y%m%d") if day else "",
        day.strftime("%Y%m") if day else "",
        day.year if day else "",
        f"{day.year + (day.timetuple().tm_yday / 365):.4f}" if day else "",
        *_actor(event.actor[0] if event.actor else None),
        *_actor(event.recipient[0] if event.recipient else None),
        1 if event.sentence.index == 0 else 0,
        code,
        base,
        root,
        ontology.types[event.type].quad,
        ontology.score(event.type, event.mode),
        cluster.n_events,
        cluster.n_sources,
        cluster.n_articles,
        "",
        *_geo(Place()),
        *_geo(Place()),
        *_geo(event.location),
        _timestamp(cluster.added_at),
        record.article.url or record.article.source,
    ]


def mention_row(record: Record, cluster: ClusterRef) -> list[Any]:
    event, article = record.event, record.article
    return [
        global_event_id(cluster.id),
        _timestamp(cluster.added_at),
        _timestamp(article.ingested_at),
        _WEB,
        article.publication,
        article.url or article.source,
        event.sentence.index + 1,
        event.actor[0].start if event.actor else -1,
        event.recipient[0].start if event.recipient else -1,
        event.trigger.start,
        1,
        round(event.confidence * 100),
        article.length,
        "",
        "",
        "",
    ]


def _known(event: Event) -> bool:
    return event.type in load_ontology().types


def write_gdelt(store: Store, where: EventFilter, out: Path) -> int:
    """Write DIR/eventwire.export.CSV and DIR/eventwire.mentions.CSV; returns events rows."""
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    with (out / EVENTS_FILE).open("w", encoding="utf-8", newline="") as stream:
        for cluster, record in store.cluster_records(where):
            if _known(record.event):
                stream.write(_line(event_row(cluster, record)))
                written += 1
    with (out / MENTIONS_FILE).open("w", encoding="utf-8", newline="") as stream:
        for record in store.records(where):
            if record.cluster is None or not _known(record.event):
                continue  # not clustered yet (an interrupted ingest): no event to mention
            stream.write(_line(mention_row(record, record.cluster)))
    return written


def _line(values: list[Any]) -> str:
    # GDELT files are plain tab-separated text with no quoting: tabs and line breaks
    # inside a value would shift columns, so they become spaces.
    return "\t".join(_FLAT.sub(" ", str(v)) for v in values) + "\n"
