"""``eventwire serve``: the web dashboard and HTTP API on this machine."""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from eventwire.cli.app import DbOption, app, err, fail, settings_or_exit
from eventwire.cli.options import opened_store
from eventwire.errors import EventwireError

# Seconds a stopping server waits for open requests (a live alert stream never ends
# by itself) before it closes them.
SHUTDOWN_GRACE_SECONDS = 3


def exposure_warning(address: str) -> str | None:
    """What to shout when ``address`` lets other machines in; None for loopback."""
    from eventwire.web.security import is_loopback

    if is_loopback(address):
        return None
    return (
        f"WARNING: listening on {address}, not a loopback address: anyone who can reach "
        "this machine can read the whole database. Writes still need the token; add the "
        "host names people will use to serve_allowed_hosts."
    )


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[
        str | None,
        typer.Option(help="Address to listen on (default 127.0.0.1: this machine only)."),
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8000).")] = None,
) -> None:
    """Start the dashboard and HTTP API; prints the token that edits need."""
    import uvicorn

    from eventwire.web import create_app
    from eventwire.web.security import new_token

    settings = settings_or_exit(db_url=db, serve_host=host, serve_port=port)
    token = settings.serve_token or new_token()
    address = settings.serve_host
    warning = exposure_warning(address)
    if warning:
        err.print(warning, style="bold red", highlight=False)
    with opened_store(db) as store:
        try:
            web = create_app(store, settings, token)
        except EventwireError as exc:
            raise fail(str(exc)) from None
        listening = _listen(address, settings.serve_port)
        port = listening.getsockname()[1]  # the one chosen, when the setting is 0
        shown = f"[{address}]" if ":" in address else address
        base = f"http://{shown}:{port}"
        err.print(f"eventwire serve: {store.name} at {base}/", highlight=False)
        err.print(f"token for edits and ingest: {token}", highlight=False)
        err.print(f"log in to edit: {base}/login?token={token}", highlight=False)
        err.print(f"API schema: {base}/openapi.json", highlight=False)
        config = uvicorn.Config(
            web,
            log_level="warning",
            server_header=False,
            proxy_headers=False,  # no proxy in front: never trust X-Forwarded-*
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        )
        uvicorn.Server(config).run(sockets=[listening])


def _listen(address: str, port: int) -> socket.socket:
    """The listening socket, opened before uvicorn starts so the address printed is the
    real one and a taken port is a one-line error."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    try:
        listening = socket.create_server((address.strip("[]"), port), family=family)
    except OSError as exc:
        raise fail(f"cannot listen on {address}:{port}: {exc.strerror or exc}") from None
    # Accepted connections inherit it: without it Nagle's algorithm holds every reply
    # after the first on a kept-alive connection for ~40 ms (uvicorn sets it on the
    # sockets it opens itself, not on one handed to it).
    listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return listening
