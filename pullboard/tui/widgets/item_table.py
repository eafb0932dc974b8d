"""A DataTable of board items that updates rows in place, so cursor and scroll survive refreshes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable

SCROLLBAR = 2


@dataclass(frozen=True)
class Row:
    """One table row: its key (an item URL or insight id) and its cells."""

    key: str
    cells: tuple[Text | str, ...]


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

    def __init__(self, columns: Sequence[tuple[str, int | None]], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._columns = columns
        self._keys: list[str] = []
        self._rows: list[Row] = []
        self._flex = 0

    def _flex_width(self, total: int) -> int:
        fixed = sum(w for _, w in self._columns if w is not None)
        padding = 2 * self.cell_padding * len(self._columns) + SCROLLBAR
        return max(12, total - fixed - padding)

    def on_resize(self, event: events.Resize) -> None:
        """Rebuild columns when the flexible width changes (rows come back with the cursor)."""
        flex = self._flex_width(event.size.width)
        if flex == self._flex and self.columns:
            return
        self._flex = flex
        selected = self.selected_key
        self.clear(columns=True)
        self._keys = []
        for label, width in self._columns:
            self.add_column(label, width=width or flex, key=label)
        self.show(self._rows, keep=selected)

    @property
    def selected_key(self) -> str | None:
        """Key of the row under the cursor, or None for an empty table."""
        if not self._keys or self.cursor_row < 0:
            return None
        return self._keys[min(self.cursor_row, len(self._keys) - 1)]

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
                for (label, _), cell in zip(self._columns, row.cells, strict=True):
                    self.update_cell(row.key, label, cell)
            return
        selected, scroll = keep or self.selected_key, self.scroll_y
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
