"""The read side of insights in the TUI: another lead's change shows within the store's poll
interval, and the write keys hide (with one toast saying why) when this user can't write.

Its own module, beside `insight_actions` (the write side), because watching the file is
timers and a thread worker, not the app's job of routing messages: the app only hands the
new snapshot on to its screens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from pullboard.board import Board
from pullboard.model import Snapshot


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
        self._polling = False

    def reload(self) -> None:
        """Re-read the insights after a write: from a repository store's own copy, which the
        write brought up to date (the UI thread never waits on the network)."""
        self.board.reload_insights(fresh=False)
        self.check_read_only()
        self.show(self.board.snapshot())

    def check_read_only(self) -> None:
        """Hide the write keys when insights can't be written, and say why, once."""
        self.read_only = self.board.insights_store.writable()
        if self.read_only and not self._said_read_only:
            self._said_read_only = True
            self.ui.notify(self.read_only, title="Insights are read-only", markup=False)

    def poll(self) -> None:
        """Look for another lead's change: a stat of the local file, or a conditional request
        to GitHub (a 304 when idle), in a thread; under `serve` also the server's refresh
        landing. A look still under way is not started twice."""
        if self._polling:
            return
        self._polling = True
        self.ui.run_worker(
            self._check,
            thread=True,
            group="insights-poll",
            exit_on_error=False,
            description="Checking the insights for changes",
        )

    def _check(self) -> None:
        try:
            if self.board.changed():
                self.board.reload_insights()
                self.ui.call_from_thread(self._changed)
        finally:
            self._polling = False

    def _changed(self) -> None:
        self.check_read_only()
        self.show(self.board.snapshot())
