"""One flat row per event, for CSV and Parquet (the same columns in both).

Codes stay strings (CAMEO roots keep their leading zero; read CSV with
``dtype=str`` for code columns, or use Parquet, which is typed). Lists are joined
with ";". Every row names its schema in ``schema_version`` and Parquet files also
carry it in their metadata, so a reader can tell the layout before reading rows.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

# pyarrow ships no type information (and pyproject's mypy overrides are not ours to edit)
import pyarrow as pa
import pyarrow.parquet as pq

from eventwire.events.ontology import load_ontology
from eventwire.export.gdelt import cameo_codes
from eventwire.model import Actor
from eventwire.store import EventFilter, Store
from eventwire.store.exporting import Record

SCHEMA_VERSION = "eventwire-flat/1"
_ROWS_PER_GROUP = 20_000  # Parquet row group: large enough to compress, small in memory


def _join(values: Any) -> str:
    return ";".join(str(v) for v in values if v is not None)


def _codes(actors: tuple[Actor, ...]) -> str:
    return _join(dict.fromkeys(a.code for a in actors))


def _names(actors: tuple[Actor, ...]) -> str:
    return _join(a.name or a.text for a in actors)


def _quad(r: Record) -> int | None:
    known = load_ontology().types.get(r.event.type)
    return known.quad if known else None


def _score(r: Record) -> float | None:
    known = r.event.type in load_ontology().types
    return load_ontology().score(r.event.type, r.event.mode) if known else None


def _cameo(r: Record) -> str | None:
    known = r.event.type in load_ontology().types
    return cameo_codes(r.event.type, r.event.mode)[0] if known else None


_S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.bool_()

# (column, Arrow type, value of one record)
COLUMNS: tuple[tuple[str, pa.DataType, Callable[[Record], Any]], ...] = (
    ("schema_version", _S, lambda r: SCHEMA_VERSION),
    ("id", _S, lambda r: r.event.id),
    ("article_id", _S, lambda r: r.event.article_id),
    ("cluster_id", _S, lambda r: r.event.cluster_id),
    ("date", _S, lambda r: r.event.date.value),
    ("date_precision", _S, lambda r: r.event.date.precision),
    ("type", _S, lambda r: r.event.type),
    ("mode", _S, lambda r: r.event.mode),
    ("context", _S, lambda r: _join(r.event.context)),
    ("status", _S, lambda r: r.event.status),
    ("quad", _I, _quad),
    ("score", _F, _score),
    ("cameo_root", _S, _cameo),
    ("actor_codes", _S, lambda r: _codes(r.event.actor)),
    ("actor_names", _S, lambda r: _names(r.event.actor)),
    ("actor_sectors", _S, lambda r: _join(a.sector for a in r.event.actor)),
    ("recipient_codes", _S, lambda r: _codes(r.event.recipient)),
    ("recipient_names", _S, lambda r: _names(r.event.recipient)),
    ("recipient_sectors", _S, lambda r: _join(a.sector for a in r.event.recipient)),
    ("attributed_to", _S, lambda r: _codes(r.event.attributed_to)),
    ("denied_by", _S, lambda r: _codes(r.event.denied_by)),
    ("about", _S, lambda r: r.event.about),
    ("country", _S, lambda r: r.event.location.country),
    ("place", _S, lambda r: r.event.location.name),
    ("geonameid", _I, lambda r: r.event.location.geonameid),
    ("lat", _F, lambda r: r.event.location.lat),
    ("lon", _F, lambda r: r.event.location.lon),
    ("place_precision", _S, lambda r: r.event.location.precision),
    ("trigger", _S, lambda r: r.event.trigger.text),
    ("trigger_start", _I, lambda r: r.event.trigger.start),
    ("trigger_end", _I, lambda r: r.event.trigger.end),
    ("sentence_index", _I, lambda r: r.event.sentence.index),
    ("sentence_start", _I, lambda r: r.event.sentence.start),
    ("sentence_end", _I, lambda r: r.event.sentence.end),
    ("sentence", _S, lambda r: r.event.sentence.text),
    ("confidence", _F, lambda r: r.event.confidence),
    ("rule", _S, lambda r: r.event.rule),
    ("extractor", _S, lambda r: r.event.extractor),
    ("correction", _S, lambda r: r.event.correction),
    ("reciprocal", _B, lambda r: r.event.reciprocal),
    ("cluster_status", _S, lambda r: r.cluster.status if r.cluster else None),
    ("cluster_sources", _I, lambda r: r.cluster.n_sources if r.cluster else None),
    ("cluster_articles", _I, lambda r: r.cluster.n_articles if r.cluster else None),
    ("url", _S, lambda r: r.article.url),
    ("title", _S, lambda r: r.article.title),
    ("publication", _S, lambda r: r.article.publication),
    ("published", _S, lambda r: r.article.published),
    ("duplicate_of", _S, lambda r: r.article.duplicate_of),
)
NAMES = tuple(name for name, _, _ in COLUMNS)
ARROW_SCHEMA = pa.schema(
    [pa.field(name, kind) for name, kind, _ in COLUMNS],
    metadata={"eventwire.schema": SCHEMA_VERSION},
)


def flat_rows(store: Store, where: EventFilter) -> Iterator[list[Any]]:
    for record in store.records(where):
        yield [value(record) for _, _, value in COLUMNS]


def write_csv(store: Store, where: EventFilter, out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(NAMES)
    written = 0
    for row in flat_rows(store, where):
        writer.writerow(["" if v is None else v for v in row])
        written += 1
    return written


def write_parquet(store: Store, where: EventFilter, out: Path) -> int:
    written = 0
    batch: list[list[Any]] = []
    # Written to a temporary name and renamed at the end: a failed export leaves no
    # half-written file behind that a reader could mistake for a complete one.
    partial = out.with_name(out.name + ".partial")
    try:
        with pq.ParquetWriter(partial, ARROW_SCHEMA) as writer:
            for row in flat_rows(store, where):
                batch.append(row)
                if len(batch) >= _ROWS_PER_GROUP:
                    writer.write_table(_table(batch))
                    written += len(batch)
                    batch.clear()
            if batch or not written:
                writer.write_table(_table(batch))
                written += len(batch)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return written


def _table(rows: list[list[Any]]) -> pa.Table:
    arrays = [
        pa.array([row[i] for row in rows], type=kind) for i, (_, kind, _) in enumerate(COLUMNS)
    ]
    return pa.Table.from_arrays(arrays, schema=ARROW_SCHEMA)
