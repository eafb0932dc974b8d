"""Storage for the shared insights file: one lock, atomic replace, fsync, and cheap change checks.

Several leads write the file at once, from machines that mount one share. Readers never lock:
every write replaces the whole file with `os.replace`, so a reader sees the old file or the new
one, never half of each. Writers serialise on `<file>.lock` (flock through `filelock`), which
the kernel releases when a writer dies, so a killed writer never blocks the next one.
"""

from __future__ import annotations

import glob
import grp
import os
import pwd
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from pullboard import files
from pullboard.errors import InsightsError
from pullboard.paths import state_dir

if TYPE_CHECKING:
    from filelock import FileLock

LOCK_TIMEOUT = 10.0
"""Seconds a writer waits for the lock; a write takes milliseconds, so waiting longer means a
writer is stuck (a hung network mount), and the user should hear about it."""
LOCK_POLL = 0.005
"""Seconds between tries for a held lock: a write holds it for milliseconds, and a waiter that
polls slowly keeps losing the race to writers that never sleep."""


class Fingerprint(msgspec.Struct, frozen=True):
    """What changes whenever the file is rewritten: a replace always brings a new inode."""

    mtime_ns: int
    size: int
    inode: int


def fingerprint(path: Path) -> Fingerprint | None:
    """A cheap stat of the file, for polling every few seconds; None when there is no file."""
    try:
        return _fingerprint(os.stat(path))
    except OSError:
        return None


def _fingerprint(st: os.stat_result) -> Fingerprint:
    return Fingerprint(st.st_mtime_ns, st.st_size, st.st_ino)


def real_path(path: Path) -> Path:
    """Follow symlinks: the file is replaced where it really lives, and everyone shares one lock."""
    return Path(os.path.realpath(path))


def lock_path(target: Path) -> Path:
    """The lock file next to the insights file (`insights.toml.lock`)."""
    return target.with_name(target.name + ".lock")


def path_problem(path: Path) -> str | None:
    """Why nobody could keep insights at `path`, whatever their permissions; None when fine.

    Only pullboard's own state folder (the private default) is created when missing. Any
    other folder is a place a team shares (a mount, a checkout): creating it would quietly
    keep a lead's insights private when the share is merely not mounted or the path mistyped.
    """
    target = real_path(path)
    if target.exists() and not target.is_file():
        return f"{target} is not a regular file, so insights can't be saved there."
    folder = target.parent
    if folder.exists() and not folder.is_dir():
        return f"{folder} is not a folder, so insights can't be saved in it."
    if not folder.exists() and not _own(folder):
        return (
            f"The folder {folder} doesn't exist, so insights can't be saved there; create it, "
            "or fix `insights` in the [board] table of the config."
        )
    return None


def _own(folder: Path) -> bool:
    """True inside pullboard's own state folder, which pullboard may create."""
    own = real_path(state_dir())
    return folder == own or own in folder.parents


def sharing(path: Path) -> str:
    """Who besides its owner may write the file (its folder's rules while it doesn't exist),
    from the permission bits: "the group NAME can write it too", "only OWNER can write it",
    or that everyone can."""
    target = path if path.exists() else path.parent
    try:
        st = os.stat(target)
    except OSError:
        return "who else can write it is unknown (it can't be looked at)"
    mode = stat.S_IMODE(st.st_mode)
    if mode & stat.S_IWOTH:
        return "every user of this machine can write it"
    if mode & stat.S_IWGRP:
        what = "it" if target is path else "files pullboard makes there"
        return f"the group {_name(grp.getgrgid, st.st_gid)} can write {what} too"
    return f"only {_name(pwd.getpwuid, st.st_uid)} can write it"


def _name(lookup: Callable[[int], Any], number: int) -> str:
    try:
        return str(lookup(number)[0])
    except KeyError:
        return str(number)


def writable(path: Path) -> str | None:
    """Why this user can't change the insights file, or None when writes can go ahead.

    First `path_problem`; then a write needs the file (when it exists), its folder (for the
    temporary file and the rename) and the lock file (when it exists) to be writable; when
    pullboard's own folder is still missing, its nearest existing parent must be writable.
    """
    if problem := path_problem(path):
        return problem
    target = real_path(path)
    if target.exists() and not os.access(target, os.W_OK):
        return f"{target} is read-only for you, so insights can be read but not changed."
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"The folder {folder} is not writable for you, so insights can't be saved there."
    lock = lock_path(target)
    if lock.exists() and not os.access(lock, os.W_OK):
        return f"The lock file {lock} is not writable for you, so insights can't be saved."
    return None


@contextmanager
def locked(path: Path) -> Iterator[Path]:
    """Hold the insights lock; yields the real path to read and replace while it is held.

    A new lock file in a group folder is group-writable like the insights file beside it
    (`files.shared_mode`): teammates must be able to take the lock the first writer made.

    Raises:
        InsightsError: when the lock can't be taken (timeout, permissions, missing folder).
    """
    from filelock import Timeout  # only writers pay for importing the lock library

    target = real_path(path)
    if problem := path_problem(target):
        raise InsightsError(problem)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)  # only pullboard's own folder
        lock = _lock(target)
        lock.acquire()
    except Timeout:
        raise InsightsError(
            f"Another pullboard has held {lock_path(target)} for {LOCK_TIMEOUT:.0f} s; "
            "nothing was saved. Try again in a moment."
        ) from None
    except OSError as err:
        raise InsightsError(f"Can't lock {target}: {err.strerror or err}.") from err
    try:
        _remove_stale_temps(target)
        yield target
    finally:
        lock.release()


def _lock(target: Path) -> FileLock:
    """The lock beside `target`; without a group folder, filelock's default mode (the umask)."""
    from filelock import FileLock

    mode = files.shared_mode(target.parent)
    if mode is None:
        return FileLock(lock_path(target), timeout=LOCK_TIMEOUT, poll_interval=LOCK_POLL)
    return FileLock(lock_path(target), timeout=LOCK_TIMEOUT, poll_interval=LOCK_POLL, mode=mode)


def read_bytes(target: Path) -> tuple[bytes, Fingerprint] | None:
    """The file's bytes and the fingerprint of exactly that version; None when it is missing.

    Raises:
        InsightsError: when the file exists but can't be read, isn't a regular file (a FIFO
            would hang every reader) or is larger than `files.MAX_BYTES`.
    """
    try:
        data, seen = files.read_regular(target)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise InsightsError(f"Can't read {target}: {err.strerror or err}.") from err
    return data, _fingerprint(seen)


def write_atomic(target: Path, data: bytes) -> None:
    """Replace `target` with `data` durably (`files.write_atomic`, fsynced).

    Call only while holding `locked(target)`.

    Raises:
        InsightsError: when the disk refuses; the old file is then untouched.
    """
    try:
        files.write_atomic(target, data, durable=True)
    except OSError as err:
        raise InsightsError(f"Can't save {target}: {err.strerror or err}.") from err


def _remove_stale_temps(target: Path) -> None:
    """Temp files left by writers that died mid-write. Only lock holders make temp files, so
    while we hold the lock every one of them is stale."""
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with suppress(OSError):
            stale.unlink()
