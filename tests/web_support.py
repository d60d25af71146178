"""What the web tests share: a database filled by the real pipeline from the bundled
sample corpus and the seed article, apps over copies of it, a real uvicorn server
on 127.0.0.1 in a thread.

The database is built once per test session; every test that may write gets its
own copy of the file, so a rejected event in one test is never missing in another.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conftest import SEED_DIR, isolated_settings
from eventwire.cli.core import sample_corpus
from eventwire.config import Settings
from eventwire.ingest import read_sources
from eventwire.pipeline import Pipeline, ingest
from eventwire.store import EventFilter, Store, open_store
from eventwire.web import create_app

TOKEN = "test-token-1234567890"
BASE = "http://127.0.0.1:8000"  # TestClient requests: a host the app answers to


@pytest.fixture(scope="session")
def filled_db(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Path:
    """An SQLite file holding the sample corpus and the seed article, as ingested."""
    path = tmp_path_factory.mktemp("web") / "filled.db"
    errors: list[object] = []
    with open_store(f"sqlite:///{path}") as store:
        sources = [str(sample_corpus()), str(SEED_DIR / "putin-north-korea.txt")]
        ingest(read_sources(sources), pipeline, store, on_error=errors.append)
    assert not errors, errors
    return path


@pytest.fixture
def web_url(filled_db: Path, tmp_path: Path) -> str:
    """A private copy of the filled database."""
    copy = tmp_path / "web.db"
    shutil.copy(filled_db, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def web_store(web_url: str) -> Iterator[Store]:
    with open_store(web_url) as store:
        yield store


def make_app(store: Store, pipeline: Pipeline | None = None, **settings: object) -> FastAPI:
    chosen: Settings = isolated_settings(**settings)
    return create_app(store, chosen, TOKEN, pipeline=pipeline)


@pytest.fixture
def app(web_store: Store, pipeline: Pipeline) -> FastAPI:
    return make_app(web_store, pipeline)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


def writer_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def seed_article_id(store: Store) -> str:
    found = [
        a["id"] for a in store.iter_articles() if a["source"].endswith("putin-north-korea.txt")
    ]
    assert len(found) == 1
    return found[0]


def seed_event(store: Store, trigger: str) -> str:
    """The id of the seed article's event with this trigger word."""
    article = seed_article_id(store)
    events = store.events(EventFilter(article_id=article, limit=None))
    return next(e.id for e in events if e.trigger.text == trigger)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LiveServer:
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def live_server(app: FastAPI) -> LiveServer:
    """A real uvicorn serving ``app`` on 127.0.0.1 from a thread, started and ready."""
    port = free_port()
    # A live alert stream never ends by itself: stopping waits at most this long for it.
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return LiveServer(f"http://127.0.0.1:{port}", server, thread)
