"""Each view's rows, built once per snapshot and view settings, so a keystroke in the filter
only picks rows by their lower-cased text (issue 11: a 10,000-issue board stays responsive).

Building a big board's rows takes a large share of a second: the app builds them in a thread
(`build`) before it shows the snapshot, and the tables then only filter and diff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich.style import Style

from pullboard.assembly import THREADED_ISSUES
from pullboard.tui.theme import RISK_VARIABLE, SIGNAL_ANSI, theme_style
from pullboard.tui.views import ViewContext, all_rows
from pullboard.tui.widgets.item_table import Row

INLINE_ISSUES = THREADED_ISSUES
"""Up to this many issues the rows are built on the UI loop when asked for (a few ms)."""


class RowCache:
    """The rows of each view for one snapshot, one set of view settings and one day."""

    def __init__(self) -> None:
        self._for: tuple[object, ...] = ()
        self._rows: dict[str, list[Row]] = {}
        self._counts: dict[str, int] = {}
        self._kept: dict[tuple[str, str], tuple[tuple[object, ...], Row]] = {}
        self._older: dict[tuple[str, str], tuple[tuple[object, ...], Row]] = {}
        """Single rows by (view, key), from this snapshot's builds and the one before."""

    def rows(self, view: str, ctx: ViewContext) -> list[Row]:
        """Every row of `view` (unfiltered): kept from before, or built now."""
        self._settle(ctx)
        if view not in self._rows:
            self._rows[view] = all_rows(view, ctx)
        return self._rows[view]

    def row(self, view: str, key: str, made_of: tuple[object, ...], make: Callable[[], Row]) -> Row:
        """The row an earlier build made from equal `made_of` (most of a big board's rows
        are the same after a refresh: reusing them spares building them and the garbage
        collector the work of tracking new ones), else `make()`."""
        kept = self._kept.get((view, key)) or self._older.get((view, key))
        if kept is None or kept[0] != made_of:
            kept = made_of, make()
        self._kept[view, key] = kept
        return kept[1]

    def count(self, view: str, ctx: ViewContext) -> int:
        """How many of `view`'s rows are items or changes, not group headers."""
        every = self.rows(view, ctx)
        if view not in self._counts:
            self._counts[view] = sum(1 for row in every if not row.key.startswith("group:"))
        return self._counts[view]

    def fill(self, ctx: ViewContext, built: dict[str, list[Row]]) -> None:
        """Keep rows that `build` made (in a thread) for `ctx`."""
        self._settle(ctx)
        self._rows.update(built)
        for view in built:
            self._counts.pop(view, None)

    def forget(self, view: str) -> None:
        """Build `view` again next time (its rows show ages that have moved on)."""
        self._rows.pop(view, None)
        self._counts.pop(view, None)

    def _settle(self, ctx: ViewContext) -> None:
        """Start over when the snapshot, the theme, a toggle or the day changed (snapshot and
        styles compare by identity: a snapshot is big, and each new one is a new object)."""
        key = (ctx.snapshot, ctx.style, ctx.show_expired, ctx.details, ctx.now.date())
        old = self._for
        if not old or old[0] is not key[0] or old[1] is not key[1] or old[2:] != key[2:]:
            self._for, self._rows, self._counts = key, {}, {}
            self._older, self._kept = self._kept, {}  # rows of neither snapshot go


def build(ctx: ViewContext, views: Iterable[str]) -> dict[str, list[Row]]:
    """Every row of `views`: pure, so it runs in a thread while the UI loop goes on."""
    return {view: all_rows(view, ctx) for view in views}


def needs_thread(ctx: ViewContext) -> bool:
    """True when building rows would hold up the UI loop for a noticeable time."""
    return len(ctx.snapshot.issues) > INLINE_ISSUES


def styles(app: Any) -> Callable[[str], Style]:
    """The theme's styles for cells, resolved once per theme (a thread may then build rows
    without touching the app: every name the views use is resolved here, on the loop)."""
    names = {"", "accent", "primary", *SIGNAL_ANSI, *RISK_VARIABLE.values()}
    resolved = {name: theme_style(app, name) for name in names}

    def style(name: str) -> Style:
        if name not in resolved:
            resolved[name] = theme_style(app, name)
        return resolved[name]

    return style
