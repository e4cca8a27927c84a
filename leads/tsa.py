"""RFC 3161 trusted timestamps: proof from a third party that a manifest existed at a time.

The request carries only the SHA-256 of the data (never the data) and a nonce; the answer is
checked (granted, same digest, same nonce) before it is kept. The TSA is a service the operator
configures, so it is contacted directly, not through the crawl's proxy.
"""

from __future__ import annotations

import hashlib
import secrets
import urllib.request

from asn1crypto import tsp

TSA_TIMEOUT = 30.0
MAX_REPLY_BYTES = 1024 * 1024


class TimestampError(RuntimeError):
    """The TSA could not be reached or its answer does not match the request."""


def timestamp_request(data: bytes, nonce: int) -> bytes:
    return tsp.TimeStampReq({
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                            "hashed_message": hashlib.sha256(data).digest()},
        "nonce": nonce,
        "cert_req": True,
    }).dump()


def check_reply(reply: bytes, data: bytes, nonce: int) -> str:
    """The granted time (ISO 8601) of a TimeStampResp for ``data``, or TimestampError."""
    try:
        response = tsp.TimeStampResp.load(reply)
        status = response["status"]["status"].native
        if status not in ("granted", "granted_with_mods"):
            raise TimestampError(f"时间戳服务拒绝请求：{status}")
        info = response["time_stamp_token"]["content"]["encap_content_info"]["content"].parsed
        imprint = info["message_imprint"]["hashed_message"].native
        granted_nonce = info["nonce"].native
        gen_time = info["gen_time"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise TimestampError(f"时间戳服务的回答无法解析：{exc}") from exc
    if imprint != hashlib.sha256(data).digest() or granted_nonce != nonce:
        raise TimestampError("时间戳与请求不符（摘要或随机数不同）")
    return gen_time.isoformat()


def request_timestamp(data: bytes, tsa_url: str, timeout: float = TSA_TIMEOUT
                      ) -> tuple[bytes, str]:
    """Ask ``tsa_url`` to timestamp ``data``: (DER TimeStampResp, granted time)."""
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
    return reply, check_reply(reply, data, nonce)
