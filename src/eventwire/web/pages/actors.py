"""Actors: the most active, and one actor's network, timeline and status mix."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from eventwire.store.summaries import load_ontology
from eventwire.web.charts import Node, line_over_bars, network, stacked_bars
from eventwire.web.pages import State
from eventwire.web.params import CODE
from eventwire.web.records import actor_detail
from eventwire.web.templating import QUADS, render

router = APIRouter(include_in_schema=False)
NAV = ("Actors", "/actors")


@router.get("/actors")
def actors_page(request: Request, state: State) -> Response:
    top = state.cache.get(("top", None, None, 100), lambda: state.store.top_actors(limit=100))
    return render(request, "actors.html", {"items": [asdict(a) for a in top]})


@router.get("/actors/{code}")
def actor_page(
    request: Request, state: State, code: Annotated[str, Path(pattern=CODE)]
) -> Response:
    data = actor_detail(state, code)
    center = Node(data["code"], data["name"], data["clusters"] or data["events"], None)
    others = [
        Node(c["code"], c["name"], c["clusters"] or c["events"], c["score"])
        for c in data["counterparts"]
    ]
    types = load_ontology().types
    by_quad: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in data["by_type"]:
        quad = str(types[row["type"]].quad) if row["type"] in types else "0"
        by_quad[row["period"]][quad] += row["clusters"] or row["events"]
    periods = sorted(p for p in by_quad if p != "undated")
    timeline = stacked_bars(
        periods,
        by_quad,
        keys=["1", "2", "3", "4", "0"],
        key_class={"1": "q1", "2": "q2", "3": "q3", "4": "q4", "0": "q0"},
        key_label={str(k): v for k, v in QUADS.items()} | {"0": "other"},
        href=f"/events?actor={data['code']}&since={{period}}&until={{period}}",
    )
    scores = {s["period"]: s["score"] for s in data["scores"]}
    timeline = line_over_bars(timeline, periods, scores, -10.0, 10.0)
    total = sum(data["statuses"].values())
    return render(
        request,
        "actor.html",
        data,
        graph=network(center, others),
        timeline=timeline,
        status_total=total,
    )
