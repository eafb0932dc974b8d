"""Whole-file writes that never leave half a file: the one atomic-replace helper.

The insights file, the snapshot cache, the per-user state and `init` all write through
`write_atomic`, so a crash or a full disk leaves either the old file or the new one.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
from contextlib import suppress
from pathlib import Path
from typing import Any


def temp_name(target: Path) -> Path:
    """The temporary file a write of `target` goes through (same folder, so rename is atomic)."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def write_atomic(target: Path, data: bytes, *, durable: bool = False) -> None:
    """Replace `target` with `data`: write a temp file beside it, then rename it over `target`.

    The new file keeps the old one's permission bits (a shared file must stay readable for the
    team); a new file gets the umask's. The folder must exist: creating it here could hide a
    mistyped shared path behind a private new folder.

    Args:
        target: the file to replace.
        data: its new content.
        durable: fsync the file and its folder, so a power cut can't bring the old file back
            (the shared insights file); caches and state skip it.

    Raises:
        OSError: the disk refused; `target` is then untouched and no temp file is left.
    """
    try:
        old_mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        old_mode = None
    tmp = temp_name(target)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            if old_mode is not None:
                os.fchmod(out.fileno(), old_mode)
            if durable:
                os.fsync(out.fileno())
        os.replace(tmp, target)
        if durable:
            _fsync_dir(target.parent)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable: without this a power cut can bring the old file back."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(path: Path, data: Any) -> None:
    """Write compact JSON atomically, creating pullboard's own folder (cache, state) if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(data, separators=(",", ":")).encode())


def read_json(path: Path) -> Any:
    """The JSON in `path`, or None when it is missing or corrupt (caches and state only)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def safe_name(name: str) -> str:
    """A file name for any key (a source name, a URL): fixed length, no path characters."""
    return hashlib.sha256(name.encode()).hexdigest()[:24]
