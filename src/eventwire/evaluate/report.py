"""Evaluation results as tables (per file and total) or JSON."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from rich.table import Table

from eventwire.evaluate import Evaluation
from eventwire.evaluate.scoring import Counts

# (label, score key, count fields that give its denominator)
ROWS = (
    ("event P", "event_precision", ("tp", "fp")),
    ("event R", "event_recall", ("tp", "fn")),
    ("event F1 (strict)", "event_f1", None),
    ("type F1 (lenient)", "type_f1", None),
    ("status", "status_accuracy", ("status_n",)),
    ("attribution", "attribution_accuracy", ("attribution_n",)),
    ("denial", "denial_accuracy", ("denial_n",)),
    ("mode", "mode_accuracy", ("mode_n",)),
    ("date", "date_accuracy", ("date_n",)),
    ("place", "place_accuracy", ("place_n",)),
    ("actor resolution", "actor_resolution", ("actor_n",)),
    ("place resolution", "place_resolution", ("gazetteer_n",)),
    ("article checks", "article_checks", ("article_n",)),
)


def _cell(counts: Counts, key: str, denominator: tuple[str, ...] | None) -> str:
    value = counts.scores()[key]
    if value is None:
        return "–"
    if denominator is None:
        return f"{value:.3f}"
    n = sum(getattr(counts, name) for name in denominator)
    return f"{value:.3f} ({n})"


def evaluation_table(evaluation: Evaluation) -> Table:
    title = "eventwire eval" + (
        f" --published {evaluation.published}" if evaluation.published else ""
    )
    table = Table(title=title)
    table.add_column("score")
    columns = [(gold.id, counts) for gold, counts in evaluation.files]
    if len(columns) != 1:
        columns.append(("TOTAL (micro)", evaluation.total))
    for name, _ in columns:
        table.add_column(name, justify="right", overflow="fold")
    for label, key, denominator in ROWS:
        table.add_row(label, *(_cell(counts, key, denominator) for _, counts in columns))
    return table


def evaluation_summary_table(evaluation: Evaluation) -> Table:
    """One row per file: the headline scores, for many gold files."""
    table = Table(
        title="eventwire eval"
        + (f" --published {evaluation.published}" if evaluation.published else "")
    )
    keys = ("event_f1", "type_f1", "status_accuracy", "actor_resolution", "article_checks")
    table.add_column("gold file")
    for key in ("gold", "found", "event F1", "type F1", "status", "actors", "article"):
        table.add_column(key, justify="right")
    for gold, counts in [*evaluation.files, (None, evaluation.total)]:
        scores = counts.scores()
        cells = ["–" if scores[k] is None else f"{scores[k]:.3f}" for k in keys]
        table.add_row(
            "TOTAL (micro)" if gold is None else gold.id,
            str(counts.tp + counts.fn),
            str(counts.tp + counts.fp),
            *cells,
        )
    return table


def evaluation_json(evaluation: Evaluation) -> dict[str, Any]:
    def block(counts: Counts) -> dict[str, Any]:
        return {
            "scores": counts.scores(),
            "counts": _counts(counts),
        }

    return {
        "published": evaluation.published,
        "files": [
            {"id": gold.id, "path": str(gold.path), **block(counts), "notes": counts.notes}
            for gold, counts in evaluation.files
        ],
        "total": block(evaluation.total),
    }


def _counts(counts: Counts) -> dict[str, int]:
    return {f.name: getattr(counts, f.name) for f in fields(Counts) if f.name != "notes"}
