"""What keeps a local server local: Host and Origin checks, the write token, CSRF.

The threat is a web page the analyst visits in the same browser. It can make the
browser send requests to 127.0.0.1 (a form post, an image), or point a domain of
its own at 127.0.0.1 (DNS rebinding) to read the answers. So:

- every request must name a host the server is known by (rebinding brings its own
  host name in the Host header);
- a state-changing request from a browser must come from the server's own origin;
- it must also carry the token printed at start: ``Authorization: Bearer TOKEN``
  (scripts), or the session cookie that logging in with the token sets together
  with a CSRF token derived from it (the dashboard's forms and scripts);
- every response says it may not be framed, sniffed or read cross-origin, and the
  pages may run only the server's own scripts (Content-Security-Policy).

Reads need no token: anyone who can reach the server may read the database.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_COOKIE = "eventwire_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", _CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # The login URL carries the token: never send it to another site in a Referer.
    # (Not no-referrer: with it, browsers send "Origin: null" on our own form posts.)
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_names(bound: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The host names a server bound to ``bound`` answers to."""
    names = set(LOOPBACK_NAMES)
    names.add(bound.strip("[]").lower())
    names.update(e.strip().strip("[]").lower() for e in extra if e.strip())
    names.discard("")
    if bound in ("0.0.0.0", "::"):  # every address of the machine: none is a name we know
        names -= {"0.0.0.0", "::"}
    return frozenset(names)


def local_path(path: str | None, fallback: str) -> str:
    """``path`` when it is a path on this server, else ``fallback``: redirects after a
    form post or a login never lead elsewhere."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return fallback


def _hostname(value: str) -> str | None:
    try:
        return urlsplit("//" + value).hostname
    except ValueError:
        return None


class Guard:
    """ASGI middleware: refuses unknown hosts and cross-origin writes; adds headers.

    Plain ASGI rather than a Starlette ``BaseHTTPMiddleware`` so streamed answers
    (exports, server-sent events) pass through unbuffered.
    """

    def __init__(
        self, app: ASGIApp, hosts: frozenset[str], cors_origins: frozenset[str] = frozenset()
    ) -> None:
        self.app = app
        self.hosts = hosts
        self.cors_origins = cors_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if _hostname(host) not in self.hosts:
            await _refuse(
                scope, receive, send, 421, "unknown host: ask for this server by its address"
            )
            return
        if scope["method"] not in SAFE_METHODS and not self._same_origin(headers, host):
            await _refuse(scope, receive, send, 403, "cross-origin request refused")
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)

    def _same_origin(self, headers: Headers, host: str) -> bool:
        origin = headers.get("origin")
        if origin is None:
            # Browsers send Origin with every cross-origin POST; without one, a request
            # marked cross-site by Fetch Metadata is still refused.
            return headers.get("sec-fetch-site") in (None, "same-origin", "none")
        if origin in self.cors_origins:
            return True
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, text: str) -> None:
    response = PlainTextResponse(text, status_code=status)
    await response(scope, receive, send)


# --- the token, sessions and CSRF tokens ---------------------------------------------------


def _mac(token: str, message: str) -> str:
    return hmac.new(token.encode(), message.encode(), hashlib.sha256).hexdigest()[:40]


def new_session(token: str) -> str:
    """A session cookie value: a nonce and its MAC under the token (stateless: a new
    token at the next start ends every session)."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_mac(token, 'session:' + nonce)}"


def session_nonce(request: Request, token: str) -> str | None:
    """The nonce of the request's valid session cookie, if it has one."""
    value = request.cookies.get(SESSION_COOKIE, "")
    nonce, _, mac = value.partition(".")
    if nonce and hmac.compare_digest(mac, _mac(token, "session:" + nonce)):
        return nonce
    return None


def csrf_for(token: str, nonce: str) -> str:
    return _mac(token, "csrf:" + nonce)


def token_matches(token: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


async def may_write(request: Request, token: str) -> bool:
    """True when the request carries the token (Bearer) or a session with its CSRF token."""
    if token_matches(token, bearer(request)):
        return True
    nonce = session_nonce(request, token)
    if nonce is None:
        return False
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        field = (await request.form()).get(CSRF_FIELD)
        given = field if isinstance(field, str) else None
    return given is not None and hmac.compare_digest(given, csrf_for(token, nonce))


UNAUTHORIZED = (
    "this request changes data: send the token printed by `eventwire serve` "
    "(Authorization: Bearer TOKEN), or log in at /login"
)


def unauthorized() -> HTTPException:
    return HTTPException(401, UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
