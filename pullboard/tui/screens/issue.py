"""One issue: its facts, the insights on it, and its body rendered as Markdown."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from pullboard.model import Issue
from pullboard.tui.formatting import short_date
from pullboard.tui.messages import BodyRequested, LinkRequested
from pullboard.tui.screens.base import PullboardScreen
from pullboard.tui.widgets.insight_panel import InsightPanel
from pullboard.tui.widgets.key_bar import KeyBar
from pullboard.tui.widgets.top_bar import TopBar


class IssueScreen(PullboardScreen):
    """Issue detail; the body is fetched when the screen opens, never before."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="nav.back"),
        Binding("o", "link", "Open link", id="list.link"),
        Binding("j", "scroll('down')", "Down", show=False, id="issue.down"),
        Binding("k", "scroll('up')", "Up", show=False, id="issue.up"),
    ]

    def __init__(self, issue: Issue) -> None:
        super().__init__()
        self.issue = issue

    def compose(self) -> ComposeResult:
        yield TopBar(id="top")
        yield Static(id="facts", markup=False)
        with VerticalScroll(id="body-scroll"):
            yield InsightPanel(id="insights")
            yield Markdown("*Loading the description…*", id="body", open_links=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#body-scroll").focus()
        self.on_snapshot()
        self.post_message(BodyRequested(self.issue))

    async def show_body(self, markdown: str) -> None:
        """Show the fetched description (or why it couldn't be fetched)."""
        await self.query_one("#body", Markdown).update(markdown.strip() or "*No description.*")

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#body-scroll", VerticalScroll)
        scroll.scroll_down() if direction == "down" else scroll.scroll_up()

    def target_url(self) -> str:
        return self.issue.url

    def action_link(self) -> None:
        self.post_message(LinkRequested(self.issue.url))

    def on_snapshot(self) -> None:
        self.query_one(TopBar).show(self.board.snapshot, self.board.clock())
        ctx = self.context()
        if ctx is None:
            return
        i = self.issue
        today = ctx.now.date()
        text = Text()
        text.append(i.title, style="bold")
        text.append(f"\n{i.ref} · {i.status} · {', '.join(i.assignees) or 'unassigned'}")
        if i.priority:
            text.append(f" · priority {i.priority}")
        if i.due:
            text.append(f" · due {short_date(i.due, today)}")
        if i.labels:
            text.append(f"\nlabels: {', '.join(i.labels)}", style="dim")
        pressing = ctx.snapshot.pressing.get(i.url)
        if pressing:
            text.append(f"\npressing: {', '.join(pressing.reasons)}", style=ctx.style("warning"))
        self.query_one("#facts", Static).update(text)
        notes = ctx.live_insights(i.url)
        self.query_one(InsightPanel).show(notes, today, details=True)
