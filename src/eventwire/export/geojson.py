"""GeoJSON (RFC 7946) FeatureCollection of the events that have coordinates.

One Point feature per located event, ``[lon, lat]``, with the event's codes,
status, place, precision, cluster and source sentence as properties. Written
feature by feature, so a large export never sits in memory.
"""

from __future__ import annotations

import json
from typing import IO, Any

from eventwire.store import EventFilter, Store
from eventwire.store.exporting import Record


def feature(record: Record) -> dict[str, Any] | None:
    event = record.event
    place = event.location
    if place.lat is None or place.lon is None:
        return None
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
        "properties": {
            "type": event.type,
            "mode": event.mode,
            "status": event.status,
            "date": event.date.value,
            "actor": [a.code for a in event.actor if a.code],
            "recipient": [a.code for a in event.recipient if a.code],
            "place": place.name,
            "country": place.country,
            "geonameid": place.geonameid,
            "precision": place.precision,
            "cluster_id": event.cluster_id,
            "correction": event.correction,
            "sentence": event.sentence.text,
            "url": record.article.url,
            "publication": record.article.publication,
        },
    }


def write_geojson(store: Store, where: EventFilter, out: IO[str]) -> int:
    out.write('{"type": "FeatureCollection", "features": [\n')
    written = 0
    for record in store.records(where):
        located = feature(record)
        if located is None:
            continue
        out.write((",\n" if written else "") + json.dumps(located, ensure_ascii=False))
        written += 1
    out.write("\n]}\n")
    return written
