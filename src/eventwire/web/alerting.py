"""Watchlists in the web app: rules and alerts through :mod:`eventwire.watch`, the
rules checked after every write made here, and alerts streamed as Server-Sent Events.

The watch library owns rules and alerts; this module only shapes them as JSON,
builds rules from what a form or a request gives, and decides when to check:
after an ingest (the clusters of the ingested articles) and after a correction
(the corrected event's cluster, whose status may have changed). Alerts are made
once per cluster and rule whoever checks first, so a ``watch`` beside this server
never doubles them.

Rules made here have no outputs: their alerts are stored and shown live in the
dashboard. Outputs write files or call URLs from the machine; they are set with
``eventwire watchlist add``, by whoever runs it, not through a web request.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import asdict
from typing import Any

from eventwire.errors import EventwireError
from eventwire.store import EventFilter
from eventwire.watch import (
    Alert,
    Rule,
    active_rules,
    check_clusters,
    last_alert_id,
    latest_alerts,
    make_rule,
    wait_for_alerts_async,
)
from eventwire.web.state import WebState

log = logging.getLogger("eventwire.web")

KEEPALIVE_SECONDS = 15.0  # a comment line this often keeps proxies and browsers from timing out
RETRY_MILLISECONDS = 2000  # how soon a browser reconnects when a stream ends
POLL_SECONDS = 0.5  # how often a stream looks for alerts another process made


def rule_json(rule: Rule) -> dict[str, Any]:
    return {"name": rule.name, "origin": rule.origin, "description": rule.describe(), **rule.spec()}


def alert_json(alert: Alert) -> dict[str, Any]:
    found = asdict(alert)
    found["summary"] = alert.payload.get("summary", "")
    return found


def rules(state: WebState) -> list[Rule]:
    """The rules a watch over this database runs: the database's and the rules file's
    (the watch_rules setting), merged by name."""
    return active_rules(state.store, state.settings.watch_rules or None)


def split_values(text: str | None) -> list[str]:
    """Values typed in one box: separated by commas, semicolons or spaces."""
    return [v for v in re.split(r"[,;\s]+", text or "") if v]


def split_dyads(text: str | None) -> list[str]:
    """Dyads typed in one box: ``RUS-UKR; USA-CHN`` (or ``RUS,UKR`` one per line)."""
    return [d.strip() for d in re.split(r"[;\n]+", text or "") if d.strip()]


def new_rule(
    name: str,
    *,
    actors: Iterable[str] = (),
    recipients: Iterable[str] = (),
    dyads: Sequence[str] = (),
    types: Iterable[str] = (),
    statuses: Iterable[str] = (),
    countries: Iterable[str] = (),
    min_sources: int = 0,
) -> Rule:
    """A checked rule without outputs (see the module doc); ConfigError names a bad value."""
    return make_rule(
        name,
        actors=actors,
        recipients=recipients,
        dyads=list(dyads) or None,
        types=types,
        statuses=statuses,
        countries=countries,
        min_sources=min_sources,
        outputs=(),
    )


def check_articles(state: WebState, article_ids: Iterable[str]) -> list[Alert]:
    """Run the rules over the clusters of these articles' events."""
    cluster_ids: set[str] = set()
    for article_id in article_ids:
        found = state.store.events(EventFilter(article_id=article_id, limit=None))
        cluster_ids.update(e.cluster_id for e in found if e.cluster_id)
    return check(state, cluster_ids)


def check(state: WebState, cluster_ids: Iterable[str]) -> list[Alert]:
    """Run the rules over these clusters. A broken rules file must not undo the write
    that came before: it is logged, and only the database's rules are lost for now."""
    ids = sorted(set(cluster_ids))
    if not ids:
        return []
    try:
        chosen = rules(state)
    except EventwireError as exc:
        log.error("watchlist rules not checked: %s", exc)
        return []
    return check_clusters(state.store, chosen, ids)


def alerts_page(state: WebState, rule: str | None, limit: int) -> dict[str, Any]:
    """The newest alerts (of one rule), and where a live stream picks up after them."""
    found = latest_alerts(state.store, rule=rule, limit=limit)
    return {
        "items": [alert_json(a) for a in found],
        "limit": limit,
        "rule": rule,
        "last_id": found[0].id if found else last_alert_id(state.store),
    }


def _event(alert: Alert) -> str:
    # json.dumps writes no newline, so the payload is one "data:" line.
    data = json.dumps(alert_json(alert), ensure_ascii=False)
    return f"id: {alert.id}\nevent: alert\ndata: {data}\n\n"


async def alert_stream(
    state: WebState, after: int | None, rule: str | None, seconds: float
) -> AsyncIterator[str]:
    """Server-Sent Events: each alert above ``after`` (None: from now on) as it is made.

    The stream ends after ``seconds``; the browser's EventSource reconnects by itself
    with ``Last-Event-ID``, so no alert is lost, and a stopping server never waits
    long for a stream to finish.
    """
    store = state.store
    if after is None:
        after = last_alert_id(store)
    yield f"retry: {RETRY_MILLISECONDS}\n: alerts after {after}\n\n"
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        found = await wait_for_alerts_async(
            store, after, min(KEEPALIVE_SECONDS, left), rule=rule, poll_interval=POLL_SECONDS
        )
        if not found:
            yield ": keep-alive\n\n"
            continue
        for alert in found:
            after = max(after, alert.id)
            yield _event(alert)
