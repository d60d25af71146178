"""The fetcher: one guarded GET, redirects followed by hand, every hop checked.

One fetch of a URL:

1. check the URL: http or https, with a host;
2. read the site's robots.txt (cached per site) and stop if it disallows the URL;
3. wait for a slot of the host (concurrency, gap between requests, Crawl-delay,
   Retry-After), then send the request, with If-None-Match / If-Modified-Since when
   the cache holds the URL; the transport connects only to checked addresses;
4. on a redirect, check the new URL and go back to 2 with it, at most
   ``max_redirects`` times;
5. on 429/503, wait as the server asks (Retry-After, up to ``max_retry_wait``) and
   ask again, at most ``retries`` times;
6. on 304, answer from the cache; on 200, check Content-Type and size and read the
   body, decompressing it under the ``max_bytes`` cap, and cache it.

Every failure is a :class:`~eventwire.errors.FetchError` naming the URL asked for
and, for a later hop, the redirect that led there.
"""

from __future__ import annotations

import email.utils
import ssl
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

from eventwire.errors import (
    AddressRefused,
    ConnectionFailed,
    ContentTypeRefused,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    RateLimited,
    ResponseTooLarge,
    RobotsDisallowed,
    TooManyRedirects,
    URLRefused,
)
from eventwire.net.body import ACCEPT_ENCODING, BodyEncodingError, BodyTooLarge, BoundedBody
from eventwire.net.cache import CachedResponse, HttpCache
from eventwire.net.hosts import HostGates
from eventwire.net.policy import ROBOTS_AGENT, FetchPolicy
from eventwire.net.robots import MAX_ROBOTS_BYTES, RobotsRules, rules_from_response
from eventwire.net.transport import DEADLINE, GuardedTransport, Resolver, system_resolver

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRYABLE = frozenset({429, 503})
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"
)


@dataclass(frozen=True, slots=True)
class FetchedResponse:
    """A successful fetch: the decoded (decompressed) body and what is known about it."""

    url: str  # as asked for
    final_url: str  # after redirects
    status: int  # 200, also when a 304 was answered from the cache
    media_type: str | None  # "text/html", from Content-Type
    charset: str | None  # from Content-Type; the bytes may disagree
    body: bytes
    from_cache: bool = False  # the server said 304 Not Modified
    address: str | None = None  # the IP address the response came from
    redirects: tuple[str, ...] = ()
    # Validators for the next conditional GET; a caller that keeps them (the watch
    # mode keeps them in the database) passes them back to fetch(validators=...).
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """The server said 304 to the caller's own validators: no body, nothing changed."""
        return self.status == 304


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    headers: httpx.Headers
    body: bytes = b""
    address: str | None = None
    cached: CachedResponse | None = None


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) of a Content-Type header, lower-cased; (None, None) if absent."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").lower() or None
    return media.strip().lower() or None, charset


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _site(target: httpx.URL) -> str:
    return f"{target.scheme}://{target.netloc.decode('ascii')}"


