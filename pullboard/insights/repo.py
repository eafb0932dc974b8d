"""The insights file in a GitHub repository: the second `Store` backend.

Reads are conditional (the blob's ETag), so an open board polls for the price of a 304, which
costs no rate limit. The last good copy is kept in the cache folder with the time it was last
known current: the board starts from it, and keeps working from it (saying how old it is)
when the repository can't be reached. A write re-reads the file, applies its one change and
sends it with the sha it read; when another writer got there first the repository refuses
the stale sha, and the change is applied again to their version, as under the local lock.

This module knows the repository only through `Contents` (implemented in
`sources.github.contents`, wired in by `board`): insights and sources never import each other.
"""

from __future__ import annotations

import base64
import contextlib
import random
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

import msgspec

from pullboard import files
from pullboard.errors import AuthFailed, InsightsError, SourceError
from pullboard.insights.store import Change, Read
from pullboard.model import utc_now
from pullboard.paths import cache_dir

TRIES = 10
"""Read-apply-write rounds before a write gives up: each lost round is another writer's
saved change, so ten leads saving in the same second all get through."""
POLL_SECONDS = 15.0
"""How often an open board asks the repository for changes (a 304 when nothing changed)."""
FORMAT = 1
"""Of the kept copy; a copy in another format is ignored (read afresh), never misread."""


class Fetched(Protocol):
    """What one conditional read of the file gave (`sources.github.contents.Fetched`)."""

    @property
    def data(self) -> bytes | None:
        """The file's bytes; None when there is no such file, or when `unchanged`."""
        ...

    @property
    def sha(self) -> str | None:
        """The blob sha a write must name (None: no file yet)."""
        ...

    @property
    def etag(self) -> str | None: ...

    @property
    def unchanged(self) -> bool:
        """True when the repository answered 304 to the ETag given."""
        ...


class Contents(Protocol):
    """The GitHub contents API for one file on one branch. Methods block; errors are
    `pullboard.errors.SourceError`s whose text is a sentence without any token."""

    where: str
    """`owner/name:path@branch`, for messages."""

    def get(self, etag: str | None) -> Fetched:
        """Read the file, conditionally when `etag` is given."""
        ...

    def put(self, data: bytes, sha: str | None, message: str) -> str | None:
        """Commit `data` over blob `sha` (None: create); the new sha, or None when `sha` is
        no longer the file's (someone else committed first)."""
        ...

    def may_push(self) -> bool | None:
        """Whether the token may write to the repository (`permissions.push`); None unknown."""
        ...

    def close(self) -> None:
        """Close the connections (the client opens them again if asked later)."""
        ...


class Copy(msgspec.Struct, frozen=True):
    """The last good copy: the file as last read or written, and when it was last current."""

    data: bytes | None
    sha: str | None
    etag: str | None
    checked: datetime


