"""``eventwire watch`` end to end: feeds and pages served by a real HTTP server on
127.0.0.1 (allow-listed, as eventwire refuses loopback addresses otherwise), the
real pipeline, a real database, the watch loop run cycle by cycle.

The rule-and-alert logic on hand-built clusters is in test_watch_rules.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from eventwire.ingest.web import FeedState
from eventwire.model import InputError
from eventwire.net import Fetcher
from eventwire.pipeline import Pipeline
from eventwire.store import Store, open_store
from eventwire.watch import (
    CycleReport,
    Dispatcher,
    Rule,
    Watcher,
    add_rule,
    alerts_since,
    check_clusters,
    get_alerts,
    list_feed_states,
    make_rule,
)
from eventwire.watch.feeds import is_due
from local_server import LocalServer, RequestHandler, fetcher

PUBLISHED = datetime(2024, 3, 4, 12, 0, tzinfo=UTC)
SHELLING = (
    "Russian forces shelled the Ukrainian city of Kharkiv on Monday. "
    "The strikes damaged a school and several homes near the city centre, the mayor said."
)
TANKER = "Iran seized an oil tanker in the Gulf of Oman on Monday, the US Navy said."
TALKS = "Russia and North Korea held talks in Vladivostok on Monday."
RULE = make_rule("ru-ua", dyads="RUS,UKR", types=["ASSAULT"])


# --- the site --------------------------------------------------------------------------------


def html(site: str, title: str, text: str) -> str:
    return (
        f'<html><head><meta property="og:site_name" content="{site}">'
        f"<title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{text}</p></article><footer>© {site}</footer></body></html>"
    )


class Feed:
    """An RSS feed on the server whose ETag changes with its entries; a request with
    the current ETag in If-None-Match is answered 304."""

    def __init__(self, server: LocalServer, path: str, site: str) -> None:
        self.server, self.path, self.site = server, path, site
        self.items: list[tuple[str, str]] = []  # (link, title)
        self.version = 0
        self.url = server.url(path)
        server.route(path)(self._answer)

    def add(self, slug: str, title: str, text: str) -> str:
        """A page, and an entry linking to it."""
        path = f"/{self.site.lower().replace(' ', '-')}/{slug}"
        link = self.server.page(path, html(self.site, title, text))
        self.items.append((link, title))
        self.version += 1
        return link

    def touch(self) -> None:
        """A new ETag for the same entries (a feed that rewrites itself)."""
        self.version += 1

    def _answer(self, handler: RequestHandler) -> None:
        etag = f'"{self.path}-v{self.version}"'
        if handler.headers.get("If-None-Match") == etag:
            handler.send(304, b"", [("ETag", etag)])
            return
        items = "".join(
            f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{format_datetime(PUBLISHED, usegmt=True)}</pubDate>"
            f"<description>{title}</description></item>"
            for link, title in self.items
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{self.site}</title><link>{self.server.base}</link>{items}</channel></rss>"
        )
        handler.send(200, body.encode(), [("Content-Type", "application/rss+xml"), ("ETag", etag)])

    def hits(self) -> list[int]:
        """How each request for the feed was asked: 1 conditional, 0 not."""
        return [int("if-none-match" in r.headers) for r in self.server.hits(self.path)]


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer("127.0.0.1") as site:
        yield site


@pytest.fixture
def client() -> Iterator[Fetcher]:
    with fetcher("127.0.0.1") as opened:
        yield opened


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Store]:
    with open_store(sqlite_url) as opened:
        yield opened


class Run:
    """A watcher over ``feeds`` with ``rules`` stored in the database, and the errors
    its cycles met."""

    def __init__(
        self,
        store: Store,
        pipeline: Pipeline,
        client: Fetcher,
        feeds: list[str],
        rules: Sequence[Rule] = (),
        *,
        retries: int = 4,
        backoff: float = 2.0,
    ) -> None:
        self.errors: list[InputError] = []
        self.dispatcher = Dispatcher(store, client, retries=retries, backoff=backoff)
        for rule in rules:
            add_rule(store, rule, replace=True)
        self.watcher = Watcher(
            store,
            pipeline,
            client,
            feeds,
            self.dispatcher,
            interval=60,
            on_error=self.errors.append,
        )

    def cycle(self) -> CycleReport:
        return self.watcher.cycle()


# --- one watch, cycle by cycle ---------------------------------------------------------------


def test_new_entries_are_ingested_once_and_an_unchanged_feed_costs_a_304(
    server: LocalServer, client: Fetcher, store: Store, pipeline: Pipeline
) -> None:
    feed = Feed(server, "/feed.xml", "Wire A")
    shelling = feed.add("kharkiv", "Kharkiv shelled", SHELLING)
    tanker = feed.add("tanker", "Tanker seized", TANKER)
    run = Run(store, pipeline, client, [feed.url], [RULE])

    first = run.cycle()
    second = run.cycle()
    feed.touch()  # a new ETag, the same entries: read again, nothing new
    third = run.cycle()
    talks = feed.add("talks", "Talks held", TALKS)
    fourth = run.cycle()

    assert (first.feeds, first.articles, first.alerts, first.errors) == (1, 2, 1, 0)
    assert (second.articles, second.alerts) == (0, 0)
    assert (third.articles, third.alerts) == (0, 0)
    assert (fourth.articles, fourth.alerts) == (1, 0)
    assert feed.hits() == [0, 1, 1, 1]  # every poll after the first is conditional
    assert [len(server.hits(link.removeprefix(server.base))) for link in (shelling, tanker)] == [
        1,
        1,
    ]  # pages are fetched once, never again
    assert len(server.hits(talks.removeprefix(server.base))) == 1
    assert store.counts()["articles"] == 3
    (alert,) = alerts_since(store)
    assert alert.payload["cluster"]["type"] == "ASSAULT"
    assert alert.payload["evidence"]["url"] == shelling
    assert "\n" not in first.line()
    assert first.line().startswith("cycle 1: 1 feed polled")


def test_a_broken_feed_is_one_error_and_the_cycle_goes_on(
    server: LocalServer, client: Fetcher, store: Store, pipeline: Pipeline
) -> None:
    missing = server.url("/gone.xml")
    broken = server.page("/broken.xml", "<rss><channel><item>", "application/rss+xml")
    feed = Feed(server, "/feed.xml", "Wire A")
    feed.add("kharkiv", "Kharkiv shelled", SHELLING)
    run = Run(store, pipeline, client, [missing, broken, feed.url], [RULE])

    first = run.cycle()
    second = run.cycle()  # a feed that failed once is tried again at once
    third = run.cycle()  # twice: it waits two intervals; the good feed is polled

    assert (first.feeds, first.articles, first.alerts, first.errors) == (3, 1, 1, 2)
    assert [e.source for e in run.errors[:2]] == [missing, broken]
    assert "HTTP 404" in run.errors[0].reason
    assert "malformed feed XML" in run.errors[1].reason
    assert all("\n" not in str(e) for e in run.errors)
    assert (second.feeds, second.skipped, second.errors, second.articles) == (3, 0, 2, 0)
    assert (third.feeds, third.skipped, third.errors) == (1, 2, 0)
    assert "(2 backing off)" in third.line()
    states = {s.url: s for s in list_feed_states(store)}
    assert (states[missing].consecutive_failures, states[feed.url].consecutive_failures) == (2, 0)
    assert (states[missing].polls, states[feed.url].polls) == (2, 3)
    assert states[broken].last_error is not None


@pytest.mark.parametrize(
    ("failures", "minutes_ago", "due"),
    [
        pytest.param(0, 0, True, id="healthy"),
        pytest.param(1, 0, True, id="failed-once-next-cycle"),
        pytest.param(2, 5, False, id="twice-skips-one-cycle"),
        pytest.param(2, 10, True, id="twice-two-cycles-later"),
        pytest.param(3, 15, False, id="three-times-skips-three"),
        pytest.param(3, 20, True, id="three-times-four-cycles-later"),
        pytest.param(12, 55, False, id="at-most-an-hour"),
        pytest.param(12, 60, True, id="an-hour-later"),
    ],
)
def test_a_failing_feed_backs_off_in_whole_cycles(
    failures: int, minutes_ago: int, due: bool
) -> None:
    now = datetime(2024, 3, 4, 12, 0, tzinfo=UTC)
    # Polled 40 s into a cycle that started minutes_ago (5-minute cycles).
    polled = now - timedelta(minutes=minutes_ago) + timedelta(seconds=40)
    state = FeedState("https://news.example/feed", consecutive_failures=failures,
                      last_polled=polled.isoformat(timespec="seconds"))  # fmt: skip

    assert is_due(state, now, 300) is due


def test_run_stops_when_asked_and_a_failed_cycle_is_one_line(
    server: LocalServer, client: Fetcher, store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    feed = Feed(server, "/feed.xml", "Wire A")
    feed.add("kharkiv", "Kharkiv shelled", SHELLING)
    rules = tmp_path / "rules.toml"
    rules.write_text("[[rule]\nname = 'x'\n", "utf-8")  # broken before the first cycle
    with Dispatcher(store, client) as out:
        watcher = Watcher(store, pipeline, client, [feed.url], out, rules_file=rules, interval=0)
        failed = watcher.run(cycles=2)
        rules.write_text("[[rule]]\nname = 'x'\ndyads = 'RUS,UKR'\nstdout = false\n", "utf-8")
        stop = threading.Event()
        done = watcher.run(cycles=5, stop=stop, on_cycle=lambda _: stop.set())

    assert [r.number for r in failed] == [1, 2]
    assert all(r.failure and "not a valid TOML file" in r.failure for r in failed)
    assert "\n" not in failed[0].line()
    assert failed[0].line().endswith(f"; cycle failed: {failed[0].failure}")
    assert [(r.number, r.articles, r.alerts, r.failure) for r in done] == [(3, 1, 1, None)]


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_restarted_watch_reads_nothing_twice_and_alerts_nothing_twice(
    server: LocalServer, pipeline: Pipeline, request: pytest.FixtureRequest, db: str
) -> None:
    url = request.getfixturevalue("sqlite_url" if db == "sqlite" else "pg_url")
    feed = Feed(server, "/feed.xml", "Wire A")
    feed.add("kharkiv", "Kharkiv shelled", SHELLING)
    feed.add("tanker", "Tanker seized", TANKER)

    def restart() -> CycleReport:
        # A new store, fetcher (no HTTP cache) and watcher: all that is left is the database.
        with open_store(url) as store, fetcher("127.0.0.1") as client:
            return Run(store, pipeline, client, [feed.url], [RULE]).cycle()

    first = restart()
    unchanged = restart()
    feed.touch()
    rewritten = restart()
    feed.add("kharkiv-2", "More on Kharkiv", SHELLING.replace("several", "many"))
    joined = restart()

    assert (first.articles, first.alerts) == (2, 1)
    assert (unchanged.articles, unchanged.alerts) == (0, 0)
    assert feed.hits()[1] == 1  # the ETag came from the database: a 304
    assert (rewritten.articles, rewritten.alerts) == (0, 0)
    assert (joined.articles, joined.alerts) == (1, 0)  # a report of the alerted event
    with open_store(url) as store:
        (alert,) = alerts_since(store)
        assert store.counts()["articles"] == 3
        (cluster,) = [c for c in store.clusters() if c.id == alert.cluster_id]
        assert len(cluster.event_ids) == 2  # the alerted event, now with two reports


def test_syndicated_copies_from_two_feeds_are_one_alert(
    server: LocalServer, client: Fetcher, store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    wire, paper, later = (
        Feed(server, f"/{name}.xml", name.title()) for name in ("wire", "paper", "later")
    )
    wire.add("kharkiv", "Kharkiv shelled", SHELLING)
    paper.add("world/kharkiv-shelled", "Kharkiv shelled, school hit", "KYIV (Wire) - " + SHELLING)
    later.add("talks", "Talks held", TALKS)
    alerts_file = tmp_path / "alerts.jsonl"
    rule = make_rule("ru-ua", dyads="UKR,RUS", outputs=[f"jsonl:{alerts_file}"])
    run = Run(store, pipeline, client, [wire.url, paper.url, later.url], [rule])

    first = run.cycle()
    later.add("kharkiv", "Kharkiv shelled", SHELLING + " Rescuers searched the rubble.")
    second = run.cycle()

    assert (first.articles, first.alerts, first.errors) == (3, 1, 0)
    assert (second.articles, second.alerts) == (1, 0)
    lines = alerts_file.read_text("utf-8").splitlines()
    assert len(lines) == 1
    payload = json.loads(lines[0])
    assert payload["kind"] == "new"
    assert payload["rule"] == "ru-ua"
    assert sorted(payload["cluster"]["sources"]) == ["Paper", "Wire"]
    assert payload["cluster"]["n_sources"] == 2
    assert payload["cluster"]["n_independent"] == 1  # the paper ran the wire's story
    (alert,) = alerts_since(store)
    assert [(d.output, d.state) for d in alert.deliveries] == [
        (f"jsonl:{alerts_file}", "delivered")
    ]


# --- webhooks --------------------------------------------------------------------------------


class Hook:
    """A webhook receiver on 127.0.0.1 answering each POST with the next status given."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.bodies: list[bytes] = []
        self.types: list[str | None] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                hook.bodies.append(body)
                hook.types.append(self.headers.get("Content-Type"))
                status = hook.statuses.pop(0) if hook.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/hook"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> Hook:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _shelling_cluster(store: Store, pipeline: Pipeline, server: LocalServer) -> list[str]:
    """Ingest the shelling story (through a feed) and return its cluster ids."""
    feed = Feed(server, "/feed.xml", "Wire A")
    feed.add("kharkiv", "Kharkiv shelled", SHELLING)
    with fetcher("127.0.0.1") as client:
        Run(store, pipeline, client, [feed.url]).cycle()  # no rules yet: nothing alerts
    return sorted(
        {c.id for c in store.clusters() if "RUS" in c.actor_codes and "UKR" in c.recipient_codes}
    )


