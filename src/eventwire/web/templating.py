"""Pages and their JSON twins.

Every page handler builds one JSON-ready ``data`` dict from the library and hands
it to :func:`respond`: ``?format=json`` answers with exactly that dict, anything
else renders the page's template with it. Templates are autoescaped: article text
and everything else from the database can never become markup.
"""

from __future__ import annotations

from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from eventwire import __version__
from eventwire.model import STATUSES
from eventwire.store.summaries import load_ontology
from eventwire.web.security import CSRF_FIELD, csrf_for, session_nonce

QUADS = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
STATUS_HELP = {
    "reported": "the article states it happened",
    "alleged": "a party claims it; not confirmed",
    "denied": "appears only inside a denial",
    "planned": "scheduled, intended, promised",
    "conditional": "would happen under a condition, or is threatened",
    "speculative": "possible, hedged",
    "negated": "the article says it did not happen",
}


def _environment() -> Environment:
    folder = resources.files("eventwire.web").joinpath("templates")
    environment = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=True,  # every template, whatever its name: article text is untrusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        statuses=STATUSES, status_help=STATUS_HELP, quads=QUADS, version=__version__
    )
    environment.filters["number"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    environment.globals["sentence_parts"] = sentence_parts
    environment.globals["event_types"] = sorted(load_ontology().types)
    return environment


def sentence_parts(event: dict[str, Any]) -> tuple[str, str, str]:
    """An event's sentence as (before, trigger, after), from the stored offsets."""
    sentence, trigger = event["sentence"], event["trigger"]
    text, offset = sentence["text"], sentence["start"]
    start = min(max(0, trigger["start"] - offset), len(text))
    end = min(max(start, trigger["end"] - offset), len(text))
    return text[:start], text[start:end], text[end:]


ENVIRONMENT = _environment()


def query_with(request: Request, **changes: Any) -> str:
    """This page's path and query with some parameters changed (None drops one)."""
    params = dict(request.query_params)
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = str(value)
    query = urlencode(params)
    return request.url.path + ("?" + query if query else "")


def wants_json(request: Request) -> bool:
    return request.query_params.get("format") == "json"


def page_context(request: Request) -> dict[str, Any]:
    """What every page shows besides its data: navigation, login state, CSRF token."""
    state = request.app.state.web
    nonce = session_nonce(request, state.token)
    return {
        "request": request,
        "nav": request.app.state.nav,
        "logged_in": nonce is not None,
        "csrf_field": CSRF_FIELD,
        "csrf": csrf_for(state.token, nonce) if nonce else "",
        "json_url": query_with(request, format="json"),
        "query_with": lambda **changes: query_with(request, **changes),
    }


def render(
    request: Request, template: str, data: dict[str, Any], status: int = 200, **extra: Any
) -> Response:
    """The page, or with ``?format=json`` its data; ``extra`` is for the page only
    (chart geometry, form values)."""
    if wants_json(request):
        return JSONResponse(data, status_code=status)
    html = ENVIRONMENT.get_template(template).render(**page_context(request), data=data, **extra)
    return HTMLResponse(html, status_code=status)
