"""Commands over a stored database: clusters, actors, trends, show, correct."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from eventwire.cli.app import DbOption, app, fail, out, settings_or_exit
from eventwire.cli.options import (
    ActorOption,
    CountryOption,
    DyadOption,
    RecipientOption,
    SinceOption,
    StatusOption,
    TypeOption,
    UntilOption,
    opened_store,
    parse_dyad,
    upper,
)
from eventwire.errors import EventwireError


class ViewFormat(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[ViewFormat, typer.Option("--format", "-f", help="Output format.")]


def _json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    return table


def _statuses(counts: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{status} by {n}" for status, n in counts)


@app.command()
def clusters(
    db: DbOption = None,
    actor: ActorOption = None,
    recipient: RecipientOption = None,
    dyad: DyadOption = None,
    event_type: TypeOption = None,
    status: StatusOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    min_sources: Annotated[int, typer.Option(help="Only events with this many sources.")] = 0,
    limit: Annotated[int, typer.Option(help="At most this many clusters.")] = 50,
    output_format: FormatOption = ViewFormat.table,
) -> None:
    """List real events: clusters of reports, with their sources and combined status."""
    from eventwire.store import ClusterFilter

    where = ClusterFilter(
        actor=upper(actor),
        recipient=upper(recipient),
        dyad=parse_dyad(dyad),
        type=event_type,
        status=status,
        country=country,
        since=since,
        until=until,
        min_sources=min_sources,
        limit=limit,
    )
    with opened_store(db) as store:
        found = store.clusters(where)
    if output_format is ViewFormat.json:
        _json([asdict(c) for c in found])
        return
    rows = [
        [
            c.id,
            c.type,
            " ".join(c.actor_codes),
            " ".join(c.recipient_codes),
            c.date,
            c.country,
            c.status,
            _statuses(c.status_counts),
            len(c.sources),
            len(c.event_ids),
        ]
        for c in found
    ]
    columns = ["cluster", "type", "actor", "recipient", "date", "country", "status",
               "sources say", "sources", "reports"]  # fmt: skip
    out.print(_table(f"{len(found)} clusters", columns, rows))


@app.command()
def actors(
    code: Annotated[str | None, typer.Argument(help="Summarise this actor (e.g. RUS).")] = None,
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: Annotated[int, typer.Option(help="Actors to list (without CODE).")] = 25,
    output_format: FormatOption = ViewFormat.table,
) -> None:
    """The most active actors, or one actor's counterparts, events by type and score over time."""
    with opened_store(db) as store:
        if code is None:
            top = store.top_actors(since, until, limit)
            if output_format is ViewFormat.json:
                _json([asdict(a) for a in top])
                return
            rows = [[a.code, a.name, a.clusters, a.events] for a in top]
            out.print(_table("actors", ["code", "name", "events", "reports"], rows))
            return
        summary = store.actor_summary(code, since, until)
    if output_format is ViewFormat.json:
        _json(asdict(summary))
        return
    out.print(
        f"{summary.code} ({summary.name or 'unnamed'}): {summary.clusters} events in "
        f"{summary.events} reports; acting in {summary.as_actor}, receiving in "
        f"{summary.as_recipient}",
        highlight=False,
    )
    out.print(
        _table(
            "counterparts",
            ["code", "name", "events", "reports"],
            [[c.code, c.name, c.clusters, c.events] for c in summary.counterparts],
        )
    )
    out.print(
        _table(
            "events by type",
            ["period", "type", "events", "reports"],
            [[p.period, p.type, p.clusters, p.events] for p in summary.by_type],
        )
    )
    out.print(
        _table(
            "cooperation–conflict score (−10 … +10)",
            ["period", "score", "events"],
            [[p.period, p.score, p.clusters] for p in summary.scores],
        )
    )


