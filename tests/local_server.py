"""A real HTTP server on a loopback address, and fetchers pointed at it, for the
network tests.

Each test builds its own site: ``server.page(path, body, ...)`` for a fixed answer,
``@server.route(path)`` for a handler that writes the answer itself (slow, endless,
stateful). Every request is recorded, so a test can check what eventwire sent, and
that a refused URL was never requested at all. No test touches the internet.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from eventwire.net import Fetcher, FetchPolicy, parse_allow_list


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


Handler = Callable[["RequestHandler"], None]


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep pytest's output clean

    def do_GET(self) -> None:
        site = self.server.site
        site.record(Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}))
        site.in_flight_changed(+1)
        try:
            site.handler_for(self.path)(self)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass  # the client hung up: that is what many tests want
        finally:
            site.in_flight_changed(-1)

    def send(self, status: int, body: bytes = b"", headers: Iterable[tuple[str, str]] = ()) -> None:
        """A complete answer with a Content-Length."""
        self.send_response(status)
        given = list(headers)
        for name, value in given:
            self.send_header(name, value)
        if not any(name.lower() == "content-length" for name, _ in given):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def send_chunked(
        self, status: int, chunks: Iterable[bytes], headers: Iterable[tuple[str, str]] = ()
    ) -> None:
        """An answer of unknown length, sent chunk by chunk (Transfer-Encoding: chunked)."""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in chunks:
            if chunk:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: LocalServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up mid-request is what many tests do on purpose


class LocalServer:
    """One HTTP (or HTTPS) server on ``host``, port chosen by the system."""

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self._routes: dict[str, Handler] = {}
        self.requests: list[Recorded] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._httpd = _Server((host, 0), RequestHandler)
        self._httpd.site = self
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self.host = host
        self.port = self._httpd.server_address[1]
        scheme = "https" if tls else "http"
        self.base = f"{scheme}://{host}:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    # --- the site ----------------------------------------------------------------------

    def route(self, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._routes[path] = handler
            return handler

        return register

    def page(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: Iterable[tuple[str, str]] = (),
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        extra = [("Content-Type", content_type), *headers] if content_type else list(headers)
        self._routes[path] = lambda h: h.send(status, data, extra)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        self._routes[path] = lambda h: h.send(status, b"", [("Location", location)])
        return self.url(path)

    def handler_for(self, path: str) -> Handler:
        return self._routes.get(path.split("?", 1)[0], lambda h: h.send(404, b"not found"))

    # --- what happened -----------------------------------------------------------------

    def record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def in_flight_changed(self, change: int) -> None:
        with self._lock:
            self.in_flight += change
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def hits(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path.split("?", 1)[0] == path]


def self_signed_certificate(directory: Path, host: str) -> tuple[Path, Path] | None:
    """(certificate, key) for ``host`` made by the openssl command, or None without it."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={host}",
         "-addext", f"subjectAltName=DNS:{host}"],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


# --- fetchers for the tests ------------------------------------------------------------------


def policy(allow: str = "127.0.0.1", **changes: object) -> FetchPolicy:
    """Fast limits for tests. ``allow`` is the allow-list: the test server's loopback
    address by default, which eventwire refuses without it; "" for none."""
    settings: dict[str, object] = {
        "allow": parse_allow_list(allow),
        "host_interval": 0.0,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "fetch_timeout": 5.0,
    }
    settings.update(changes)
    return FetchPolicy(**settings)  # type: ignore[arg-type]


def fetcher(allow: str = "127.0.0.1", **changes: object) -> Fetcher:
    return Fetcher(policy(allow, **changes))


def resolver_for(
    names: dict[str, list[str]], calls: list[str] | None = None
) -> Callable[[str, int], list[str]]:
    """A resolver that knows only ``names`` (host → addresses) and notes each lookup."""

    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return names[host]

    return resolve
