"""``eventwire serve`` as a user runs it: a real subprocess on 127.0.0.1 that prints
its token, answers reads, refuses writes without the token and foreign hosts, and
stops promptly even with a live alert stream open."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from eventwire.cli.serve_commands import exposure_warning
from eventwire.store import Store
from web_support import seed_event

pytestmark = pytest.mark.slow  # the database is filled by the real pipeline
pytest_plugins = ("web_support",)

START_SECONDS = 60  # imports and migrations on a slow CI machine


@dataclass
class Served:
    url: str
    token: str
    process: subprocess.Popen[str]
    printed: list[str]


def _command() -> list[str]:
    return [str(Path(sys.executable).with_name("eventwire")), "serve"]


@pytest.fixture
def served(web_url: str) -> Iterator[Served]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTWIRE_")}
    env.update({"NO_COLOR": "1", "COLUMNS": "200"})
    process = subprocess.Popen(
        [*_command(), "--db", web_url, "--port", "0"],  # 0: a free port, printed
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stderr is not None
    printed: list[str] = []
    deadline = time.monotonic() + START_SECONDS
    while not any(line.startswith("API schema") for line in printed):
        line = process.stderr.readline()
        assert line or process.poll() is None, printed
        assert time.monotonic() < deadline, printed
        printed.append(line.strip())
    url = re.search(r"at (http://127\.0\.0\.1:\d+)/", printed[0])
    token = re.search(r"token for edits and ingest: (\S+)", "\n".join(printed))
    assert url, printed
    assert token, printed
    try:
        yield Served(url.group(1), token.group(1), process, printed)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_serve_prints_its_token_and_guards_writes(served: Served, web_store: Store) -> None:
    event = seed_event(web_store, "supplying")
    corrections = f"{served.url}/api/events/{event}/corrections"
    bearer = {"Authorization": f"Bearer {served.token}"}

    page = httpx.get(served.url + "/")
    anonymous = httpx.post(corrections, json={"action": "confirm"})
    foreign = httpx.get(served.url + "/api/events", headers={"Host": "evil.example"})
    done = httpx.post(corrections, json={"action": "confirm"}, headers=bearer)

    assert f"log in to edit: {served.url}/login?token={served.token}" in served.printed
    assert not any("WARNING" in line for line in served.printed)  # loopback: no warning
    assert page.status_code == 200
    assert anonymous.status_code == 401
    assert foreign.status_code == 421
    assert done.status_code == 201
    assert done.json()["event"]["correction"] == "confirmed"


def test_serve_stops_promptly_with_a_live_stream_open(served: Served) -> None:
    with httpx.stream("GET", served.url + "/api/alerts/stream", timeout=30) as stream:
        first = next(stream.iter_lines())
        started = time.monotonic()
        served.process.send_signal(signal.SIGINT)
        served.process.wait(timeout=15)

    assert first.startswith("retry: ")
    assert served.process.returncode in (0, 130)  # 130: the usual exit after Ctrl-C
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("address", "warned"),
    [("127.0.0.1", False), ("::1", False), ("localhost", False), ("0.0.0.0", True),
     ("192.168.1.20", True), ("::", True)],
)  # fmt: skip
def test_only_loopback_addresses_go_without_a_warning(address: str, warned: bool) -> None:
    warning = exposure_warning(address)

    assert (warning is not None) is warned
    if warning:
        assert warning.startswith(f"WARNING: listening on {address}")
