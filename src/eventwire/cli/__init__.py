"""The ``eventwire`` command: thin commands that parse options, call one library
function and print. Errors in single inputs are one line on stderr each; the exit
code is 1 when any input failed, 2 for usage or setup errors.

Commands live in modules of this package by subject; each registers itself on
``app`` when imported below.
"""

from __future__ import annotations

import logging

from eventwire.cli import (  # noqa: F401  (register commands)
    core,
    export_commands,
    load_commands,
    serve_commands,
    store_commands,
    watch_commands,
)
from eventwire.cli.app import app, err
from eventwire.errors import EventwireError

__all__ = ["app", "main"]


def main() -> None:
    # Libraries log their own complaints about odd pages; eventwire reports each bad
    # input once, on one line, itself.
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        app()
    except EventwireError as exc:
        err.print(f"eventwire: {exc}", markup=False, highlight=False)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
