"""Which snapshot the app shows, and what its screens build rows with: the app's helper for
turning a `Snapshot` into a `ViewContext`.

Its own module because showing a big board is bookkeeping, not message routing: its rows are
built in a thread before the snapshot is shown (`row_cache.build`), and a snapshot that
arrives meanwhile must win, so an older one is never shown after it. The theme's styles are
resolved here once per theme, on the UI loop, for those threads to use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from rich.style import Style
from textual.app import App

from pullboard.model import Snapshot
from pullboard.tui.row_cache import RowCache, build, needs_thread, styles
from pullboard.tui.views import ALL_VIEWS, ViewContext


class ViewSettings(Protocol):
    """What the user chose to see, as the app holds it."""

    show_expired: bool
    """Expired insights are listed too (key x)."""
    details: bool
    """Insights show their details, not only headlines (key d)."""

    def clock(self) -> datetime:
        """Now, from the board's clock (fixed in tests and snapshots)."""


class Display:
    """The rows of each view, the theme's styles, and the order snapshots are shown in.

    Args:
        ui: the running app, whose theme the cells are coloured with.
        settings: the view settings and clock every context is built with.
    """

    def __init__(self, ui: App[Any], settings: ViewSettings) -> None:
        self.ui = ui
        self.settings = settings
        self.row_cache = RowCache()
        self._styles: Callable[[str], Style] | None = None
        self._shows = 0
        """Counts snapshots handed in for showing: a slow build never shows an older one."""

    def context(self, snapshot: Snapshot | None, query: str = "") -> ViewContext | None:
        """What views need to build rows from `snapshot`, or None without one."""
        if snapshot is None:
            return None
        if self._styles is None:
            self._styles = styles(self.ui)
        return ViewContext(
            snapshot,
            self.settings.clock(),
            query,
            show_expired=self.settings.show_expired,
            details=self.settings.details,
            style=self._styles,
            cache=self.row_cache,
        )

    def new_theme(self) -> None:
        """Resolve the styles again: table cells hold colours of the theme they were built in."""
        self._styles = None

    def at_once(self, snapshot: Snapshot | None) -> bool:
        """True, and `snapshot` counted as the latest, when it may be shown now: it is not a
        big board whose rows must be built in a thread first (`built`)."""
        ctx = self.context(snapshot)
        if ctx is None or not needs_thread(ctx):
            self._shows += 1
            return True
        return False

    async def built(self, snapshot: Snapshot | None) -> bool:
        """Build a big board's rows in a thread while the UI goes on; True when `snapshot` is
        still the latest handed in (show it), False when a newer one arrived meanwhile."""
        self._shows += 1
        ticket = self._shows
        ctx = self.context(snapshot)
        if ctx is not None and needs_thread(ctx):
            made = await asyncio.to_thread(build, ctx, ALL_VIEWS)
            if ticket != self._shows:
                return False
            self.row_cache.fill(ctx, made)
        return True
