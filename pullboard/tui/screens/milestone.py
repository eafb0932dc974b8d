"""One milestone: where it stands, the insights on it, and its issues grouped by status."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from pullboard.analysis.burnup import points_for
from pullboard.model import BOARD, Milestone
from pullboard.tui.formatting import RISK_TEXT, bar, date_range, short_date
from pullboard.tui.messages import MilestoneShown
from pullboard.tui.screens.base import ListScreen
from pullboard.tui.theme import RISK_VARIABLE
from pullboard.tui.views import COLUMNS, milestone_issue_rows
from pullboard.tui.widgets.burnup import BurnupChart, BurnupData
from pullboard.tui.widgets.insight_panel import InsightPanel
from pullboard.tui.widgets.item_table import ItemTable
from pullboard.tui.widgets.key_bar import KeyBar
from pullboard.tui.widgets.top_bar import TopBar
from pullboard.tui.widgets.why_lines import WhyLines

SHORT_ROWS = 24
"""Below this many rows the burn-up gives way to the issues (60x20 kept none of them)."""


class MilestoneScreen(ListScreen):
    """Drill-down into a milestone; Escape goes back to the board."""

    def __init__(self, milestone: Milestone) -> None:
        super().__init__()
        self.milestone = milestone

    def compose(self) -> ComposeResult:
        yield TopBar(id="top")
        yield Static(id="summary", markup=False)
        yield BurnupChart(id="burnup")
        with VerticalScroll(id="notes"):
            yield InsightPanel(id="insights")
        yield Input(placeholder="Filter issues, Esc clears", id="filter")
        yield ItemTable(COLUMNS["issues"], id="issues")
        yield WhyLines(id="why", markup=False)
        yield KeyBar()

    def on_resize(self, event: events.Resize) -> None:
        # `self.size` is still the old size here: use the event's.
        short = event.size.height < SHORT_ROWS
        if short != self.has_class("-short"):
            self.set_class(short, "-short")
            self.on_snapshot()

    def on_mount(self) -> None:
        # ListScreen's own on_mount runs too (Textual calls every class's handler).
        self.set_class(self.app.size.height < SHORT_ROWS, "-short")
        self.post_message(MilestoneShown(self.milestone.url))

    def table(self) -> ItemTable:
        return self.query_one("#issues", ItemTable)

    def target_url(self) -> str:
        """The selected issue, else this milestone."""
        url = super().target_url()
        return self.milestone.url if url == BOARD else url

    def on_snapshot(self) -> None:
        self.query_one(TopBar).show(self.board.snapshot, self.board.clock())
        ctx = self.context(self.filter_text)
        if ctx is None:
            return
        found = ctx.snapshot.find(self.milestone.url)
        if isinstance(found, Milestone):
            self.milestone = found
        m, st = self.milestone, ctx.snapshot.status.get(self.milestone.url)
        today = ctx.now.date()
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{m.title}", style="bold")
        ref = "" if m.ref == m.title else f"{m.ref} · "
        text.append(f"  {ref}{m.source} · due {short_date(m.due, today)}")
        if st is not None:
            # The risk first: on a narrow terminal the end of the line is what gets cut.
            text.append("\n")
            text.append(RISK_TEXT[st.risk], style=ctx.style(RISK_VARIABLE[st.risk]))
            # A five-cell bar (the burn-up below draws the detail): 80 columns then hold the
            # widest range and the chance on this one line. The gap is in the reason below.
            text.append(f" · {bar(st.progress, 5)}  {st.closed}/{st.open + st.closed} closed · ")
            text.append(f"forecast {date_range(st.forecast, st.forecast_p85, today)}")
            text.append(f" · {int(st.on_time * 100)}% on time" if st.on_time is not None else "")
            text.append(f"\n{st.reason}", style="italic")
        self.query_one("#summary", Static).update(text)
        chart = self.query_one(BurnupChart)
        # Rebuilt from issues only once all of them are here (history needs no issues): a
        # part of them would rebuild a past that never was.
        complete = self.board.is_complete(m.url)
        short = self.has_class("-short")
        chart.display = not short and st is not None and bool(st.history or complete)
        if st is not None and chart.display:
            issues = ctx.snapshot.issues_of(m.url) if complete else ()
            points = points_for(m, st, issues, ctx.now)
            data = BurnupData(points, today, m.due, st.forecast, st.forecast_p85)
            chart.show(data, ctx.style)
        notes = ctx.live_insights(m.url)
        self.query_one(InsightPanel).show(notes, today, details=True)
        self.query_one("#notes").display = bool(notes)
        issue_rows = milestone_issue_rows(ctx, m)
        self.table().show(issue_rows)
        if not issue_rows and not self.board.is_complete(m.url):
            self.query_one("#why", Static).update(Text("Loading issues…"))
        else:
            self.update_why()
