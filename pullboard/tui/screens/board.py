"""The board: top bar, pinned insights, and the five views (one key each)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, Input, Static

from pullboard.tui.change_feed import change_why
from pullboard.tui.formatting import age
from pullboard.tui.goal_views import goal_line
from pullboard.tui.messages import SeenRequested
from pullboard.tui.outlook import summary
from pullboard.tui.screens.base import ListScreen
from pullboard.tui.views import (
    COLUMNS,
    TITLES,
    VIEWS,
    ViewContext,
    describe,
    insight_details,
    rows,
)
from pullboard.tui.widgets.insight_strip import InsightStrip
from pullboard.tui.widgets.item_table import ItemTable
from pullboard.tui.widgets.key_bar import KeyBar
from pullboard.tui.widgets.top_bar import TopBar
from pullboard.tui.widgets.view_bar import ViewBar
from pullboard.tui.widgets.why_lines import WhyLines


class BoardScreen(ListScreen):
    """The first screen: every view of the board, switched with 1-5."""

    BINDINGS = [
        *(
            Binding(str(n), f"view('{view}')", TITLES[view], id=f"view.{view}", show=False)
            for n, view in enumerate(VIEWS, start=1)
        ),
        Binding("s", "seen", "Mark all seen", id="view.seen"),
        Binding("t", "goals", "Goals", id="board.goals"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = VIEWS[0]
        self.queries: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield TopBar(id="top")
        yield InsightStrip(id="strip")
        yield ViewBar(TITLES, id="views")
        yield Static(id="overview", markup=False)
        yield Input(placeholder="Filter: type to narrow the list, Esc clears", id="filter")
        yield Static(id="goal-bar", markup=False)
        with ContentSwitcher(initial=self.view, id="switcher"):
            # The other views' tables are made when first shown: each costs the first paint
            # its compose, styles and layout (`_table_for`).
            yield ItemTable(COLUMNS[self.view], id=self.view)
        with Vertical(id="why-box"):
            yield WhyLines(id="why", markup=False)
        yield KeyBar()

    def table(self) -> ItemTable:
        return self.query_one(f"#{self.view}", ItemTable)

    def leave(self) -> None:
        """The board is the bottom screen: Escape here only clears the filter."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape (`back`) only clears a filter here: off the footer while there is none.
        `s` (mark all seen) belongs to the New view."""
        if action == "back":
            return bool(self.query_one("#filter", Input).display or self.filter_text)
        if action == "seen":
            return self.view == "new"
        return super().check_action(action, parameters)

    def action_seen(self) -> None:
        """Everything in the New view is seen: it empties, and the next look starts now."""
        self.post_message(SeenRequested())

    def action_view(self, view: str) -> None:
        """Switch to one of the five views; each keeps its own cursor and filter."""
        self.queries[self.view] = self.filter_text
        self.view = view
        self.filter_text = self.queries.get(view, "")
        box = self.query_one("#filter", Input)
        box.value = self.filter_text
        box.display = bool(self.filter_text)
        switcher = self.query_one("#switcher", ContentSwitcher)
        if not switcher.query(f"#{view}"):
            switcher.mount(ItemTable(COLUMNS[view], id=view))
        switcher.current = view
        self.table().focus()
        self.refresh_bindings()
        self.on_snapshot()

    def action_goals(self) -> None:
        """The goal screen: goals across trackers, each with its milestones."""
        from pullboard.tui.screens.goals import GoalScreen  # loaded on first use

        self.app.push_screen(GoalScreen())

    def _goal_bar(self) -> None:
        """Goals, one line each, above the milestones they group (at most two lines)."""
        ctx, bar = self.context(), self.query_one("#goal-bar", Static)
        goals = ctx.snapshot.goals if ctx and self.view == "milestones" else ()
        bar.display = bool(goals)
        if ctx and goals:
            width = bar.content_size.width or self.size.width - 2
            lines = [goal_line(ctx, g, ctx.snapshot.goal_status[g.id], width) for g in goals[:2]]
            bar.update(Text("\n").join(lines))

    def on_resize(self) -> None:
        """The goal bar chooses what it shows by the width."""
        self._goal_bar()

    def update_why(self) -> None:
        """As for every list, with an empty New view saying since when nothing changed."""
        ctx = self.context(self.filter_text)
        if ctx is None:
            return
        empty = "Nothing here."
        if self.board.loading:
            empty = "Loading…"
        elif self.view == "new":
            since = ctx.snapshot.last_look
            empty = (
                f"Nothing changed since your last look ({age(since, ctx.now)})."
                if since
                else "This is your first look: from now on, changes show here."
            )
        key = self.table().selected_key
        insight = ctx.snapshot.insight(key) if key and self.view == "insights" else None
        # Insight details (`d`) take as many lines as they need, up to a share of the screen.
        details = insight is not None and ctx.details
        self.query_one("#why-box").set_class(details, "details")
        why = (
            insight_details(ctx, insight)
            if details and insight
            else describe(ctx, key, empty=empty)
        )
        sentence = change_why(ctx, self.table().cursor_key) if self.view == "new" else None
        self.query_one("#why", Static).update(sentence or why)

    def on_tick(self) -> None:
        """The New view shows how long ago each change was, and the strip how old a stale
        insights copy is: they follow the clock (the other lists don't)."""
        super().on_tick()
        ctx = self.context()
        if ctx is None:
            return
        self.query_one(InsightStrip).show(ctx.snapshot, ctx.now.date(), ctx.now)
        if self.view == "new" and ctx.cache is not None:
            ctx.cache.forget("new")
            self.on_snapshot()

    def on_filter(self) -> None:
        """A keystroke in the filter changes the list and the line about its cursor only:
        the counts, the overview and the strip stay (redrawing them costs a layout)."""
        ctx = self.context(self.filter_text)
        if ctx is not None:
            self.table().show(rows(self.view, ctx))
            self.update_why()

    def on_snapshot(self) -> None:
        self.query_one(TopBar).show(self.board.snapshot, self.board.clock())
        ctx = self.context(self.filter_text)
        if ctx is None:
            self.query_one("#why", Static).update(Text("Loading the board…"))
            return
        self.query_one(InsightStrip).show(ctx.snapshot, ctx.now.date(), ctx.now)
        counts = {view: _counted(view, self.context() or ctx) for view in VIEWS}
        self.query_one(ViewBar).show(counts, self.view)
        overview = self.query_one("#overview", Static)
        overview.display = self.view == "milestones"
        snap = ctx.snapshot
        overview.update(summary(snap.milestones, snap.status, ctx.style))
        self._goal_bar()
        self.table().show(rows(self.view, ctx))
        self.update_why()


def _counted(view: str, ctx: ViewContext) -> int:
    """A view's rows that are items or changes, not group headers (counted once per
    snapshot and view settings, when the app keeps its rows)."""
    if ctx.cache is not None:
        return ctx.cache.count(view, ctx)
    return sum(1 for row in rows(view, ctx) if not row.key.startswith("group:"))
