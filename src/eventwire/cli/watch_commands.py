"""Watch mode: ``watch`` (poll feeds, alert), ``watchlist add|list|remove``, ``alerts``."""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from eventwire.cli.app import DbOption, app, fail, out, pipeline_or_exit, settings_or_exit
from eventwire.cli.core import AllowHostOption, _fetcher
from eventwire.cli.options import opened_store
from eventwire.errors import EventwireError
from eventwire.model import InputError

if TYPE_CHECKING:
    from eventwire.watch import Alert, Rule

DRAIN_SECONDS = 60.0  # at exit, webhooks still being tried get this long before they wait
log = logging.getLogger("eventwire.watch")

watchlist_app = typer.Typer(
    name="watchlist",
    help="Watchlist rules kept in the database (a watch also reads --rules FILE).",
    no_args_is_help=True,
)
app.add_typer(watchlist_app)

RulesOption = Annotated[
    str | None,
    typer.Option(
        "--rules",
        metavar="FILE",
        help="TOML file of watchlist rules (docs/watch.md), besides those in the database.",
    ),
]


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


FormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]


def _log_to_stderr() -> None:
    for old in [h for h in log.handlers if getattr(h, "eventwire_watch", False)]:
        log.removeHandler(old)  # a second watch in one process: log to today's stderr
    handler = logging.StreamHandler(sys.stderr)
    handler.eventwire_watch = True  # type: ignore[attr-defined]
    handler.setFormatter(
        logging.Formatter("%(asctime)s eventwire watch: %(message)s", "%Y-%m-%dT%H:%M:%S%z")
    )
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT or SIGTERM sets ``stop`` (the watch stops after the article in flight); a
    second one stops at once. The handlers before are put back afterwards."""

    def handle(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log.info("%s: stopping (again to stop at once)", signal.strsignal(signum))
        stop.set()

    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only: the caller stops the watch
        return
    before = {signum: signal.signal(signum, handle) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


@app.command()
def watch(
    feeds_file: Annotated[
        Path,
        typer.Argument(
            help="Feed URLs, one per line ('#' comments), or a TOML file: feeds = [...]"
        ),
    ],
    interval: Annotated[
        int | None,
        typer.Option(help="Seconds between polls (start to start); the watch_interval setting."),
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="Run one cycle and exit (for cron).")
    ] = False,
    cycles: Annotated[
        int | None,
        typer.Option(min=1, metavar="N", help="Run N cycles, then exit (default: until stopped)."),
    ] = None,
    rules: RulesOption = None,
    db: DbOption = None,
    allow_host: AllowHostOption = None,
) -> None:
    """Poll feeds on a schedule, ingest new articles, and alert on watchlist rules.

    One line per cycle on stderr; alerts for stdout outputs on stdout, one JSON per
    line. SIGINT/SIGTERM stop after the cycle in flight (a second one at once). With
    --once or --cycles, exits 1 when a cycle had errors.
    """
    from eventwire.store import open_store
    from eventwire.watch import Dispatcher, Watcher, active_rules, read_feeds_file

    settings = settings_or_exit(db_url=db, watch_interval=interval, watch_rules=rules)
    rules_file = settings.watch_rules or None
    try:
        feeds = read_feeds_file(feeds_file)
        store = open_store(settings.db_url)
    except EventwireError as exc:
        raise fail(str(exc)) from None
    fetcher = _fetcher(settings, allow_host)
    with store, fetcher:
        try:
            rule_count = len(active_rules(store, rules_file))
        except EventwireError as exc:
            raise fail(str(exc)) from None
        pipeline = pipeline_or_exit(settings)
        _log_to_stderr()
        dispatcher = Dispatcher(
            store,
            fetcher,
            stdout=sys.stdout,
            retries=settings.webhook_retries,
            backoff=settings.webhook_backoff_ms / 1000,
        )

        def failed(error: InputError) -> None:
            log.warning("%s: %s", error.source, " ".join(error.reason.split()))

        watcher = Watcher(
            store,
            pipeline,
            fetcher,
            feeds,
            dispatcher,
            rules_file=rules_file,
            interval=settings.watch_interval,
            on_error=failed,
        )
        stop = threading.Event()
        with _stop_on_signals(stop), dispatcher:
            resumed = dispatcher.resume()
            log.info(
                "watching %s %s with %s into %s%s",
                _plural(len(feeds), "feed"),
                _schedule(once, cycles, settings.watch_interval),
                _plural(rule_count, "rule"),
                store.name,
                f"; resuming {_plural(resumed, 'alert delivery', 'alert deliveries')}"
                if resumed
                else "",
            )
            reports = watcher.run(
                once=once,
                cycles=cycles,
                stop=stop,
                on_cycle=lambda report: log.info("%s", report.line()),
            )
            if not dispatcher.drain(DRAIN_SECONDS):
                log.info("webhooks still being tried are left pending for the next run")
        log.info("stopped after %s", _plural(len(reports), "cycle"))
    if (once or cycles) and any(r.errors or r.failure for r in reports):
        raise typer.Exit(1)


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else words or word + 's'}"


def _schedule(once: bool, cycles: int | None, interval: int) -> str:
    if once:
        return "once"
    every = f"every {interval} s"
    return f"{every}, {cycles} cycles" if cycles else every


# --- watchlist ---------------------------------------------------------------------------


Many = list[str] | None  # a repeatable option


def _many(help_text: str, *names: str, metavar: str = "CODE") -> Any:
    return typer.Option(*names, metavar=metavar, help=f"{help_text} Repeatable.")


@watchlist_app.command("add")
def watchlist_add(
    name: Annotated[str, typer.Argument(help="The rule's name (letters, digits, . _ - :).")],
    actor: Annotated[Many, _many("Actor code, e.g. RUS.")] = None,
    recipient: Annotated[Many, _many("Recipient code.")] = None,
    dyad: Annotated[Many, _many("Two codes, either direction: RUS,UKR.", metavar="A,B")] = None,
    event_type: Annotated[
        Many, _many("PLOVER type, e.g. ASSAULT.", "--type", metavar="TYPE")
    ] = None,
    mode: Annotated[Many, _many("PLOVER mode, e.g. aerial.", metavar="MODE")] = None,
    status: Annotated[
        Many, _many("Combined status of the event, e.g. reported.", metavar="STATUS")
    ] = None,
    country: Annotated[Many, _many("Country of the event (ISO alpha-3).")] = None,
    min_sources: Annotated[int, typer.Option(help="Only events with this many sources.")] = 0,
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print alerts on the watch's stdout (the default).")
    ] = False,
    jsonl: Annotated[
        list[Path] | None, _many("Append alerts to this JSONL file.", metavar="FILE")
    ] = None,
    webhook: Annotated[Many, _many("POST each alert's JSON to this URL.", metavar="URL")] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace a rule of that name.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Add a rule: alerts once per real event (cluster) that passes every filter given."""
    from eventwire.watch import Output, add_rule, make_rule

    outputs: list[Output | str] = [Output("stdout")] if stdout else []
    outputs += [f"jsonl:{path.expanduser().absolute()}" for path in jsonl or ()]
    outputs += [f"webhook:{url}" for url in webhook or ()]
    try:
        rule = make_rule(
            name,
            actors=actor or (),
            recipients=recipient or (),
            dyads=dyad or None,
            types=event_type or (),
            modes=mode or (),
            statuses=status or (),
            countries=country or (),
            min_sources=min_sources,
            outputs=outputs or [Output("stdout")],
        )
    except EventwireError as exc:
        raise fail(str(exc)) from None
    with opened_store(db) as store:
        try:
            add_rule(store, rule, replace=replace)
        except EventwireError as exc:
            raise fail(str(exc)) from None
    out.print(f"rule {rule.name}: {rule.describe()} → {_outputs(rule)}", highlight=False)


