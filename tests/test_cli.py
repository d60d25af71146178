"""The ``eventwire`` command, run as a real subprocess (see ``run_cli`` in conftest.py).

Each command that loads the spaCy model costs a few seconds, so these tests check
several things per run and leave the details to the library tests.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eventwire import __version__
from eventwire.ingest.decode import content_hash
from eventwire.model import RawDocument, Result
from eventwire.pipeline import Pipeline, process
from eventwire.store import EventFilter, open_store

# conftest.run_cli: (returncode, stdout, stderr) of ``eventwire ARGS…``
RunCli = Callable[..., tuple[int, str, str]]

GOOD_TEXT = "Russia and Ukraine exchanged prisoners of war on Friday, officials said.\n"


def json_lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def assert_no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert 'File "' not in stderr


def test_version(run_cli: RunCli) -> None:
    code, stdout, stderr = run_cli("version")

    assert (code, stdout, stderr) == (0, f"eventwire {__version__}\n", "")


# --- extract -----------------------------------------------------------------------------


@pytest.mark.slow
def test_extract_seed_as_jsonl(run_cli: RunCli, seed_page: Path) -> None:
    code, stdout, stderr = run_cli("extract", seed_page, "--format", "jsonl")

    assert code == 0, stderr
    (record,) = json_lines(stdout)
    article, events = record["article"], record["events"]
    assert isinstance(article, dict)
    assert isinstance(events, list)
    assert {
        "id", "url", "title", "summary", "section", "author", "published",
        "dateline", "language", "comment_count", "text",
    } <= article.keys()  # fmt: skip
    assert article["title"] == (
        "Putin’s North Korea visit raises concerns over military cooperation and technology sharing"
    )
    assert article["dateline"] == ["SEOUL", "MOSCOW"]
    assert article["comment_count"] == 0
    assert events, "the seed article holds events"
    text = article["text"]
    assert isinstance(text, str)
    for event in events:  # every offset points into the printed text
        trigger, sentence = event["trigger"], event["sentence"]
        assert text[trigger["start"] : trigger["end"]] == trigger["text"]
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        assert event["article_id"] == article["id"]


@pytest.mark.slow
@pytest.mark.parametrize("output_format", ["json", "table"])
def test_extract_seed_in_other_formats(
    run_cli: RunCli, seed_page: Path, output_format: str
) -> None:
    code, stdout, stderr = run_cli("extract", seed_page, "--format", output_format)

    assert code == 0, stderr
    if output_format == "json":
        (record,) = json.loads(stdout)
        assert record["article"]["section"] == "International"
        assert isinstance(record["events"], list)
        assert record["events"]
    else:
        first_line = stdout.splitlines()[0]
        assert first_line.startswith("Putin’s North Korea visit raises concerns")
        assert first_line.endswith(" events")
        for column in ("type", "status", "actor", "recipient", "trigger", "rule"):
            assert column in stdout
        assert "RUS" in stdout


@pytest.mark.slow
def test_extract_input_jsonl_answers_line_for_line(run_cli: RunCli) -> None:
    records = "\n".join(
        [
            json.dumps({"id": "r1", "text": "Russia shelled Kharkiv on Monday, officials said."}),
            '{"id": "r2", "text": ',
            json.dumps(
                {
                    "id": "r3",
                    "text": "China and Russia signed a trade agreement in Beijing.",
                    "title": "Trade deal",
                    "published": "2024-03-01",
                }
            ),
        ]
    )

    code, stdout, stderr = run_cli("extract", "--input-jsonl", stdin=records + "\n")

    assert code == 1
    first, error, third = json_lines(stdout)
    assert first["article"]["id"] == "r1"
    assert error["source"] == "<stdin>:2"
    assert "invalid JSON" in error["error"]
    assert "article" not in error
    assert third["article"]["id"] == "r3"
    assert third["article"]["title"] == "Trade deal"
    assert third["article"]["published"] == "2024-03-01"
    (line,) = stderr.splitlines()
    assert line.startswith("eventwire: <stdin>:2: invalid JSON")


@pytest.mark.slow
def test_extract_reports_a_missing_file_and_still_prints_the_good_one(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")

    code, stdout, stderr = run_cli("extract", "missing.txt", "good.txt")

    assert code == 1
    (line,) = stderr.splitlines()
    assert line == "eventwire: missing.txt: no such file or directory"
    (record,) = json_lines(stdout)
    assert record["article"]["source"] == "good.txt"
    assert record["article"]["text"] == GOOD_TEXT.strip()


@pytest.mark.parametrize("published", ["2023-13-45", "14/09/2023"])
def test_extract_refuses_a_bad_published_date(
    run_cli: RunCli, tmp_path: Path, published: str
) -> None:
    (tmp_path / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")

    code, stdout, stderr = run_cli("extract", "good.txt", "--published", published)

    assert code == 2
    assert stdout == ""
    (line,) = stderr.splitlines()
    assert line == f"eventwire: --published {published!r} is not a date like 2023-09-14"


# --- ingest and events -------------------------------------------------------------------


@pytest.mark.slow
def test_ingest_twice_stores_once(run_cli: RunCli, tmp_path: Path, seed_page: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "more").mkdir(parents=True)
    (corpus / "seed.txt").write_bytes(seed_page.read_bytes())
    (corpus / "more" / "swap.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (corpus / "README.md").write_text("not news", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'events.db'}"

    code, _, stderr = run_cli("ingest", corpus, "--db", url)

    assert code == 0, stderr
    with open_store(url) as store:
        after_first = store.counts()
    assert after_first["articles"] == 2
    assert f"stored 2 articles ({after_first['events']} events)" in stderr

    code, _, stderr = run_cli("ingest", corpus, "--db", url)

    assert code == 0, stderr
    assert stderr.strip() == "stored 0 articles (0 events), 2 unchanged, 0 failed"
    with open_store(url) as store:
        assert store.counts() == after_first


@pytest.fixture(scope="module")
def events_db(pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with two stored articles, filled in-process (no subprocess, no reload)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('events') / 'events.db'}"
    texts = {
        "kharkiv": "Russian forces shelled Kharkiv on Monday, Ukrainian officials said. "
        "Ukraine accused Russia of attacking civilians.",
        "sanctions": "The United States imposed sanctions on Iran last week.",
    }
    documents = [
        RawDocument(k, t, "record", content_hash(t.encode()), doc_id=k, published="2024-03-14")
        for k, t in texts.items()
    ]
    with open_store(url) as store:
        for result in process(documents, pipeline):
            assert isinstance(result, Result), result
            store.add(result)
    return url


def _stored_ids(url: str, where: EventFilter) -> list[str]:
    with open_store(url) as store:
        return [e.id for e in store.events(where)]


def _ids_printed(output_format: str, stdout: str) -> list[str]:
    if output_format == "csv":
        rows = list(csv.DictReader(io.StringIO(stdout)))
        assert rows, stdout
        assert {"type", "status", "actor_codes", "recipient_codes", "sentence"} <= rows[0].keys()
        return [row["id"] for row in rows]
    if output_format == "json":
        return [event["id"] for event in json.loads(stdout)]
    return [event["id"] for event in json_lines(stdout)]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("output_format", "options", "where"),
    [
        pytest.param("csv", [], EventFilter(), id="csv-all"),
        pytest.param("json", ["--actor", "rus"], EventFilter(actor="RUS"), id="json-actor"),
        pytest.param(
            "jsonl",
            ["--type", "ACCUSE", "--status", "reported"],
            EventFilter(type="ACCUSE", status="reported"),
            id="jsonl-type-and-status",
        ),
        pytest.param(
            "jsonl",
            ["--dyad", "IRN,USA", "--limit", "1"],
            EventFilter(dyad=("IRN", "USA"), limit=1),
            id="jsonl-dyad-reversed-limit",
        ),
    ],
)
def test_events_prints_what_the_store_finds(
    run_cli: RunCli, events_db: str, output_format: str, options: list[str], where: EventFilter
) -> None:
    expected = _stored_ids(events_db, where)
    assert expected, "the fixture texts must give events for this query"
    if options:
        assert len(expected) < len(_stored_ids(events_db, EventFilter(limit=None)))

    code, stdout, stderr = run_cli("events", "--db", events_db, "--format", output_format, *options)

    assert code == 0, stderr
    assert _ids_printed(output_format, stdout) == expected


# --- eval --------------------------------------------------------------------------------


@pytest.mark.slow
def test_eval_prints_json_scores(run_cli: RunCli, seed_gold: Path) -> None:
    code, stdout, stderr = run_cli("eval", seed_gold, "--json")

    assert code == 0, stderr
    report = json.loads(stdout)
    scores = report["total"]["scores"]
    assert {"event_precision", "event_recall", "event_f1"} <= scores.keys()
    assert all(0.0 <= value <= 1.0 for value in scores.values() if value is not None)
    assert report["published"] is None


@pytest.mark.slow
def test_eval_on_a_missing_gold_file_fails_with_one_line(run_cli: RunCli) -> None:
    code, stdout, stderr = run_cli("eval", "nothere.gold.json", "--json")

    assert code != 0
    assert stdout == ""
    (line,) = stderr.splitlines()
    assert line.startswith("eventwire: nothere.gold.json: ")
    assert "No such file" in line


# --- setup errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        pytest.param("sqlite:///no/such/dir/events.db", "does not exist", id="missing-directory"),
        pytest.param(
            "postgresql+psycopg://eventwire@127.0.0.1:1/eventwire",
            "cannot open the database",
            id="closed-port",
        ),
    ],
)
def test_ingest_into_an_unopenable_database_is_one_line_and_exit_2(
    run_cli: RunCli, tmp_path: Path, url: str, reason: str
) -> None:
    (tmp_path / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")

    code, stdout, stderr = run_cli("ingest", "good.txt", "--db", url)

    assert code == 2
    assert stdout == ""
    assert_no_traceback(stderr)
    (line,) = stderr.splitlines()
    assert line.startswith((f"eventwire: {url}", f"eventwire: {url!r}"))
    assert reason in line
