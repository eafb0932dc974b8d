"""The line at the top: board title, data age, and each source's state."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.visual import VisualType
from textual.widgets import Static

from pullboard.model import Snapshot
from pullboard.tui.formatting import age

MIN_TITLE = 8
"""Cells of the title worth keeping before the data age is shortened to make room."""


class TopBar(Static):
    """Title · "updated 3 min ago" · per-source marks, or what each source is doing right now.

    Every source's mark always shows (a failure must never be off screen): on a narrow
    terminal the title is cut first, then the marks' details and the data age shorten.
    """

    progress: reactive[dict[str, str]] = reactive(dict, always_update=True)
    """Source name -> what it is doing, while a refresh runs (empty when idle)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)
        self.snapshot: Snapshot | None = None
        self.now: datetime | None = None

    def show(self, snapshot: Snapshot | None, now: datetime) -> None:
        """Redraw for a new snapshot or a clock tick; a tick that changes no age on the line
        leaves it alone (repainting it every 15 s was most of what an idle board did)."""
        width = self.content_size.width
        same = snapshot is self.snapshot and self._text(width) == self._text(width, now)
        self.snapshot, self.now = snapshot, now
        if not same:
            self.refresh()

    def watch_progress(self) -> None:
        self.refresh()

    def render(self) -> VisualType:
        """Laid out for the width there is now (it changes with the terminal)."""
        return self._text(self.content_size.width)

    def _text(self, width: int, at: datetime | None = None) -> Text:
        """The line for `width` cells, its ages as of `at` (else as of the last `show`)."""
        snap, now = self.snapshot, at or self.now
        if snap is None or now is None:
            return Text("pullboard · loading…", no_wrap=True, overflow="ellipsis")
        # The age of the oldest data on screen, not of the last attempt: a refresh that only
        # failed must not read "updated just now".
        fetched = [s.fetched_at for s in snap.sources if s.fetched_at is not None]
        since = age(min(fetched), now) if fetched else ""
        ages = (f"  updated {since}", f"  {since}", "") if since else ("  no data yet", "")
        for marks in (self._marks(snap, now, detail=True), self._marks(snap, now, detail=False)):
            for when in ages:
                room = width - marks.cell_len - len(when)
                if room >= min(len(snap.title), MIN_TITLE):
                    title = Text(snap.title, style="bold")
                    title.truncate(room, overflow="ellipsis")
                    return Text.assemble(title, when, marks, no_wrap=True, overflow="ellipsis")
        # Still too wide: failures first, every name cut to its share of the line.
        share = max(1, width // max(1, len(snap.sources)) - 4)
        return self._marks(snap, now, detail=False, name_width=share)

    def _marks(
        self, snap: Snapshot, now: datetime, *, detail: bool, name_width: int | None = None
    ) -> Text:
        """`  shop ✓  web ✗ (2 h ago)`; without `detail`, no ages and no progress messages;
        with `name_width`, failing sources first and names cut to that many cells."""
        text = Text(no_wrap=True, overflow="ellipsis")
        sources = list(snap.sources)
        if name_width is not None:
            sources.sort(key=lambda s: s.ok)  # stable: failures first, otherwise config order
        for source in sources:
            name = source.name
            if name_width is not None and len(name) > name_width:
                name = name[: max(1, name_width - 1)] + "…"
            doing = self.progress.get(source.name)
            if doing:
                text.append(f"  {name}: {doing}…" if detail else f"  {name} …")
            elif source.ok:
                text.append(f"  {name} ✓", style="dim")
            else:
                when = age(source.fetched_at, now) if source.fetched_at else "no data"
                mark = f"  {name} ✗ ({when})" if detail else f"  {name} ✗"
                text.append(mark, style="bold reverse")
        return text
