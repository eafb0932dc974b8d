"""The goal screen (`t`): every goal with its milestones under it, rolled up; the why-line
says why a goal stands where it does, its outcome and why now; Enter on a goal shows all of
it. `p` pins on a goal."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from pullboard.model import Goal
from pullboard.tui.goal_views import GOAL_COLUMNS, GOAL_KEY, describe_goal, goal_detail
from pullboard.tui.screens.base import ListScreen
from pullboard.tui.screens.modals import ReadingScreen
from pullboard.tui.views import describe, rows
from pullboard.tui.widgets.item_table import ItemTable
from pullboard.tui.widgets.key_bar import KeyBar
from pullboard.tui.widgets.top_bar import TopBar
from pullboard.tui.widgets.why_lines import WhyLines


class GoalDetailScreen(ReadingScreen):
    """One goal in full: where it stands and why, what it is for, each milestone's chance,
    and what it names that the board doesn't show (the why-line has two lines for this)."""

    BINDINGS = [
        Binding("escape,enter,q", "dismiss", "Close", id="goal.close"),
        Binding("j,down", "scroll('down')", "Down", show=False, id="goal.down"),
        Binding("k,up", "scroll('up')", "Up", show=False, id="goal.up"),
    ]

    def __init__(self, title: str, detail: Text) -> None:
        super().__init__()
        self.heading = title
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.heading, id="dialog-title", markup=False)
            with VerticalScroll(id="goal-scroll"):
                yield Static(self.detail, id="goal-detail", markup=False)
            yield Static("Esc closes", classes="hint")


class GoalScreen(ListScreen):
    """Goals across trackers; Enter on a goal shows all of it, on a milestone opens it,
    Escape goes back."""

    def compose(self) -> ComposeResult:
        yield TopBar(id="top")
        yield Input(placeholder="Filter goals, Esc clears", id="filter")
        yield ItemTable(GOAL_COLUMNS, id="goal-list")
        yield WhyLines(id="why", markup=False)
        yield KeyBar()

    def table(self) -> ItemTable:
        return self.query_one("#goal-list", ItemTable)

    def action_open(self) -> None:
        goal = self._goal()
        if goal is None:
            super().action_open()
        elif ctx := self.context():
            self.app.push_screen(GoalDetailScreen(goal.title, goal_detail(ctx, goal)))

    def _goal(self) -> Goal | None:
        """The goal whose row is selected, if the cursor is on one."""
        key, ctx = self.table().selected_key or "", self.context()
        goals = ctx.snapshot.goals if ctx else ()
        return next((g for g in goals if GOAL_KEY + g.id == key), None)

    def update_why(self) -> None:
        ctx = self.context(self.filter_text)
        if ctx is None:
            return
        key, goal = self.table().selected_key, self._goal()
        empty = "No goals yet: add one with `pullboard goal add ID --title ... --milestones ...`."
        why = describe_goal(ctx, goal) if goal else describe(ctx, key, empty=empty)
        self.query_one("#why", Static).update(why)

    def on_snapshot(self) -> None:
        self.query_one(TopBar).show(self.board.snapshot, self.board.clock())
        ctx = self.context(self.filter_text)
        if ctx is None:
            self.query_one("#why", Static).update(Text("Loading…"))
            return
        self.table().show(rows("goals", ctx))
        self.update_why()
