"""Events and their corrections."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from eventwire.output import event_dict
from eventwire.web.params import EventFilterParams, PagingParams, envelope, filter_values
from eventwire.web.records import event_detail, event_items
from eventwire.web.state import WebState, web_state
from eventwire.web.writes import correct_event, require_writer

router = APIRouter(prefix="/api/events", tags=["events"])
State = Annotated[WebState, Depends(web_state)]


@router.get("", summary="List events")
def list_events(
    request: Request, state: State, where: EventFilterParams, page: PagingParams
) -> dict[str, Any]:
    """Events matching every filter given, newest first (``sort=date``: oldest first).
    Events an analyst rejected are left out unless ``include_rejected``."""
    items = event_items(state, where, page)
    return envelope(request, items, page, filters=filter_values(where))


@router.get("/{event_id}", summary="One event")
def get_event(event_id: str, state: State) -> dict[str, Any]:
    """The event record, its corrections, its cluster, the claim it is about
    (``about``) and the statements about it (accusations, denials…)."""
    found = event_detail(state, event_id)
    if found is None:
        raise HTTPException(404, f"no event {event_id}")
    return found


@router.get("/{event_id}/corrections", summary="An event's corrections")
def list_corrections(event_id: str, state: State) -> dict[str, Any]:
    found = event_detail(state, event_id)
    if found is None:
        raise HTTPException(404, f"no event {event_id}")
    return {"items": found["corrections"]}


class CorrectionIn(BaseModel):
    """An analyst's verdict on an event, stored as a correction that wins over
    re-extraction."""

    action: Literal["confirm", "reject", "set"]
    changes: dict[str, str] = Field(
        default_factory=dict,
        description="With action set: fields to change, as `eventwire correct --set` takes "
        "them: type, mode, status, actor, recipient (codes, comma-separated), context, "
        "date (YYYY[-MM[-DD]]), country.",
        examples=[{"status": "alleged", "actor": "PRK"}],
    )
    note: str | None = Field(None, max_length=2000, description="Why, for the record.")


@router.post(
    "/{event_id}/corrections",
    summary="Confirm, reject or edit an event",
    dependencies=[Depends(require_writer)],
    status_code=201,
)
def add_correction(event_id: str, correction: CorrectionIn, state: State) -> dict[str, Any]:
    """Needs the token. Answers with the corrected event."""
    event = correct_event(state, event_id, correction.action, correction.changes, correction.note)
    return {"event": event_dict(event)}
