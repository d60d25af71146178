"""Logging in with the token: a session cookie for the dashboard's forms.

``eventwire serve`` prints ``/login?token=…``; opening it sets an HttpOnly,
SameSite=Strict session cookie and goes to the overview. Without it the dashboard
is read-only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from eventwire.web.pages import State
from eventwire.web.security import SESSION_COOKIE, local_path, new_session, token_matches
from eventwire.web.templating import render

router = APIRouter(include_in_schema=False)


def _logged_in(state: State, next_path: str | None) -> Response:
    response = RedirectResponse(local_path(next_path, "/"), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, new_session(state.token), httponly=True, samesite="strict", path="/"
    )
    return response


@router.get("/login")
def login_page(
    request: Request,
    state: State,
    token: Annotated[str | None, Query(max_length=200)] = None,
    next: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    if token is not None and token_matches(state.token, token):
        return _logged_in(state, next)
    failed = token is not None
    data = {"failed": failed, "next": next or "/"}
    return render(request, "login.html", data, status=401 if failed else 200)


@router.post("/login")
def login_form(
    request: Request,
    state: State,
    token: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    if token_matches(state.token, token.strip()):
        return _logged_in(state, next)
    return render(request, "login.html", {"failed": True, "next": next}, status=401)


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
