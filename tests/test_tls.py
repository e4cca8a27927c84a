"""Certificate problems are named, not fatal: fraud sites run bad certificates."""

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from crawler.tls import certificate_problems

NOW = datetime(2026, 11, 27, tzinfo=UTC)
KEY = ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_cert(host: str, *, issuer: str = "Demo CA", days: tuple[int, int] = (-10, 10),
              san: list[str] | None = None) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder().subject_name(_name(host)).issuer_name(_name(issuer))
        .public_key(KEY.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(NOW + timedelta(days=days[0]))
        .not_valid_after(NOW + timedelta(days=days[1]))
    )
    if san is not None:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in san]), critical=False)
    return builder.sign(KEY, hashes.SHA256())


def test_good_certificate_has_no_problems() -> None:
    assert certificate_problems(make_cert("a.com", san=["a.com"]), "a.com", NOW) == ()


@pytest.mark.parametrize(("cert", "host", "problem"), [
    (make_cert("a.com", issuer="a.com", san=["a.com"]), "a.com", "self_signed"),
    (make_cert("a.com", days=(-30, -1), san=["a.com"]), "a.com", "expired"),
    (make_cert("a.com", days=(2, 30), san=["a.com"]), "a.com", "not_yet_valid"),
    (make_cert("b.com", san=["b.com"]), "a.com", "hostname_mismatch"),
    (make_cert("*.a.com", san=["*.a.com"]), "x.y.a.com", "hostname_mismatch"),
])
def test_each_problem_is_named(cert: x509.Certificate, host: str, problem: str) -> None:
    assert problem in certificate_problems(cert, host, NOW)


def test_wildcard_and_common_name_fallback_match() -> None:
    assert certificate_problems(make_cert("x", san=["*.a.com"]), "www.a.com", NOW) == ()
    assert certificate_problems(make_cert("a.com"), "A.com.", NOW) == ()
