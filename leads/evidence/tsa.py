"""RFC 3161 trusted timestamps: proof from a third party that a manifest existed at a time.

The request carries only the SHA-256 of the data (never the data) and a nonce. An answer is kept
only when it proves itself: granted, same digest, same nonce, a time close to ours, and a CMS
signature over exactly that statement by a certificate that is — or is issued by — a TSA
certificate the operator configured. Anything less (an unsigned token, a forged date, a key we do
not trust) is an error, never a timestamp. The TSA is a service the operator configures, so it is
contacted directly, not through the crawl's proxy.
"""

from __future__ import annotations

import hashlib
import secrets
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import cms, core, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

TSA_TIMEOUT = 30.0
MAX_REPLY_BYTES = 1024 * 1024
MAX_CLOCK_SKEW = timedelta(minutes=15)  # a granted time further from ours is not this request's
DIGESTS = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class TimestampError(RuntimeError):
    """The TSA could not be reached or its answer does not prove what it claims."""


def load_tsa_certificates(path: str | Path) -> list[x509.Certificate]:
    """The trusted TSA certificates (the signer's own, or the CA that issued it) from a PEM file."""
    try:
        certificates = x509.load_pem_x509_certificates(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise TimestampError(f"无法读取时间戳服务证书 {path}：{exc}") from exc
    return certificates


def timestamp_request(data: bytes, nonce: int) -> bytes:
    return tsp.TimeStampReq({
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                            "hashed_message": hashlib.sha256(data).digest()},
        "nonce": nonce,
        "cert_req": True,
    }).dump()


def check_reply(reply: bytes, data: bytes, nonce: int, trusted: Sequence[x509.Certificate],
                now: datetime | None = None) -> str:
    """The granted time (ISO 8601) of a TimeStampResp for ``data``, or TimestampError."""
    try:
        # The status first, on its own: a refusal carries no token to parse.
        status = tsp.PKIStatusInfo.load(core.Sequence.load(reply)[0].dump())["status"].native
        if status not in ("granted", "granted_with_mods"):
            raise TimestampError(f"时间戳服务拒绝请求：{status}")
        signed = tsp.TimeStampResp.load(reply)["time_stamp_token"]["content"]
        encapsulated = signed["encap_content_info"]
        if encapsulated["content_type"].native != "tst_info":
            raise TimestampError("时间戳回答不含时间戳声明（TSTInfo）")
        statement = encapsulated["content"].parsed
        imprint = statement["message_imprint"]["hashed_message"].native
        granted_nonce = statement["nonce"].native
        granted = statement["gen_time"].native
        signer_infos = list(signed["signer_infos"])
        embedded = [c.chosen for c in signed["certificates"] or [] if c.name == "certificate"]
        statement_bytes = encapsulated["content"].contents
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise TimestampError(f"时间戳服务的回答无法解析：{exc}") from exc
    if imprint != hashlib.sha256(data).digest() or granted_nonce != nonce:
        raise TimestampError("时间戳与请求不符（摘要或随机数不同）")
    now = now or datetime.now(UTC)
    if abs(granted - now) > MAX_CLOCK_SKEW:
        raise TimestampError(f"时间戳时间 {granted.isoformat()} 与本机时间相差过大，不予采信")
    if len(signer_infos) != 1:
        raise TimestampError("时间戳未签名或签名者不唯一")
    signer = _signer_certificate(signer_infos[0], embedded, trusted)
    _check_signature(signer_infos[0], statement_bytes, signer)
    _check_signer(signer, trusted, granted)
    return granted.isoformat()


def _signer_certificate(info: cms.SignerInfo, embedded: list, trusted: Sequence[x509.Certificate]
                        ) -> x509.Certificate:
    """The certificate ``info`` names, from the token's own list or the trusted ones."""
    sid = info["sid"]
    candidates = [x509.load_der_x509_certificate(c.dump()) for c in embedded] + list(trusted)
    for certificate in candidates:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (certificate.serial_number == wanted["serial_number"].native
                    and certificate.issuer.public_bytes() == wanted["issuer"].dump()):
                return certificate
        else:
            try:
                key_id = certificate.extensions.get_extension_for_class(
                    x509.SubjectKeyIdentifier).value.digest
            except x509.ExtensionNotFound:
                continue
            if key_id == sid.chosen.native:
                return certificate
    raise TimestampError("找不到时间戳签名者的证书")


def _check_signature(info: cms.SignerInfo, statement: bytes, signer: x509.Certificate) -> None:
    """The signed attributes bind the statement, and the signer's key signed them."""
    attributes = info["signed_attrs"]
    if not attributes:
        raise TimestampError("时间戳签名缺少签名属性")
    values = {a["type"].native: a["values"][0].native for a in attributes}
    digest_name = info["digest_algorithm"]["algorithm"].native
    if digest_name not in DIGESTS:
        raise TimestampError(f"不支持的摘要算法：{digest_name}")
    if values.get("content_type") != "tst_info" or values.get(
            "message_digest") != hashlib.new(digest_name, statement).digest():
        raise TimestampError("时间戳签名与声明内容不符（声明被改动）")
    # The signature covers the attributes encoded as a SET, not with their [0] tag.
    signed_bytes = b"\x31" + attributes.dump()[1:]
    signature = info["signature"].native
    algorithm = DIGESTS[digest_name]()
    key = signer.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signed_bytes, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, signed_bytes, ec.ECDSA(algorithm))
        else:
            raise TimestampError("不支持的签名密钥类型")
    except InvalidSignature as exc:
        raise TimestampError("时间戳签名无效") from exc


def _check_signer(signer: x509.Certificate, trusted: Sequence[x509.Certificate],
                  granted: datetime) -> None:
    """The signer is a timestamping certificate valid at ``granted``, trusted or issued by one."""
    try:
        usage = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        usage = []
    if x509.ExtendedKeyUsageOID.TIME_STAMPING not in usage:
        raise TimestampError("签名证书不是时间戳服务证书（缺少 timeStamping 用途）")
    if not signer.not_valid_before_utc <= granted <= signer.not_valid_after_utc:
        raise TimestampError("时间戳时间不在签名证书有效期内")
    for anchor in trusted:
        if signer == anchor:
            return
        try:
            signer.verify_directly_issued_by(anchor)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return
    raise TimestampError("时间戳签名证书不是配置的时间戳服务证书，也不是其签发的")


def request_timestamp(data: bytes, tsa_url: str, trusted: Sequence[x509.Certificate],
                      timeout: float = TSA_TIMEOUT) -> tuple[bytes, str]:
    """Ask ``tsa_url`` to timestamp ``data``: (DER TimeStampResp, granted time), verified
    against ``trusted``; TimestampError when the TSA is unreachable or its answer fails."""
    if not trusted:
        raise TimestampError("未配置时间戳服务证书（--tsa-cert），无法核验时间戳")
    nonce = secrets.randbits(63)
    request = urllib.request.Request(
        tsa_url, data=timestamp_request(data, nonce), method="POST",
        headers={"Content-Type": "application/timestamp-query"})
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with direct.open(request, timeout=timeout) as answer:
            reply = answer.read(MAX_REPLY_BYTES + 1)
    except OSError as exc:
        raise TimestampError(f"时间戳服务 {tsa_url} 不可达：{exc}") from exc
    if len(reply) > MAX_REPLY_BYTES:
        raise TimestampError(f"时间戳服务 {tsa_url} 的回答过大")
    return reply, check_reply(reply, data, nonce, trusted)
