"""The exceptions eventwire raises, as one tree.

Catch ``EventwireError`` to handle anything eventwire reports on purpose. Every
message names the input or setting at fault and, where there is one, what to do.
"""

from __future__ import annotations


class EventwireError(Exception):
    """Base of every error eventwire raises on purpose."""


class InputRejected(EventwireError):
    """One input cannot be read or processed; the run goes on with the next one."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(EventwireError):
    """A setting, option or user data file is invalid."""


class DataFileError(EventwireError):
    """A packaged or user-supplied data file (lexicon, knowledge base) is malformed."""


class StoreError(EventwireError):
    """The database cannot be opened, migrated or written."""


class GoldFileError(EventwireError):
    """A gold file cannot be read or does not follow eventwire-gold/1."""


class RunnerError(EventwireError):
    """Parallel or distributed processing failed: a worker process died, Ray is missing
    or failed, or a shard directory cannot be written or loaded."""


class FetchError(InputRejected):
    """A URL could not be fetched; ``source`` is the URL the caller asked for.

    Subclasses say why. Every message names the URL and the reason, and, where the
    user can change the outcome, the setting to change.
    """

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, reason)
        self.url = url


class URLRefused(FetchError):
    """The URL is not one eventwire fetches: not http/https, malformed, or no host."""


class AddressRefused(URLRefused):
    """The host resolves to a non-public address (loopback, private, link-local, metadata…)
    that is not in ``allow_hosts``."""

    def __init__(self, url: str, reason: str, address: str) -> None:
        super().__init__(url, reason)
        self.address = address


class RobotsDisallowed(FetchError):
    """The site's robots.txt does not allow eventwire to fetch the URL."""


class TooManyRedirects(FetchError):
    """The redirect chain is longer than eventwire follows."""


class FetchTimeout(FetchError):
    """Connecting, reading or the whole response took longer than its limit."""


class ResponseTooLarge(FetchError):
    """The response is larger than ``max_bytes``, on the wire or after decompression."""


class ContentTypeRefused(FetchError):
    """The response's Content-Type is not one eventwire reads (HTML, text, feeds)."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (4xx, 5xx) or one eventwire cannot use."""

    def __init__(self, url: str, reason: str, status: int) -> None:
        super().__init__(url, reason)
        self.status = status


class RateLimited(HTTPStatusError):
    """The server keeps answering 429/503, or asks to wait longer than eventwire waits."""


class ConnectionFailed(FetchError):
    """The connection could not be made or broke off (DNS, refused, reset, TLS)."""
