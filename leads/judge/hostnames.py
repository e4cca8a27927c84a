"""Host names as the domain checks read them: a URL or host cut down to its host, checked for
being a registrable name at all, and split by the public suffix list.

Parsing is offline (tldextract with its bundled suffix list) and never raises; a host that cannot
be a registrable name says why in ``HostParts.problem``. Plain ASCII hosts skip URL parsing: most
hosts of a certificate feed are already normalised.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import tldextract

# Private suffixes count (cn.com, github.io): a seller registers cx-mem-gov.cn.com, not cn.com.
EXTRACT = tldextract.TLDExtract(
    suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
)
GOVERNMENT_SUFFIX = "gov.cn"
MAX_HOST_LENGTH, MAX_LABEL_LENGTH = 253, 63  # RFC 1035
PLAIN_HOST = re.compile(r"[a-z0-9_.-]+")  # already normalised: no URL parsing needed
# labels of 1-63 characters, no hyphen at either end; possessive (*+): no backtracking needed
VALID_HOST = re.compile(r"(?:(?!-)[a-z0-9_-]{1,63}+(?<!-)\.)*+[a-z0-9_]{1,63}")
HOST_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?")


@dataclass(frozen=True)
class HostParts:
    """A host split by the public suffix list; ``host`` is lower-case ASCII (punycode).

    ``problem`` says, in Chinese, why the host cannot be a registrable name (empty when fine).
    """

    host: str
    subdomain: str
    registered_domain: str
    suffix: str
    is_ip: bool = False
    problem: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        """Labels left of the public suffix (subdomain and registrable name)."""
        name = self.host.removesuffix(self.suffix).rstrip(".") if self.suffix else self.host
        return tuple(label for label in name.split(".") if label)

    @property
    def unicode_labels(self) -> tuple[str, ...]:
        """``labels`` with punycode decoded, to see Cyrillic look-alike letters (сх-mem)."""
        return tuple(_to_unicode(label) for label in self.labels)


def _to_ascii(host: str) -> str:
    """Punycode form of an IDN host, label by label; undecodable labels are kept as they are."""
    labels = []
    for label in host.split("."):
        try:
            labels.append(label.encode("idna").decode("ascii") if not label.isascii() else label)
        except UnicodeError:
            labels.append(label)
    return ".".join(labels)


def _to_unicode(label: str) -> str:
    try:
        return label.encode("ascii").decode("idna") if label.startswith("xn--") else label
    except UnicodeError:
        return label


def bare_host(url_or_host: str) -> str:
    if PLAIN_HOST.fullmatch(url_or_host):
        return url_or_host.strip(".")
    text = unicodedata.normalize("NFKC", url_or_host.strip()).replace("。", ".")
    if "://" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:  # e.g. an unbalanced "[" in a would-be IPv6 address
        host = re.split(r"[/?#:\[\]@\s]", text.split("//", 1)[-1], maxsplit=1)[0]
    return _to_ascii(host.strip().strip(".").lower())


def host_problem(host: str) -> str:
    """Why ``host`` (ASCII form) cannot be a registrable host name, or ""."""
    if not host:
        return "无法解析域名"
    if len(host) <= MAX_HOST_LENGTH and "xn--" not in host and VALID_HOST.fullmatch(host):
        return ""
    if len(host) > MAX_HOST_LENGTH:
        return f"域名超过 {MAX_HOST_LENGTH} 个字符"
    for label in host.split("."):
        if not label:
            return "域名含空标签（连续的点）"
        if len(label) > MAX_LABEL_LENGTH:
            return f"域名标签超过 {MAX_LABEL_LENGTH} 个字符"
        if not HOST_LABEL.fullmatch(label):
            return f"域名标签含非法字符：{label[:MAX_LABEL_LENGTH]}"
        if label.startswith("xn--") and _to_unicode(label) == label:
            return f"国际化域名（IDN）编码无效：{label}"
    return ""


def ip_parts(host: str) -> HostParts | None:
    if not (host[-1:].isdigit() or ":" in host):  # a host name's last label is never numeric
        return None
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return None
    return HostParts(host=host, subdomain="", registered_domain="", suffix="", is_ip=True)


def host_parts(url_or_host: str) -> HostParts:
    """Split a URL or host name: lower case, no port, no trailing dot, IDN as punycode."""
    host = bare_host(url_or_host)
    ip = ip_parts(host)
    if ip is not None:
        return ip
    problem = host_problem(host)
    if not host or len(host) > MAX_HOST_LENGTH:
        return HostParts(host=host, subdomain="", registered_domain="", suffix="", problem=problem)
    return split_host(host, problem)


def split_host(host: str, problem: str = "") -> HostParts:
    """The suffix split of ``host_parts``, for a bare host already checked (no IP address)."""
    extracted = EXTRACT.extract_str(host)
    registered = (
        f"{extracted.domain}.{extracted.suffix}" if extracted.domain and extracted.suffix else ""
    )
    return HostParts(
        host=host,
        subdomain=extracted.subdomain,
        registered_domain=registered,
        suffix=extracted.suffix,
        problem=problem,
    )


def is_under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)
