"""The strip of pinned insights above the lists: the headlines everyone should see."""

from __future__ import annotations

from datetime import UTC, date, datetime

from rich.text import Text
from textual.widgets import Static

from pullboard.model import BOARD, Snapshot

MAX_LINES = 2
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class InsightStrip(Static):
    """Pinned, unexpired insights, one line each (headline, or title when there's no summary)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)

    def show(self, snapshot: Snapshot, today: date) -> None:
        """Redraw from the snapshot; hides itself when nothing is pinned."""
        if snapshot.insights_error:
            self.update(
                Text(
                    f"⚠ Insights unavailable: {snapshot.insights_error}",
                    no_wrap=True,
                    overflow="ellipsis",
                )
            )
            self.display = True
            return
        pinned = [i for i in snapshot.insights if i.pinned and not i.expired(today)]
        pinned.sort(key=lambda i: (i.on != BOARD, -(i.updated or i.created or EPOCH).timestamp()))
        self.display = bool(pinned)
        text = Text(no_wrap=True, overflow="ellipsis")
        for n, insight in enumerate(pinned[:MAX_LINES]):
            if n:
                text.append("\n")
            target = snapshot.find(insight.on)
            where = f"{target.ref}: " if target else ""
            text.append("📌 ")
            text.append(where, style="bold")
            text.append(insight.summary or insight.title)
        if len(pinned) > MAX_LINES:
            text.append(f"  (+{len(pinned) - MAX_LINES} more: press 4)", style="dim")
        self.update(text)
