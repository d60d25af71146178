"""The map of located events: an equirectangular grid, no tiles, no coastlines."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from eventwire.web.charts import MapPoint, world_map
from eventwire.web.pages import State
from eventwire.web.params import EventFilterParams, filter_values
from eventwire.web.records import map_places
from eventwire.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = ("Map", "/map")


def _point(place: dict[str, Any]) -> MapPoint:
    statuses = ", ".join(f"{s} {n}" for s, n in sorted(place["statuses"].items()))
    name = place["name"] or place["country"] or "?"
    query = {"place": place["name"]} if place["name"] else {"country": place["country"]}
    return MapPoint(
        lat=float(place["lat"]),
        lon=float(place["lon"]),
        precision=place["precision"],
        label=str(place["country"] or ""),
        title=f"{name} ({place['precision'] or 'unknown'} precision): "
        f"{place['events']} events — {statuses}",
        events=int(place["events"]),
        href="/events?" + urlencode(query),
    )


@router.get("/map")
def map_page(
    request: Request,
    state: State,
    where: EventFilterParams,
    limit: Annotated[int, Query(ge=1, le=20_000)] = 5000,
    view: Annotated[str, Query(pattern="^(fit|world)$")] = "fit",
) -> Response:
    places = map_places(state, replace(where, limit=limit))
    data = {"items": places, "limit": limit, "filters": filter_values(where)}
    chart = world_map([_point(p) for p in places], fit=view == "fit")
    return render(request, "map.html", data, chart=chart, view=view)
