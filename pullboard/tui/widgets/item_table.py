"""A DataTable of board items that updates rows in place, so cursor and scroll survive refreshes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

SCROLLBAR = 2
WINDOW = 100
"""Rows added to the table at a time (at least two screenfuls)."""
MIN_FLEX = 16
"""Below this many cells for the flexible column, columns with a `narrow` width use it."""


class Column(NamedTuple):
    """A column: its header, its width, and a smaller width for narrow terminals."""

    label: str
    width: int | None
    """Cells wide; None for the one column that takes what the others leave."""
    narrow: int | None = None
    """The width when the flexible column would get fewer than `MIN_FLEX` cells (60x20)."""


ColumnSpec = Column | tuple[str, int | None]


@dataclass(frozen=True)
class Row:
    """One table row: its key (an item URL or insight id) and its cells."""

    key: str
    cells: tuple[Text | str, ...]
    target: str | None = None
    """What the row stands for when its key can't be that (an item that changed twice in the
    New view has two rows): what Enter, `o` and the why-line act on."""
    find: str = ""
    """The row's texts lower-cased, for the filter (built once with the row)."""


class ItemTable(DataTable[Text | str]):
    """Row-cursor table with vim keys; `show(rows)` replaces contents without losing the cursor.

    One column may have width None: it takes whatever the terminal width leaves, so titles
    use the space there is at 80 columns and at 200.

    Of a long list only the first rows are in the table (`WINDOW` more at a time); the cursor
    or the scroll nearing the last of them adds the next ones. A DataTable's cost is per row
    it holds, so a filter keystroke on a 10,000-issue board costs a window's worth, not
    10,000.
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "scroll_top", "Top", show=False, id="table.top"),
        Binding("G", "scroll_bottom", "Bottom", show=False, id="table.bottom"),
    ]

    def __init__(self, columns: Sequence[ColumnSpec], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._columns = [Column(*c) for c in columns]
        self._keys: list[str] = []
        self._rows: list[Row] = []
        self._shown: list[Row] = []
        """The rows in the table now: the first of `_rows`."""
        self._widths: list[int] = []
        self._adding = False

    def _fit(self, total: int) -> list[int]:
        """Each column's width for a table `total` cells wide: the flexible column gets the
        rest, and where that is too little, columns that can go narrow do."""
        padding = 2 * self.cell_padding * len(self._columns) + SCROLLBAR
        widths = [c.width for c in self._columns]
        if total - padding - sum(w or 0 for w in widths) < MIN_FLEX:
            widths = [c.narrow or c.width for c in self._columns]
        flex = max(12, total - padding - sum(w or 0 for w in widths))
        return [w or flex for w in widths]

    def on_resize(self, event: events.Resize) -> None:
        """Rebuild columns when their widths change (rows come back with the cursor)."""
        widths = self._fit(event.size.width)
        if widths == self._widths and self.columns:
            return
        self._widths = widths
        selected = self.cursor_key
        self.clear(columns=True)
        self._keys, self._shown = [], []
        for column, width in zip(self._columns, widths, strict=True):
            self.add_column(column.label, width=width, key=column.label)
        self.show(self._rows, keep=selected)

    @property
    def cursor_key(self) -> str | None:
        """Key of the row under the cursor, or None for an empty table."""
        if not self._keys or self.cursor_row < 0:
            return None
        return self._keys[min(self.cursor_row, len(self._keys) - 1)]

    @property
    def selected_key(self) -> str | None:
        """What the row under the cursor stands for: its target, else its key; None for an
        empty table."""
        if not self._keys or self.cursor_row < 0:
            return None
        row = self._rows[min(self.cursor_row, len(self._rows) - 1)]  # in the order of _keys
        return row.target or row.key

    def show(self, rows: Sequence[Row], *, keep: str | None = None) -> None:
        """Show `rows`: the same keys in the same order update the cells that changed in
        place; otherwise the table is rebuilt and the cursor goes back to the row it was on
        (by key), or to `keep`. Group header rows (keys starting `group:`) are skipped when
        placing the cursor. Of rows sharing a key only the first is shown: the table's row
        keys must be unique, and no tracker data may crash the board."""
        rows = self._rows = _first_of_each_key(rows)
        if not self.columns:
            return  # not sized yet: on_resize adds the columns and shows these rows
        keys = [r.key for r in rows]
        if keys == self._keys:
            self._update(rows[: len(self._shown)])
            return
        selected, scroll = keep or self.cursor_key, self.scroll_y
        self._shown = []
        self._keys = []  # `_more` adds nothing while the table is cleared
        self.clear()
        self._keys = keys
        at = keys.index(selected) if selected in keys else 0
        self._add_up_to(at + max(WINDOW, 2 * self.size.height))
        if selected in keys:
            self.move_cursor(row=at, animate=False, scroll=False)
            self.scroll_to(y=scroll, animate=False, immediate=True)
        elif keys and keys[0].startswith("group:"):
            self.move_cursor(row=1, animate=False)

    def _update(self, rows: list[Row]) -> None:
        """Put into the table only the cells that differ from what it shows."""
        for old, new in zip(self._shown, rows, strict=True):
            if old is new:
                continue
            for column, was, cell in zip(self._columns, old.cells, new.cells, strict=True):
                if not _same(was, cell):
                    self.update_cell(new.key, column.label, cell)
        self._shown = rows

    def _add_up_to(self, count: int) -> None:
        """Hold the first `count` rows (at least); they are added in order after the rest."""
        self._adding = True  # add_row runs the cursor's watchers: they must not add too
        try:
            for row in self._rows[len(self._shown) : count]:
                self._shown.append(row)
                self.add_row(*row.cells, key=row.key)
        finally:
            self._adding = False

    def _more(self) -> None:
        """Add the next rows once the cursor or the view comes near the last one held."""
        if self._adding or not self._keys:
            return
        near = max(self.cursor_row, round(self.scroll_y) + self.size.height) + WINDOW // 4
        if len(self._shown) < len(self._rows) and near >= len(self._shown):
            self._add_up_to(len(self._shown) + WINDOW)

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        self._more()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._more()

    def action_scroll_bottom(self) -> None:
        """The bottom of the whole list, not of the rows held so far."""
        self._add_up_to(len(self._rows))
        super().action_scroll_bottom()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Every column has a set width and every row one line: DataTable's measuring of
        each new cell (most of a rebuild's cost) can't change anything, so it is skipped."""
        super()._update_dimensions(())


def _same(a: Text | str, b: Text | str) -> bool:
    """True when two cells look the same (`Text ==` ignores the base style: a theme)."""
    if isinstance(a, Text) and isinstance(b, Text):
        return a.plain == b.plain and a.style == b.style and a.spans == b.spans
    return a == b


def _first_of_each_key(rows: Sequence[Row]) -> list[Row]:
    """`rows` in order without any row whose key an earlier row already has."""
    unique: dict[str, Row] = {}
    for row in rows:
        unique.setdefault(row.key, row)
    return list(unique.values())
