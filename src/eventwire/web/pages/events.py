"""Events: the filtered list, one event's page, and the correction form behind every
event card."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from eventwire.model import Event
from eventwire.output import event_dict
from eventwire.web.pages import State
from eventwire.web.params import EventFilterParams, PagingParams, envelope, filter_values
from eventwire.web.records import event_detail, event_items
from eventwire.web.security import local_path
from eventwire.web.templating import render
from eventwire.web.writes import correct_event, require_writer

router = APIRouter(include_in_schema=False)
NAV = ("Events", "/events")


@router.get("/events")
def events_page(
    request: Request, state: State, where: EventFilterParams, page: PagingParams
) -> Response:
    data = envelope(request, event_items(state, where, page), page, filters=filter_values(where))
    return render(request, "events.html", data)


@router.get("/events/{event_id}")
def event_page(event_id: str, request: Request, state: State) -> Response:
    data = event_detail(state, event_id)
    if data is None:
        raise HTTPException(404, f"no event {event_id}")
    return render(request, "event.html", data)


def _changes(event: Event, given: dict[str, str | None]) -> dict[str, str]:
    """The fields of the edit form that differ from the event as stored."""
    current = {
        "type": event.type,
        "mode": event.mode or "",
        "status": event.status,
        "actor": ",".join(a.code for a in event.actor if a.code),
        "recipient": ",".join(a.code for a in event.recipient if a.code),
        "date": event.date.value or "",
        "country": event.location.country or "",
    }
    return {
        field: (value or "").strip()
        for field, value in given.items()
        if value is not None and (value or "").strip() != current[field]
    }


@router.post("/events/{event_id}/correct", dependencies=[Depends(require_writer)])
def correct_form(
    event_id: str,
    request: Request,
    state: State,
    action: Annotated[str, Form()],
    type: Annotated[str | None, Form()] = None,
    mode: Annotated[str | None, Form()] = None,
    status: Annotated[str | None, Form()] = None,
    actor: Annotated[str | None, Form()] = None,
    recipient: Annotated[str | None, Form()] = None,
    date: Annotated[str | None, Form()] = None,
    country: Annotated[str | None, Form()] = None,
    note: Annotated[str | None, Form(max_length=2000)] = None,
    next: Annotated[str | None, Form()] = None,
) -> Response:
    """The card's Confirm, Reject and Save buttons. Scripts ask for JSON; a plain form
    post is sent back to the page it came from."""
    event = state.store.event(event_id)
    if event is None:
        raise HTTPException(404, f"no event {event_id}")
    changes = {}
    if action == "set":
        fields = {"type": type, "mode": mode, "status": status, "actor": actor,
                  "recipient": recipient, "date": date, "country": country}  # fmt: skip
        changes = _changes(event, fields)
        if not changes:
            raise HTTPException(422, "nothing changed: edit a field before saving")
    corrected = correct_event(state, event.id, action, changes, note)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"event": event_dict(corrected)})
    back = local_path(next, f"/events/{corrected.id}")
    return RedirectResponse(back, status_code=303)
