"""Clusters: the list of real events, and one event's reports side by side."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from eventwire.web.pages import State
from eventwire.web.params import ClusterFilterParams, PagingParams, envelope, filter_values
from eventwire.web.records import cluster_detail, cluster_items
from eventwire.web.templating import render

router = APIRouter(include_in_schema=False)
NAV = ("Clusters", "/clusters")


@router.get("/clusters")
def clusters_page(
    request: Request, state: State, where: ClusterFilterParams, page: PagingParams
) -> Response:
    items = cluster_items(state, where, page)
    return render(
        request, "clusters.html", envelope(request, items, page, filters=filter_values(where))
    )


@router.get("/clusters/{cluster_id}")
def cluster_page(cluster_id: str, request: Request, state: State) -> Response:
    data = cluster_detail(state, cluster_id)
    if data is None:
        raise HTTPException(404, f"no cluster {cluster_id}")
    return render(request, "cluster.html", data)
