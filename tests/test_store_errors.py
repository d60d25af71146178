"""Writes that fail (a full disk, a file-size limit) end in one clear line naming the
database, and leave nothing half-written: the article in flight is not stored at all."""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from eventwire.errors import StoreError
from eventwire.store import open_store
from records import Spec, result

SMALL = result("small", [Spec("Russia shelled Ukraine on Monday.", "shelled", "ASSAULT",
                              ("RUS",), ("UKR",))])  # fmt: skip
LARGE = result("large", [Spec("China hosted North Korea in Beijing.", "hosted", "CONSULT",
                              ("CHN",), ("PRK",))], filler="word " * 400_000)  # fmt: skip


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        (answer,) = connection.execute("PRAGMA integrity_check").fetchone()
    connection.close()
    return str(answer)


def test_a_full_sqlite_database_refuses_the_article_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "eventwire.db"
    with open_store(f"sqlite:///{path}") as store:
        store.add(SMALL)
        before = store.counts()
        pages = path.stat().st_size // 4096 + 40

        def limit_pages(connection: object, _record: object) -> None:
            # SQLite's own cap on the file's size: the next large write finds the disk full.
            connection.execute(f"PRAGMA max_page_count = {pages}")  # type: ignore[attr-defined]

        event.listen(store.engine, "connect", limit_pages)
        store.engine.dispose()  # new connections get the cap

        with pytest.raises(StoreError) as caught:
            store.add(LARGE)

        message = str(caught.value)
        assert "\n" not in message
        assert str(path) in message
        assert "full" in message
        assert store.counts() == before
        assert store.add(SMALL) is False  # the store still answers
    assert integrity(path) == "ok"


def _limit_file_size(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.slow
def test_an_ingest_that_hits_the_file_size_limit_stops_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "eventwire.db"
    url = f"sqlite:///{path}"
    open_store(url).close()
    news = tmp_path / "news"
    news.mkdir()
    for i in range(3):
        (news / f"{i}.txt").write_text(
            f"Russia and Ukraine held talks in Geneva on Monday (story {i}). " * 30,
            encoding="utf-8",
        )
    # Every file the child writes is capped: the first article's WAL frames exceed it.
    limit = 40_000
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTWIRE_")}

    run = subprocess.run(
        [str(Path(sys.executable).with_name("eventwire")), "ingest", str(news), "--db", url],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=lambda: _limit_file_size(limit),
    )

    assert run.returncode == 2, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    assert str(path) in lines[0]
    assert "Traceback" not in run.stderr
    assert integrity(path) == "ok"
    with open_store(url) as store:
        for article in store.iter_articles():  # whatever was stored is whole
            assert store.events() is not None
            assert article["text"].count("story") == 30
        partial = store.counts()
    assert partial["articles"] < 3
