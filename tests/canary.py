"""A loopback canary for egress tests: an HTTP server on 127.0.0.1 that records every connection
and request made to it. Demo pages point at it (``DemoWeb(canary_port=…)``); none may reach it."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socket import socket


class Canary:
    """``with Canary() as canary:`` … ``canary.hits`` lists "connection" per TCP connection and
    the path of each request; it answers like an office's internal admin page."""

    def __init__(self) -> None:
        hits: list[str] = []
        self.hits = hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                body = "<html><title>内网管理后台</title><body>admin secrets</body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def get_request(self) -> tuple[socket, object]:
                hits.append("connection")
                return super().get_request()

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port: int = self.server.server_address[1]

    def __enter__(self) -> Canary:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
