"""web: the analyst's workbench — a JSON API and a server-rendered dashboard.

Entry point: :func:`create_app` (``eventwire serve`` runs it under uvicorn). The
web layer is thin: every page and endpoint calls the library (``eventwire.store``,
``eventwire.pipeline``, ``eventwire.export``, ``eventwire.watch``) and renders what
it returns. How to run it, the pages, the API and the safety rules: docs/web.md.

    app.py         the factory: route modules, static files, error pages, middleware
    security.py    Host/Origin checks, the write token, sessions and CSRF tokens
    params.py      filters, paging and sorting shared by every list
    records.py     the JSON documents (the API, and the pages' ``?format=json`` twins)
    api/           one module per resource under /api
    pages/         one module per dashboard page
    writes.py      corrections and ingest under one lock, then clusters and watchlists
    alerting.py    watchlist rules and alerts (eventwire.watch) as JSON, checks, SSE
    charts.py      SVG chart geometry; highlight.py: article text cut at event spans
    templates/, static/   jinja2 templates (autoescaped), our own CSS and JavaScript
"""

from __future__ import annotations

from eventwire.web.app import create_app

__all__ = ["create_app"]
