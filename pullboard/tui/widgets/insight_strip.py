"""The strip of pinned insights above the lists: the headlines everyone should see."""

from __future__ import annotations

from datetime import UTC, date, datetime

from rich.text import Text
from textual.visual import VisualType
from textual.widgets import Static

from pullboard.model import BOARD, Insight, Snapshot
from pullboard.tui.formatting import age

MAX_LINES = 2
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class InsightStrip(Static):
    """Pinned, unexpired insights, one line each (headline, or title when there's no summary).

    Lines are cut to the terminal's width, never wrapped, and the "+N more" note always
    shows whole at the end of the last line. When the insights are a kept copy (a repository
    that can't be reached), a first line says so and how old the copy is.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)
        self.pinned: list[tuple[Text, Text]] = []
        """(where, headline) per pinned insight, newest board-wide ones first."""
        self.error: str | None = None
        self.stale: Text | None = None
        self._drawn = False

    def show(self, snapshot: Snapshot, today: date, now: datetime | None = None) -> None:
        """Redraw from the snapshot; hides itself when nothing is pinned and all is well. The
        clock's tick shows it again every 15 s: unchanged, it is left alone (a redraw of the
        strip lays out the whole screen)."""
        stale = None
        if snapshot.insights_stale:
            when = age(snapshot.insights_as_of, now) if now else "earlier"
            stale = Text(f"⚠ Offline: insights as of {when}. {snapshot.insights_stale}")
        pinned = [i for i in snapshot.insights if i.pinned and not i.expired(today)]
        pinned.sort(key=lambda i: (i.on != BOARD, -(i.updated or i.created or EPOCH).timestamp()))
        lines = [_line(snapshot, i) for i in pinned]
        now_shown = (lines, snapshot.insights_error, stale)
        if self._drawn and now_shown == (self.pinned, self.error, self.stale):
            return
        self.pinned, self.error, self.stale = now_shown
        self._drawn = True
        self.display = bool(self.pinned or self.error or self.stale)
        self.refresh(layout=True)

    def render(self) -> VisualType:
        """Laid out for the width there is now (it changes with the terminal)."""
        width = self.content_size.width
        if self.error:
            # Wrapped (the strip holds three lines): the file and line must show whole.
            return Text(f"⚠ Insights unavailable: {self.error}")
        shown = self.pinned[:MAX_LINES]
        more = len(self.pinned) - len(shown)
        lines = [_cut(self.stale.copy(), width)] if self.stale else []
        for n, (where, headline) in enumerate(shown):
            note = (
                Text(f"  (+{more} more: press 4)", style="dim")
                if more and n == len(shown) - 1
                else Text()
            )
            line = _cut(Text.assemble("📌 ", where, headline), width - note.cell_len)
            lines.append(Text.assemble(line, note))
        return Text("\n").join(lines)


def _line(snapshot: Snapshot, insight: Insight) -> tuple[Text, Text]:
    target = snapshot.find(insight.on)
    where = Text(f"{target.ref}: " if target else "", style="bold")
    return where, Text(insight.summary or insight.title)


def _cut(text: Text, width: int) -> Text:
    """One line, cut with an ellipsis at `width` cells."""
    text.no_wrap, text.overflow = True, "ellipsis"
    text.truncate(max(1, width), overflow="ellipsis")
    return text
