"""The read side of insights in the TUI: another lead's change shows as soon as the system
reports it (a local file), or within the store's poll interval, and the write keys hide (with
one toast saying why) when this user can't write.

Its own module, beside `insight_actions` (the write side), because watching the file is
timers and a thread worker, not the app's job of routing messages: the app only hands the
new snapshot on to its screens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.timer import Timer

from pullboard.board import Board
from pullboard.insights.storage import real_path
from pullboard.insights.watch import FolderWatch
from pullboard.model import Snapshot

SAFETY_SECONDS = 60.0
"""How often a watched file is looked at anyway: a change the system failed to report still
shows within a minute."""
SETTLE_SECONDS = 0.1
"""How long a look waits after the system said the file changed: a write's events, and a
checkout's delete-then-create, arrive within it and make one look."""


class InsightsWatch:
    """Re-reads the insights when they change, and knows whether this user may write them.

    Args:
        ui: the running app: toasts, thread workers and calls back onto its loop.
        board: the board pipeline, which holds the insights store.
        show: shows a new snapshot (the app's `show_snapshot`), called on the UI loop.
    """

    def __init__(self, ui: App[Any], board: Board, show: Callable[[Snapshot], None]) -> None:
        self.ui = ui
        self.board = board
        self.show = show
        self.read_only: str | None = None
        """Why the insights file can't be written by this user (write keys are hidden)."""
        self._said_read_only = False
        self._said_failed = False
        self._watch: FolderWatch | None = None
        self._timer: Timer | None = None
        self._may_watch = False
        """True while the file's folder is missing or after it went: a later look tries to
        watch it again."""
        self._looking: asyncio.Task[None] | None = None
        self._again = False

    def start(self) -> None:
        """Look for changes from now on: a look every store's poll interval (2 s for a file,
        longer for a repository) until the system can tell instead (a file on a local disk,
        once its folder exists); then a look every `SAFETY_SECONDS` only, in case a change
        went unseen."""
        self._every(self.board.insights_store.poll_seconds)
        self._told_from_now()

    def _every(self, seconds: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.ui.set_interval(seconds, self._look)

    async def _look(self) -> None:
        await self.poll()
        if self._watch is not None and not self._watch.still_there():
            self._unwatch()
        if self._watch is None and self._may_watch:
            self._told_from_now()

    def _told_from_now(self) -> None:
        """Be told of changes if the system can, with one look right away (a change just
        before the watch began); tried again at each look while the file's folder doesn't
        exist (the demo's state folder, before its first write) or after it went."""
        path = self.board.watchable
        self._may_watch = path is not None and not real_path(path).parent.is_dir()
        self._watch = FolderWatch.of(path) if path is not None else None
        if self._watch is None:
            return
        asyncio.get_running_loop().add_reader(self._watch.fileno(), self._told)
        self._every(SAFETY_SECONDS)
        self._soon()

    def _told(self) -> None:
        """The folder changed: look soon, if it was the file (or the folder went: then back
        to looking every poll interval until it can be watched again)."""
        watch = self._watch
        if watch is None:
            return
        if watch.changed():
            self._soon()
        if watch.lost:
            self._unwatch()

    def _unwatch(self) -> None:
        self._forget_watch()
        self._may_watch = True
        self._every(self.board.insights_store.poll_seconds)

    def _soon(self) -> None:
        """Look in a moment, in a task of its own: never in the app's message queue (a big
        board's look takes a while, and keys must not wait for it). The events of one write
        (and of a checkout's delete-then-create) make one look, after they settled."""
        self._again = True
        if self._looking is None or self._looking.done():
            self._looking = asyncio.get_running_loop().create_task(self._looks())

    async def _looks(self) -> None:
        while self._again:
            self._again = False
            await asyncio.sleep(SETTLE_SECONDS)
            await self.poll()

    def close(self) -> None:
        """The app is closing: no more looks."""
        if self._looking is not None:
            self._looking.cancel()
        self._forget_watch()

    def _forget_watch(self) -> None:
        """Stop being told (the folder went, or the app is closing)."""
        if self._watch is not None:
            asyncio.get_running_loop().remove_reader(self._watch.fileno())
            self._watch.close()
            self._watch = None

    def reload(self) -> None:
        """Re-read the insights after a write: from a repository store's own copy, which the
        write brought up to date (the UI thread never waits on the network)."""
        self.board.reload_insights(fresh=False)
        self.check_read_only()
        self.ui.run_worker(
            self._show_built(),
            group="insights-show",
            exclusive=True,  # two quick edits: the later one's board is shown, never both
            exit_on_error=False,
            description="Showing the insights",
        )

    def check_read_only(self) -> None:
        """Hide the write keys when insights can't be written, and say why, once."""
        self.read_only = self.board.insights_store.writable()
        if self.read_only and not self._said_read_only:
            self._said_read_only = True
            self.ui.notify(self.read_only, title="Insights are read-only", markup=False)

    async def poll(self) -> None:
        """Look for another lead's change: a stat of the local file, or a conditional request
        to GitHub (a 304 when idle), in a thread; under `serve` also the server's refresh
        landing. The app's timer awaits it: no worker per look, so a look every 2 s costs
        an idle board next to nothing. A look that fails is retried by the next one."""
        try:
            if await asyncio.to_thread(self.board.changed):
                await asyncio.to_thread(self.board.reload_insights)
                self.check_read_only()
                await self._show_built()
        except Exception as err:  # a timer's error would end the app: said once, tried again
            if not self._said_failed:
                self._said_failed = True
                self.ui.notify(
                    f"Couldn't look for changes to the insights ({type(err).__name__}); "
                    "pullboard keeps trying.",
                    severity="warning",
                    markup=False,
                )

    async def _show_built(self) -> None:
        """The board with the insights just read; a big board's built off the UI loop. When
        another snapshot was shown meanwhile (a refresh landed, built after the insights were
        read), this older one is dropped."""
        shown = getattr(self.ui, "snapshot", None)
        built = await self.board.built()
        if getattr(self.ui, "snapshot", None) is shown:
            self.show(built)
