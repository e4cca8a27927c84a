"""The packet's hash list: every file in the packet folder — the letter (PDF, DOCX), the tables,
the 清单 and the evidence — with its SHA-256, in the ``sha256sum -c`` format, so the receiving
office verifies the whole transfer with a tool every system has (``sha256sum -c 校验值清单.txt``
in the unpacked folder; on Windows ``certutil -hashfile`` per file).

UTF-8, one ``<hash>  <path>`` line per file, paths relative to the folder with ``/``; a path with
a backslash or a newline is escaped as GNU coreutils does (the line then starts with ``\\``).
"""

from __future__ import annotations

from pathlib import Path

from leads.evidence.folder import sha256_file

CHECKSUMS_TXT = "校验值清单.txt"


def checksum_line(digest: str, name: str) -> str:
    if "\\" in name or "\n" in name:
        return "\\" + digest + "  " + name.replace("\\", "\\\\").replace("\n", "\\n") + "\n"
    return f"{digest}  {name}\n"


def write_checksums(folder: Path) -> Path:
    """``校验值清单.txt`` in ``folder`` over every other file under it, in path order."""
    manifest = folder / CHECKSUMS_TXT
    files = sorted(path for path in folder.rglob("*") if path.is_file() and path != manifest)
    manifest.write_text("".join(checksum_line(sha256_file(path),
                                              path.relative_to(folder).as_posix())
                                for path in files), encoding="utf-8", newline="\n")
    return manifest