def _outputs(rule: Rule) -> str:
    return ", ".join(str(o) for o in rule.outputs) or "stored only"


@watchlist_app.command("list")
def watchlist_list(
    rules: RulesOption = None,
    db: DbOption = None,
    output_format: FormatOption = ListFormat.table,
) -> None:
    """List the rules a watch runs: the database's and, with --rules, the file's."""
    from eventwire.watch import active_rules

    settings = settings_or_exit(watch_rules=rules)
    with opened_store(db) as store:
        try:
            found = active_rules(store, settings.watch_rules or None)
        except EventwireError as exc:
            raise fail(str(exc)) from None
    if output_format is not ListFormat.table:
        records = [{"name": r.name, "origin": r.origin, **r.spec()} for r in found]
        if output_format is ListFormat.json:
            print(json.dumps(records, ensure_ascii=False, indent=2))
        else:
            for record in records:
                print(json.dumps(record, ensure_ascii=False))
        return
    table = Table(title=f"{len(found)} watchlist rules")
    for column in ("rule", "filters", "outputs", "from"):
        table.add_column(column, overflow="fold")
    for rule in found:
        table.add_row(rule.name, rule.describe(), _outputs(rule), rule.origin)
    out.print(table)


@watchlist_app.command("remove")
def watchlist_remove(
    name: Annotated[str, typer.Argument(help="The rule to remove (its alerts are kept).")],
    db: DbOption = None,
) -> None:
    """Remove a rule from the database."""
    from eventwire.watch import remove_rule

    with opened_store(db) as store:
        if not remove_rule(store, name):
            raise fail(f"no watchlist rule named {name!r} in {store.name}", 1)
    out.print(f"removed rule {name}", highlight=False)


# --- alerts --------------------------------------------------------------------------------


def _deliveries(alert: Alert) -> str:
    return "; ".join(
        f"{d.output} {d.state}"
        + (f" after {d.attempts} tries" if d.attempts > 1 else "")
        + (f" ({d.last_error})" if d.last_error and d.state != "delivered" else "")
        for d in alert.deliveries
    )


@app.command()
def alerts(
    rule: Annotated[str | None, typer.Option(help="Only this rule's alerts.")] = None,
    after: Annotated[
        int | None, typer.Option(metavar="ID", help="Alerts after this id, oldest first.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many alerts.")] = 50,
    db: DbOption = None,
    output_format: FormatOption = ListFormat.table,
) -> None:
    """List stored alerts (newest first) with the state of each delivery."""
    from eventwire.watch import alerts_since, latest_alerts

    with opened_store(db) as store:
        try:
            found = (
                latest_alerts(store, rule=rule, limit=limit)
                if after is None
                else alerts_since(store, after, rule=rule, limit=limit)
            )
        except EventwireError as exc:
            raise fail(str(exc)) from None
    if output_format is ListFormat.jsonl:
        for alert in found:
            print(json.dumps(alert.payload, ensure_ascii=False))
    elif output_format is ListFormat.json:
        records = [
            {**alert.payload, "deliveries": [asdict(d) for d in alert.deliveries]}
            for alert in found
        ]
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        table = Table(title=f"{len(found)} alerts")
        for column in ("id", "time", "rule", "kind", "event", "cluster", "deliveries"):
            table.add_column(column, overflow="fold")
        for alert in found:
            table.add_row(
                str(alert.id),
                alert.created_at,
                alert.rule,
                alert.kind,
                str(alert.payload.get("summary", "")),
                alert.cluster_id,
                _deliveries(alert),
            )
        out.print(table)
