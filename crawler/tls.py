"""Certificate problems as signals: fraud sites run self-signed, expired or borrowed certificates.

Scrapy does not verify certificates (a bad one must not stop the fetch), so the leaf is checked
here and the problems travel with the page as evidence and as a small scoring signal.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography import x509
from cryptography.x509.oid import ExtensionOID, NameOID


def _names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
        return [name.lower() for name in san.value.get_values_for_type(x509.DNSName)]
    except x509.ExtensionNotFound:
        return [a.value.lower() for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
                if isinstance(a.value, str)]


def _matches(pattern: str, host: str) -> bool:
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == host


def certificate_problems(
    cert: x509.Certificate, host: str, now: datetime | None = None
) -> tuple[str, ...]:
    """Named problems of a server certificate for ``host``: self_signed, expired, not_yet_valid,
    hostname_mismatch. Chain trust is not judged: Scrapy does not expose intermediates."""
    now = now or datetime.now(UTC)
    problems = []
    if cert.issuer == cert.subject:
        problems.append("self_signed")
    if cert.not_valid_after_utc < now:
        problems.append("expired")
    if cert.not_valid_before_utc > now:
        problems.append("not_yet_valid")
    if not any(_matches(name, host.lower().rstrip(".")) for name in _names(cert)):
        problems.append("hostname_mismatch")
    return tuple(problems)
