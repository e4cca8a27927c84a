"""Certificates for the demo web's HTTPS: a throwaway CA made at start-up issues a leaf per host on
demand, so the crawler sees a real TLS handshake for every simulated host. Fraud-like sites get a
self-signed or an expired leaf instead, which the crawler records as a signal."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import tempfile
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

_PEM = serialization.Encoding.PEM
_DAY = dt.timedelta(days=1)


class CertificateAuthority:
    """Issues and caches one server ``ssl.SSLContext`` per (host, kind); thread-safe."""

    def __init__(self) -> None:
        self._ca_key = ec.generate_private_key(ec.SECP256R1())
        self._leaf_key = ec.generate_private_key(ec.SECP256R1())  # shared by all leaves: fast
        name = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "jiazheng demo web"),
            x509.NameAttribute(NameOID.COMMON_NAME, "jiazheng demo web throwaway CA"),
        ])
        now = dt.datetime.now(dt.UTC)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(name).issuer_name(name)
            .public_key(self._ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _DAY).not_valid_after(now + 30 * _DAY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                key_encipherment=False, data_encipherment=False, key_agreement=False,
                encipher_only=False, decipher_only=False), critical=True)
            .sign(self._ca_key, hashes.SHA256())
        )
        self._dir = tempfile.TemporaryDirectory(prefix="jiazheng-demoweb-tls-")
        self._key_path = Path(self._dir.name) / "leaf-key.pem"
        self._key_path.write_bytes(self._leaf_key.private_bytes(
            _PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        self._contexts: dict[tuple[str, str], ssl.SSLContext] = {}
        self._lock = threading.Lock()

    @property
    def cert_pem(self) -> bytes:
        """The CA certificate, for clients that want to trust the demo web's CA-issued leaves."""
        return self.cert.public_bytes(_PEM)

    def server_context(self, host: str, kind: str = "ca") -> ssl.SSLContext:
        """A server context presenting a leaf for ``host``: ``ca``-issued, ``self_signed`` or
        ``expired`` (CA-issued but past its validity)."""
        with self._lock:
            context = self._contexts.get((host, kind))
            if context is None:
                context = self._contexts[(host, kind)] = self._make_context(host, kind)
            return context

    def close(self) -> None:
        self._dir.cleanup()

    def _make_context(self, host: str, kind: str) -> ssl.SSLContext:
        leaf = self._issue(host, kind)
        chain = leaf.public_bytes(_PEM) + (self.cert_pem if kind != "self_signed" else b"")
        chain_path = Path(self._dir.name) / f"{kind}-{host}.pem"
        chain_path.write_bytes(chain)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(chain_path, self._key_path)
        context.set_alpn_protocols(["http/1.1"])
        return context

    def _issue(self, host: str, kind: str) -> x509.Certificate:
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
        issuer = subject if kind == "self_signed" else self.cert.subject
        now = dt.datetime.now(dt.UTC)
        if kind == "expired":
            not_before, not_after = now - 400 * _DAY, now - 30 * _DAY
        else:
            not_before, not_after = now - _DAY, now + 30 * _DAY
        return (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer)
            .public_key(self._leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([_san(host)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .sign(self._leaf_key if kind == "self_signed" else self._ca_key, hashes.SHA256())
        )


def _san(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)
