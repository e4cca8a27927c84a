"""RFC 3161 answers are kept only when they prove themselves: a real local TSA (openssl ts) signs
genuine answers; forged ones (unsigned, re-dated, signed by a stranger, not a TSA certificate) are
errors, never timestamps."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import core, tsp
from cryptography import x509

from leads.evidence.tsa import (
    TimestampError,
    check_reply,
    load_tsa_certificates,
    request_timestamp,
    timestamp_request,
)
from tests.local_tsa import Authority, make_authority, running_authority, sign_query

DATA = "清单 manifest".encode()
NONCE = 424242


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Authority]:
    with running_authority(tmp_path_factory.mktemp("tsa")) as authority:
        yield authority


@pytest.fixture(scope="module")
def genuine(tsa: Authority) -> bytes:
    return sign_query(tsa.work, timestamp_request(DATA, NONCE))


def trusted(path: Path) -> list[x509.Certificate]:
    return load_tsa_certificates(path)


def test_a_genuine_answer_verifies_against_the_ca_or_the_signer(tsa: Authority,
                                                                genuine: bytes) -> None:
    for anchor in (tsa.ca, tsa.signer):
        granted = datetime.fromisoformat(check_reply(genuine, DATA, NONCE, trusted(anchor)))
        assert abs(granted - datetime.now(UTC)) < timedelta(minutes=5)


def test_request_timestamp_over_http_is_verified(tsa: Authority) -> None:
    reply, granted = request_timestamp(DATA, tsa.url, trusted(tsa.ca))
    assert granted.startswith(str(datetime.now(UTC).year))
    assert check_reply(reply, DATA, tsa_nonce(reply), trusted(tsa.ca)) == granted


def tsa_nonce(reply: bytes) -> int:
    token = tsp.TimeStampResp.load(reply)["time_stamp_token"]["content"]
    return token["encap_content_info"]["content"].parsed["nonce"].native


def statement(reply: bytes) -> tsp.TSTInfo:
    token = tsp.TimeStampResp.load(reply)["time_stamp_token"]["content"]
    return token["encap_content_info"]["content"].parsed


def test_a_forged_unsigned_answer_dated_2020_is_refused() -> None:
    info = tsp.TSTInfo({
        "version": "v1", "policy": "1.2.3.4.1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                            "hashed_message": hashlib.sha256(DATA).digest()},
        "serial_number": 7, "gen_time": datetime(2020, 1, 1, tzinfo=UTC), "nonce": NONCE,
    })
    forged = tsp.TimeStampResp({
        "status": {"status": "granted"},
        "time_stamp_token": {"content_type": "signed_data", "content": {
            "version": "v3", "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "tst_info",
                                   "content": core.ParsableOctetString(info.dump())},
            "signer_infos": []}},
    }).dump()
    with pytest.raises(TimestampError, match="相差过大"):
        check_reply(forged, DATA, NONCE, [])
    with pytest.raises(TimestampError, match="未签名"):
        check_reply(forged, DATA, NONCE, [], now=datetime(2020, 1, 1, 0, 5, tzinfo=UTC))


def test_a_redated_genuine_answer_is_refused(tsa: Authority, genuine: bytes) -> None:
    response = tsp.TimeStampResp.load(genuine)
    content = response["time_stamp_token"]["content"]["encap_content_info"]["content"]
    info = content.parsed
    info["gen_time"] = info["gen_time"].native - timedelta(minutes=3)
    content.set(info.dump(force=True))
    redated = response.dump(force=True)
    with pytest.raises(TimestampError, match="声明被改动"):
        check_reply(redated, DATA, NONCE, trusted(tsa.ca))


def test_an_answer_for_other_data_or_another_nonce_is_refused(tsa: Authority,
                                                              genuine: bytes) -> None:
    with pytest.raises(TimestampError, match="不符"):
        check_reply(genuine, b"another manifest", NONCE, trusted(tsa.ca))
    with pytest.raises(TimestampError, match="不符"):
        check_reply(genuine, DATA, NONCE + 1, trusted(tsa.ca))


def test_a_signature_by_a_stranger_is_refused(tmp_path: Path, tsa: Authority) -> None:
    make_authority(tmp_path, name="stranger")
    stranger = sign_query(tmp_path, timestamp_request(DATA, NONCE))
    assert check_reply(stranger, DATA, NONCE, trusted(tmp_path / "ca.pem"))
    with pytest.raises(TimestampError, match="不是配置的时间戳服务证书"):
        check_reply(stranger, DATA, NONCE, trusted(tsa.ca))


def test_garbage_and_rejections_are_clear_errors(tsa: Authority) -> None:
    with pytest.raises(TimestampError, match="无法解析"):
        check_reply(b"\x30\x03garbage", DATA, NONCE, trusted(tsa.ca))
    rejected = bytes.fromhex("3005" "3003" "020102")  # TimeStampResp{status: rejection}
    with pytest.raises(TimestampError, match="拒绝"):
        check_reply(rejected, DATA, NONCE, trusted(tsa.ca))


def test_no_certificate_configured_is_an_error_before_any_request(tsa: Authority,
                                                                  tmp_path: Path) -> None:
    with pytest.raises(TimestampError, match="tsa-cert"):
        request_timestamp(DATA, tsa.url, [])
    with pytest.raises(TimestampError, match="无法读取"):
        load_tsa_certificates(tmp_path / "missing.pem")


def test_an_unreachable_tsa_is_a_clear_error(tsa: Authority) -> None:
    with pytest.raises(TimestampError, match="不可达"):
        request_timestamp(b"x", "http://127.0.0.1:9/tsa", trusted(tsa.ca), timeout=5)
