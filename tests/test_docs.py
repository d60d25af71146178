"""Documentation that cannot fall behind the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.cli import app
from eventwire.config import describe_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("setting", describe_settings(), ids=lambda s: s.name)
def test_every_setting_is_documented(setting: object) -> None:
    text = (ROOT / "docs" / "settings.md").read_text("utf-8")
    assert f"`{setting.name}`" in text  # type: ignore[attr-defined]
    assert f"`{setting.env}`" in text  # type: ignore[attr-defined]


def test_readme_starts_with_the_two_commands() -> None:
    lines = [line for line in (ROOT / "README.md").read_text("utf-8").splitlines() if line.strip()]
    commands = [line.split("#")[0].strip() for line in lines[1:4] if not line.startswith("```")]
    assert commands[:2] == ["make demo", "make test"]


@pytest.mark.parametrize(
    "command", [c.name or c.callback.__name__ for c in app.registered_commands]
)  # type: ignore[union-attr]
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"eventwire {command}" in (ROOT / "README.md").read_text("utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_seed_copy_is_current() -> None:
    """tests/fixtures/seed is a copy of ../shared/seed for stand-alone checkouts."""
    shared = ROOT.parent / "shared" / "seed"
    if not shared.is_dir():
        pytest.skip("no ../shared/seed beside this checkout")
    for name in ("putin-north-korea.txt", "putin-north-korea.gold.json"):
        copy = ROOT / "tests" / "fixtures" / "seed" / name
        assert copy.read_bytes() == (shared / name).read_bytes(), name
