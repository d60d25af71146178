"""Watchlists and alerts: rules, the alerts they made, and a live stream of new ones."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from eventwire.watch import get_rule, remove_rule
from eventwire.web import alerting
from eventwire.web.state import WebState, web_state
from eventwire.web.writes import require_writer

router = APIRouter(prefix="/api", tags=["watchlists"])
State = Annotated[WebState, Depends(web_state)]
RuleName = Annotated[str, Path(min_length=1, max_length=100, description="The rule's name.")]
RuleFilter = Annotated[
    str | None, Query(min_length=1, max_length=100, description="Only this rule's alerts.")
]
Codes = list[Annotated[str, Field(max_length=12)]]


class RuleIn(BaseModel):
    """A watchlist rule: an alert once per real event (cluster) that passes every filter
    given; a filter listing several values passes when any of them does."""

    name: str = Field(min_length=1, max_length=100, examples=["russia-ukraine attacks"])
    actors: Codes = Field(default_factory=list, max_length=50, examples=[["RUS"]])
    recipients: Codes = Field(default_factory=list, max_length=50)
    dyads: list[Annotated[str, Field(max_length=30)]] = Field(
        default_factory=list, max_length=50, description="Either direction.", examples=[["RUS,UKR"]]
    )
    types: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=50, description="PLOVER types.", examples=[["ASSAULT"]]
    )
    statuses: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=list, max_length=10, description="The cluster's combined status."
    )
    countries: Codes = Field(default_factory=list, max_length=50, description="ISO alpha-3.")
    min_sources: int = Field(0, ge=0, le=10_000, description="Outlets reporting it.")


@router.get("/watchlists", summary="List watchlist rules")
def list_watchlists(state: State) -> dict[str, Any]:
    """The rules a watch over this database runs: the database's and, with the
    watch_rules setting, the rules file's (``origin`` says which)."""
    return {"items": [alerting.rule_json(r) for r in alerting.rules(state)]}


@router.post(
    "/watchlists",
    summary="Add a watchlist rule",
    dependencies=[Depends(require_writer)],
    status_code=201,
)
def add_watchlist(given: RuleIn, state: State) -> dict[str, Any]:
    """Needs the token. Alerts follow for events that arrive from now on (through this
    server's ingest, or ``eventwire watch``); they are stored and streamed, not sent
    anywhere (outputs are set with ``eventwire watchlist add``). 409 if the name is taken."""
    from eventwire.watch import add_rule

    rule = alerting.new_rule(
        given.name,
        actors=given.actors,
        recipients=given.recipients,
        dyads=given.dyads,
        types=given.types,
        statuses=given.statuses,
        countries=given.countries,
        min_sources=given.min_sources,
    )
    with state.write_lock:
        if get_rule(state.store, rule.name) is not None:
            raise HTTPException(409, f"a watchlist rule named {rule.name!r} exists")
        add_rule(state.store, rule)
    return alerting.rule_json(rule)


@router.get("/watchlists/{name}", summary="One watchlist rule and its latest alerts")
def get_watchlist(
    name: RuleName, state: State, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> dict[str, Any]:
    rule = next((r for r in alerting.rules(state) if r.name == name), None)
    if rule is None:
        raise HTTPException(404, f"no watchlist rule {name!r}")
    return {"rule": alerting.rule_json(rule), "alerts": alerting.alerts_page(state, name, limit)}


@router.delete(
    "/watchlists/{name}",
    summary="Remove a watchlist rule",
    dependencies=[Depends(require_writer)],
    status_code=204,
)
def delete_watchlist(name: RuleName, state: State) -> Response:
    """Needs the token. The rule's alerts are kept. A rule from the rules file is not
    in the database: change the file."""
    if not remove_rule(state.store, name):
        raise HTTPException(404, f"no watchlist rule {name!r} in the database")
    return Response(status_code=204)


@router.get("/alerts", summary="The latest alerts")
def list_alerts(
    state: State, rule: RuleFilter = None, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> dict[str, Any]:
    """Newest first; ``last_id`` is where a stream (``/api/alerts/stream?after=``) goes on."""
    return alerting.alerts_page(state, rule, limit)


@router.get(
    "/alerts/stream",
    summary="New alerts, live (Server-Sent Events)",
    response_class=StreamingResponse,
    responses={200: {"description": "text/event-stream", "content": {"text/event-stream": {}}}},
)
def stream_alerts(
    state: State,
    rule: RuleFilter = None,
    after: Annotated[
        int | None, Query(ge=0, description="Alerts with an id above this (default: from now).")
    ] = None,
    seconds: Annotated[
        float, Query(gt=0, le=3600, description="The stream ends after this; reconnect.")
    ] = 300,
    last_event_id: Annotated[
        str | None, Header(pattern=r"^\d{1,18}$", description="Set by EventSource on reconnect.")
    ] = None,
) -> StreamingResponse:
    """Each alert as ``event: alert`` with its id and JSON, as it is made, and a comment
    line every 15 s. A browser's ``EventSource`` reconnects by itself and sends
    ``Last-Event-ID``, so no alert is missed."""
    start = int(last_event_id) if last_event_id else after
    return StreamingResponse(
        alerting.alert_stream(state, start, rule, seconds),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