def test_a_webhook_gets_the_alert_again_after_a_500(
    server: LocalServer, client: Fetcher, store: Store, pipeline: Pipeline
) -> None:
    with Hook(500, 503, 200) as hook:
        feed = Feed(server, "/feed.xml", "Wire A")
        feed.add("kharkiv", "Kharkiv shelled", SHELLING)
        rule = make_rule("ru-ua", dyads="RUS,UKR", outputs=[f"webhook:{hook.url}"])
        run = Run(store, pipeline, client, [feed.url], [rule], retries=3, backoff=0.2)
        with run.dispatcher:
            report = run.cycle()
            run.cycle()  # while the POST waits to be tried again: not sent twice
            assert run.dispatcher.drain(10)

    assert report.alerts == 1
    assert len(hook.bodies) == 3
    assert len(set(hook.bodies)) == 1
    assert hook.types[0] == "application/json"
    (alert,) = alerts_since(store)
    assert json.loads(hook.bodies[0]) == alert.payload
    (delivery,) = alert.deliveries
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("delivered", 3, None)


def test_a_webhook_that_keeps_failing_is_given_up_after_the_retries(
    server: LocalServer, client: Fetcher, store: Store, pipeline: Pipeline
) -> None:
    clusters = _shelling_cluster(store, pipeline, server)
    with (
        Hook(500, 500, 500, 500) as hook,
        Dispatcher(store, client, retries=2, backoff=0.02) as out,
    ):
        rule = make_rule("r", dyads="RUS,UKR", outputs=[f"webhook:{hook.url}"])
        out.deliver(check_clusters(store, [rule], clusters))
        assert out.drain(10)

    assert len(hook.bodies) == 3  # the first try and two retries
    (alert,) = alerts_since(store)
    (delivery,) = alert.deliveries
    assert (delivery.state, delivery.attempts) == ("failed", 3)
    assert delivery.last_error is not None
    assert "HTTP 500" in delivery.last_error


