"""Who may reach the workspace: bound to the loopback address it serves whoever sits at this
machine; bound anywhere else it refuses to start unless a login is configured, and then every
page asks for it. A decision always names its maker: the logged-in account, else (loopback
only) the login name of whoever started ``serve``."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOOPBACK_NAMES = ("localhost",)
PASSWORD_PLUGIN = "datasette-auth-passwords"
HASH_SUFFIX = "_password_hash"


class ServeRefused(RuntimeError):
    """``serve`` must not start as asked; the message says why and what to do."""


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost``: only this machine can connect."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def configured_accounts(metadata: dict[str, Any]) -> list[str]:
    """The accounts the password plugin (datasette-auth-passwords) knows, from the metadata's
    ``plugins`` block: one ``<name>_password_hash`` entry per account."""
    config = (metadata.get("plugins") or {}).get(PASSWORD_PLUGIN) or {}
    return sorted(key[: -len(HASH_SUFFIX)] for key, value in config.items()
                  if key.endswith(HASH_SUFFIX) and _resolves(value))


def _resolves(value: Any) -> bool:
    """A hash given outright, or through Datasette's ``{"$env": NAME}`` / ``{"$file": PATH}``
    (kept out of /-/metadata.json) that names a set variable or an existing file."""
    if isinstance(value, dict):
        if "$env" in value:
            return bool(os.environ.get(str(value["$env"])))
        return "$file" in value and Path(str(value["$file"])).is_file()
    return bool(value)


@dataclass(frozen=True)
class Access:
    """How this workspace admits people: ``login_required`` (accounts configured or a bind
    beyond loopback), and ``local_who``, the name decisions carry when no login is asked for."""

    host: str
    login_required: bool
    local_who: str
    allowed_hosts: tuple[str, ...]  # Host headers accepted; empty: any (a login guards it)


def decide_access(host: str, port: int, metadata: dict[str, Any], local_who: str) -> Access:
    """The access rule for a bind, or ``ServeRefused`` for a bind beyond loopback without login.

    On loopback, only requests naming this machine in their Host header are served: a seller's
    page in the analyst's browser cannot reach the workspace through a name it rebinds to
    127.0.0.1."""
    accounts = configured_accounts(metadata)
    if not is_loopback(host):
        if not accounts:
            raise ServeRefused(
                f"拒绝启动：绑定到 {host} 时其他电脑也能访问，必须先配置登录账号"
                f"（{PASSWORD_PLUGIN}，见 --metadata）；只在本机使用请省略 --host。"
                f" Refusing to start: bound to {host} the workspace is reachable from other "
                f"machines, so a login must be configured first ({PASSWORD_PLUGIN} accounts in "
                f"--metadata); leave out --host to serve this machine only.")
        return Access(host, True, "", ())
    names = {host.strip("[]"), "127.0.0.1", "localhost", "[::1]"}
    allowed = tuple(sorted({f"{name}:{port}" for name in names} | names))
    return Access(host, bool(accounts), local_who, allowed)
