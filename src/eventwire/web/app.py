"""The app factory: one FastAPI app serving the JSON API and the dashboard.

Routes live in small modules, each with a ``router`` and, for pages in the
navigation, a ``NAV = (label, path)``. :data:`ROUTE_MODULES` lists them in
navigation order; a feature adds itself by adding one module there, or a caller
passes ``extra_modules``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from eventwire import __version__
from eventwire.config import Settings
from eventwire.errors import EventwireError, StoreError
from eventwire.store import Store
from eventwire.web.ingesting import Ingester
from eventwire.web.security import Guard, host_names, new_token
from eventwire.web.state import Cache, WebState
from eventwire.web.templating import render, wants_json

ROUTE_MODULES = (
    "eventwire.web.pages.overview",
    "eventwire.web.pages.events",
    "eventwire.web.pages.articles",
    "eventwire.web.pages.clusters",
    "eventwire.web.pages.actors",
    "eventwire.web.pages.map",
    "eventwire.web.pages.ingest",
    "eventwire.web.pages.watchlists",
    "eventwire.web.pages.search",
    "eventwire.web.pages.auth",
    "eventwire.web.api.events",
    "eventwire.web.api.clusters",
    "eventwire.web.api.articles",
    "eventwire.web.api.actors",
    "eventwire.web.api.trends",
    "eventwire.web.api.search",
    "eventwire.web.api.exports",
    "eventwire.web.api.ingest",
    "eventwire.web.api.watchlists",
)

DESCRIPTION = """The HTTP API of eventwire: events with claim status, attribution and
evidence offsets, clusters of reports, articles ready to highlight, actors, trends,
search, streamed exports, ingest, corrections, and watchlists with their alerts
(live as Server-Sent Events).

Reads are anonymous. Requests that change data (ingest, corrections, watchlists) need
the token that `eventwire serve` prints at start: `Authorization: Bearer TOKEN`.

Lists answer `{"items", "limit", "offset", "sort", "next", "previous"}`; follow `next`.
Every dashboard page has a JSON twin: add `?format=json`."""


def create_app(
    store: Store,
    settings: Settings,
    token: str | None = None,
    *,
    pipeline: Any = None,
    extra_modules: Sequence[str] = (),
) -> FastAPI:
    """The app over ``store``. ``token`` (default: the serve_token setting, else a new
    random one) guards writes; ``pipeline`` (an already built
    :class:`~eventwire.pipeline.Pipeline`) saves loading spaCy on the first ingest."""
    app = FastAPI(
        title="eventwire",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,  # the interactive docs load their scripts from a CDN: not here
        redoc_url=None,
    )
    app.state.web = WebState(
        store=store,
        settings=settings,
        token=token or settings.serve_token or new_token(),
        cache=Cache(settings.serve_cache_seconds),
        ingester=Ingester(store, settings, pipeline),
    )
    nav = []
    for name in (*ROUTE_MODULES, *extra_modules):
        module = importlib.import_module(name)
        app.include_router(module.router)
        if hasattr(module, "NAV"):
            nav.append(module.NAV)
    app.state.nav = tuple(nav)
    static = resources.files("eventwire.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.add_api_route(
        "/favicon.ico",
        lambda: RedirectResponse("/static/favicon.svg", status_code=301),
        include_in_schema=False,
    )
    _handle_errors(app)
    origins = frozenset(o.strip() for o in settings.serve_cors_origins.split(",") if o.strip())
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=sorted(origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    hosts = host_names(settings.serve_host, settings.serve_allowed_hosts.split(","))
    app.add_middleware(Guard, hosts=hosts, cors_origins=origins)  # outermost: runs first
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api") or wants_json(request)


def _error_page(request: Request, status: int, message: str) -> Response:
    return render(request, "error.html", {"status": status, "detail": message}, status=status)


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _is_api(request) or exc.status_code == 405:
            return await http_exception_handler(request, exc)
        return _error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            return await request_validation_exception_handler(request, exc)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
        )
        return _error_page(request, 422, problems)

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=503)
        return _error_page(request, 503, str(exc))

    @app.exception_handler(EventwireError)
    async def refused(request: Request, exc: EventwireError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=422)
        return _error_page(request, 422, str(exc))