def test_a_webhook_on_a_loopback_address_is_refused_unless_allow_listed(
    server: LocalServer, store: Store, pipeline: Pipeline
) -> None:
    clusters = _shelling_cluster(store, pipeline, server)
    with Hook() as hook, fetcher(allow="") as strict, Dispatcher(store, strict, backoff=0) as out:
        rule = make_rule("r", dyads="RUS,UKR", outputs=[f"webhook:{hook.url}"])
        out.deliver(check_clusters(store, [rule], clusters))
        assert out.drain(10)

    assert hook.bodies == []  # never sent, and not retried
    ((delivery,),) = [a.deliveries for a in alerts_since(store)]
    assert (delivery.state, delivery.attempts) == ("failed", 1)
    assert delivery.last_error is not None
    assert "loopback" in delivery.last_error


def test_pending_deliveries_are_made_by_the_next_cycle(
    server: LocalServer, client: Fetcher, store: Store, pipeline: Pipeline, tmp_path: Path
) -> None:
    clusters = _shelling_cluster(store, pipeline, server)
    path = tmp_path / "alerts.jsonl"
    rule = make_rule("r", dyads="RUS,UKR", outputs=[f"jsonl:{path}"])
    # Made by another process (the web app's ingest, or a watch killed before delivering).
    (made,) = check_clusters(store, [rule], clusters)
    feed = Feed(server, "/other.xml", "Paper B")
    feed.add("talks", "Talks held", TALKS)
    run = Run(store, pipeline, client, [feed.url], [rule])

    first = run.cycle()
    second = run.cycle()

    assert (first.alerts, second.alerts) == (0, 0)  # no new alert: the old one is delivered
    assert [json.loads(line)["id"] for line in path.read_text("utf-8").splitlines()] == [made.id]
    (alert,) = get_alerts(store, [made.id])
    assert [(d.state, d.attempts) for d in alert.deliveries] == [("delivered", 1)]


