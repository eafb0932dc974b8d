"""A table of board items on Textual's line API: it renders only the lines on screen, each row
once, so a filter keystroke on a 10,000-issue board costs the rows it newly shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, NamedTuple

import msgspec
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pullboard.tui.widgets.table_lines import PADDING, render_strip

SCROLLBAR = 2
MIN_FLEX = 16
"""Below this many cells for the flexible column, columns with a `narrow` width use it."""
CACHED_STRIPS = 1024
"""Rendered rows kept: a few screenfuls in each of the looks a row can have."""


class Column(NamedTuple):
    """A column: its header, its width, and a smaller width for narrow terminals."""

    label: str
    width: int | None
    """Cells wide; None for the one column that takes what the others leave."""
    narrow: int | None = None
    """The width when the flexible column would get fewer than `MIN_FLEX` cells (60x20)."""


ColumnSpec = Column | tuple[str, int | None]


class Row(msgspec.Struct, frozen=True):
    """One table row: its key (an item URL or insight id) and its cells."""

    key: str
    cells: tuple[Text | str, ...]
    target: str | None = None
    """What the row stands for when its key can't be that (an item that changed twice in the
    New view has two rows): what Enter, `o` and the why-line act on."""
    find: str = ""
    """The row's texts lower-cased, for the filter (built once with the row)."""


class RowMessage(Message):
    """Something happened to a row of a table: which table, which row."""

    def __init__(self, table: ItemTable, cursor_row: int, row_key: str) -> None:
        super().__init__()
        self.table = table
        self.cursor_row = cursor_row
        self.row_key = row_key

    @property
    def control(self) -> ItemTable:
        return self.table


