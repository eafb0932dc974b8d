"""Being told when the local insights file changes, instead of looking at it every 2 s.

An open board that looks every 2 s wakes up for nothing almost every time; that look was most
of what an idle board cost (about 0.6 % of a core, against 0.1 % without it). Linux's inotify,
reached through libc (no dependency), tells instead. The file's folder is watched, not the
file: a write replaces the file (an atomic rename), which a watch on the file would lose.

There is no watch where inotify is missing (not Linux) or can't be trusted: on a network
filesystem (NFS, SMB, FUSE mounts such as sshfs) it sees this host's writes but never another
host's, and a colleague's pin is the point. There the board keeps looking every 2 s.
"""

from __future__ import annotations

import ctypes
import os
import struct
from pathlib import Path

from pullboard.insights.storage import lock_path, real_path

LOCAL_FILESYSTEMS = frozenset(
    {"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "ramfs", "overlay", "zfs", "f2fs", "jfs"}
)
"""Filesystems whose every write goes through this kernel, so inotify sees them all."""
MASK = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800
"""IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE, IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE, and
the folder's own IN_DELETE_SELF and IN_MOVE_SELF."""
LOST = 0x400 | 0x800 | 0x2000 | 0x8000
"""The folder went (deleted, moved, unmounted; IN_IGNORED: the watch is gone)."""
OVERFLOW = 0x4000
"""IN_Q_OVERFLOW: the kernel dropped events, so anything may have changed."""
_EVENT = struct.Struct("iIII")
"""inotify_event's fixed part: wd, mask, cookie, len (then `len` bytes of name)."""
MOUNTINFO = Path("/proc/self/mountinfo")


class FolderWatch:
    """Events on one file of a folder, readable from `fileno()` (an event loop's reader)."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd = fd
        self._names = {os.fsencode(path.name), os.fsencode(lock_path(path).name)}
        self._folder = path.parent
        self._identity = _identity(self._folder)
        self.lost = False
        """True once the folder went away or was replaced: this watch sees nothing more."""

    @classmethod
    def of(cls, path: Path, mounts: str | None = None) -> FolderWatch | None:
        """A watch on `path` (where it really lives, past symlinks: that is the file writes
        replace), or None where inotify can't be trusted to see every change (`mounts`: the
        text of /proc/self/mountinfo, read when not given)."""
        path = real_path(path)
        folder = path.parent
        try:
            mounts = os.fsdecode(MOUNTINFO.read_bytes()) if mounts is None else mounts
            libc = ctypes.CDLL(None, use_errno=True)
            init, add = libc.inotify_init1, libc.inotify_add_watch
        except (OSError, ValueError, AttributeError, TypeError):  # not Linux: no watch
            return None
        if filesystem(folder, mounts) not in LOCAL_FILESYSTEMS:
            return None
        fd = init(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            return None
        if add(fd, os.fsencode(folder), MASK) < 0:  # no folder, no permission, no watches left
            os.close(fd)
            return None
        return cls(fd, path)

    def fileno(self) -> int:
        return self._fd

    def changed(self) -> bool:
        """Read every event waiting; True when one was about the file (or its lock, which
        every write takes), when the kernel dropped events (then anything may have), or when
        the folder went (`lost` is then set)."""
        hit = False
        while True:
            try:
                data = os.read(self._fd, 64 * 1024)
            except (BlockingIOError, InterruptedError):
                return hit
            except OSError:
                return True
            if not data:
                return hit
            hit = hit or self._about_the_file(data)

    def _about_the_file(self, data: bytes) -> bool:
        at = 0
        while at + _EVENT.size <= len(data):
            _wd, mask, _cookie, size = _EVENT.unpack_from(data, at)
            name = data[at + _EVENT.size : at + _EVENT.size + size].rstrip(b"\0")
            self.lost = self.lost or bool(mask & LOST)
            if mask & (LOST | OVERFLOW) or name in self._names:
                return True
            at += _EVENT.size + size
        return False

    def still_there(self) -> bool:
        """False when the path now leads to another folder than the one watched (replaced by
        a rename, or a share mounted over it): a look's check, as no event says so."""
        return not self.lost and _identity(self._folder) == self._identity

    def close(self) -> None:
        os.close(self._fd)


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def filesystem(folder: Path, mounts: str) -> str | None:
    """The filesystem type of the mount that holds `folder` (the longest mount point above
    it), from the text of /proc/self/mountinfo; None when no mount holds it."""
    best: tuple[int, str] | None = None
    for line in mounts.splitlines():
        fields, _, rest = line.partition(" - ")
        parts, kinds = fields.split(), rest.split()
        if len(parts) < 5 or not kinds:
            continue
        point = _unescaped(parts[4])
        inside = folder == Path(point) or Path(point) in folder.parents
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), kinds[0])
    return best[1] if best else None


def _unescaped(field: str) -> str:
    r"""mountinfo writes spaces, tabs, newlines and backslashes in paths as octal (`\040`)."""
    for code in ("040", "011", "012", "134"):
        field = field.replace(f"\\{code}", chr(int(code, 8)))
    return field