class RepoStore:
    """The insights file in a GitHub repository (see the module docstring).

    Args:
        contents: the repository file, as `sources.github.contents.ContentsClient` reads it.
        source: the GitHub source whose token is used, for messages.
        copy_dir: where the last good copy is kept (default: the cache folder).
        clock: for the copy's age.
        sleep: between rounds of a contended write (tests pass a fast one).
    """

    poll_seconds = POLL_SECONDS

    def __init__(
        self,
        contents: Contents,
        source: str,
        *,
        copy_dir: Path | None = None,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.contents = contents
        self.source = source
        self.where: str | Path = contents.where
        self.copy_path = (copy_dir or cache_dir() / "insights") / (
            files.safe_name(contents.where) + ".json"
        )
        self.clock = clock
        self.sleep = sleep
        self._copy: Copy | None = None
        self._push: bool | None = None
        self._denied: str | None = None
        self._reached: bool | None = None
        """Whether the repository answered the last time it was asked (None: not yet asked)."""
        self._stale: str | None = None
        """Why it didn't, as a sentence."""

    def __repr__(self) -> str:
        return f"RepoStore({self.contents.where!r})"

    # -- reading ------------------------------------------------------------------------------

    def read(self, *, fresh: bool = True) -> Read:
        """Versions are (blob sha, reached): going offline, or back online, is a change the
        board shows; a copy read without asking (`fresh=False`) is neither."""
        copy = self._kept()
        if not fresh:
            reached = None if self._reached is None else self._stale is None
            stale, as_of = self._stale, copy.checked if copy and self._stale else None
            if copy is None:
                return Read(None, (None, reached), stale=stale)
            return Read(copy.data, (copy.sha, reached), stale=stale, as_of=as_of)
        try:
            copy = self._fetch(copy)
        except SourceError:
            if copy is None:
                raise InsightsError(f"{self._stale} No copy is kept on this machine yet.") from None
            return Read(copy.data, (copy.sha, False), stale=self._stale, as_of=copy.checked)
        if self._push is None:
            self._learn_access()
        return Read(copy.data, (copy.sha, True))

    def version(self) -> object | None:
        """The file's version as the repository has it now: one conditional request, a 304
        (no rate limit) when nothing changed."""
        try:
            return self.read().version
        except InsightsError:
            return (None, False)

    def writable(self) -> str | None:
        """What is known without asking: a refused write, or `permissions.push` false."""
        if self._denied:
            return self._denied
        if self._push is False:
            return (
                f"The token of source {self.source!r} may read {self.contents.where} but not "
                "write to it, so insights can be read but not changed."
            )
        return None

    def close(self) -> None:
        self.contents.close()

    # -- writing ------------------------------------------------------------------------------

    def update(self, change: Change) -> None:
        """Read, apply, commit with the sha read; a stale sha re-reads and applies again."""
        for attempt in range(TRIES):
            try:
                copy = self._fetch(self._kept())
            except SourceError as err:
                raise InsightsError(f"Nothing was saved: {err}") from None
            edit = change(copy.data)
            if edit is None:
                return
            try:
                sha = self.contents.put(edit.data, copy.sha, f"pullboard: {edit.message}")
            except AuthFailed as err:
                self._denied = f"Nothing was saved: {err}"
                raise InsightsError(self._denied) from None
            except SourceError as err:
                raise InsightsError(f"Nothing was saved: {err}") from None
            if sha is not None:
                self._keep(Copy(edit.data, sha, None, self.clock()))
                return
            self.sleep(random.uniform(0.0, 0.05 * (attempt + 1)))
        raise InsightsError(
            f"Nothing was saved: {self.contents.where} changed under pullboard {TRIES} times "
            "in a row (many leads saving at once); try again in a moment."
        )

    # -- the kept copy ------------------------------------------------------------------------

    def _fetch(self, copy: Copy | None) -> Copy:
        """The file as the repository has it now: the copy, if a 304 says it still is.
        Remembers whether the repository could be reached, and why not."""
        try:
            got = self.contents.get(copy.etag if copy and copy.etag else None)
        except SourceError as err:
            self._reached, self._stale = False, f"Couldn't reach {self.contents.where}: {err}"
            raise
        self._reached, self._stale = True, None
        now = self.clock()
        if got.unchanged and copy is not None:
            fresh = Copy(copy.data, copy.sha, copy.etag, now)
        else:
            fresh = Copy(got.data, got.sha, got.etag, now)
        self._keep(fresh)
        return fresh

    def _learn_access(self) -> None:
        try:
            self._push = self.contents.may_push()
        except SourceError:
            self._push = None  # asked again on the next fresh read

    def _kept(self) -> Copy | None:
        if self._copy is None:
            self._copy = _load_copy(self.copy_path, self.contents.where)
        return self._copy

    def _keep(self, copy: Copy) -> None:
        self._copy = copy
        data = None if copy.data is None else base64.b64encode(copy.data).decode("ascii")
        saved = {"format": FORMAT, "where": self.contents.where, "sha": copy.sha}
        saved |= {"etag": copy.etag, "checked": copy.checked.isoformat(), "data": data}
        with contextlib.suppress(OSError):  # best effort: only an offline start misses it
            files.write_json(self.copy_path, saved)


def _load_copy(path: Path, where: str) -> Copy | None:
    """The copy kept by an earlier run, or None (missing, another format, damaged)."""
    saved = files.read_json(path)
    if not isinstance(saved, dict) or saved.get("format") != FORMAT or saved.get("where") != where:
        return None
    try:
        data = saved.get("data")
        return Copy(
            None if data is None else base64.b64decode(data, validate=True),
            _text(saved.get("sha")),
            _text(saved.get("etag")),
            datetime.fromisoformat(saved["checked"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
