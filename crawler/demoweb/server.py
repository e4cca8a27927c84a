"""The demo web: a small sandbox internet served as an HTTP(S) proxy on 127.0.0.1.

The crawler keeps its real URLs (https://www.baidu.com/s?wd=…) and only points its proxy here.
Plain-HTTP URLs arrive in absolute form; HTTPS URLs arrive as ``CONNECT host:443``, which is
answered, then TLS is terminated with a leaf for that host from a throwaway CA. Nothing is ever
forwarded: hosts the demo web does not simulate get a 502 page."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import http.client
import logging
import ssl
import threading
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from crawler.demoweb.engines import ENGINE_HOSTS, DemoResponse, engine_response
from crawler.demoweb.hosting import DemoHosting
from crawler.demoweb.index import SearchIndex
from crawler.demoweb.manifest import load_sites
from crawler.demoweb.pages import redirect_reply, site_reply, status_reply
from crawler.demoweb.platforms import platform_response
from crawler.demoweb.tls import CertificateAuthority
from crawler.demoweb.weixin import weixin_response

log = logging.getLogger(__name__)

IDLE_TIMEOUT = 30.0  # seconds a keep-alive connection may wait for its next request
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 1024 * 1024
CANARY_PLACEHOLDER = b"CANARY_PORT"
# Errors that mean "the client went away or spoke nonsense" (ValueError: a bad Content-Length):
# end the connection quietly.
CLIENT_GONE = (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
               ssl.SSLError, TimeoutError, ValueError)


@dataclass(frozen=True)
class _Request:
    method: str
    target: str
    version: str
    headers: dict[str, str]  # lower-cased names

    @property
    def keep_alive(self) -> bool:
        connection = (self.headers.get("connection", "") + self.headers.get("proxy-connection", ""))
        if self.version == "HTTP/1.0":
            return "keep-alive" in connection.lower()
        return "close" not in connection.lower()


class DemoWeb:
    """The proxy server, run on its own event loop in a daemon thread (``start``/``stop`` or
    ``with DemoWeb() as web:``). ``requests_seen`` lists (host, path) of every HTTP request
    answered, including 404s and 502s, so tests can see exactly what the crawler asked for.
    ``canary_port`` fills CANARY_PORT in pages that reach for internal addresses: the port of a
    test's loopback canary (default 9, where nothing listens). ``squid``: answer hosts it does not
    simulate (and removed ones) as Squid does a name that does not resolve — 502 (503 to a
    CONNECT) with ``X-Squid-Error: ERR_DNS_FAIL 0`` and Squid's error page."""

    def __init__(
        self,
        port: int = 0,
        *,
        captcha_engines: frozenset[str] = frozenset(),
        removed_hosts: frozenset[str] = frozenset(),
        canary_port: int = 9,
        sites_dir: Path | None = None,
        squid: bool = False,
    ) -> None:
        sites = load_sites(sites_dir)
        self._sites = {site.host: site for site in sites}
        self._index = SearchIndex(sites)
        self._captcha_engines = captcha_engines
        self._removed_hosts = removed_hosts
        self._squid = squid
        self._canary_port = str(canary_port).encode()
        self._requested_port = port
        self._ca = CertificateAuthority()
        # Its DNS resolver, RDAP and WHOIS servers (hosting.toml): ``hosting.overrides`` and
        # ``hosting.settings`` point jiazheng's host lookups at them.
        self.hosting = DemoHosting()
        self._lock = threading.Lock()
        self._requests_seen: list[tuple[str, str]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def ca_cert_pem(self) -> bytes:
        """The throwaway CA, for clients that want to tell CA-issued from self-signed leaves."""
        return self._ca.cert_pem

    @property
    def requests_seen(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._requests_seen)

    def start(self) -> DemoWeb:
        """Listen on 127.0.0.1 in a background thread; return once connections are accepted."""
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(
            target=self._run, args=(ready, failure), name="demoweb", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        self.hosting.start()
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.hosting.stop()
        self._ca.close()

    def __enter__(self) -> DemoWeb:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _run(self, ready: threading.Event, failure: list[BaseException]) -> None:
        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(self._serve(ready))
        except BaseException as exc:  # surfaced to start() if it happens before listening
            failure.append(exc)
            log.exception("demo web stopped unexpectedly")
        finally:
            ready.set()
            self._loop.close()

    async def _serve(self, ready: threading.Event) -> None:
        self._stopping = asyncio.Event()
        connections: dict[asyncio.Task, asyncio.StreamWriter] = {}

        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            connections[task] = writer
            try:
                await self._serve_connection(reader, writer)
            finally:
                del connections[task]

        server = await asyncio.start_server(
            on_connect, "127.0.0.1", self._requested_port, limit=MAX_HEADER_BYTES)
        self._port = server.sockets[0].getsockname()[1]
        ready.set()
        await self._stopping.wait()
        server.close()
        # Aborting the sockets lets each connection end through its normal EOF path; cancelling
        # the tasks instead makes asyncio's stream callback log spurious CancelledErrors.
        for writer in connections.values():
            writer.transport.abort()
        await asyncio.gather(*connections, return_exceptions=True)

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """One client connection: any number of requests, possibly a CONNECT tunnel first."""
        tunnel_host = ""
        try:
            while request := await _read_request(reader):
                if request.method == "CONNECT" and not tunnel_host:
                    tunnel_host = await self._open_tunnel(request.target, writer)
                    if not tunnel_host:
                        return
                    continue
                await self._answer(request, tunnel_host, reader, writer)
                if not request.keep_alive:
                    return
        except CLIENT_GONE:
            pass
        finally:
            writer.close()
            with contextlib.suppress(*CLIENT_GONE):
                await writer.wait_closed()

    async def _open_tunnel(self, authority: str, writer: asyncio.StreamWriter) -> str:
        """Accept ``CONNECT`` and switch the socket to TLS as ``host``; refuse (502) for a
        simulated plain-HTTP site, as a real host without port 443 would be unreachable."""
        host = authority.rsplit(":", 1)[0].strip("[]").lower()
        site = self._sites.get(host)
        if self._squid and self._unresolvable(host):
            await _write_reply(writer, squid_dns_fail(host, HTTPStatus.SERVICE_UNAVAILABLE),
                               keep_alive=False)
            return ""
        if site is not None and site.scheme != "https":
            await _write_reply(writer, _bad_gateway(host), keep_alive=False)
            return ""
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        context = self._ca.server_context(host, site.tls if site else "ca")
        await writer.start_tls(context)
        return host

    async def _answer(self, request: _Request, tunnel_host: str, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> None:
        length = int(request.headers.get("content-length", "0") or 0)
        if length > MAX_BODY_BYTES:
            raise ConnectionResetError("request body too large for the demo web")
        await reader.readexactly(length)  # form posts are answered like GETs
        scheme, host, path = _locate(request, tunnel_host)
        with self._lock:
            self._requests_seen.append((host, path))
        try:
            reply = self._route(scheme, host, path)
        except Exception:
            log.exception("demo web failed to answer %s %s%s", request.method, host, path)
            reply = status_reply(HTTPStatus.INTERNAL_SERVER_ERROR, "demo web internal error")
        reply = _conditional(self._with_canary(reply), request.headers.get("if-none-match", ""))
        await _write_reply(writer, reply, keep_alive=request.keep_alive,
                           with_body=request.method != "HEAD")

    def _route(self, scheme: str, host: str, path: str) -> DemoResponse:
        """Removed sites first (they are gone whatever they were), then engines, then sites."""
        if self._squid and self._unresolvable(host):
            return squid_dns_fail(host, HTTPStatus.BAD_GATEWAY)
        if host in self._removed_hosts:
            return status_reply(HTTPStatus.NOT_FOUND, "404 Not Found")
        captcha = ENGINE_HOSTS.get(host, "") in self._captcha_engines
        engine_reply = weixin_response(host, path, self._index.search, captcha=captcha) or \
            platform_response(host, path, self._index.search, self._sites.get(host),
                              captcha=captcha) or engine_response(
            host, path, self._index.search, captcha=captcha)
        if engine_reply is not None:
            return engine_reply
        site = self._sites.get(host)
        if site is None:
            return _bad_gateway(host)
        if site.scheme == "https" and scheme == "http":
            return redirect_reply(f"https://{host}{path}")
        return site_reply(site, path)

    def _unresolvable(self, host: str) -> bool:
        """In Squid mode, a host the demo web does not simulate (or has removed) does not exist."""
        return host in self._removed_hosts or (host not in self._sites
                                               and host not in ENGINE_HOSTS)

    def _with_canary(self, reply: DemoResponse) -> DemoResponse:
        location = reply.headers.get("Location", "")
        if CANARY_PLACEHOLDER not in reply.body and CANARY_PLACEHOLDER.decode() not in location:
            return reply
        port = self._canary_port.decode()
        headers = {name: value.replace(CANARY_PLACEHOLDER.decode(), port)
                   for name, value in reply.headers.items()}
        return DemoResponse(reply.status, headers,
                            reply.body.replace(CANARY_PLACEHOLDER, self._canary_port))


async def _read_request(reader: asyncio.StreamReader) -> _Request | None:
    """The next request head, or None when the client closed cleanly between requests."""
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), IDLE_TIMEOUT)
    except asyncio.IncompleteReadError as exc:
        if exc.partial.strip():
            raise
        return None
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    parts = request_line.split()
    if len(parts) != 3:
        raise ConnectionAbortedError(f"malformed request line {request_line!r}")
    headers = {}
    for line in header_lines:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return _Request(parts[0].upper(), parts[1], parts[2].upper(), headers)


def _locate(request: _Request, tunnel_host: str) -> tuple[str, str, str]:
    """(scheme, host, path-and-query) a request is for: inside a tunnel, absolute form, or
    origin form sent straight to the server (then the Host header names the site)."""
    if tunnel_host:
        return "https", tunnel_host, request.target
    if request.target.startswith(("http://", "https://")):
        parts = urlsplit(request.target)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return "http", (parts.hostname or ""), path
    return "http", request.headers.get("host", "").split(":")[0].lower(), request.target


async def _write_reply(writer: asyncio.StreamWriter, reply: DemoResponse, *, keep_alive: bool,
                       with_body: bool = True) -> None:
    headers = {**reply.headers, "Content-Length": str(len(reply.body)),
               "Connection": "keep-alive" if keep_alive else "close"}
    head = f"HTTP/1.1 {reply.status} {http.client.responses.get(reply.status, '')}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    writer.write(head.encode("utf-8"))  # engines may put raw UTF-8 in Location, as real ones do
    if with_body:
        writer.write(reply.body)
    await writer.drain()


def _conditional(reply: DemoResponse, if_none_match: str) -> DemoResponse:
    """ETags on every 200, and 304 for a matching If-None-Match, as real servers do: the
    crawler's incremental runs depend on it."""
    if reply.status != HTTPStatus.OK:
        return reply
    etag = '"' + hashlib.sha256(reply.body).hexdigest()[:20] + '"'
    if if_none_match == etag:
        return DemoResponse(HTTPStatus.NOT_MODIFIED, {"ETag": etag}, b"")
    return DemoResponse(reply.status, {**reply.headers, "ETag": etag}, reply.body)


def _bad_gateway(host: str) -> DemoResponse:
    """A host the demo web does not simulate does not exist, as a modern proxy says (RFC 9209)."""
    message = f"502 Bad Gateway: the demo web does not simulate {host}; nothing is forwarded"
    reply = status_reply(HTTPStatus.BAD_GATEWAY, message)
    return DemoResponse(reply.status, {**reply.headers,
                                       "Proxy-Status": "demoweb; error=destination_not_found"},
                        reply.body)


def squid_dns_fail(host: str, status: int) -> DemoResponse:
    """What Squid answers for a host whose name does not resolve: its ERR_DNS_FAIL page with the
    X-Squid-Error header (502 for a request, 503 for a CONNECT)."""
    body = (
        "<html><head><title>ERROR: The requested URL could not be retrieved</title></head>"
        '<body id="ERR_DNS_FAIL"><h1>ERROR</h1><h2>The requested URL could not be retrieved</h2>'
        f"<p><b>Unable to determine IP address from host name <q>{host}</q></b></p>"
        "<p>The DNS server returned: Name Error: The domain name does not exist.</p>"
        "<p>Generated by demo-proxy (squid/5.7)</p></body></html>"
    ).encode()
    return DemoResponse(status, {"Content-Type": "text/html;charset=utf-8", "Server": "squid/5.7",
                                 "X-Squid-Error": "ERR_DNS_FAIL 0",
                                 "Via": "1.1 demo-proxy (squid/5.7)"}, body)
