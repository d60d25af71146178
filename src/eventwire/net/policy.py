"""What a fetch may do: addresses, sizes, times, content types, politeness.

The defaults protect the user (DESIGN.md, "Defaults that protect users"); the
settings in ``config.py`` map onto these fields through :meth:`FetchPolicy.from_settings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from eventwire import __version__
from eventwire.config import Settings
from eventwire.net.addresses import AllowList, parse_allow_list

USER_AGENT = f"eventwire/{__version__} (+https://github.com/eventwire/eventwire)"
ROBOTS_AGENT = "eventwire"  # the token robots.txt rules name

# Media types eventwire reads: pages, plain text and feeds. A response without a
# Content-Type is let through; its bytes are checked when they are decoded.
READABLE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits and manners of one :class:`~eventwire.net.Fetcher`; times in seconds."""

    allow: AllowList = field(default_factory=AllowList)
    max_bytes: int = 20_000_000  # wire and decompressed, per response
    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # longest silence while reading
    fetch_timeout: float = 60.0  # one request/response exchange, connect to last byte
    max_redirects: int = 5
    content_types: frozenset[str] = READABLE_TYPES
    user_agent: str = USER_AGENT
    host_concurrency: int = 2  # requests in flight per host
    host_interval: float = 1.0  # seconds between the starts of two requests to one host
    max_crawl_delay: float = 60.0  # a robots.txt Crawl-delay above this is capped
    retries: int = 2  # after 429/503 answers
    max_retry_wait: float = 60.0  # a longer Retry-After is an error, not a wait
    default_retry_wait: float = 5.0  # after a 429/503 without Retry-After
    cache_dir: Path | None = None  # conditional GET cache; None: no cache
    robots_ttl: float = 3600.0
    workers: int = 4  # pages fetched at once by fetch_many

    @classmethod
    def from_settings(cls, settings: Settings, allow_hosts: Iterable[str] = ()) -> FetchPolicy:
        """The policy the settings describe, with ``allow_hosts`` added to the allow-list.

        Raises ConfigError for an allow-list entry that is neither host, address nor network.
        """
        entries = [*settings.allow_hosts.replace(",", " ").split(), *allow_hosts]
        cache = settings.http_cache_dir.strip()
        return cls(
            allow=parse_allow_list(entries),
            max_bytes=settings.max_bytes,
            connect_timeout=float(settings.connect_timeout),
            read_timeout=float(settings.read_timeout),
            fetch_timeout=float(settings.fetch_timeout),
            host_concurrency=settings.host_concurrency,
            host_interval=settings.host_interval_ms / 1000,
            cache_dir=Path(cache).expanduser() if cache else None,
        )