class Fetcher:
    """Guarded, polite HTTP GETs under one :class:`FetchPolicy`; thread-safe.

    ``resolver`` and ``ssl_context`` exist so tests can point a host name at a
    local server and trust its certificate; everything else comes from the policy.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        resolver: Resolver = system_resolver,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._resolver = resolver
        self._ssl_context = ssl_context
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._gates = HostGates(self.policy.host_concurrency, self.policy.host_interval)
        self._cache = HttpCache(self.policy.cache_dir) if self.policy.cache_dir else None
        self._robots: dict[str, tuple[float, RobotsRules]] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    # --- lifecycle ---------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                policy = self.policy
                self._client = httpx.Client(
                    transport=GuardedTransport(
                        policy.allow, resolver=self._resolver, ssl_context=self._ssl_context
                    ),
                    timeout=httpx.Timeout(
                        connect=policy.connect_timeout,
                        read=policy.read_timeout,
                        write=policy.read_timeout,
                        pool=policy.fetch_timeout,
                    ),
                    follow_redirects=False,
                    trust_env=False,  # no proxies from the environment: they bypass the checks
                    headers={
                        "User-Agent": policy.user_agent,
                        "Accept": _ACCEPT,
                        "Accept-Encoding": ACCEPT_ENCODING,
                    },
                )
            return self._client

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- public ------------------------------------------------------------------------

    def fetch(self, url: str, validators: Mapping[str, str] | None = None) -> FetchedResponse:
        """GET ``url`` under the policy; raises a FetchError subclass naming ``url``.

        ``validators`` (``If-None-Match``, ``If-Modified-Since``) are sent when the
        on-disk cache has no entry for the URL; a 304 answer to them is a response
        with status 304 and no body (:attr:`FetchedResponse.not_modified`).
        """
        target = self._checked_url(url, url)
        reply, final, redirects = self._follow(url, target, page=True, validators=validators)
        if reply.cached is not None and reply.status == 304:
            cached = reply.cached
            return FetchedResponse(
                url=url,
                final_url=str(final),
                status=200,
                media_type=cached.media_type,
                charset=cached.charset,
                body=cached.body,
                from_cache=True,
                address=reply.address,
                redirects=redirects,
                etag=reply.headers.get("etag") or cached.etag,
                last_modified=reply.headers.get("last-modified") or cached.last_modified,
            )
        media_type, charset = parse_content_type(reply.headers.get("content-type"))
        return FetchedResponse(
            url=url,
            final_url=str(final),
            status=reply.status,
            media_type=media_type,
            charset=charset,
            body=reply.body,
            address=reply.address,
            redirects=redirects,
            etag=reply.headers.get("etag"),
            last_modified=reply.headers.get("last-modified"),
        )

    def post(self, url: str, body: bytes, content_type: str = "application/json") -> int:
        """POST ``body`` to ``url`` (a webhook); returns the status of a 2xx answer.

        The same address checks, allow-list, time caps and per-host limits as a GET;
        no robots.txt (nothing is crawled) and no redirects (a POST is not sent on
        to another address: give the URL it points to). At most 64 KB of the answer
        is read. Raises a FetchError subclass naming ``url``; HTTPStatusError (with
        ``status``) for any answer but 2xx.
        """
        target = self._checked_url(url, url)
        deadline = time.monotonic() + self.policy.fetch_timeout
        token = DEADLINE.set(deadline)
        try:
            with (
                self._gates.slot(target.host),
                self._http().stream(
                    "POST", target, content=body, headers={"Content-Type": content_type}
                ) as response,
            ):
                _drain(response)
                status, phrase = response.status_code, response.reason_phrase
        except AddressRefused as exc:
            raise AddressRefused(url, exc.reason, exc.address) from None
        except httpx.TimeoutException as exc:
            raise FetchTimeout(url, self._timeout_reason(exc, deadline)) from None
        except httpx.HTTPError as exc:
            raise ConnectionFailed(url, f"{target.host}: {exc}") from None
        finally:
            DEADLINE.reset(token)
        if 200 <= status < 300:
            return status
        moved = "; redirects are not followed for a POST" if status in _REDIRECTS else ""
        raise HTTPStatusError(url, f"HTTP {status} {phrase}".rstrip() + moved, status)

    def fetch_many(self, urls: Iterable[str]) -> Iterator[tuple[str, FetchedResponse | FetchError]]:
        """(url, response or error) for every URL, in order, ``policy.workers`` at a time."""
        workers = max(1, self.policy.workers)
        with ThreadPoolExecutor(workers, thread_name_prefix="eventwire-fetch") as pool:
            window: deque[tuple[str, Future[FetchedResponse | FetchError]]] = deque()
            for url in urls:
                window.append((url, pool.submit(self._fetch_or_error, url)))
                if len(window) >= 2 * workers:
                    done_url, future = window.popleft()
                    yield done_url, future.result()
            while window:
                done_url, future = window.popleft()
                yield done_url, future.result()

    def _fetch_or_error(self, url: str) -> FetchedResponse | FetchError:
        try:
            return self.fetch(url)
        except FetchError as exc:
            return exc

    # --- steps -------------------------------------------------------------------------

    def _checked_url(self, url: str, value: str | httpx.URL, via: str = "") -> httpx.URL:
        try:
            target = value if isinstance(value, httpx.URL) else httpx.URL(value.strip())
        except (httpx.InvalidURL, TypeError, ValueError, UnicodeError) as exc:
            raise URLRefused(url, f"{via}not a valid URL ({exc})") from None
        if target.scheme not in ("http", "https"):
            scheme = f"{target.scheme}: URLs are" if target.scheme else "a URL without a scheme is"
            raise URLRefused(url, f"{via}{scheme} not fetched, only http and https")
        if not target.host:
            raise URLRefused(url, f"{via}the URL has no host")
        return target.copy_with(fragment=None)

    def _follow(
        self,
        url: str,
        target: httpx.URL,
        *,
        page: bool,
        validators: Mapping[str, str] | None = None,
    ) -> tuple[_Reply, httpx.URL, tuple[str, ...]]:
        """The last reply of the redirect chain from ``target``, its URL and the hops.

        ``page`` is False for robots.txt itself: no robots check, no cache, and error
        statuses are answers rather than errors.
        """
        redirects: list[str] = []
        for _ in range(self.policy.max_redirects + 1):
            via = f"redirect to {target}: " if redirects else ""
            try:
                if page:
                    self._check_robots(url, target, via)
                reply = self._request(url, target, via, page=page, validators=validators)
            except AddressRefused as exc:
                raise AddressRefused(url, via + exc.reason, exc.address) from None
            if reply.status not in _REDIRECTS:
                return reply, target, tuple(redirects)
            location = reply.headers.get("location")
            if not location:
                raise HTTPStatusError(
                    url, f"{via}HTTP {reply.status} without a Location", reply.status
                )
            try:
                joined = target.join(location)
            except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
                raise URLRefused(
                    url, f"redirect to {location!r}: not a valid URL ({exc})"
                ) from None
            target = self._checked_url(url, joined, via=f"redirect to {location}: ")
            redirects.append(str(target))
        raise TooManyRedirects(
            url, f"more than {self.policy.max_redirects} redirects (the last to {target})"
        )

    def _check_robots(self, url: str, target: httpx.URL, via: str) -> None:
        rules = self._robots_rules(url, target)
        if not rules.allows(str(target), ROBOTS_AGENT):
            if rules.unreachable:
                reason = f"{rules.unreachable}; the site counts as closed to crawlers (RFC 9309)"
            else:
                reason = f"robots.txt of {_site(target)} disallows {target.raw_path.decode()}"
            raise RobotsDisallowed(url, via + reason)

    def _robots_rules(self, url: str, target: httpx.URL) -> RobotsRules:
        site = _site(target)
        with self._lock:
            lock = self._robots_locks.setdefault(site, threading.Lock())
        with lock:  # one robots.txt request per site, however many threads ask
            known = self._robots.get(site)
            if known is not None and known[0] > time.monotonic():
                return known[1]
            ttl = self.policy.robots_ttl
            try:
                reply, _, _ = self._follow(url, target.join("/robots.txt"), page=False)
                rules = rules_from_response(reply.status, reply.body)
            except AddressRefused as exc:
                if not exc.reason.startswith("redirect to "):
                    raise  # the site itself may not be reached: say so, not "robots.txt"
                rules = RobotsRules(None)  # robots.txt redirects somewhere refused: none
            except (ConnectionFailed, FetchTimeout):
                raise  # the site cannot be reached: say so, not "robots.txt"
            except FetchError:
                # Endless or refused redirects: RFC 9309 reads that as no robots.txt.
                rules = RobotsRules(None)
            if rules.unreachable:
                ttl = min(ttl, 300.0)
            self._robots[site] = (time.monotonic() + ttl, rules)
            return rules

    def _crawl_delay(self, target: httpx.URL) -> float | None:
        known = self._robots.get(_site(target))
        delay = known[1].crawl_delay(ROBOTS_AGENT) if known else None
        return None if delay is None else min(delay, self.policy.max_crawl_delay)

    def _request(
        self,
        url: str,
        target: httpx.URL,
        via: str,
        *,
        page: bool,
        validators: Mapping[str, str] | None = None,
    ) -> _Reply:
        """One hop, asked again after 429/503 as the server says."""
        host = target.host
        status = 0
        for _ in range(self.policy.retries + 1):
            with self._gates.slot(host, self._crawl_delay(target) if page else None):
                reply = self._exchange(url, target, via, page=page, validators=validators)
            status = reply.status
            if status not in _RETRYABLE or not page:
                return reply
            wait = retry_after_seconds(reply.headers.get("retry-after"))
            if wait is None:
                if status == 503:  # an outage, not rate limiting
                    raise HTTPStatusError(url, f"{via}HTTP 503 Service Unavailable", status)
                wait = self.policy.default_retry_wait
            if wait > self.policy.max_retry_wait:
                raise RateLimited(
                    url,
                    f"{via}HTTP {status}: the server asks to wait {wait:,.0f} s, longer than the "
                    f"{self.policy.max_retry_wait:,.0f} s eventwire waits; try again later",
                    status,
                )
            self._gates.defer(host, wait)
        raise RateLimited(
            url, f"{via}HTTP {status} again after {self.policy.retries} retries; try later", status
        )

    def _exchange(
        self,
        url: str,
        target: httpx.URL,
        via: str,
        *,
        page: bool,
        validators: Mapping[str, str] | None = None,
    ) -> _Reply:
        """Send one GET and read the answer; ``page`` False for robots.txt."""
        cached = self._cache.load(str(target)) if self._cache is not None and page else None
        headers = HttpCache.validators(cached) if cached is not None else {}
        if cached is None and page and validators:
            headers = {name: value for name, value in validators.items() if value}
        deadline = time.monotonic() + self.policy.fetch_timeout
        token = DEADLINE.set(deadline)
        try:
            with self._http().stream("GET", target, headers=headers) as response:
                address = _peer_address(response)
                if response.status_code == 304 and page and not headers:
                    raise HTTPStatusError(url, f"{via}HTTP 304 to an unconditional request", 304)
                if response.status_code not in (200, 203):
                    _drain(response)
                if response.status_code in _REDIRECTS or response.status_code == 304:
                    return _Reply(response.status_code, response.headers, b"", address, cached)
                if response.status_code not in (200, 203):
                    if page and response.status_code not in _RETRYABLE:
                        raise HTTPStatusError(
                            url,
                            f"{via}HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                            response.status_code,
                        )
                    return _Reply(response.status_code, response.headers, b"", address)
                body = self._read_body(url, via, response, page)
        except httpx.TimeoutException as exc:
            raise FetchTimeout(url, via + self._timeout_reason(exc, deadline)) from None
        except httpx.HTTPError as exc:
            raise ConnectionFailed(url, f"{via}{target.host}: {exc}") from None
        finally:
            DEADLINE.reset(token)
        if page and self._cache is not None:
            media_type, charset = parse_content_type(response.headers.get("content-type"))
            self._cache.store(
                CachedResponse(
                    url=str(target),
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    media_type=media_type,
                    charset=charset,
                    body=body,
                )
            )
        return _Reply(response.status_code, response.headers, body, address)

    def _read_body(self, url: str, via: str, response: httpx.Response, page: bool) -> bytes:
        limit = self.policy.max_bytes if page else MAX_ROBOTS_BYTES
        media_type, _ = parse_content_type(response.headers.get("content-type"))
        if page and media_type and media_type not in self.policy.content_types:
            raise ContentTypeRefused(
                url, f"{via}Content-Type {media_type} is not a page, text or feed eventwire reads"
            )
        too_large = f"{via}response larger than the {limit:,}-byte limit (max_bytes)"
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            if not page:
                return b""  # an oversized robots.txt: read as no rules
            raise ResponseTooLarge(url, f"{too_large}: Content-Length is {int(length):,}")
        try:
            body = BoundedBody(response.headers.get("content-encoding"), limit)
            for chunk in response.iter_raw():
                body.feed(chunk)
            return body.finish()
        except BodyTooLarge as exc:
            if not page:
                return b""
            where = "after decompression" if exc.decompressed else "on the wire"
            raise ResponseTooLarge(url, f"{too_large} {where}; stopped reading") from None
        except BodyEncodingError as exc:
            raise FetchError(url, f"{via}{exc}") from None

    def _timeout_reason(self, exc: httpx.TimeoutException, deadline: float) -> str:
        policy = self.policy
        if time.monotonic() >= deadline - 0.01:
            return f"the response took longer than {policy.fetch_timeout:g} s (fetch_timeout)"
        if isinstance(exc, httpx.ConnectTimeout):
            return f"no connection within {policy.connect_timeout:g} s (connect_timeout)"
        return f"the server sent nothing for {policy.read_timeout:g} s (read_timeout)"


def _drain(response: httpx.Response, limit: int = 65_536) -> None:
    """Read a short error or redirect body, so the connection can serve the next request."""
    read = 0
    for chunk in response.iter_raw():
        read += len(chunk)
        if read > limit:
            return  # not worth it: the connection is closed instead


def _peer_address(response: httpx.Response) -> str | None:
    stream: Any = response.extensions.get("network_stream")
    if stream is None:
        return None
    peer = stream.get_extra_info("server_addr")
    return str(peer[0]) if isinstance(peer, tuple) and peer else None