@app.command()
def trends(
    db: DbOption = None,
    end: Annotated[
        str | None, typer.Option(help="Last day of the period (default: latest event date).")
    ] = None,
    days: Annotated[int, typer.Option(help="Length of the period in days.")] = 7,
    baseline: Annotated[int, typer.Option(help="Days before the period to compare with.")] = 28,
    limit: Annotated[int, typer.Option(help="Dyads to list.")] = 20,
    output_format: FormatOption = ViewFormat.table,
) -> None:
    """Dyads with more events in the period than their baseline predicts."""
    if days < 1 or baseline < 1:
        raise fail("--days and --baseline must be at least 1")
    with opened_store(db) as store:
        found = store.trending_dyads(end, days, baseline, limit)
    if output_format is ViewFormat.json:
        _json([asdict(t) for t in found])
        return
    rows = [[f"{t.a}–{t.b}", t.current, t.baseline, t.score] for t in found]
    columns = ["dyad", f"events ({days} days)", f"baseline ({baseline} days)", "trend"]
    out.print(_table("trending dyads", columns, rows))


@app.command()
def show(
    item: Annotated[
        str, typer.Argument(help="An event id (ev_…), cluster id (cl_…) or article id.")
    ],
    db: DbOption = None,
    output_format: FormatOption = ViewFormat.json,
) -> None:
    """Everything stored about one event, cluster or article, with its sources."""
    from eventwire.output import event_dict, event_table
    from eventwire.store import EventFilter

    with opened_store(db) as store:
        if item.startswith("cl_"):
            found = store.cluster(item)
            if found is None:
                raise fail(f"{store.name}: no cluster {item}")
            reports = store.events(EventFilter(cluster_id=item, limit=None))
            value: dict[str, Any] = {"cluster": asdict(found)}
            value["reports"] = [event_dict(e) for e in reports]
        elif item.startswith("ev_"):
            event = store.event(item)
            if event is None:
                raise fail(f"{store.name}: no event {item}")
            value = {"event": event_dict(event)}
            value["corrections"] = [asdict(c) for c in store.corrections(event.id)]
            value["cluster"] = (
                asdict(cluster)
                if event.cluster_id and (cluster := store.cluster(event.cluster_id))
                else None
            )
            reports = [event]
        else:
            article = store.article(item)
            if article is None:
                raise fail(f"{store.name}: no article {item}")
            reports = store.events(EventFilter(article_id=item, limit=None, include_rejected=True))
            value = {"article": article, "events": [event_dict(e) for e in reports]}
    if output_format is ViewFormat.json:
        _json(value)
    else:
        out.print(event_table(reports, title=item))


@app.command()
def correct(
    event_id: Annotated[
        str, typer.Argument(help="The event to correct (its id or a unique start).")
    ],
    confirm: Annotated[bool, typer.Option("--confirm", help="The event is right.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="The event is wrong: hide it.")] = False,
    changes: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="FIELD=VALUE, repeatable: type, mode, status, actor, recipient, context, date, "
            "country (codes comma-separated: actor=RUS,UKR).",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
    db: DbOption = None,
) -> None:
    """Confirm, reject or edit a stored event; corrections win over re-extraction."""
    from eventwire.cluster import update_clusters
    from eventwire.output import event_dict
    from eventwire.store.corrections import parse_changes

    if confirm + reject + bool(changes) != 1:
        raise fail("give exactly one of --confirm, --reject or --set FIELD=VALUE …")
    action = "confirm" if confirm else "reject" if reject else "set"
    settings = settings_or_exit(db_url=db)
    try:
        parsed = parse_changes(changes or [])
    except EventwireError as exc:
        raise fail(str(exc)) from None
    with opened_store(db) as store:
        try:
            corrected = store.correct(event_id, action, parsed, note)
            update_clusters(store, settings.cluster_window_days)
            corrected = store.event(corrected.id) or corrected
        except EventwireError as exc:
            raise fail(str(exc)) from None
    print(json.dumps(event_dict(corrected), ensure_ascii=False))
