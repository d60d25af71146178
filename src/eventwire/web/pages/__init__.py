"""Dashboard pages: one module per page, each answering HTML or, with
``?format=json``, the same data as JSON (:func:`eventwire.web.templating.render`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from eventwire.web.state import WebState, web_state

State = Annotated[WebState, Depends(web_state)]
