"""An HTTP proxy on 127.0.0.1 that demands a user and password (Proxy-Authorization: Basic) and
forwards what it accepts to another proxy (the demo web), for tests of proxies with credentials.

A request without the right credentials gets 407 and the connection is closed; an accepted
connection is piped both ways as it is (a client that authenticated its first request is trusted
for the rest of that connection, as a keep-alive proxy would)."""

from __future__ import annotations

import base64
import contextlib
import socket
import socketserver
import threading
from urllib.parse import urlsplit

DENIED = (b"HTTP/1.1 407 Proxy Authentication Required\r\n"
          b'Proxy-Authenticate: Basic realm="jiazheng-test"\r\n'
          b"Content-Length: 0\r\nConnection: close\r\n\r\n")
MAX_HEAD = 64 * 1024


class AuthProxy:
    """``with AuthProxy(upstream, user, password) as proxy:`` … ``proxy.url`` (with credentials),
    ``proxy.accepted`` / ``proxy.denied`` count requests."""

    def __init__(self, upstream: str, user: str, password: str) -> None:
        parts = urlsplit(upstream)
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.accepted = 0
        self.denied = 0
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                head = b""
                while b"\r\n\r\n" not in head and len(head) < MAX_HEAD:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    head += chunk
                header_block, _, rest = head.partition(b"\r\n\r\n")
                lines = header_block.decode("latin-1").split("\r\n")
                auth = [line.split(":", 1)[1].strip() for line in lines[1:]
                        if line.lower().startswith("proxy-authorization:")]
                if auth != [expected]:
                    owner.denied += 1
                    self.request.sendall(DENIED)
                    return
                owner.accepted += 1
                kept = [line for line in lines if not line.lower().startswith("proxy-authorization:")]
                upstream_socket = socket.create_connection((parts.hostname, parts.port))
                upstream_socket.sendall("\r\n".join(kept).encode("latin-1") + b"\r\n\r\n" + rest)
                _pipe(self.request, upstream_socket)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port: int = self.server.server_address[1]
        self.url = f"http://{user}:{password}@127.0.0.1:{self.port}"

    def __enter__(self) -> AuthProxy:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _pipe(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""

    def copy(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    back = threading.Thread(target=copy, args=(upstream, client), daemon=True)
    back.start()
    copy(client, upstream)
    back.join(timeout=60)
    upstream.close()


class Tarpit:
    """A server on 127.0.0.1 that accepts connections and never answers: a stuck proxy."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stopped = threading.Event()

    def _accept(self) -> None:
        self.listener.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.held.append(connection)

    def __enter__(self) -> Tarpit:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        for connection in self.held:
            connection.close()
        self.listener.close()
