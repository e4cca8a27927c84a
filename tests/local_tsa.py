"""A real RFC 3161 timestamp authority for tests: a throwaway CA, a TSA certificate issued by it,
and ``openssl ts -reply`` behind a tiny HTTP server on 127.0.0.1."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple

TSA_CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {dir}/serial
crypto_device = builtin
signer_cert = {dir}/tsa.pem
signer_key = {dir}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


class Authority(NamedTuple):
    url: str
    work: Path  # ca.pem (the CA), tsa.pem (the signer), tsa.key

    @property
    def ca(self) -> Path:
        return self.work / "ca.pem"

    @property
    def signer(self) -> Path:
        return self.work / "tsa.pem"


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_authority(work: Path, name: str = "jiazheng test TSA",
                   usage: str = "critical,timeStamping") -> None:
    """CA and signer files in ``work``; ``usage`` is the signer's extendedKeyUsage."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.pem", "-days", "2", "-subj", f"/CN={name} CA", cwd=work)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
            "-subj", f"/CN={name}", cwd=work)
    (work / "ext.cnf").write_text(f"extendedKeyUsage = {usage}\n")
    openssl("x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "tsa.pem", "-days", "2", "-extfile", "ext.cnf", cwd=work)
    (work / "serial").write_text("01\n")
    (work / "tsa.cnf").write_text(TSA_CONFIG.format(dir=work))


def sign_query(work: Path, query: bytes) -> bytes:
    """``openssl ts -reply`` for one DER TimeStampReq."""
    (work / "q.tsq").write_bytes(query)
    openssl("ts", "-reply", "-config", "tsa.cnf", "-queryfile", "q.tsq", "-out", "r.tsr",
            cwd=work)
    return (work / "r.tsr").read_bytes()


@contextmanager
def running_authority(work: Path) -> Iterator[Authority]:
    make_authority(work)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                reply = sign_query(work, query)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Authority(f"http://127.0.0.1:{server.server_address[1]}/tsa", work)
    finally:
        server.shutdown()
        server.server_close()
