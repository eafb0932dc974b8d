"""A DataTable of board items that updates rows in place, so cursor and scroll survive refreshes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable

SCROLLBAR = 2
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


class ItemTable(DataTable[Text | str]):
    """Row-cursor table with vim keys; `show(rows)` replaces contents without losing the cursor.

    One column may have width None: it takes whatever the terminal width leaves, so titles
    use the space there is at 80 columns and at 200.
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
        self._widths: list[int] = []

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
        self._keys = []
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
        """Show `rows`: the same keys in the same order update cells in place; otherwise the
        table is rebuilt and the cursor goes back to the row it was on (by key), or to `keep`.
        Group header rows (keys starting `group:`) are skipped when placing the cursor.
        Of rows sharing a key only the first is shown: the table's row keys must be unique,
        and no tracker data may crash the board."""
        rows = self._rows = _first_of_each_key(rows)
        if not self.columns:
            return  # not sized yet: on_resize adds the columns and shows these rows
        keys = [r.key for r in rows]
        if keys == self._keys:
            for row in rows:
                for column, cell in zip(self._columns, row.cells, strict=True):
                    self.update_cell(row.key, column.label, cell)
            return
        selected, scroll = keep or self.cursor_key, self.scroll_y
        self.clear()
        self._keys = keys
        for row in rows:
            self.add_row(*row.cells, key=row.key)
        if selected in keys:
            self.move_cursor(row=keys.index(selected), animate=False, scroll=False)
            self.scroll_to(y=scroll, animate=False, immediate=True)
        elif keys and keys[0].startswith("group:"):
            self.move_cursor(row=1, animate=False)


def _first_of_each_key(rows: Sequence[Row]) -> list[Row]:
    """`rows` in order without any row whose key an earlier row already has."""
    unique: dict[str, Row] = {}
    for row in rows:
        unique.setdefault(row.key, row)
    return list(unique.values())
