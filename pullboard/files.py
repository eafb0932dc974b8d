"""Whole files in and out: the one atomic-replace helper and the one bounded reader.

The insights file, the snapshot cache, the per-user state and `init` all write through
`write_atomic`, so a crash or a full disk leaves either the old file or the new one. The
insights file, the config and the caches are all read through `read_regular`, so a FIFO, a
device or a huge file where one of them should be is refused with a sentence, never waited on.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import stat
import tomllib
from contextlib import suppress
from pathlib import Path
from typing import Any

import msgspec

MAX_BYTES = 4 * 1024 * 1024
"""The most `read_regular` reads by default (the insights file, the config): a team's insights
file is a few hundred KiB at most, and anyone who can write the shared file must not be able
to make every teammate's board parse a gigabyte."""
CACHE_MAX_BYTES = 256 * 1024 * 1024
"""The most a cache file may hold: pullboard writes these itself, so the bound only stops a
runaway (a big tracker's snapshot is tens of MiB)."""

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_regular(path: Path, limit: int = MAX_BYTES) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file, and the stat of exactly the file they came from.

    The file is opened without blocking (a FIFO would otherwise wait for a writer forever,
    hanging the board and every command), checked to be a regular file, and read only up to
    `limit` bytes, so no file can make pullboard wait or swallow all memory.

    Raises:
        FileNotFoundError: there is no such file.
        OSError: it can't be read, isn't a regular file or is larger than `limit`; `strerror`
            is then a phrase such as "it is a named pipe (FIFO), not a regular file".
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            kind = next((name for test, name in _KINDS if test(before.st_mode)), "not a file")
            raise OSError(errno.EINVAL, f"it is {kind}, not a regular file", str(path))
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise OSError(
                errno.EFBIG,
                f"it is larger than {_size(limit)}, the most pullboard reads",
                str(path),
            )
        return data, os.fstat(fd)
    finally:
        os.close(fd)


def parse_toml(text: str) -> dict[str, Any]:
    """`tomllib.loads`, where nesting too deep for Python's stack is bad TOML like any other.

    tomllib recurses once per nested array or inline table, so a line of 1,000 `[` ends in a
    RecursionError; anyone who can write the shared insights file could otherwise crash
    every teammate's board with one.

    Raises:
        tomllib.TOMLDecodeError: the text is not TOML, or is nested too deeply to read.
    """
    try:
        return tomllib.loads(text)
    except (RecursionError, MemoryError):
        raise tomllib.TOMLDecodeError("arrays or tables nested too deeply to read") from None


def _size(limit: int) -> str:
    """4 MiB, not 4194304 bytes."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if limit >= size and limit % size == 0:
            return f"{limit // size} {unit}"
    return f"{limit} bytes"


def temp_name(target: Path) -> Path:
    """The temporary file a write of `target` goes through (same folder, so rename is atomic)."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def write_atomic(target: Path, data: bytes, *, durable: bool = False) -> None:
    """Replace `target` with `data`: write a temp file beside it, then rename it over `target`.

    The new file keeps the old one's permission bits (a shared file must stay readable for the
    team); a new file gets the umask's, plus group read and write in a group-writable folder
    (`shared_mode`). The folder must exist: creating it here could hide a mistyped shared
    path behind a private new folder.

    Args:
        target: the file to replace.
        data: its new content.
        durable: fsync the file and its folder, so a power cut can't bring the old file back
            (the shared insights file); caches and state skip it.

    Raises:
        OSError: the disk refused; `target` is then untouched and no temp file is left.
    """
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = shared_mode(target.parent)
    tmp = temp_name(target)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            if mode is not None:
                os.fchmod(out.fileno(), mode)
            if durable:
                os.fsync(out.fileno())
        os.replace(tmp, target)
        if durable:
            _fsync_dir(target.parent)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


def shared_mode(folder: Path) -> int | None:
    """The mode for a new file in a group-writable folder, or None to let the umask decide.

    A team shares a folder made with `chgrp team dir && chmod 2775 dir`; with the usual umask
    022 the first writer would create a 644 file that no teammate can change. So a new file
    there is readable and writable for the group, and the umask still decides for others.
    """
    try:
        folder_mode = os.stat(folder).st_mode
    except OSError:
        return None
    if not folder_mode & stat.S_IWGRP:
        return None
    return (0o666 & ~_umask()) | 0o660


def _umask() -> int:
    """The process umask. Linux shows it in /proc; elsewhere the only way to read it is to set
    it, which is briefly wrong for other threads, so that is the fallback only."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable: without this a power cut can bring the old file back."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


PROBE_BYTES = 4096
"""What `probe_write` writes: one page, so a full disk refuses it even where creating an
empty file (an inode, no data) still works."""


def probe_write(folder: Path) -> None:
    """Prove `folder` takes a real write: create it if needed, then create a file, write
    `PROBE_BYTES`, fsync and remove it. Creating an empty file proves nothing on a full disk.

    Raises:
        OSError: the folder can't be made or written; `strerror` is then a phrase such as
            "it is a file, not a folder" (`filename` names that file: the folder or a parent)
            or "No space left on device". Nothing is left behind.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # a file where the folder or a parent goes
        blocker = next(p for p in (folder, *folder.parents) if p.exists() and not p.is_dir())
        raise OSError(errno.ENOTDIR, "it is a file, not a folder", str(blocker)) from None
    probe = folder / f".probe.{secrets.token_hex(4)}.tmp"
    fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, b"\0" * PROBE_BYTES)
        os.fsync(fd)
    finally:
        os.close(fd)
        probe.unlink()


def write_json(path: Path, data: Any) -> None:
    """Write compact JSON atomically, creating pullboard's own folder (cache, state) if needed.
    `data` may hold model records, dates and enums (msgspec encodes them directly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, msgspec.json.encode(data))


def read_json(path: Path) -> Any:
    """The JSON in `path`, or None when it is missing, corrupt or not a regular file (caches
    and state only: anything wrong with them costs a refetch, never the run)."""
    try:
        return json.loads(read_regular(path, CACHE_MAX_BYTES)[0].decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def safe_name(name: str) -> str:
    """A file name for any key (a source name, a URL): fixed length, no path characters."""
    return hashlib.sha256(name.encode()).hexdigest()[:24]
