"""The server's one refresher: every source on the `refresh` schedule, and when a session asks.

Sessions share what it fetches through the snapshot cache (`Board` writes it) and the feed.
A request made while a refresh runs is answered by that refresh; requests are served at most
once every `GAP_SECONDS`, so a key held down in one session can't spend the team's quota.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from pullboard.board import Board
from pullboard.serve.feed import Feed

GAP_SECONDS = 5.0
POLL_SECONDS = 0.2


class Refresher:
    """Refreshes `board` into the cache, publishing each landing on `feed`.

    Args:
        board: the server's board: the only one that opens trackers (and so holds tokens).
        feed: where sessions learn a refresh landed, and ask for one.
        every: seconds between scheduled refreshes; 0 refreshes only when asked (and at start).
        log: one line about each refresh that failed a source, or that a session asked for.
    """

    def __init__(self, board: Board, feed: Feed, every: int, log: Callable[[str], None]) -> None:
        self.board = board
        self.feed = feed
        self.every = every
        self.log = log
        self._answered = feed.asked()

    async def run(self) -> None:
        """Refresh now, then on schedule and on request, until cancelled."""
        last = -GAP_SECONDS
        due = time.monotonic()
        while True:
            asked = self.feed.asked()
            now = time.monotonic()
            wanted = asked != self._answered and now - last >= GAP_SECONDS
            if wanted or now >= due:
                if wanted and asked is not None:
                    self.log(f"refresh asked for by {asked[1]}")
                await self._refresh()
                self._answered = self.feed.asked()  # asked meanwhile: answered by this one
                last = time.monotonic()
                due = last + self.every if self.every else float("inf")
            await asyncio.sleep(POLL_SECONDS)

    async def _refresh(self) -> None:
        snapshot = await self.board.refresh(full=True)
        for source in snapshot.sources:
            if not source.ok:
                self.log(f"{source.name} failed: {source.error}")
        for warning in snapshot.warnings:
            self.log(f"warning: {warning}")
        try:
            self.feed.publish(snapshot)
        except OSError as err:
            self.log(f"couldn't tell the sessions about the refresh: {err.strerror}")
