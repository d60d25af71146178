"""Fixtures shared by every test module.

Everything here is real: SQLite files in ``tmp_path``, a fresh PostgreSQL database
per test (``EVENTWIRE_TEST_PG_URL``, see ``tools/with-postgres``), the real spaCy
model (loaded once per session) and the ``eventwire`` command as a subprocess.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from eventwire.config import Settings, load_settings
from eventwire.pipeline import Pipeline, build_pipeline

# The reference input and its gold file live beside the repository (DESIGN.md); a
# copy travels with the tests for machines where the repository stands alone
# (test_seed_copy_is_current keeps the two the same where both exist).
SHARED_SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seed"
SEED_DIR = (
    SHARED_SEED_DIR if SHARED_SEED_DIR.is_dir() else Path(__file__).parent / "fixtures" / "seed"
)

CLI_TIMEOUT_SECONDS = 120

# (returncode, stdout, stderr)
CliResult = tuple[int, str, str]
RunCli = Callable[..., CliResult]


def isolated_settings(**overrides: object) -> Settings:
    """Settings from the defaults and ``overrides`` only, whatever the caller's environment."""
    return load_settings(overrides, environ={})


@pytest.fixture(scope="session")
def seed_page() -> Path:
    """The scraped reference page: Putin accepts Kim Jong Un's invitation."""
    return SEED_DIR / "putin-north-korea.txt"


@pytest.fixture(scope="session")
def seed_gold() -> Path:
    return SEED_DIR / "putin-north-korea.gold.json"


@pytest.fixture
def settings() -> Settings:
    return isolated_settings()


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The real pipeline (spaCy model, lexicon, knowledge base, gazetteer), built once."""
    return build_pipeline(isolated_settings())


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'eventwire.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the server named by EVENTWIRE_TEST_PG_URL."""
    server_url = os.environ.get("EVENTWIRE_TEST_PG_URL")
    if not server_url:
        message = "EVENTWIRE_TEST_PG_URL is not set (run the tests through tools/with-postgres)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    name = "eventwire_test_" + uuid.uuid4().hex[:12]
    # CREATE/DROP DATABASE cannot run inside a transaction.
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            # FORCE: a store the test forgot to close must not keep the database alive.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test against an SQLite file and against a PostgreSQL database."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(fixture)
    return url


def _eventwire_command() -> list[str]:
    if importlib.util.find_spec("eventwire.__main__") is not None:
        return [sys.executable, "-m", "eventwire"]
    # No ``python -m eventwire``: the console script installed beside this interpreter.
    return [str(Path(sys.executable).with_name("eventwire"))]


@pytest.fixture
def run_cli(tmp_path: Path) -> RunCli:
    """Run ``eventwire ARGS…`` as a real subprocess in ``tmp_path``.

    The child sees no ``EVENTWIRE_*`` variables from the developer's shell (so the
    default database is ``tmp_path/eventwire.db``) and a wide terminal for tables.
    """
    command = _eventwire_command()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTWIRE_")}
    env.update({"COLUMNS": "200", "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"})

    def run(*args: str | Path, stdin: str | None = None) -> CliResult:
        completed = subprocess.run(
            [*command, *map(str, args)],
            input="" if stdin is None else stdin,  # never the test runner's own stdin
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=tmp_path,
            env=env,
            timeout=CLI_TIMEOUT_SECONDS,
            check=False,
        )
        return completed.returncode, completed.stdout, completed.stderr

    return run
