"""Watchlists: the rules, a form to add one, and their alerts arriving live."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from eventwire.errors import EventwireError
from eventwire.watch import add_rule, remove_rule
from eventwire.web import alerting
from eventwire.web.pages import State
from eventwire.web.templating import render
from eventwire.web.writes import require_writer

router = APIRouter(include_in_schema=False)
NAV = ("Watchlists", "/watchlists")
Limit = Annotated[int, Query(ge=1, le=500)]


def rule_path(name: str) -> str:
    return "/watchlists/" + quote(name, safe="")


def _index(state: State, limit: int) -> dict[str, Any]:
    return {
        "rules": [alerting.rule_json(r) for r in alerting.rules(state)],
        "alerts": alerting.alerts_page(state, None, limit),
    }


@router.get("/watchlists")
def watchlists_page(request: Request, state: State, limit: Limit = 50) -> Response:
    return render(request, "watchlists.html", _index(state, limit), form={})


@router.post("/watchlists", dependencies=[Depends(require_writer)])
def add_watchlist_form(
    request: Request,
    state: State,
    name: Annotated[str, Form(max_length=100)] = "",
    actors: Annotated[str, Form(max_length=500)] = "",
    recipients: Annotated[str, Form(max_length=500)] = "",
    dyads: Annotated[str, Form(max_length=1000)] = "",
    types: Annotated[list[str] | None, Form()] = None,
    statuses: Annotated[list[str] | None, Form()] = None,
    countries: Annotated[str, Form(max_length=500)] = "",
    min_sources: Annotated[int, Form(ge=0, le=10_000)] = 0,
) -> Response:
    """Add the rule and go to its page; a bad value shows the form again, filled in."""
    form = {"name": name, "actors": actors, "recipients": recipients, "dyads": dyads,
            "types": types or [], "statuses": statuses or [], "countries": countries,
            "min_sources": min_sources}  # fmt: skip
    try:
        rule = alerting.new_rule(
            name,
            actors=alerting.split_values(actors),
            recipients=alerting.split_values(recipients),
            dyads=alerting.split_dyads(dyads),
            types=[t for t in types or () if t],
            statuses=[s for s in statuses or () if s],
            countries=alerting.split_values(countries),
            min_sources=min_sources,
        )
        with state.write_lock:
            add_rule(state.store, rule)
    except EventwireError as exc:
        data = {**_index(state, 50), "error": str(exc)}
        return render(request, "watchlists.html", data, status=422, form=form)
    return RedirectResponse(rule_path(rule.name), 303)


@router.get("/watchlists/{name}")
def watchlist_page(request: Request, state: State, name: str, limit: Limit = 50) -> Response:
    rule = next((r for r in alerting.rules(state) if r.name == name), None)
    if rule is None:
        raise HTTPException(404, f"no watchlist rule {name!r}")
    data = {"rule": alerting.rule_json(rule), "alerts": alerting.alerts_page(state, name, limit)}
    return render(request, "watchlist.html", data)


@router.post("/watchlists/{name}/delete", dependencies=[Depends(require_writer)])
def delete_watchlist_form(state: State, name: str) -> Response:
    with state.write_lock:
        if not remove_rule(state.store, name):
            raise HTTPException(404, f"no watchlist rule {name!r} in the database")
    return RedirectResponse("/watchlists", 303)
