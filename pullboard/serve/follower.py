"""A session's board under `pullboard serve`: it paints from the cache the server keeps fresh
and never opens a tracker, so it never looks up, holds or sends a token.

It shows the server's refreshes as they land (the board asks `changed()` every 2 s), and `r`
asks the server for one (`Feed.ask`) and waits for it, rather than fetching.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from msgspec.structs import replace

from pullboard.board import Board, Progress, quiet
from pullboard.config import Config
from pullboard.errors import SourceError
from pullboard.insights import Loaded
from pullboard.model import Issue, Snapshot, utc_now
from pullboard.serve.feed import Feed

WAIT_SECONDS = 120.0
"""How long `r` waits for the server's refresh to land before showing what there is."""
POLL_SECONDS = 0.1


class FollowerBoard(Board):
    """The board of one `serve` session, as the person `config.board.me` names."""

    def __init__(
        self, config: Config, feed: Feed | None = None, *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__(config, clock=clock)
        self.feed = feed or Feed()
        self._seen: tuple[int, int] | None = None
        self._started = False

    @property
    def look_key(self) -> str:
        """Each person's last look is their own, though sessions share the state folder (the
        history is the board's: the server records it under `key`)."""
        return f"{self.key} as {self.config.board.user}"

    @property
    def watchable(self) -> Path | None:
        """None: the server's refreshes are news too, and only a look finds them."""
        return None

    def changed(self) -> bool:
        """The insights file changed, or the server's refresh landed since the last read."""
        return super().changed() or self.feed.seen() != self._seen

    def cached(self) -> Snapshot | None:
        """The server's latest refresh (None before its first)."""
        self._land()
        if not self._data:
            return None
        super().reload_insights(fresh=False)
        return self.snapshot()

    def reload_insights(self, *, fresh: bool = True) -> Loaded:
        """The insights, and the server's latest refresh if one landed since the last."""
        if self.feed.seen() != self._seen:
            self._land()
        return super().reload_insights(fresh=fresh)

    async def refresh(
        self,
        progress: Progress = quiet,
        *,
        full: bool = False,
        partial: Callable[[Snapshot], None] | None = None,
    ) -> Snapshot:
        """The board's first refresh waits for the server's first (if none landed yet); each
        later one (`r`) asks the server for a refresh and waits for it to land."""
        before = self.feed.seen()
        if self._started or before is None:
            if self._started:
                self.feed.ask(self.config.board.user)
            for source in self.config.sources:
                progress(source.name, "refreshing on the board host")
            deadline = time.monotonic() + WAIT_SECONDS
            while self.feed.seen() == before and time.monotonic() < deadline:
                await asyncio.sleep(POLL_SECONDS)
            for source in self.config.sources:
                progress(source.name, "done")
        self._started = True
        self.reload_insights()
        return await self.built()

    async def open_milestone(self, url: str, progress: Progress = quiet) -> Snapshot:
        """The server fetches every milestone's issues: nothing to fetch here."""
        return await self.built()

    async def body(self, issue: Issue) -> str:
        """Descriptions are fetched on demand with a token, which a session never holds."""
        if issue.body is not None:
            return issue.body
        raise SourceError(
            "descriptions aren't fetched on a shared board; press o for the issue's page."
        )

    def _land(self) -> None:
        """Take the server's latest refresh: the cache files, and how each source did."""
        self._seen = self.feed.seen()
        refreshed = self.feed.refreshed()
        self._load_cache()  # the data only: whoever asked builds the snapshot
        if refreshed is not None:
            names = {s.name for s in self.config.sources}
            self._status.update({n: s for n, s in refreshed.sources.items() if n in names})
            self._generated = refreshed.at


def session_board(config: Config) -> FollowerBoard:
    """The board of a session `serve` started. Its terminal becomes its controlling terminal
    (it leads a session of its own), so the kernel hangs it up if the server dies; it never
    refreshes on a schedule of its own: the server does, for everyone."""
    with contextlib.suppress(OSError):
        os.close(os.open(os.ttyname(0), os.O_RDWR))
    return FollowerBoard(replace(config, board=replace(config.board, refresh=0)))
