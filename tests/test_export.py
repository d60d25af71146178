"""Exports, read back with the library a user would use, on both backends."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import networkx as nx
import pandas as pd
import pyarrow.parquet as pq
import pytest

from eventwire.cluster import update_clusters
from eventwire.errors import ConfigError
from eventwire.export import ExportFormat, export
from eventwire.export.flat import NAMES, SCHEMA_VERSION
from eventwire.export.gdelt import EVENT_COLUMNS, EVENTS_FILE, MENTION_COLUMNS, MENTIONS_FILE
from eventwire.store import Store, open_store
from records import CORPUS, Spec, result

EVENTS = {e.id: e for r in CORPUS for e in r.events}
AID_SOON = "China will send aid to Iran next month."
CLAIM = "Iran said Russia attacked it."
PLANNED = result(
    "k6",
    [
        Spec(AID_SOON, "send", "AID", ("CHN",), ("IRN",), status="planned", date="2024-04"),
        Spec(CLAIM, "attacked", "ASSAULT", ("RUS",), ("IRN",), status="alleged"),
    ],
    url="https://example.org/k6",
)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        for item in [*CORPUS, PLANNED]:
            opened.add(item)
        update_clusters(opened, 3)
        opened.correct(CORPUS[4].events[0].id, "set", {"status": "alleged"})
        opened.correct(CORPUS[0].events[1].id, "reject")
        update_clusters(opened, 3)
        yield opened


def run(store: Store, fmt: ExportFormat, out: Path | None = None, **options: object) -> str:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        export(store, fmt, out, **options)  # type: ignore[arg-type]
    return buffer.getvalue()


def test_eventwire_jsonl_holds_every_kept_event(store: Store) -> None:
    lines = [json.loads(line) for line in run(store, ExportFormat.jsonl).splitlines()]

    kept = set(EVENTS) - {CORPUS[0].events[1].id} | {e.id for e in PLANNED.events}
    assert {line["id"] for line in lines} == kept
    sanction = next(line for line in lines if line["type"] == "SANCTION")
    assert (sanction["status"], sanction["correction"]) == ("alleged", "edited")
    assert all(line["cluster_id"] for line in lines)


def test_rejected_events_are_exported_only_when_asked(store: Store) -> None:
    lines = run(store, ExportFormat.jsonl, include_rejected=True).splitlines()
    rejected = [r for r in map(json.loads, lines) if r["correction"] == "rejected"]

    assert [r["id"] for r in rejected] == [CORPUS[0].events[1].id]


def test_plover_applies_plover_conventions(store: Store) -> None:
    lines = [json.loads(line) for line in run(store, ExportFormat.plover).splitlines()]
    by_id = {line["id"]: line for line in lines}

    planned_aid, alleged_attack = PLANNED.events
    assert by_id[planned_aid.id]["event"] == ["AGREE"]  # a planned cooperative act
    assert by_id[planned_aid.id]["quad_code"] == 1
    assert alleged_attack.id not in by_id  # PLOVER codes the statement, not the claim
    shelling = by_id[CORPUS[0].events[0].id]
    assert shelling["event"] == ["ASSAULT"]
    assert (shelling["actor"], shelling["recipient"]) == (["RUS"], ["UKR"])
    assert shelling["event_loc"]["country_code"] == "UKR"
    assert shelling["event_loc"]["geonameid"] == 706483
    assert shelling["quad_code"] == 4
    assert shelling["event_scale"] == -9.0
    assert shelling["cite_info"]["publication"] == "Wire A"
    text = CORPUS[0].article.text
    info = shelling["text_info"]
    assert text[info["start"] : info["end"]] == shelling["event_text"]
    assert set(shelling) >= {"id", "date", "actor", "recipient", "event", "mode", "context",
                             "event_text", "text_info", "cite_info", "event_loc", "quad_code",
                             "event_scale"}  # fmt: skip


def test_csv_reads_back_with_pandas_and_keeps_codes_as_strings(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "events.csv"
    run(store, ExportFormat.csv, path)

    frame = pd.read_csv(path, dtype={"cameo_root": str}, keep_default_na=False)

    assert tuple(frame.columns) == NAMES
    assert set(frame["schema_version"]) == {SCHEMA_VERSION}
    assert len(frame) == len(EVENTS) - 1 + len(PLANNED.events)
    row = frame.set_index("id").loc[CORPUS[4].events[0].id]
    assert (row["cameo_root"], row["actor_codes"], row["status"]) == ("16", "USA", "alleged")
    assert row["correction"] == "edited"
    consult = frame[frame["type"] == "CONSULT"].iloc[0]
    assert consult["cameo_root"] == "04"


def test_parquet_is_typed_and_names_its_schema(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    run(store, ExportFormat.parquet, path)

    table = pq.read_table(path)
    assert table.schema.metadata[b"eventwire.schema"] == SCHEMA_VERSION.encode()
    assert str(table.schema.field("cameo_root").type) == "string"
    assert str(table.schema.field("geonameid").type) == "int64"
    frame = table.to_pandas()
    assert set(frame["cameo_root"]) >= {"18", "04", "07"}
    assert len(frame) == len(EVENTS) - 1 + len(PLANNED.events)
    assert not list(tmp_path.glob("*.partial"))


def test_gdelt_tables_read_back_with_pandas(store: Store, tmp_path: Path) -> None:
    run(store, ExportFormat.gdelt, tmp_path / "gdelt")

    options = {"sep": "\t", "header": None, "dtype": str, "quoting": csv.QUOTE_NONE,
               "keep_default_na": False}  # fmt: skip
    events = pd.read_csv(tmp_path / "gdelt" / EVENTS_FILE, names=list(EVENT_COLUMNS), **options)
    mentions = pd.read_csv(
        tmp_path / "gdelt" / MENTIONS_FILE, names=list(MENTION_COLUMNS), **options
    )

    assert len(EVENT_COLUMNS) == 61
    assert len(MENTION_COLUMNS) == 16
    kharkiv = events[events["ActionGeo_FullName"] == "Kharkiv"]
    assert len(kharkiv) == 1  # two reports, one event
    row = kharkiv.iloc[0]
    assert (row["NumMentions"], row["NumSources"], row["NumArticles"]) == ("2", "2", "2")
    assert (row["EventRootCode"], row["QuadClass"], row["GoldsteinScale"]) == ("18", "4", "-9.0")
    assert (row["Actor1CountryCode"], row["Actor1Code"], row["Actor2CountryCode"]) == (
        "RUS",
        "RUSGOV",
        "UKR",
    )
    assert (row["ActionGeo_CountryCode"], row["ActionGeo_Type"]) == ("UP", "4")  # FIPS, city
    assert row["SQLDATE"] == "20240304"
    assert set(mentions["GLOBALEVENTID"]) == set(events["GLOBALEVENTID"])
    reports = mentions[mentions["GLOBALEVENTID"] == row["GLOBALEVENTID"]]
    assert sorted(reports["MentionSourceName"]) == ["Paper B", "Wire A"]
    text = CORPUS[0].article.text
    first = reports[reports["MentionSourceName"] == "Wire A"].iloc[0]
    assert text[int(first["ActionCharOffset"]) :].startswith("shelled")


@pytest.mark.parametrize("fmt", [ExportFormat.gexf, ExportFormat.graphml], ids=str)
def test_actor_networks_read_back_with_networkx(
    store: Store, tmp_path: Path, fmt: ExportFormat
) -> None:
    path = tmp_path / f"network.{fmt.value}"
    run(store, fmt, path)

    graph = nx.read_gexf(path) if fmt is ExportFormat.gexf else nx.read_graphml(path)

    assert graph.is_directed()
    assert {"RUS", "UKR", "CHN", "PRK", "USA", "IRN"} <= set(graph.nodes)
    edges = [d for u, v, d in graph.edges(data=True) if (u, v) == ("RUS", "UKR")]
    (assault,) = edges
    assert (assault["event_type"], int(assault["weight"]), int(assault["reports"])) == (
        "ASSAULT",
        2,
        3,
    )
    assert float(assault["score"]) < 0
    assert not [d for u, v, d in graph.edges(data=True) if (u, v) == ("USA", "UKR")]  # rejected


def test_geojson_holds_the_located_events(store: Store) -> None:
    collection = json.loads(run(store, ExportFormat.geojson))

    assert collection["type"] == "FeatureCollection"
    (first, second) = collection["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [36.25, 49.98]}
    assert first["properties"]["country"] == "UKR"
    assert first["properties"]["cluster_id"] == second["properties"]["cluster_id"]


def test_since_pulls_only_what_changed(store: Store) -> None:
    everything = run(store, ExportFormat.jsonl).splitlines()
    later = "9999-01-01"

    assert run(store, ExportFormat.jsonl, since=later) == ""
    assert len(run(store, ExportFormat.jsonl, since="2000-01-01").splitlines()) == len(everything)


def test_file_formats_need_an_output_path(store: Store) -> None:
    with pytest.raises(ConfigError, match="--out"):
        export(store, ExportFormat.parquet)
