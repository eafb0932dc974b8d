"""The board: top bar, pinned insights, and the five views (one key each)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import ContentSwitcher, Footer, Input, Static

from pullboard.tui.formatting import age
from pullboard.tui.screens.base import ListScreen
from pullboard.tui.views import COLUMNS, TITLES, VIEWS, describe, rows
from pullboard.tui.widgets.insight_strip import InsightStrip
from pullboard.tui.widgets.item_table import ItemTable
from pullboard.tui.widgets.top_bar import TopBar


class BoardScreen(ListScreen):
    """The first screen: every view of the board, switched with 1-5."""

    BINDINGS = [
        Binding(str(n), f"view('{view}')", TITLES[view], id=f"view.{view}", show=False)
        for n, view in enumerate(VIEWS, start=1)
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = VIEWS[0]
        self.queries: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield TopBar(id="top")
        yield InsightStrip(id="strip")
        yield Static(id="views", markup=True)
        yield Input(placeholder="Filter: type to narrow the list, Esc clears", id="filter")
        with ContentSwitcher(initial=self.view, id="switcher"):
            for view in VIEWS:
                yield ItemTable(COLUMNS[view], id=view)
        with Vertical(id="why-box"):
            yield Static(id="why", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.table().focus()
        self.on_snapshot()

    def table(self) -> ItemTable:
        return self.query_one(f"#{self.view}", ItemTable)

    def leave(self) -> None:
        """The board is the bottom screen: Escape here only clears the filter."""

    def action_view(self, view: str) -> None:
        """Switch to one of the five views; each keeps its own cursor and filter."""
        self.queries[self.view] = self.filter_text
        self.view = view
        self.filter_text = self.queries.get(view, "")
        box = self.query_one("#filter", Input)
        box.value = self.filter_text
        box.display = bool(self.filter_text)
        self.query_one("#switcher", ContentSwitcher).current = view
        self.table().focus()
        self.on_snapshot()

    def update_why(self) -> None:
        """As for every list, with an empty New view saying since when nothing changed."""
        ctx = self.context(self.filter_text)
        if ctx is None:
            return
        empty = "Nothing here."
        if self.view == "new":
            since = ctx.snapshot.last_look
            empty = (
                f"Nothing changed since your last look ({age(since, ctx.now)})."
                if since
                else "This is your first look: from now on, changes show here."
            )
        self.query_one("#why", Static).update(describe(ctx, self.table().selected_key, empty=empty))

    def on_snapshot(self) -> None:
        self.query_one(TopBar).show(self.board.snapshot, self.board.clock())
        ctx = self.context(self.filter_text)
        if ctx is None:
            self.query_one("#why", Static).update(Text("Loading the board…"))
            return
        self.query_one(InsightStrip).show(ctx.snapshot, ctx.now.date())
        counts = {view: len(rows(view, self.context() or ctx)) for view in VIEWS}
        self.query_one("#views", Static).update(self._view_bar(counts))
        self.table().show(rows(self.view, ctx))
        self.update_why()

    def _view_bar(self, counts: dict[str, int]) -> Content:
        """`1 Milestones 9  2 Pressing 12 …`, the current view highlighted; clickable too."""
        parts = []
        for n, view in enumerate(VIEWS, start=1):
            click = f"@click=screen.view('{view}')"
            tag = f"reverse bold {click}" if view == self.view else click
            parts.append(f"[{tag}] {n} {TITLES[view]} {counts[view]} [/]")
        return Content.from_markup(" ".join(parts))
