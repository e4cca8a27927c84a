"""Proxy passwords never leave the process: one function masks them wherever a URL is shown.

A proxy written ``http://user:password@host:port`` is recorded, logged and printed as
``http://user:***@host:port`` — in ``runs.settings``, ``capture.json``, log lines and messages.
"""

from __future__ import annotations

import re

MASK = "***"
# scheme://user:password@ anywhere in a text (a message, a log line, a command's error output).
_CREDENTIALS = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]*):(?P<secret>[^@\s/]*)@")


def redact_url(url: str) -> str:
    """``url`` with its password (if any) replaced by ***; anything else unchanged."""
    return redact_text(url)


def redact_text(text: str) -> str:
    """Every ``scheme://user:password@`` in ``text`` with the password masked."""
    return _CREDENTIALS.sub(lambda m: f"{m['head']}:{MASK}@", text)



def redact_setting(value: object) -> object:
    """A setting's value as it may be recorded (``runs.settings``): texts redacted."""
    return redact_text(value) if isinstance(value, str) else value
