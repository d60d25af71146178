"""Rules kept in the database, and the rules a watch runs: those plus a rules file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, select

from eventwire.errors import ConfigError
from eventwire.store import Store
from eventwire.store.schema import watch_rules
from eventwire.watch.rules import Rule, load_rules_file, merge_rules, rule_from_spec


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_rule(store: Store, rule: Rule, *, replace: bool = False) -> Rule:
    """Store ``rule``; ConfigError if a rule of that name exists and ``replace`` is False."""
    row = {"name": rule.name, "spec": json.dumps(rule.spec(), ensure_ascii=False)}
    with store.transaction(f"store watchlist rule {rule.name!r}") as connection:
        exists = connection.execute(
            select(watch_rules.c.name).where(watch_rules.c.name == rule.name)
        ).first()
        if exists and not replace:
            raise ConfigError(
                f"a watchlist rule named {rule.name!r} exists (replace it, or pick a name)"
            )
        if exists:
            connection.execute(
                watch_rules.update().where(watch_rules.c.name == rule.name).values(spec=row["spec"])
            )
        else:
            connection.execute(watch_rules.insert().values(**row, created_at=_now()))
    return rule


def list_rules(store: Store) -> list[Rule]:
    """The rules in the database, by name. A stored rule that no longer reads (made by a
    newer eventwire) raises ConfigError naming it."""
    with store.reading("read watchlist rules") as connection:
        rows = connection.execute(select(watch_rules).order_by(watch_rules.c.name)).all()
    return [rule_from_spec(row.name, json.loads(row.spec)) for row in rows]


def get_rule(store: Store, name: str) -> Rule | None:
    with store.reading("read a watchlist rule") as connection:
        row = connection.execute(select(watch_rules).where(watch_rules.c.name == name)).first()
    return None if row is None else rule_from_spec(row.name, json.loads(row.spec))


def remove_rule(store: Store, name: str) -> bool:
    """Delete the stored rule ``name``; False when there is none. Its alerts are kept."""
    with store.transaction(f"remove watchlist rule {name!r}") as connection:
        done = connection.execute(delete(watch_rules).where(watch_rules.c.name == name))
    return bool(done.rowcount)


def active_rules(store: Store, rules_file: str | Path | None = None) -> list[Rule]:
    """What a watch runs: the rules file's rules and the database's, merged by name
    (the file's rule wins on a shared name)."""
    from_file = load_rules_file(rules_file) if rules_file else []
    return merge_rules(from_file, list_rules(store))
