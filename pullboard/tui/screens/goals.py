"""The goal screen (`t`): every goal with its milestones under it, rolled up; the why-line
says why a goal stands where it does, its outcome and why now. `p` pins on a goal."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from pullboard.tui.goal_views import GOAL_COLUMNS, GOAL_KEY, describe_goal, goal_rows
from pullboard.tui.screens.base import ListScreen
from pullboard.tui.views import describe
from pullboard.tui.widgets.item_table import ItemTable
from pullboard.tui.widgets.key_bar import KeyBar
from pullboard.tui.widgets.top_bar import TopBar
from pullboard.tui.widgets.why_lines import WhyLines


class GoalScreen(ListScreen):
    """Goals across trackers; Enter on a milestone opens it, Escape goes back."""

    def compose(self) -> ComposeResult:
        yield TopBar(id="top")
        yield Input(placeholder="Filter goals, Esc clears", id="filter")
        yield ItemTable(GOAL_COLUMNS, id="goal-list")
        yield WhyLines(id="why", markup=False)
        yield KeyBar()

    def table(self) -> ItemTable:
        return self.query_one("#goal-list", ItemTable)

    def action_open(self) -> None:
        key = self.table().selected_key
        if key and not key.startswith(GOAL_KEY):
            super().action_open()

    def update_why(self) -> None:
        ctx = self.context(self.filter_text)
        if ctx is None:
            return
        key = self.table().selected_key or ""
        goal = next((g for g in ctx.snapshot.goals if GOAL_KEY + g.id == key), None)
        empty = "No goals yet: add one with `pullboard goal add ID --title ... --milestones ...`."
        why = describe_goal(ctx, goal) if goal else describe(ctx, key or None, empty=empty)
        self.query_one("#why", Static).update(why)

    def on_snapshot(self) -> None:
        self.query_one(TopBar).show(self.board.snapshot, self.board.clock())
        ctx = self.context(self.filter_text)
        if ctx is None:
            self.query_one("#why", Static).update(Text("Loading…"))
            return
        self.table().show(goal_rows(ctx))
        self.update_why()
