"""The state-changing actions of the API and the dashboard, shared by both.

Each takes the write lock, calls one library function, brings the clusters up to
date, runs the watchlist rules over what changed (so alerts arrive while the
analyst watches) and clears the cached aggregates, so the next page shows the change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from eventwire.errors import ConfigError
from eventwire.model import Event
from eventwire.store.corrections import ACTIONS, parse_changes
from eventwire.web import alerting
from eventwire.web.ingesting import IngestOutcome
from eventwire.web.security import may_write, unauthorized
from eventwire.web.state import WebState, web_state

# Documents the scheme in /openapi.json; the check itself is may_write (token or session).
_bearer = HTTPBearer(
    auto_error=False,
    description="The token `eventwire serve` prints at start (or the serve_token setting).",
)


async def require_writer(
    request: Request,
    _credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
) -> None:
    """Refuse (401) a state-changing request without the token or a session + CSRF token."""
    if not await may_write(request, web_state(request).token):
        raise unauthorized()


def correct_event(
    state: WebState,
    event_id: str,
    action: str,
    changes: Mapping[str, str] | None = None,
    note: str | None = None,
) -> Event:
    """Confirm, reject or edit (``set``) a stored event; ConfigError names a bad value."""
    from eventwire.cluster import update_clusters

    if action not in ACTIONS:
        raise ConfigError(f"action {action!r}: use one of {', '.join(ACTIONS)}")
    given = {k: v for k, v in (changes or {}).items() if v is not None}
    if action == "set" and not given:
        raise ConfigError("an edit needs at least one field to set")
    if action != "set" and given:
        raise ConfigError(f"{action} takes no changes; use action set to edit fields")
    parsed = parse_changes([f"{field}={value}" for field, value in given.items()])
    store = state.store
    before = store.event(event_id)
    if before is None:
        raise HTTPException(404, f"no event {event_id}")
    with state.write_lock:
        corrected = store.correct(event_id, action, parsed, note or None)
        update_clusters(store, state.settings.cluster_window_days)
        state.cache.clear()
        after = store.event(corrected.id) or corrected
        # The old cluster lost a report, the new one gained it: either status may change.
        alerting.check(state, filter(None, (before.cluster_id, after.cluster_id)))
    return after


def ingest_with(state: WebState, run: Callable[[], IngestOutcome]) -> IngestOutcome:
    """Run one ingest (text, file or URL) under the write lock."""
    with state.write_lock:
        outcome = run()
        state.cache.clear()
        alerting.check_articles(state, outcome.article_ids)
    return outcome
