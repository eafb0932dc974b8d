"""The storage interface every insights backend implements, and the local-file backend.

`changes` reads and writes through a `Store` and never knows where the bytes live: a file on a
shared disk (`LocalStore`, here) or a file in a GitHub repository (`repo.RepoStore`). A write
is always read-apply-write of one change: the store hands the current bytes to the change,
and either replaces them atomically (the local lock) or, when someone else got there first
(a stale sha), hands the new bytes to the same change again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

import msgspec

from pullboard.errors import InsightsError
from pullboard.insights.storage import fingerprint, locked, read_bytes, writable, write_atomic


class Read(msgspec.Struct, frozen=True):
    """The insights file's bytes as a store delivered them."""

    data: bytes | None
    """None when there is no file yet (an empty board, not an error)."""
    version: object | None = None
    """What identifies exactly this version (`store.version()` differs once it changes)."""
    stale: str | None = None
    """Why this is the last good copy rather than the file as it is now (offline), or None."""
    as_of: datetime | None = None
    """When a stale copy was last known to be current."""


class Edit(msgspec.Struct, frozen=True):
    """What one change makes of the file: its new bytes and, for stores that keep history,
    a one-line description (`pin 3f9c2a71 on acme/web#12 (priya)`)."""

    data: bytes
    message: str


Change = Callable[[bytes | None], Edit | None]
"""Given the file's current bytes (None: no file), the new bytes, or None to write nothing.
May raise `InsightsError` (a conflict, a broken file), which ends the write."""


class Store(Protocol):
    """Where the insights file lives. Every method may block (disk, lock, network): the TUI
    calls them from thread workers."""

    where: str | Path
    """How messages name the file: its path, or `owner/name:path@branch`."""
    poll_seconds: float
    """How often an open board asks `version()` whether someone else changed the file."""

    def read(self, *, fresh: bool = True) -> Read:
        """The current bytes; with `fresh=False` a store may answer from its local copy
        without the network (painting from cache). Raises `InsightsError` when unreadable."""
        ...

    def version(self) -> object | None:
        """A cheap identity of the current file, compared with `Read.version`."""
        ...

    def writable(self) -> str | None:
        """Why this user can't change the file (as far as is known), or None."""
        ...

    def update(self, change: Change) -> None:
        """Apply `change` to the current bytes and store the result, never losing another
        writer's change (see the module docstring). Raises `InsightsError`."""
        ...

    def close(self) -> None:
        """Let go of connections (a repository store's client); the store is done."""
        ...


class LocalStore:
    """The insights file on a disk that every lead mounts: one lock, an atomic replace."""

    poll_seconds = 2.0
    """A stat costs nothing, so another lead's change shows within 2 s."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where: str | Path = path

    def __repr__(self) -> str:
        return f"LocalStore({str(self.path)!r})"

    def read(self, *, fresh: bool = True) -> Read:
        got = read_bytes(self.path)
        if got is None:
            return Read(None)
        return Read(got[0], got[1])

    def version(self) -> object | None:
        return fingerprint(self.path)

    def writable(self) -> str | None:
        return writable(self.path)

    def update(self, change: Change) -> None:
        if reason := writable(self.path):
            raise InsightsError(reason)
        with locked(self.path) as target:
            got = read_bytes(target)
            edit = change(None if got is None else got[0])
            if edit is not None:
                write_atomic(target, edit.data)

    def close(self) -> None:
        """Nothing to let go of: every write opens and closes its own files."""


def as_store(where: Store | Path) -> Store:
    """A store for a path (the local file), or the store itself."""
    return LocalStore(where) if isinstance(where, Path) else where