# --- the command -----------------------------------------------------------------------------


def _command(*args: str | Path) -> list[str]:
    # The console script installed beside this interpreter, as tests/conftest.py runs it.
    return [str(Path(sys.executable).with_name("eventwire")), *map(str, args)]


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTWIRE_")}
    env.update(
        {
            "EVENTWIRE_HTTP_CACHE_DIR": str(tmp_path / "http-cache"),
            "EVENTWIRE_HOST_INTERVAL_MS": "0",
            "PYTHONIOENCODING": "utf-8",
            "NO_COLOR": "1",
            "COLUMNS": "200",
        }
    )
    return env


def test_the_watch_command_runs_until_sigterm_and_resumes_after_a_restart(
    server: LocalServer, tmp_path: Path
) -> None:
    feed = Feed(server, "/feed.xml", "Wire A")
    feed.add("kharkiv", "Kharkiv shelled", SHELLING)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# what we follow\n\n{feed.url}\n{server.url('/gone.xml')}\n", "utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "ru-ua"\ndyads = [["RUS", "UKR"]]\n', "utf-8")
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    common = ("--db", db, "--rules", rules, "--allow-host", "127.0.0.1")
    env = _environment(tmp_path)

    process = subprocess.Popen(
        _command("watch", feeds, "--interval", "1", *common),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
    )
    assert process.stderr is not None
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        lines.append(line)
        if "cycle 2:" in line:
            process.send_signal(signal.SIGTERM)
            break
    stdout, rest = process.communicate(timeout=60)
    log = "".join(lines) + rest

    assert process.returncode == 0, log
    cycles = [line for line in log.splitlines() if " cycle " in line]
    assert "cycle 1: 2 feeds polled, 1 new article" in cycles[0], log
    assert "1 alert, 1 error" in cycles[0], log
    assert "cycle 2: 2 feeds polled, 0 new articles" in cycles[1], log  # a 304, one more 404
    assert f"{server.url('/gone.xml')}: HTTP 404" in log
    assert "Traceback" not in log, log
    assert "stopped after 2 cycles" in log
    (alert,) = [json.loads(line) for line in stdout.splitlines()]
    assert alert["rule"] == "ru-ua"
    assert alert["cluster"]["type"] == "ASSAULT"

    again = subprocess.run(
        _command("watch", feeds, "--cycles", "1", *common),
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert again.stdout == "", again.stderr  # nothing new, no alert again
    assert "cycle 1: 1 feed polled (1 backing off), 0 new articles" in again.stderr
    assert again.returncode == 0, again.stderr

    listed = subprocess.run(
        _command("alerts", "--db", db, "--format", "jsonl"),
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == [alert["id"]]


def test_watchlist_rules_are_added_listed_and_removed_from_the_command_line(
    sqlite_url: str, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from eventwire.cli import app

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, [*args, "--db", sqlite_url])
        return result.exit_code, result.output

    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "from-file"\nactors = "IRN"\nstdout = false\n', "utf-8")
    added = run("watchlist", "add", "ru-ua", "--dyad", "rus,ukr", "--type", "ASSAULT",
                "--min-sources", "2", "--webhook", "https://hooks.example/x")  # fmt: skip
    taken = run("watchlist", "add", "ru-ua", "--actor", "RUS")
    bad = run("watchlist", "add", "bad", "--type", "NOPE")
    code, listed = run("watchlist", "list", "--rules", str(rules), "--format", "json")
    removed = run("watchlist", "remove", "ru-ua")
    again = run("watchlist", "remove", "ru-ua")
    no_alerts = run("alerts", "--format", "jsonl")

    assert added == (
        0,
        "rule ru-ua: dyad RUS-UKR, type ASSAULT, 2+ sources → webhook:https://hooks.example/x\n",
    )
    assert taken[0] == 2
    assert "exists" in taken[1]
    assert bad[0] == 2
    assert "unknown event type 'NOPE'" in bad[1]
    assert code == 0
    assert [(r["name"], r["origin"], r["outputs"]) for r in json.loads(listed)] == [
        ("from-file", str(rules), []),
        ("ru-ua", "database", ["webhook:https://hooks.example/x"]),
    ]
    assert removed == (0, "removed rule ru-ua\n")
    assert again[0] == 1
    assert no_alerts == (0, "")
