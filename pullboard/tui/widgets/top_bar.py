"""The line at the top: board title, data age, and each source's state."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from pullboard.model import Snapshot
from pullboard.tui.formatting import age


class TopBar(Static):
    """Title · "updated 3 min ago" · per-source marks, or what each source is doing right now."""

    progress: reactive[dict[str, str]] = reactive(dict, always_update=True)
    """Source name -> what it is doing, while a refresh runs (empty when idle)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)
        self.snapshot: Snapshot | None = None
        self.now: datetime | None = None

    def show(self, snapshot: Snapshot | None, now: datetime) -> None:
        """Redraw for a new snapshot or a clock tick."""
        self.snapshot, self.now = snapshot, now
        self.update(self._text())

    def watch_progress(self) -> None:
        self.update(self._text())

    def _text(self) -> Text:
        snap, now = self.snapshot, self.now
        text = Text(no_wrap=True, overflow="ellipsis")
        if snap is None or now is None:
            return text.append("pullboard · loading…")
        text.append(snap.title, style="bold")
        # The age of the oldest data on screen, not of the last attempt: a refresh that only
        # failed must not read "updated just now".
        fetched = [s.fetched_at for s in snap.sources if s.fetched_at is not None]
        text.append(f"  updated {age(min(fetched), now)}" if fetched else "  no data yet")
        for source in snap.sources:
            doing = self.progress.get(source.name)
            if doing:
                text.append(f"  {source.name}: {doing}…", style="italic")
            elif source.ok:
                text.append(f"  {source.name} ✓", style="dim")
            else:
                when = age(source.fetched_at, now) if source.fetched_at else "no data"
                text.append(f"  {source.name} ✗ ({when})", style="bold reverse")
        return text
