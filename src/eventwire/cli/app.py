"""The ``eventwire`` Typer app and what every command shares: consoles, error
reporting, settings and the pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from eventwire.config import Settings, describe_settings, load_settings
from eventwire.errors import EventwireError
from eventwire.model import InputError, RawDocument

if TYPE_CHECKING:  # the pipeline imports spaCy: only commands that need it load it
    from eventwire.pipeline import Pipeline

app = typer.Typer(
    name="eventwire",
    help="Sourced, queryable political events from raw news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help=describe_settings()[0].help, envvar="EVENTWIRE_DB_URL", show_envvar=True
    ),
]
PublishedOption = Annotated[
    str | None,
    typer.Option(
        "--published",
        help="Publication date (YYYY-MM-DD) for inputs that lack one; it wins over the page's own.",
    ),
]


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"eventwire: {message}", markup=False, highlight=False)
    return typer.Exit(code)


def report(error: InputError) -> None:
    err.print(f"eventwire: {error}", markup=False, highlight=False)


def settings_or_exit(**overrides: object) -> Settings:
    try:
        return load_settings(overrides)
    except EventwireError as exc:
        raise fail(str(exc)) from None


def check_date(value: str | None) -> str | None:
    if value is None:
        return None
    from eventwire.timex import parse_date

    day = parse_date(value)
    if day is None or day.isoformat() != value:
        raise fail(f"--published {value!r} is not a date like 2023-09-14")
    return value


def with_published(
    items: Iterator[RawDocument | InputError], published: str | None
) -> Iterator[RawDocument | InputError]:
    for item in items:
        yield (
            replace(item, published=published)
            if published and isinstance(item, RawDocument)
            else item
        )


def pipeline_or_exit(settings: Settings) -> Pipeline:
    from eventwire.pipeline import build_pipeline

    try:
        return build_pipeline(settings)
    except EventwireError as exc:
        raise fail(str(exc)) from None
