"""Options that several query commands share, declared once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from eventwire.cli.app import fail, settings_or_exit
from eventwire.errors import EventwireError

if TYPE_CHECKING:
    from eventwire.store import Store

ActorOption = Annotated[str | None, typer.Option(help="Actor code, e.g. RUS.")]
RecipientOption = Annotated[str | None, typer.Option(help="Recipient code.")]
DyadOption = Annotated[str | None, typer.Option(help="Two codes, either direction: RUS,UKR.")]
TypeOption = Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT.")]
StatusOption = Annotated[
    str | None,
    typer.Option(help="reported, alleged, denied, planned, conditional, speculative, negated."),
]
SinceOption = Annotated[str | None, typer.Option(help="Earliest event date (YYYY[-MM[-DD]]).")]
UntilOption = Annotated[str | None, typer.Option(help="Latest event date.")]
CountryOption = Annotated[
    str | None, typer.Option(help="Country of the event's place (ISO alpha-3), e.g. UKR.")
]


def upper(code: str | None) -> str | None:
    return code.strip().upper() if code else None


def parse_dyad(dyad: str | None) -> tuple[str, str] | None:
    if not dyad:
        return None
    parts = [p.strip().upper() for p in dyad.split(",")]
    if len(parts) != 2 or not all(parts):
        raise fail("--dyad takes two codes separated by a comma, e.g. RUS,UKR")
    return parts[0], parts[1]


@contextmanager
def opened_store(db: str | None) -> Iterator[Store]:
    """The store named by --db (or the db_url setting); errors end the command cleanly."""
    from eventwire.store import open_store

    try:
        with open_store(settings_or_exit(db_url=db).db_url) as store:
            yield store
    except EventwireError as exc:
        raise fail(str(exc)) from None
