"""Web benchmark: `eventwire serve` over a million synthetic events, under load.

    .venv/bin/python -m benchmarks.web_bench                       # 1,000,000 events, 50 clients
    .venv/bin/python -m benchmarks.web_bench --events 100000       # a quicker run
    .venv/bin/python -m benchmarks.web_bench --db sqlite:///x.db   # an existing database

Builds (once; later runs reuse the file) a synthetic database with the generator and
bulk loader of ``store_bench`` and clusters it, starts the real server
(``eventwire serve``, uvicorn) on 127.0.0.1 in its own process, then:

1. times each dashboard page and API list request alone, several times over, with
   different parameters each time, so no cached answer is reused: the server time
   of a page (loopback adds well under a millisecond);
2. drives every endpoint with ``--clients`` concurrent clients (asyncio + httpx, a
   closed loop: each client sends its next request when the previous one is
   answered) and prints requests, p50/p95/p99 and errors per endpoint.

Targets (issue 7): every page in ≤ 500 ms server time, API list queries ≤ 100 ms p95
under 50 concurrent clients. Writes benchmarks/results/web_bench.json. These are
measurements, not tests: nothing fails when a target is missed. The load client
runs on the same machine as the server and takes CPU from it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text

from benchmarks.store_bench import CODES, DAYS, START, _code, synthetic
from eventwire.cluster import update_clusters
from eventwire.store import open_store
from eventwire.store.schema import clusters

RESULTS = Path(__file__).resolve().parent / "results"
CACHE = Path(tempfile.gettempdir()) / "eventwire-web-bench"
PAGE_TARGET_MS = 500.0  # server time of one page, alone
API_TARGET_MS = 100.0  # p95 of API list queries under load
WORDS = ("w17", "w4242", "w901 w33", "w2500")  # words of the synthetic sentences


# --- the database ------------------------------------------------------------------------


def build_database(total: int, cache: Path) -> str:
    """A clustered SQLite database of ``total`` synthetic events, built once per size."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"events-{total}.sqlite"
    if path.exists():
        print(f"reusing {path}", file=sys.stderr)
        return f"sqlite:///{path}"
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    print(f"building {path} ({total:,} events; minutes)", file=sys.stderr)
    started = time.perf_counter()
    with open_store(f"sqlite:///{partial}") as store:
        store.add_many(synthetic(total), batch=2000)
        print(f"  loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        update_clusters(store, 3)
        print(f"  clustered in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        with store.engine.connect() as connection:  # fold the WAL into the file
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    return f"sqlite:///{path}"


def locate(url: str, share: int = 2) -> None:
    """Give ``share`` events in three (by id) coordinates for their country, as the
    gazetteer would, so the map has located events to draw: the synthetic events name
    a country but no coordinates. Done once; the rest stay unlocated."""
    with open_store(url) as store, store.engine.begin() as connection:
        if connection.execute(text("SELECT 1 FROM events WHERE lat IS NOT NULL LIMIT 1")).first():
            return
        print("locating events by country (once)", file=sys.stderr)
        for number, code in enumerate(CODES):
            lat, lon = -60 + (number * 37) % 130, -170 + (number * 71) % 340
            connection.execute(
                text(
                    "UPDATE events SET lat = :lat, lon = :lon, place_precision = 'country' "
                    "WHERE place_country = :code AND abs(unicode(substr(id, 4, 1)) % 3) < :share"
                ),
                {"lat": lat, "lon": lon, "code": code, "share": share},
            )


@dataclass
class Samples:
    """Real ids and codes from the database, for parameters that hit something."""

    articles: list[str]
    clusters: list[str]
    events: int
    first_day: str
    last_day: str


def sample_database(url: str, rng: random.Random) -> Samples:
    with open_store(url) as store, store.engine.connect() as connection:
        counts = store.counts()
        articles = connection.execute(
            text("SELECT id FROM articles ORDER BY id LIMIT 1")
        ).scalar_one()
        last = connection.execute(text("SELECT max(id) FROM articles")).scalar_one()
        found_articles = [articles, last]
        if str(articles).startswith("syn-"):  # the synthetic ids are numbered
            top = int(str(last)[4:])
            found_articles = [f"syn-{rng.randrange(top + 1):07d}" for _ in range(500)]
        found_clusters: list[str] = []
        for _ in range(200):
            prefix = "cl_" + "".join(rng.choice("0123456789abcdef") for _ in range(4))
            found = connection.execute(
                select(clusters.c.id)
                .where(clusters.c.id >= prefix)
                .order_by(clusters.c.id)
                .limit(1)
            ).scalar()
            if found:
                found_clusters.append(found)
        days = connection.execute(text("SELECT min(date_value), max(date_value) FROM events")).one()
        if not found_clusters:
            found_clusters = [connection.execute(select(func.min(clusters.c.id))).scalar() or "cl_"]
    return Samples(found_articles, found_clusters, counts["events"], days[0], days[1])


# --- the server --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(url: str, port: int) -> None:
    """The app over ``url`` under uvicorn on 127.0.0.1:``port`` (runs in the server process)."""
    import uvicorn

    from eventwire.config import load_settings
    from eventwire.web import create_app

    settings = load_settings({"serve_cache_seconds": 30})
    with open_store(url) as store:
        app = create_app(store, settings)
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", server_header=False)


def start_server(url: str, port: int, command: str) -> subprocess.Popen[bytes]:
    """The server in its own process, once it answers. ``command`` "uvicorn": the app
    under uvicorn (:func:`serve`); "serve": the ``eventwire serve`` command."""
    if command == "serve":
        argv = ["-c", "from eventwire.cli import main; main()", "serve", "--db", url,
                "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    else:
        argv = ["-m", "benchmarks.web_bench", "--serve-only", "--db", url, "--port", str(port)]
    server = subprocess.Popen([sys.executable, *argv], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stderr.read().decode() if server.stderr else ""
            raise SystemExit(f"the server stopped: {output}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/events?limit=1", timeout=30)
            return server
        except httpx.HTTPError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not answer within 120 s")


# --- what is requested -------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str  # page | api-list | api
    path: Callable[[random.Random], str]


def _span(rng: random.Random, days: int) -> tuple[str, str]:
    first = START + timedelta(days=rng.randrange(max(1, DAYS - days)))
    return first.isoformat(), (first + timedelta(days=days)).isoformat()


def endpoints(samples: Samples) -> list[Endpoint]:
    def actor(rng: random.Random) -> str:
        return _code(rng)

    def uniform_actor(rng: random.Random) -> str:
        return rng.choice(CODES)

    def dyad(rng: random.Random) -> str:
        a, b = _code(rng), _code(rng)
        since, until = _span(rng, 90)
        return f"dyad={a},{b}&since={since}&until={until}"

    def typed(rng: random.Random) -> str:
        since, until = _span(rng, 30)
        kind = rng.choice(("AGREE", "ACCUSE", "ASSAULT", "SANCTION", "AID"))
        return f"type={kind}&since={since}&until={until}"

    def article(rng: random.Random) -> str:
        return rng.choice(samples.articles)

    def cluster(rng: random.Random) -> str:
        return rng.choice(samples.clusters)

    def page(rng: random.Random) -> int:
        return rng.randrange(0, 20) * 50  # the first 20 pages of 50

    return [
        # dashboard pages
        Endpoint("page /", "page", lambda r: "/"),
        Endpoint("page /events", "page", lambda r: f"/events?offset={page(r)}"),
        Endpoint("page /events?actor=", "page", lambda r: f"/events?actor={actor(r)}"),
        Endpoint("page /articles/ID", "page", lambda r: f"/articles/{article(r)}"),
        Endpoint("page /actors/CODE", "page", lambda r: f"/actors/{uniform_actor(r)}"),
        Endpoint("page /actors/TOP", "page", lambda r: f"/actors/{CODES[r.randrange(3)]}"),
        Endpoint("page /clusters", "page", lambda r: f"/clusters?offset={page(r)}"),
        Endpoint("page /clusters/ID", "page", lambda r: f"/clusters/{cluster(r)}"),
        Endpoint("page /map", "page", lambda r: "/map"),
        Endpoint("page /watchlists", "page", lambda r: "/watchlists"),
        Endpoint("page /search", "page", lambda r: f"/search?q={r.choice(WORDS)}"),
        # API lists
        Endpoint("api /api/events", "api-list", lambda r: f"/api/events?offset={page(r)}"),
        Endpoint("api /api/events?actor=", "api-list", lambda r: f"/api/events?actor={actor(r)}"),
        Endpoint("api /api/events?dyad=&dates", "api-list", lambda r: f"/api/events?{dyad(r)}"),
        Endpoint("api /api/events?type=&dates", "api-list", lambda r: f"/api/events?{typed(r)}"),
        Endpoint("api /api/clusters", "api-list", lambda r: f"/api/clusters?offset={page(r)}"),
        Endpoint(
            "api /api/clusters?actor=", "api-list", lambda r: f"/api/clusters?actor={actor(r)}"
        ),
        Endpoint("api /api/actors", "api-list", lambda r: "/api/actors"),
        Endpoint("api /api/actors/CODE", "api-list", lambda r: f"/api/actors/{uniform_actor(r)}"),
        Endpoint("api /api/trends/dyads", "api-list", lambda r: "/api/trends/dyads"),
        Endpoint("api /api/trends/timeline", "api-list", lambda r: "/api/trends/timeline"),
        Endpoint("api /api/search", "api-list", lambda r: f"/api/search?q={r.choice(WORDS)}"),
    ]


# --- measuring ---------------------------------------------------------------------------


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def figures(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    if not ordered:
        return {}
    return {
        "p50_ms": _ms(statistics.median(ordered)),
        "p95_ms": _ms(_percentile(ordered, 0.95)),
        "p99_ms": _ms(_percentile(ordered, 0.99)),
        "max_ms": _ms(ordered[-1]),
    }


def time_alone(base: str, endpoint: Endpoint, repeats: int, rng: random.Random) -> dict[str, Any]:
    """One request at a time, each with new parameters where the endpoint takes any."""
    samples, errors = [], 0
    with httpx.Client(base_url=base, timeout=120) as client:
        for _ in range(repeats):
            started = time.perf_counter()
            answer = client.get(endpoint.path(rng))
            samples.append(time.perf_counter() - started)
            errors += answer.status_code >= 400
    return {**figures(samples), "runs": [_ms(s) for s in samples], "errors": errors}


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


async def _drive(
    base: str, endpoint: Endpoint, clients: int, total: int, seconds: float, think: float, seed: int
) -> tuple[Load, float]:
    """``clients`` clients, each sending a request, waiting for the answer, then
    ``think`` seconds on average (exponentially distributed; 0: none) before the next."""
    load = Load()
    issued = 0
    deadline = time.monotonic() + seconds
    rng = random.Random(seed)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal issued
        if think:  # clients start spread out, as users do
            await asyncio.sleep(rng.uniform(0, think))
        while issued < total and time.monotonic() < deadline:
            issued += 1
            path = endpoint.path(rng)
            started = time.perf_counter()
            try:
                answer = await client.get(path)
                await answer.aread()
                status = str(answer.status_code)
                failed = answer.status_code >= 400
            except httpx.HTTPError as exc:
                status, failed = type(exc).__name__, True
            load.latencies.append(time.perf_counter() - started)
            load.errors += failed
            load.statuses[status] = load.statuses.get(status, 0) + 1
            if think:
                await asyncio.sleep(rng.expovariate(1 / think))

    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
    return load, time.perf_counter() - started


def under_load(
    base: str, endpoint: Endpoint, args: argparse.Namespace, think: float, seed: int
) -> dict[str, Any]:
    load, elapsed = asyncio.run(
        _drive(base, endpoint, args.clients, args.requests, args.seconds, think, seed)
    )
    return {
        "think_s": think,
        "requests": len(load.latencies),
        "errors": load.errors,
        "statuses": load.statuses,
        "seconds": round(elapsed, 1),
        "rps": round(len(load.latencies) / elapsed, 1) if elapsed else None,
        **figures(load.latencies),
    }


# --- the run -----------------------------------------------------------------------------

MODES = {"saturated": "no think time: each client asks again as soon as it is answered",
         "paced": "each client waits --think seconds on average between requests"}  # fmt: skip


def run(args: argparse.Namespace) -> dict[str, Any]:
    url = args.db
    if not url:
        url = build_database(args.events, Path(args.cache))
        locate(url)
    rng = random.Random(args.seed)
    samples = sample_database(url, rng)
    port = args.port or _free_port()
    base = f"http://127.0.0.1:{port}"
    report: dict[str, Any] = {
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "database": url,
        "server": args.server,
        "events": samples.events,
        "clients": args.clients,
        "requests_per_endpoint": args.requests,
        "think_s": args.think,
        "modes": MODES,
        "alone_repeats": args.repeats,
        "targets": {"page_alone_ms": PAGE_TARGET_MS, "api_list_p95_ms": API_TARGET_MS},
        "endpoints": {},
    }
    chosen = [e for e in endpoints(samples) if not args.only or any(o in e.name for o in args.only)]
    server = start_server(url, port, args.server)
    try:
        started = time.perf_counter()
        httpx.get(base + "/", timeout=300)  # the first overview computes its aggregates
        report["overview_cold_ms"] = _ms(time.perf_counter() - started)
        for endpoint in chosen:
            found = time_alone(base, endpoint, args.repeats, rng)
            report["endpoints"][endpoint.name] = {"kind": endpoint.kind, "alone": found}
            _progress(f"alone  {endpoint.name:<30} p50 {found['p50_ms']} max {found['max_ms']}")
        for mode, think in (("saturated", 0.0), ("paced", args.think)):
            if mode in args.modes:
                for number, endpoint in enumerate(chosen):
                    found = under_load(base, endpoint, args, think, number)
                    report["endpoints"][endpoint.name][mode] = found
                    _progress(f"{mode:<9} {endpoint.name:<30} p95 {found.get('p95_ms')} "
                              f"({found['requests']} requests, {found['rps']}/s)")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    for item in report["endpoints"].values():
        item["met"] = {mode: met(item, mode) for mode in ("alone", *MODES)}
    return report


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def met(item: dict[str, Any], mode: str) -> bool | None:
    if mode == "alone":
        target = PAGE_TARGET_MS if item["kind"] == "page" else API_TARGET_MS
        return bool(item["alone"]["max_ms"] <= target and not item["alone"]["errors"])
    found = item.get(mode)
    if item["kind"] != "api-list" or not found:
        return None
    return bool(found["p95_ms"] <= API_TARGET_MS and not found["errors"])


def print_table(report: dict[str, Any]) -> None:
    print(f"\n{report['events']:,} events, {report['clients']} concurrent clients, "
          f"{report['cpus']} CPUs, server: {report['server']}; first overview "
          f"(cold caches): {report.get('overview_cold_ms')} ms\n")  # fmt: skip
    verdicts = {True: "yes", False: "NO", None: "—"}
    if not any(m in item for item in report["endpoints"].values() for m in MODES):
        for name, item in report["endpoints"].items():  # no load: the times alone
            runs = ", ".join(str(r) for r in item["alone"]["runs"])
            print(f"{name:<30} alone: {runs} ms  met: {verdicts[item['met']['alone']]}")
    for mode in ("saturated", "paced"):
        rows: list[tuple[str, ...]] = [
            ("endpoint", "alone p50", "alone max", "requests", "req/s", "p50", "p95", "p99",
             "errors", "target", "met?"),
        ]  # fmt: skip
        for name, item in report["endpoints"].items():
            alone, load = item["alone"], item.get(mode)
            if not load:
                continue
            if item["kind"] == "page":
                target, verdict = f"alone ≤ {PAGE_TARGET_MS:.0f}", item["met"]["alone"]
            else:
                target, verdict = f"p95 ≤ {API_TARGET_MS:.0f}", item["met"][mode]
            rows.append((name, str(alone["p50_ms"]), str(alone["max_ms"]), str(load["requests"]),
                         str(load["rps"]), str(load["p50_ms"]), str(load["p95_ms"]),
                         str(load["p99_ms"]), str(load["errors"]), target,
                         verdicts[verdict]))  # fmt: skip
        if len(rows) == 1:
            continue
        think = "" if mode == "saturated" else f" ({report['think_s']} s)"
        print(f"{mode}{think}: {report['modes'][mode]}")
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            print("  ".join(c.ljust(widths[i]) if not i else c.rjust(widths[i])
                            for i, c in enumerate(row)))  # fmt: skip
        print()
    print(
        "times in ms; alone: one request at a time, new parameters each time "
        f"({report['alone_repeats']} times); pages are judged alone (server time)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--db", help="an existing database URL (default: build a synthetic one)")
    parser.add_argument("--cache", default=str(CACHE), help="where built databases are kept")
    parser.add_argument("--requests", type=int, default=500, help="per endpoint and mode")
    parser.add_argument("--seconds", type=float, default=60.0, help="at most, per endpoint")
    parser.add_argument("--think", type=float, default=1.0, help="paced mode: mean seconds")
    parser.add_argument("--modes", nargs="*", default=["saturated", "paced"], choices=MODES)
    parser.add_argument("--repeats", type=int, default=7, help="requests alone per endpoint")
    parser.add_argument(
        "--server",
        choices=("uvicorn", "serve"),
        default="uvicorn",
        help="uvicorn: the app under uvicorn; serve: the eventwire serve command",
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", nargs="*", help="endpoints whose name holds one of these")
    parser.add_argument("--out", default=str(RESULTS / "web_bench.json"))
    parser.add_argument("--serve-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_only:
        serve(args.db, args.port)
        return
    report = run(args)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print_table(report)
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