class ItemTable(ScrollView, can_focus=True):
    """Row-cursor table with vim keys; `show(rows)` replaces contents without losing the cursor.

    One column may have width None: it takes whatever the terminal width leaves, so titles
    use the space there is at 80 columns and at 200. The header line stays on top.

    Rows are immutable and the board hands back the same `Row` objects for unchanged items,
    so a row's line is cached by the row's identity and its look (cursor, zebra stripe,
    focus): showing a filtered list renders only the rows that weren't on screen before.
    The arrows, Page Up/Down and Home/End are Textual's scrolling bindings (ScrollView's);
    here their actions are the cursor's moves. Enter is the screen's `list.open`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "scroll_top", "Top", show=False, id="table.top"),
        Binding("G", "scroll_bottom", "Bottom", show=False, id="table.bottom"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "item-table--header",
        "item-table--cursor",
        "item-table--even-row",
        "item-table--odd-row",
    }

    # DataTable's look in every theme: the same theme variables for the same parts.
    DEFAULT_CSS = """
    ItemTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .item-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .item-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .item-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .item-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .item-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .item-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .item-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class RowHighlighted(RowMessage):
        """The cursor came to a row (by key, mouse, or a new list under it)."""

    class RowSelected(RowMessage):
        """The row under the cursor was chosen (a click on it)."""

    def __init__(self, columns: Sequence[ColumnSpec], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._columns = [Column(*c) for c in columns]
        self._keys: list[str] = []
        self._rows: list[Row] = []
        self._widths: list[int] = []
        self._rendered_width = 0
        """The width the cached lines were rendered for."""
        self._cursor = 0
        self._strips: LRUCache[tuple[int, bool, bool, bool], tuple[Row, Strip]]
        self._strips = LRUCache(CACHED_STRIPS)
        self._header: Strip | None = None
        self.rendered = 0
        """Row lines rendered so far (what the cache saves is what this doesn't count)."""

    # -- what the screens and tests read ---------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        """Index of the row under the cursor (0 for an empty table)."""
        return self._cursor

    @property
    def cursor_key(self) -> str | None:
        """Key of the row under the cursor, or None for an empty table."""
        return self._keys[self._cursor] if self._keys else None

    @property
    def selected_key(self) -> str | None:
        """What the row under the cursor stands for: its target, else its key; None for an
        empty table."""
        if not self._rows:
            return None
        row = self._rows[self._cursor]
        return row.target or row.key

    def get_row_at(self, index: int) -> tuple[Text | str, ...]:
        """The cells of the row at `index`."""
        return self._rows[index].cells

    def get_row(self, key: str) -> tuple[Text | str, ...]:
        """The cells of the row with `key` (KeyError when no row has it)."""
        try:
            return self._rows[self._keys.index(key)].cells
        except ValueError:
            raise KeyError(key) from None

    # -- contents ------------------------------------------------------------------------

    def show(self, rows: Sequence[Row], *, keep: str | None = None) -> None:
        """Show `rows`; the cursor stays on the row it was on (by key), or goes to `keep`.

        Without either, it goes to the top, past a group header row (key `group:...`). The
        scroll stays where it was as far as the cursor allows. Of rows sharing a key only
        the first is shown: keys name rows, and no tracker data may crash the board.
        """
        was = self.cursor_key
        selected = keep or was
        rows = self._rows = _first_of_each_key(rows)
        moved = [r.key for r in rows] != self._keys
        if moved:
            self._keys = [r.key for r in rows]
            self._cursor = self._place(selected)
        self.virtual_size = Size(sum(self._widths), len(rows) + 1)
        self.refresh()
        if self._widths and moved:  # the same rows again: where the wheel left the view stays
            self._scroll_to_cursor()
        if self.cursor_key != was and self._keys:
            self.post_message(self.RowHighlighted(self, self._cursor, self._keys[self._cursor]))

    def _place(self, key: str | None) -> int:
        """Where the cursor goes in the new list to stay on `key`."""
        if key in self._keys:
            return self._keys.index(key)
        return 1 if len(self._keys) > 1 and self._keys[0].startswith("group:") else 0

    def _fit(self, total: int) -> list[int]:
        """Each column's width (padding included) for a table `total` cells wide: the flexible
        column gets the rest, and where that is too little, columns that can go narrow do."""
        padding = 2 * PADDING * len(self._columns) + SCROLLBAR
        widths = [c.width for c in self._columns]
        if total - padding - sum(w or 0 for w in widths) < MIN_FLEX:
            widths = [c.narrow or c.width for c in self._columns]
        flex = max(12, total - padding - sum(w or 0 for w in widths))
        return [(w or flex) + 2 * PADDING for w in widths]

    def on_resize(self, event: events.Resize) -> None:
        """Refit the columns to the new width (lines rendered for another width go: a line
        is as wide as the table even where the columns kept theirs), and keep the cursor's
        row on screen when the table got shorter."""
        if event.size.width != self._rendered_width:
            self._rendered_width = event.size.width
            self._widths = self._fit(event.size.width)
            self.notify_style_update()
            self.show(self._rows)
        if self._widths:
            self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        """A theme, focus or size change: every rendered line may look different now."""
        super().notify_style_update()
        self._strips.clear()
        self._header = None

    # -- rendering -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if y == 0:
            return self._header_strip()
        index = self.scroll_offset.y + y - 1
        if index >= len(self._rows):
            return Strip.blank(self.size.width, self.rich_style)
        return self._row_strip(index)

    def _header_strip(self) -> Strip:
        if self._header is None:
            style = self.get_component_rich_style("item-table--header")
            labels = [Text(c.label) for c in self._columns]
            self._header = render_strip(self.app.console, labels, self._widths, self._width, style)
        return self._header

    def _row_strip(self, index: int) -> Strip:
        """The row's line, from the cache when this row object was rendered in this look.

        The cache holds the row itself next to its line, so the row's `id` can't be reused
        by another object while the entry lives: the key is the identity."""
        row, cursor, even = self._rows[index], index == self._cursor, index % 2 == 0
        key = (id(row), cursor, even, self.has_focus)
        cached = self._strips.get(key)
        if cached is not None:
            return cached[1]
        style = self.get_component_rich_style(f"item-table--{'even' if even else 'odd'}-row")
        over = None
        if cursor:
            look = self.get_component_rich_style("item-table--cursor")
            style, over = style + look, Style(color=look.color, bgcolor=look.bgcolor)
        strip = render_strip(self.app.console, row.cells, self._widths, self._width, style, over)
        self.rendered += 1
        self._strips[key] = (row, strip)
        return strip

    @property
    def _width(self) -> int:
        return self.size.width

    # -- the cursor ----------------------------------------------------------------------

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        """Put the cursor on row `row` (clamped to the rows there are)."""
        new = max(0, min(row, len(self._rows) - 1))
        if new == self._cursor:
            return
        old, self._cursor = self._cursor, new
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        if scroll:
            self._scroll_to_cursor()
        self.post_message(self.RowHighlighted(self, new, self._keys[new]))

    def _page(self) -> int:
        """Rows in one screenful (the header line isn't one)."""
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        """Scroll as little as shows the cursor's row below the header."""
        top = round(self.scroll_y)
        lowest = self._cursor - self._page() + 1
        target = min(max(top, lowest), self._cursor)
        if target != top:
            self.scroll_to(y=target, animate=False, force=True)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self._cursor - 1)

    def action_scroll_top(self) -> None:
        self.move_cursor(row=0)

    def action_scroll_bottom(self) -> None:
        self.move_cursor(row=len(self._rows) - 1)

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + self._page(), animate=False, force=True)
        self.move_cursor(row=self._cursor + self._page())

    def action_page_up(self) -> None:
        self.scroll_to(y=self.scroll_y - self._page(), animate=False, force=True)
        self.move_cursor(row=self._cursor - self._page())

    # The names Textual's scrolling keys (arrows, Home, End) call: the key list shows each
    # with the table's own key for the same move (`j ↓  Down`).
    action_scroll_down = action_cursor_down
    action_scroll_up = action_cursor_up
    action_scroll_home = action_scroll_top
    action_scroll_end = action_scroll_bottom

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on a row; a click on the cursor's row selects it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = self.scroll_offset.y + offset.y - 1
        if index >= len(self._rows):
            return
        event.stop()
        if index == self._cursor:
            self.post_message(self.RowSelected(self, index, self._keys[index]))
        self.move_cursor(row=index)


def _first_of_each_key(rows: Sequence[Row]) -> list[Row]:
    """`rows` in order without any row whose key an earlier row already has."""
    unique: dict[str, Row] = {}
    for row in rows:
        unique.setdefault(row.key, row)
    return list(unique.values())
