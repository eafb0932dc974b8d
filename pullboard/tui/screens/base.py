"""What the board and milestone screens share: a filterable list and a "why" line under it."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from pullboard.model import BOARD, Insight
from pullboard.tui.context import BoardContext, context_of
from pullboard.tui.messages import (
    AckRequested,
    EditRequested,
    LinkRequested,
    OpenRequested,
    PinRequested,
    UnpinRequested,
)
from pullboard.tui.views import ViewContext, describe
from pullboard.tui.widgets.item_table import ItemTable
from pullboard.tui.widgets.top_bar import TopBar

WRITE_ACTIONS = frozenset({"pin", "edit", "unpin", "ack"})


class PullboardScreen(Screen[None]):
    """Any pullboard screen: the board context, a hook for new data, insight keys."""

    BINDINGS = [
        Binding("p", "pin", "Pin", id="insight.pin"),
        Binding("e", "edit", "Edit insight", id="insight.edit", show=False),
        Binding(
            "u", "unpin", "Take insight off the strip, or delete it", id="insight.unpin", show=False
        ),
        Binding("a", "ack", "Acknowledge insight", id="insight.ack", show=False),
    ]

    def target_url(self) -> str:
        """What `p` pins on: the selected item, else the whole board."""
        return BOARD

    def target_insight(self) -> Insight | None:
        """What `e`, `u` and `a` act on: the selected insight, or the newest on the item."""
        ctx = self.context()
        if ctx is None:
            return None
        on_item = ctx.live_insights(self.target_url())
        return max(on_item, key=lambda i: i.updated or i.created or ctx.now, default=None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the write keys when the insights file is read-only for this user."""
        return not (action in WRITE_ACTIONS and self.board.read_only)

    def action_pin(self) -> None:
        self.post_message(PinRequested(self.target_url()))

    def _with_insight(self, request: Callable[[Insight], Message]) -> None:
        insight = self.target_insight()
        if insight is None:
            self.notify("No insight here: pick one in the Insights view (4), or pin one with p.")
        else:
            self.post_message(request(insight))

    def action_edit(self) -> None:
        self._with_insight(EditRequested)

    def action_unpin(self) -> None:
        self._with_insight(UnpinRequested)

    def action_ack(self) -> None:
        self._with_insight(AckRequested)

    @property
    def board(self) -> BoardContext:
        """What this screen reads: the snapshot, view settings, clock and capabilities."""
        return context_of(self.app)

    def context(self, query: str = "") -> ViewContext | None:
        """View settings plus a filter, or None before any data arrived."""
        return self.board.view_context(query)

    def on_snapshot(self) -> None:
        """Redraw from `board.snapshot` (new data, a toggle, or a new day)."""

    def on_tick(self) -> None:
        """The clock moved on: the data age in the top bar changes, the lists don't."""
        for bar in self.query(TopBar):
            bar.show(self.board.snapshot, self.board.clock())


class ListScreen(PullboardScreen):
    """A screen whose main content is an `ItemTable` the user can filter with `/`."""

    # The filter's keys are priorities: they move focus as soon as they are read, so the
    # keys typed after them in the same burst (fast typing over SSH arrives bundled) go to
    # the filter, or back to the list, rather than to the widget that had focus before.
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="list.filter", priority=True),
        Binding(
            "enter",
            "filter_done",
            "Back to the list",
            id="list.filter_done",
            show=False,
            priority=True,
        ),
        Binding("enter", "open", "Open", id="list.open", show=False),
        Binding("o", "link", "Open link", id="list.link"),
        Binding("escape", "back", "Back", id="nav.back"),
    ]

    filter_text: str = ""

    def on_mount(self) -> None:
        """The filter hides until `/`; the list has the keys; paint what is known now."""
        self.query_one("#filter", Input).display = False
        self.table().focus()
        self.on_snapshot()

    def table(self) -> ItemTable:
        """The table the keys act on (the visible one)."""
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`/` opens the filter and Enter leaves it; inside it, `/` is just a character and
        Enter only leaves (it opens nothing, whatever keys the keymap gives the two)."""
        if action in ("filter", "filter_done", "open"):
            return (self.focused is self.query_one("#filter")) == (action == "filter_done")
        return super().check_action(action, parameters)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        self.set_focus(box)

    def action_filter_done(self) -> None:
        self.set_focus(self.table())

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.on_filter()

    def on_filter(self) -> None:
        """Redraw for a new filter text: by default as for new data."""
        self.on_snapshot()

    def action_back(self) -> None:
        """Escape clears an active filter first; then it leaves the screen (not the board)."""
        box = self.query_one("#filter", Input)
        if box.display or self.filter_text:
            box.value = ""
            box.display = False
            self.table().focus()
        else:
            self.leave()

    def leave(self) -> None:
        """Go back to the previous screen."""
        self.app.pop_screen()

    def action_open(self) -> None:
        key = self.table().selected_key
        if key and not key.startswith("group:"):
            self.post_message(OpenRequested(key))

    def action_link(self) -> None:
        ctx = self.context()
        key = self.table().selected_key
        if ctx is None or key is None or key.startswith("group:"):
            return
        item = ctx.snapshot.find(key)
        insight = ctx.snapshot.insight(key)
        url = item.url if item else (insight.on if insight else "")
        if url.startswith("http"):
            self.post_message(LinkRequested(url))
        else:
            self.notify("This insight is pinned to the whole board: it has no web page.")

    def target_url(self) -> str:
        """The selected item; for a selected insight, the item it is pinned on."""
        ctx, key = self.context(), self.table().selected_key
        if ctx is None or key is None or key.startswith("group:"):
            return BOARD
        insight = ctx.snapshot.insight(key)
        return insight.on if insight else key

    def target_insight(self) -> Insight | None:
        ctx, key = self.context(), self.table().selected_key
        selected = ctx.snapshot.insight(key) if ctx and key else None
        return selected or super().target_insight()

    def update_why(self) -> None:
        ctx = self.context(self.filter_text)
        if ctx is not None:
            self.query_one("#why", Static).update(describe(ctx, self.table().selected_key))

    def on_item_table_row_highlighted(self) -> None:
        self.update_why()

    def on_item_table_row_selected(self) -> None:
        self.action_open()
