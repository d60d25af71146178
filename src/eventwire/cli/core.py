"""Core commands: extract, ingest, events, eval, demo, version."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from eventwire import __version__
from eventwire.cli.app import (
    DbOption,
    PublishedOption,
    app,
    check_date,
    err,
    fail,
    out,
    pipeline_or_exit,
    report,
    settings_or_exit,
    with_published,
)
from eventwire.cli.options import (
    ActorOption,
    CountryOption,
    DyadOption,
    RecipientOption,
    SinceOption,
    StatusOption,
    TypeOption,
    UntilOption,
    opened_store,
    parse_dyad,
    upper,
)
from eventwire.config import Settings
from eventwire.errors import EventwireError
from eventwire.model import InputError, Result

if TYPE_CHECKING:
    from eventwire.net import Fetcher


SourcesHelp = "Files, directories, globs, WARC/ARC archives, http(s) URLs of pages or feeds, or -."
UrlsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--urls", metavar="FILE", help="A file of URLs to fetch, one per line ('#' comments)."
    ),
]
AllowHostOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-host",
        metavar="HOST",
        help="A host, address or network (CIDR) that may be fetched although it is not public; "
        "adds to the allow_hosts setting. Repeatable.",
    ),
]


def _fetcher(settings: Settings, allow_host: list[str] | None) -> Fetcher:
    """The guarded fetcher the settings describe; a bad allow-list entry ends the command."""
    from eventwire.net import Fetcher, FetchPolicy

    try:
        return Fetcher(FetchPolicy.from_settings(settings, allow_host or ()))
    except EventwireError as exc:
        raise fail(str(exc)) from None


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class EventsFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


@app.command()
def extract(
    sources: Annotated[list[str] | None, typer.Argument(help=SourcesHelp)] = None,
    published: PublishedOption = None,
    urls: UrlsOption = None,
    allow_host: AllowHostOption = None,
    output_format: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExtractFormat.jsonl,
    input_jsonl: Annotated[
        bool,
        typer.Option(
            "--input-jsonl", help='Read {"id","text",…} records from stdin, answer line for line.'
        ),
    ] = False,
) -> None:
    """Print the article and events of each input, without a database."""
    from eventwire.ingest import read_sources
    from eventwire.ingest.urls import is_url
    from eventwire.output import event_table, result_dict
    from eventwire.pipeline import process

    published = check_date(published)
    settings = settings_or_exit()
    chosen = ["-"] if input_jsonl or not (sources or urls) else sources or []
    # Only URLs need the fetcher (and the HTTP stack it loads, a tenth of a second).
    fetcher = _fetcher(settings, allow_host) if urls or any(map(is_url, chosen)) else None
    pipeline = pipeline_or_exit(settings)
    failed = False
    collected = []
    documents = with_published(
        read_sources(
            chosen,
            max_bytes=settings.max_bytes,
            jsonl_stdin=input_jsonl,
            fetcher=fetcher,
            url_lists=urls or (),
        ),
        published,
    )
    for item in process(documents, pipeline):
        if isinstance(item, InputError):
            failed = True
            report(item)
            if input_jsonl:  # keep one output line per input line
                print(
                    json.dumps({"source": item.source, "error": item.reason}, ensure_ascii=False),
                    flush=True,
                )
            continue
        if output_format is ExtractFormat.jsonl:
            print(json.dumps(result_dict(item), ensure_ascii=False), flush=True)
        elif output_format is ExtractFormat.json:
            collected.append(result_dict(item))
        else:
            out.print(
                event_table(
                    item.events,
                    title=f"{item.article.title or item.article.source}: {len(item.events)} events",
                )
            )
    if fetcher is not None:
        fetcher.close()
    if output_format is ExtractFormat.json:
        print(json.dumps(collected, ensure_ascii=False, indent=2))
    raise typer.Exit(1 if failed else 0)


def _progress() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=True,
    )


def _ingest(
    sources: list[str],
    db: str | None,
    published: str | None,
    urls: list[str] | None = None,
    allow_host: list[str] | None = None,
    workers: int | None = None,
) -> tuple[int, object]:
    from eventwire.ingest import read_sources
    from eventwire.pipeline import Processor
    from eventwire.pipeline import ingest as run_ingest
    from eventwire.store import open_store

    settings = settings_or_exit(db_url=db, workers=workers)
    fetcher = _fetcher(settings, allow_host)
    try:
        store = open_store(settings.db_url)
    except EventwireError as exc:
        raise fail(str(exc)) from None
    processor: Processor
    if settings.workers > 1:  # the model is loaded by each worker, not here
        from eventwire.runner.pool import WorkerPool

        processor = pool = WorkerPool(settings, settings.workers)
    else:
        processor = pipeline_or_exit(settings)
    read = read_sources(
        sources, max_bytes=settings.max_bytes, fetcher=fetcher, url_lists=urls or ()
    )
    # Streamed, not listed first: a WARC archive may hold millions of pages.
    documents = with_published(read, published)
    with fetcher, store, _progress() as progress:
        task = progress.add_task("ingesting", total=None)

        def advance(_: Result | None) -> None:
            progress.advance(task)

        def failed(error: InputError) -> None:
            progress.advance(task)
            report(error)

        try:
            summary = run_ingest(documents, processor, store, on_error=failed, on_article=advance)
        finally:
            if settings.workers > 1:
                pool.close()
    return summary.failed, summary


class Engine(StrEnum):
    local = "local"
    ray = "ray"


def _ingest_ray(
    sources: list[str],
    urls: list[str] | None,
    output_dir: Path | None,
    workers: int | None,
    published: str | None,
) -> None:
    from eventwire.runner.ray_data import run_ray

    if urls:
        raise fail("--engine ray reads files only; --urls needs the local engine")
    if output_dir is None:
        raise fail("--engine ray writes Parquet shards: give --output-dir DIR")
    settings = settings_or_exit(workers=workers)
    try:
        run = run_ray(sources, output_dir, settings, workers=workers, published=published)
    except EventwireError as exc:
        raise fail(str(exc)) from None
    for error in run.errors:
        report(error)
    err.print(
        f"wrote {run.articles} articles ({run.events} events) in {run.shards} shards to "
        f"{run.output_dir}, {len(run.errors)} failed; import them with "
        f"`eventwire load {run.output_dir}`",
        highlight=False,
        markup=False,
    )
    raise typer.Exit(1 if run.errors else 0)


@app.command()
def ingest(
    sources: Annotated[list[str] | None, typer.Argument(help=SourcesHelp)] = None,
    db: DbOption = None,
    published: PublishedOption = None,
    urls: UrlsOption = None,
    allow_host: AllowHostOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Processes that extract, parse and code articles, each with its own "
            "spaCy model (default: the workers setting, 1). With --engine ray: actors "
            "(default: one per CPU of the Ray cluster).",
        ),
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="local: this machine, into --db. ray: Ray Data (the ray extra), "
            "writing Parquet shards to --output-dir for `eventwire load`.",
        ),
    ] = Engine.local,
    output_dir: Annotated[
        Path | None,
        typer.Option("--output-dir", help="With --engine ray: an empty directory for the shards."),
    ] = None,
) -> None:
    """Extract events from every input and store them (idempotent: stored content is skipped)."""
    if not sources and not urls:
        raise fail("give at least one source, or --urls FILE")
    if engine is Engine.ray:
        _ingest_ray(sources or [], urls, output_dir, workers, check_date(published))
    if output_dir is not None:
        raise fail("--output-dir is for --engine ray")
    failed, summary = _ingest(sources or [], db, check_date(published), urls, allow_host, workers)
    err.print(
        f"stored {summary.stored} articles ({summary.events} events), "  # type: ignore[attr-defined]
        f"{summary.unchanged} unchanged, {summary.failed} failed"  # type: ignore[attr-defined]
        + (f", {copies} near-duplicates" if (copies := summary.copies) else ""),  # type: ignore[attr-defined]
        highlight=False,
    )
    raise typer.Exit(1 if failed else 0)


@app.command()
def events(
    db: DbOption = None,
    actor: ActorOption = None,
    recipient: RecipientOption = None,
    dyad: DyadOption = None,
    event_type: TypeOption = None,
    mode: Annotated[str | None, typer.Option(help="PLOVER mode, e.g. aerial.")] = None,
    context: Annotated[str | None, typer.Option(help="PLOVER context, e.g. military.")] = None,
    status: StatusOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    place: Annotated[str | None, typer.Option(help="Place name, e.g. Kharkiv.")] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Words that must all occur in the sentence.")
    ] = None,
    cluster: Annotated[str | None, typer.Option(help="Reports of this cluster id.")] = None,
    include_rejected: Annotated[
        bool, typer.Option("--include-rejected", help="Also list events an analyst rejected.")
    ] = False,
    limit: Annotated[int, typer.Option(help="At most this many events.")] = 100,
    output_format: Annotated[EventsFormat, typer.Option("--format", "-f")] = EventsFormat.table,
) -> None:
    """List stored events, filtered."""
    from eventwire.output import csv_rows, event_dict, event_table
    from eventwire.store import EventFilter

    where = EventFilter(
        actor=upper(actor),
        recipient=upper(recipient),
        dyad=parse_dyad(dyad),
        type=event_type,
        mode=mode,
        context=context,
        status=status,
        since=since,
        until=until,
        country=country,
        place=place,
        text=text,
        cluster_id=cluster,
        include_rejected=include_rejected,
        limit=limit,
    )
    with opened_store(db) as store:
        try:
            found = store.events(where)
        except EventwireError as exc:
            raise fail(str(exc)) from None
    if output_format is EventsFormat.table:
        out.print(event_table(found, title=f"{len(found)} events"))
    elif output_format is EventsFormat.json:
        print(json.dumps([event_dict(e) for e in found], ensure_ascii=False, indent=2))
    elif output_format is EventsFormat.jsonl:
        for e in found:
            print(json.dumps(event_dict(e), ensure_ascii=False))
    else:
        sys.stdout.writelines(csv_rows(found))


@app.command("eval")
def evaluate_command(
    gold_files: Annotated[list[Path], typer.Argument(help="Gold files (eventwire-gold/1).")],
    published: PublishedOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    details: Annotated[
        bool, typer.Option("--details", help="List every miss, extra event and failed check.")
    ] = False,
) -> None:
    """Score extraction against gold files (exits non-zero only on unreadable input)."""
    from eventwire.evaluate import evaluate
    from eventwire.evaluate.report import (
        evaluation_json,
        evaluation_summary_table,
        evaluation_table,
    )

    published = check_date(published)
    pipeline = pipeline_or_exit(settings_or_exit())
    try:
        evaluation = evaluate(gold_files, pipeline, published)
    except EventwireError as exc:
        raise fail(str(exc), 1) from None
    if as_json:
        print(json.dumps(evaluation_json(evaluation), ensure_ascii=False, indent=2))
        return
    if len(evaluation.files) > 4:
        out.print(evaluation_summary_table(evaluation))
        out.print(evaluation_table(type(evaluation)((), evaluation.total, evaluation.published)))
    else:
        out.print(evaluation_table(evaluation))
    if details:
        for note in evaluation.total.notes:
            out.print(note, markup=False, highlight=False)


def sample_corpus() -> Path:
    return Path(str(resources.files("eventwire.sample").joinpath("corpus")))


@app.command()
def demo(
    db: DbOption = None, limit: Annotated[int, typer.Option(help="Events to show.")] = 25
) -> None:
    """Ingest the bundled sample corpus and print what was found."""
    from eventwire.output import event_table
    from eventwire.store import EventFilter, open_store

    corpus = sample_corpus()
    err.print(f"ingesting the sample corpus in {corpus}", highlight=False)
    failed, _ = _ingest([str(corpus)], db, None)
    url = settings_or_exit(db_url=db).db_url
    with open_store(url) as store:
        found = store.events(EventFilter(limit=None))
    out.print(
        event_table(
            found[:limit], title=f"{len(found)} events in {url} (showing {min(limit, len(found))})"
        )
    )
    for field in ("type", "status"):
        counts: dict[str, int] = {}
        for e in found:
            counts[getattr(e, field)] = counts.get(getattr(e, field), 0) + 1
        table = Table(title=f"events by {field}")
        table.add_column(field)
        table.add_column("events", justify="right")
        for key, count in sorted(counts.items(), key=lambda kv: -kv[1]):
            table.add_row(key, str(count))
        out.print(table)
    raise typer.Exit(1 if failed else 0)


@app.command()
def version() -> None:
    """Print eventwire's version and the versions of its data files."""
    print(f"eventwire {__version__}")
