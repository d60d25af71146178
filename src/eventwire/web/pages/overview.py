"""The overview: events over time, trending dyads, active actors, latest clusters."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Request
from fastapi.responses import Response

from eventwire.web.charts import heat_rows, stacked_bars
from eventwire.web.pages import State
from eventwire.web.records import overview
from eventwire.web.templating import QUADS, render

router = APIRouter(include_in_schema=False)
NAV = ("Overview", "/")


@router.get("/")
def overview_page(request: Request, state: State) -> Response:
    data = overview(state)
    line = data["timeline"]
    by_quad: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_type: dict[tuple[str, str], int] = defaultdict(int)
    quad_of: dict[str, str] = {}
    for row in line["rows"]:
        quad = str(row["quad"] or 0)
        by_quad[row["period"]][quad] += row["clusters"]
        by_type[(row["type"], row["period"])] += row["clusters"]
        quad_of[row["type"]] = f"q{quad}"
    until = "{period}"
    quads = stacked_bars(
        line["periods"],
        by_quad,
        keys=["1", "2", "3", "4", "0"],
        key_class={"1": "q1", "2": "q2", "3": "q3", "4": "q4", "0": "q0"},
        key_label={str(k): v for k, v in QUADS.items()} | {"0": "other"},
        href=f"/clusters?since={{period}}&until={until}",
    )
    types = sorted(quad_of, key=lambda t: (quad_of[t], t))
    type_chart = heat_rows(
        types,
        line["periods"],
        by_type,
        quad_of,
        href="/clusters?type={row}&since={period}&until={period}",
    )
    return render(request, "overview.html", data, quad_chart=quads, type_chart=type_chart)
