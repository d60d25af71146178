"""Store benchmarks: bulk insert, dyad and actor queries, clustering, syndication.

    .venv/bin/python -m benchmarks.store_bench                      # SQLite, 1,000,000 events
    tools/with-postgres .venv/bin/python -m benchmarks.store_bench  # and PostgreSQL too
    .venv/bin/python -m benchmarks.store_bench --events 100000      # a quicker run

Prints a table and writes benchmarks/results/store_bench.json. Targets (issue 5):
bulk insert of 1,000,000 events into SQLite ≤ 60 s, dyad + date-range query p95
≤ 50 ms, actor summary ≤ 300 ms; one story from 20 outlets → one cluster with 20
sources. These are measurements, not tests: nothing fails when a target is missed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from eventwire.cluster import update_clusters
from eventwire.config import load_settings
from eventwire.ingest.decode import content_hash
from eventwire.model import (
    Actor,
    Article,
    Event,
    EventDate,
    Place,
    RawDocument,
    Result,
    Sentence,
    Span,
)
from eventwire.store import ClusterFilter, EventFilter, Store, open_store

RESULTS = Path(__file__).resolve().parent / "results"
EVENTS_PER_ARTICLE = 5
TYPES = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "SANCTION", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT")  # fmt: skip
CODES = tuple(f"{chr(65 + i // 26)}{chr(65 + i % 26)}X" for i in range(150))  # synthetic states
START = date(2021, 1, 1)
VOCABULARY = tuple(f"w{n}" for n in range(5000))  # varied text, so articles are not copies
DAYS = 3 * 365


_WEIGHTS = list(__import__("itertools").accumulate(1 / (rank + 1) for rank in range(len(CODES))))


def _code(rng: random.Random) -> str:
    # Zipf: the top actor is in about a fifth of events (as the USA is in news), most in few.
    return rng.choices(CODES, cum_weights=_WEIGHTS)[0]


def synthetic(total: int, seed: int = 5) -> Iterator[Result]:
    """``total`` events in articles of five, with realistic actor skew and dates."""
    rng = random.Random(seed)
    for number in range(total // EVENTS_PER_ARTICLE):
        article_id = f"syn-{number:07d}"
        day = START + timedelta(days=rng.randrange(DAYS))
        sentences, events = [], []
        body = ""
        for index in range(EVENTS_PER_ARTICLE):
            actor, recipient = _code(rng), _code(rng)
            kind = rng.choice(TYPES)
            words = " ".join(rng.choice(VOCABULARY) for _ in range(8))
            line = f"{actor} and {recipient}: {kind.lower()} {words} {number}-{index}."
            sentence = Sentence(index, len(body), len(body) + len(line), line)
            body += line + " "
            sentences.append(sentence)
            event_day = (day - timedelta(days=rng.randrange(3))).isoformat()
            key = f"{article_id}|{index}|{kind}"
            events.append(
                Event(
                    id="ev_" + hashlib.sha1(key.encode()).hexdigest()[:16],
                    article_id=article_id,
                    type=kind,
                    mode=None,
                    context=(),
                    status="reported",
                    actor=(
                        Actor(actor, sentence.start, sentence.start + 3, code=actor, sector="GOV"),
                    ),
                    recipient=(
                        Actor(recipient, sentence.start + 8, sentence.start + 11, code=recipient),
                    ),
                    trigger=Span(
                        kind.lower(), sentence.start + 13, sentence.start + 13 + len(kind)
                    ),
                    sentence=sentence,
                    rule="synthetic.v1",
                    date=EventDate(event_day, "day", None, "published"),
                    location=Place(country=actor, precision="country"),
                    confidence=0.7,
                    extractor="benchmark",
                )
            )
        article = Article(
            id=article_id,
            source=article_id,
            content_hash=hashlib.sha256(body.encode()).hexdigest(),
            text=body,
            published=day.isoformat(),
            site_name=f"outlet-{number % 300}",
            extractor="benchmark",
        )
        yield Result(article, tuple(sentences), tuple(events))


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}  # fmt: skip


def bench_store(url: str, total: int) -> dict[str, Any]:
    figures: dict[str, Any] = {"events": total}
    with open_store(url) as store:
        generating = 0.0

        def timed() -> Iterator[Result]:
            nonlocal generating
            source = synthetic(total)
            while True:
                started = time.perf_counter()
                item = next(source, None)
                generating += time.perf_counter() - started
                if item is None:
                    return
                yield item

        started = time.perf_counter()
        store.add_many(timed(), batch=20000)
        figures["insert_s"] = round(time.perf_counter() - started - generating, 1)
        figures["generate_s"] = round(generating, 1)
        started = time.perf_counter()
        update_clusters(store, 3)
        figures["cluster_all_s"] = round(time.perf_counter() - started, 1)
        figures["clusters"] = store.counts()["events"] and _count(store, "clusters")
        if store.engine.dialect.name == "postgresql":
            with store.engine.connect() as connection:
                connection.execute(text("ANALYZE"))
                connection.commit()
        rng = random.Random(7)
        samples = []
        for _ in range(200):
            a, b = _code(rng), _code(rng)
            since = START + timedelta(days=rng.randrange(DAYS - 90))
            until = (since + timedelta(days=90)).isoformat()
            where = EventFilter(dyad=(a, b), since=since.isoformat(), until=until, limit=100)
            started = time.perf_counter()
            store.events(where)
            samples.append(time.perf_counter() - started)
        figures["dyad_query"] = _percentiles(samples)
        store.actor_summary(CODES[-1])  # warm-up: loads the ontology (scores) once per process
        samples = []
        for code in [CODES[0], CODES[1], CODES[5], *rng.sample(CODES, 17)]:
            started = time.perf_counter()
            store.actor_summary(code)
            samples.append(time.perf_counter() - started)
        figures["actor_summary"] = _percentiles(samples)
        figures["actor_summary_top_actor_ms"] = round(samples[0] * 1000, 1)
    return figures


def _count(store: Store, table: str) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


STORY = (
    "North Korean leader Kim Jong Un met Russian President Vladimir Putin at the Vostochny "
    "cosmodrome on Wednesday, state media said. The two leaders discussed military "
    "cooperation and the war in Ukraine, according to officials in Moscow. Putin accepted "
    "an invitation to visit Pyongyang, the Kremlin said. Washington has accused North Korea "
    "of supplying arms to Russia, which both countries deny. The United States threatened "
    "new sanctions if the two sides sign an arms deal."
)
EDITS = (("met", "held talks with"), ("on Wednesday", "on Wednesday afternoon"),
         ("state media said", "state media reported"), ("officials in Moscow", "Moscow officials"),
         ("threatened", "warned of"))  # fmt: skip


def syndicated_copies(outlets: int = 20) -> list[RawDocument]:
    """One story as ``outlets`` outlets ran it: own dateline, a few edits, own sign-off."""
    rng = random.Random(11)
    copies = []
    for number in range(outlets):
        body = STORY
        for old, new in rng.sample(EDITS, 2):
            body = body.replace(old, new)
        body = f"VLADIVOSTOK (Outlet {number}) — {body} Outlet {number} staff contributed."
        copies.append(
            RawDocument(source=f"outlet-{number}", body=body, kind="record",
                        content_hash=content_hash(body.encode()), doc_id=f"outlet-{number:02d}",
                        url=f"https://outlet{number}.example/story", published="2023-09-13")
        )  # fmt: skip
    return copies


def bench_syndication(url: str) -> dict[str, Any]:
    """Ingest the 20 copies through the real pipeline; every real event of the story
    should be one cluster listing all 20 outlets."""
    from eventwire.pipeline import build_pipeline, ingest

    pipeline = build_pipeline(load_settings(environ={}))
    with open_store(url) as store:
        summary = ingest(syndicated_copies(), pipeline, store, on_error=print)
        found = store.clusters(ClusterFilter(limit=None))
        story = [c for c in found if len(c.sources) > 1]
        return {
            "articles": summary.stored,
            "near_duplicates": summary.copies,
            "clusters": len(found),
            "story_clusters": [
                {
                    "event": f"{c.type} {' '.join(c.actor_codes)} -> {' '.join(c.recipient_codes)}",
                    "status": c.status,
                    "sources": len(c.sources),
                    "independent": c.independent,
                }
                for c in sorted(story, key=lambda c: -len(c.sources))
            ],
        }


def _postgres_database(server: str) -> tuple[str, Callable[[], None]]:
    name = "eventwire_bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.rsplit("/", 1)[0] + "/" + name, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="0: syndication only")
    parser.add_argument(
        "--pg",
        default=os.environ.get("EVENTWIRE_TEST_PG_URL"),
        help="PostgreSQL server URL (default: EVENTWIRE_TEST_PG_URL)",
    )
    parser.add_argument("--skip-syndication", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL figures only")
    args = parser.parse_args()
    jobs: list[tuple[str, Callable[[str], dict[str, Any]]]] = []
    if args.events:
        jobs.append(("", lambda url: bench_store(url, args.events)))
    if not args.skip_syndication:
        jobs.append(("syndication_", bench_syndication))
    report: dict[str, Any] = {"machine": platform.platform(), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as folder:
        for prefix, job in [] if args.skip_sqlite else jobs:
            report[f"{prefix}sqlite"] = job(f"sqlite:///{folder}/{prefix}bench.db")
    for prefix, job in jobs if args.pg else []:
        url, drop = _postgres_database(args.pg)
        try:
            report[f"{prefix}postgresql"] = job(url)
        finally:
            drop()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "store_bench.json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print_table(report)


def print_table(report: dict[str, Any]) -> None:
    backends = [b for b in ("sqlite", "postgresql") if b in report]
    rows: list[tuple[str, ...]] = [("figure", "target", *backends)]

    def value(backend: str, *path: str) -> str:
        item: Any = report[backend]
        for key in path:
            item = item[key]
        return str(item)

    for label, target, path in (
        ("events inserted", "1,000,000", ("events",)),
        ("bulk insert (s)", "≤ 60 (SQLite)", ("insert_s",)),
        ("cluster all events (s)", "—", ("cluster_all_s",)),
        ("clusters", "—", ("clusters",)),
        ("dyad + dates p50 (ms)", "—", ("dyad_query", "p50_ms")),
        ("dyad + dates p95 (ms)", "≤ 50", ("dyad_query", "p95_ms")),
        ("actor summary p50 (ms)", "—", ("actor_summary", "p50_ms")),
        ("actor summary p95 (ms)", "≤ 300", ("actor_summary", "p95_ms")),
        ("actor summary, top actor (ms)", "≤ 300", ("actor_summary_top_actor_ms",)),
    ):
        rows.append((label, target, *[value(b, *path) for b in backends]))
    for backend in ("sqlite", "postgresql"):
        found = report.get(f"syndication_{backend}")
        if found:
            sizes = [c["sources"] for c in found["story_clusters"]]
            note = f"{len(sizes)} story events, sources per event {sizes}"
            rows.append((f"syndication ({backend})", "20 sources each", note))
            rows.append(("  near-duplicates found", "19", str(found["near_duplicates"])))
    widths = [max(len(str(r[i])) for r in rows if i < len(r)) for i in range(max(map(len, rows)))]
    for row in rows:
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)))
    print(f"\nwritten to {RESULTS / 'store_bench.json'}")


if __name__ == "__main__":
    main()
