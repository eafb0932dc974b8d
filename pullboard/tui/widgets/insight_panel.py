"""Insights pinned on one item, in full: headline, why it matters now, and the detail."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import Static

from pullboard.model import Insight


class InsightPanel(Static):
    """Every live insight on an item; hidden when there are none."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)

    def show(self, insights: list[Insight], today: date, *, details: bool = True) -> None:
        """Redraw; `details` False shows only the one-line headlines."""
        self.display = bool(insights)
        text = Text()
        for n, insight in enumerate(insights):
            if n:
                text.append("\n")
            mark = "📌 " if insight.pinned else "💡 "
            text.append(mark + insight.title, style="bold")
            text.append(f"  {insight.author}")
            if insight.expires:
                expired = " (expired)" if insight.expired(today) else ""
                text.append(f", until {insight.expires:%b %d}{expired}", style="dim")
            if insight.summary:
                text.append(f"\n  {insight.summary}")
            if details and insight.why:
                text.append("\n  Why now: ", style="italic")
                text.append(insight.why)
            if details and insight.detail:
                text.append("\n  " + insight.detail.replace("\n", "\n  "), style="dim")
        self.update(text)
