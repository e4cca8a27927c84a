"""A demo registry server on 127.0.0.1: a threading socketserver in a daemon thread, its port
chosen by the system (``port`` once started). The RDAP and WHOIS servers say only how they answer
(``handler``)."""

from __future__ import annotations

import socketserver
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.demoweb.hosting import HostingWorld


class LoopbackServer:
    SERVER: type[socketserver.ThreadingMixIn] = socketserver.ThreadingTCPServer
    NAME = "demo-registry"

    def __init__(self, world: HostingWorld) -> None:
        self.world = world
        self.port = 0
        self._server: socketserver.TCPServer | None = None

    def handler(self) -> type[socketserver.BaseRequestHandler]:
        raise NotImplementedError

    def start(self) -> None:
        server = self.SERVER(("127.0.0.1", 0), self.handler())  # type: ignore[call-arg]
        server.daemon_threads = True
        self._server = server  # type: ignore[assignment]
        self.port = server.server_address[1]  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, name=self.NAME,  # type: ignore[attr-defined]
                         daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
