"""Files and folders that are whole or absent: what analysts and officers open is never half
written.

Every output (lead CSV, XLSX tables, statistics, packet folders and zips) is written under a
temporary name in the same folder and renamed into place once complete, so a killed run leaves
the previous file untouched and no half file under the real name. A folder being built carries
the building process's id (``.JZ-….partial-<pid>``); leftovers of processes that are gone are
removed by the next run, never those of a process still at work. A full disk or an I/O error
becomes an ``OutputError`` saying so. Permissions come from the process umask, which the CLI
sets to 0077 (files 0600, folders 0700: the outputs hold police material).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PARTIAL_MARK = ".partial-"
DISK_ERRORS = {errno.ENOSPC: "磁盘已满", errno.EDQUOT: "磁盘配额已用完", errno.EIO: "磁盘读写错误",
               errno.EROFS: "文件系统只读", errno.EFBIG: "文件超过系统允许的大小"}


class OutputError(RuntimeError):
    """An output could not be written (full disk, I/O error …); nothing half-written is left."""


@contextmanager
def exclusive(lock_path: Path, busy: Exception, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold an flock on ``lock_path`` for the block: one process at a time does this work (a
    nightly per database, a packet per agency). The kernel drops the lock when the process
    dies, however it dies, so a killed run never blocks the next. Waits up to ``wait_seconds``
    for another holder, then raises ``busy`` (the caller's error, saying who holds it)."""
    deadline = time.monotonic() + wait_seconds
    with lock_path.open("w") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as exc:
                if time.monotonic() >= deadline:
                    raise busy from exc
                time.sleep(0.2)
        yield


def explain_os_error(exc: OSError, what: Path | str) -> OutputError:
    problem = DISK_ERRORS.get(exc.errno or 0)
    return OutputError(f"无法写入 {what}：{problem}（{exc}）" if problem
                       else f"无法写入 {what}：{exc}")


@contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """A temporary path next to ``target``; renamed onto it when the block ends without error."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target.parent)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}{PARTIAL_MARK}{os.getpid()}.",
                                        suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise explain_os_error(exc, target) from exc
    os.close(handle)
    temporary = Path(name)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600 whatever the umask says
        yield temporary
        with temporary.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        raise explain_os_error(exc, target) from exc
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """A folder ``.<name>.partial-<pid>`` next to ``target``, renamed to ``target`` when the block
    ends without error and removed when it fails."""
    building = target.with_name(f".{target.name}{PARTIAL_MARK}{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target.parent)
        building.mkdir()
        yield building
        building.rename(target)
    except OSError as exc:
        raise explain_os_error(exc, target) from exc
    finally:
        shutil.rmtree(building, ignore_errors=True)


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove half-built folders and temporary files whose building process is gone."""
    removed = []
    for path in folder.glob(f".*{PARTIAL_MARK}*"):
        pid = path.name.rpartition(PARTIAL_MARK)[2].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _umask() -> int:
    current = os.umask(0o077)
    os.umask(current)
    return current


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
