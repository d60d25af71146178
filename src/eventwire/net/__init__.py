"""net: the one place eventwire talks to the network.

Everything that fetches (URLs given as sources, feeds, the pages feed entries
link to, and later ``eventwire watch``) goes through a :class:`Fetcher`, which
applies a :class:`FetchPolicy`:

- only http and https; the host is resolved once and every address is checked:
  loopback, private, link-local, shared (CGNAT), multicast, reserved, unspecified
  and cloud-metadata addresses, also inside IPv6 (``::ffff:127.0.0.1``), are
  refused unless ``allow_hosts`` names them; the connection goes to the checked
  address (no second lookup), with the URL's host for the Host header and TLS;
- redirects followed by hand, every hop checked again;
- caps on the bytes on the wire and after decompression (``max_bytes``) and on
  connect, read and whole-response time; a Content-Type allow-list;
- robots.txt (with Crawl-delay), an identifying User-Agent, per-host concurrency
  and spacing, 429/503 with Retry-After honoured;
- conditional GET against an on-disk cache (``http_cache_dir``).

Failures are :class:`~eventwire.errors.FetchError` subclasses whose message names
the URL and the reason. Tests point the fetcher at a local server by allow-listing
it; they never use the internet.
"""

from __future__ import annotations

from eventwire.net.addresses import AllowList, parse_allow_list, refusal_reason
from eventwire.net.fetcher import FetchedResponse, Fetcher, parse_content_type
from eventwire.net.policy import READABLE_TYPES, USER_AGENT, FetchPolicy
from eventwire.net.transport import Resolver, system_resolver

__all__ = [
    "READABLE_TYPES",
    "USER_AGENT",
    "AllowList",
    "FetchPolicy",
    "FetchedResponse",
    "Fetcher",
    "Resolver",
    "parse_allow_list",
    "parse_content_type",
    "refusal_reason",
    "system_resolver",
]
