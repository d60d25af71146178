"""The httpx transport every fetch goes through: it connects only to checked addresses.

httpcore asks its network backend to connect to ``(host, port)``. Our backend
resolves the host once, checks every address it got (:mod:`eventwire.net.addresses`)
and connects to one of those very addresses, so a DNS answer that changes between
a check and a connect (DNS rebinding) cannot slip through: there is no second
lookup. TLS is then started by httpcore with the URL's host name, so SNI and
certificate checks use the name, and the Host header is the URL's as usual.

The streams it returns also enforce a deadline for the whole exchange (the
``fetch_timeout``), which httpx's per-operation timeouts cannot: a server that
sends one byte every few seconds never trips a read timeout.
"""

from __future__ import annotations

import contextvars
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any

import httpcore
import httpx

from eventwire.errors import AddressRefused, EventwireError
from eventwire.net.addresses import AllowList, parse_ip, refusal_reason

# host, port → addresses, in the order to try them.
Resolver = Callable[[str, int], list[str]]

# When the current exchange must be over (time.monotonic()), set by the fetcher.
DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "eventwire_fetch_deadline", default=None
)


def system_resolver(host: str, port: int) -> list[str]:
    """Addresses of ``host`` from the operating system's resolver, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _remaining(timeout: float | None) -> float | None:
    """``timeout`` shortened to what is left before the deadline."""
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the response took longer than fetch_timeout")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(ssl_context, server_hostname, _remaining(timeout))
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves once, refuses non-public addresses, connects to a checked address."""

    def __init__(self, allow: AllowList, resolver: Resolver = system_resolver) -> None:
        self._allow = allow
        self._resolver = resolver
        self._tcp = httpcore.SyncBackend()

    def checked_addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for ``host``; raises AddressRefused for any bad one."""
        literal = parse_ip(host)
        if literal is not None:
            answers = [str(literal)]
        else:
            try:
                answers = self._resolver(host, port)
            except (OSError, UnicodeError) as exc:
                raise httpcore.ConnectError(f"cannot resolve {host} ({exc})") from None
            if not answers:
                raise httpcore.ConnectError(f"cannot resolve {host} (no address)")
        checked = []
        for answer in answers:
            address = parse_ip(answer)
            if address is None:
                raise httpcore.ConnectError(f"{host} resolved to {answer!r}, not an address")
            reason = refusal_reason(address)
            if reason and not (
                self._allow.allows_host(host) or self._allow.allows_address(address)
            ):
                shown = host if literal is not None else f"{host} resolves to {address}, which"
                raise AddressRefused(
                    host,
                    f"{shown} is {reason}; eventwire only fetches public addresses "
                    f"(add {host} to allow_hosts to fetch it anyway)",
                    str(address),
                )
            # An IPv4 address inside IPv6 is connected to as IPv4: same host, fewer surprises.
            inner = getattr(address, "ipv4_mapped", None)
            checked.append(str(inner or address))
        return checked

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        error: Exception | None = None
        for address in self.checked_addresses(host, port):
            try:
                stream = self._tcp.connect_tcp(
                    address, port, _remaining(timeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream)
        assert error is not None  # checked_addresses returns at least one address
        raise error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("eventwire does not connect to Unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# httpcore's exceptions as the httpx ones callers of an httpx client expect.
_EXCEPTIONS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.TimeoutException, httpx.TimeoutException),
)


def _as_httpx(exc: Exception, request: httpx.Request) -> Exception:
    if isinstance(exc, EventwireError):
        return exc
    for core, mapped in _EXCEPTIONS:
        if isinstance(exc, core):
            return mapped(str(exc) or type(exc).__name__, request=request)
    return exc


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes], request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except Exception as exc:
            raise _as_httpx(exc, self._request) from None

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore pool that uses :class:`GuardedBackend`.

    No proxies: a proxy would make the address check meaningless.
    """

    def __init__(
        self,
        allow: AllowList,
        *,
        resolver: Resolver = system_resolver,
        ssl_context: ssl.SSLContext | None = None,
        max_connections: int = 20,
    ) -> None:
        self.backend = GuardedBackend(allow, resolver)
        self._pool = httpcore.ConnectionPool(
            # httpx's default: certifi's certificates, hostname checked.
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            network_backend=self.backend,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        try:
            response = self._pool.handle_request(core_request)
        except Exception as exc:
            raise _as_httpx(exc, request) from None
        assert isinstance(response.stream, Iterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream, request),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self.close()
