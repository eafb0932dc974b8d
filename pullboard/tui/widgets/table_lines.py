"""One table row as one screen line: cells cut to their columns, one cell of padding each side.

Built straight from Rich `Text` (truncate, pad, render), not through a console's layout of
Padding and wrapping per cell: a row is rendered once per look (cursor, zebra, focus) and the
line is all a terminal row needs.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, OverflowMethod
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

PADDING = 1
"""Blank cells each side of a cell, as DataTable's `cell_padding`."""


def cell_text(cell: Text | str, width: int) -> Text:
    """`cell` on one line, cut to at most `width` cells.

    A cut ends with an ellipsis when the cell asks for one (`literal` texts do) and is a plain
    crop otherwise, as a DataTable cell of one line shows it. A `str` is plain text, never
    markup. Only the first line of a cell shows, its tabs expanded.
    """
    text = cell.copy() if isinstance(cell, Text) else Text(cell)
    if "\n" in text.plain:
        text = text.split("\n")[0]
    if "\t" in text.plain:
        text.expand_tabs()
    overflow: OverflowMethod = "ellipsis" if text.overflow == "ellipsis" else "crop"
    text.truncate(max(0, width), overflow=overflow)
    return text


def line_text(cells: Sequence[Text | str], widths: Sequence[int]) -> Text:
    """The cells side by side, each in its column's width (padding included); the blanks
    around a cell have the row's style, not the cell's, as in a DataTable."""
    line = Text(end="", no_wrap=True)
    for cell, width in zip(cells, widths, strict=False):
        text = cell_text(cell, width - 2 * PADDING)
        line.append(" " * PADDING)
        line.append_text(text)
        line.append(" " * (width - PADDING - text.cell_len))
    return line


def render_strip(
    console: Console,
    cells: Sequence[Text | str],
    widths: Sequence[int],
    width: int,
    style: Style,
    over: Style | None = None,
) -> Strip:
    """A line `width` cells wide: the cells on `style` (a row's background and colour), with
    `over` on top of their own styles (the cursor's colours win, as in a DataTable)."""
    segments = list(line_text(cells, widths).render(console))
    segments = list(Segment.apply_style(segments, style, over))
    return Strip(segments).adjust_cell_length(width, style).simplify()
