"""Clusters: the reports of one real event, across sources."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request

from eventwire.web.params import ClusterFilterParams, PagingParams, envelope, filter_values
from eventwire.web.records import cluster_detail, cluster_items
from eventwire.web.state import WebState, web_state

router = APIRouter(prefix="/api/clusters", tags=["clusters"])
State = Annotated[WebState, Depends(web_state)]


@router.get("", summary="List clusters (real events)")
def list_clusters(
    request: Request, state: State, where: ClusterFilterParams, page: PagingParams
) -> dict[str, Any]:
    """Real events by the date of their first report; each lists its sources and how
    many sources give each status (``status_counts``)."""
    items = cluster_items(state, where, page)
    return envelope(request, items, page, filters=filter_values(where))


@router.get("/{cluster_id}", summary="One cluster with all its reports")
def get_cluster(cluster_id: str, state: State) -> dict[str, Any]:
    """Every report of the real event beside its article (outlet, publication date),
    earliest first."""
    found = cluster_detail(state, cluster_id)
    if found is None:
        raise HTTPException(404, f"no cluster {cluster_id}")
    return found
