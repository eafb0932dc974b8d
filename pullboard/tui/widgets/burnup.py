"""The burn-up chart: closed issues against scope over time, the forecast range ahead of
today and the due date, drawn in text cells that fit 80x24.

`render_burnup` is pure (numbers in, Rich Text lines out) so it is tested without Textual;
`BurnupChart` only hands it its size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from pullboard.analysis.burnup import Layout, layout
from pullboard.model import HistoryPoint
from pullboard.tui.formatting import date_range, short_date

EIGHTHS = " ▁▂▃▄▅▆▇█"
"""A cell filled from the bottom in eighths: closed work rises smoothly even 5 rows high."""
OPEN, BAND, DUE, TODAY, PATH, BEYOND = "░", "▒", "│", "┊", "·", "▸"
StyleOf = Callable[[str], Style]


@dataclass(frozen=True)
class BurnupData:
    """What one chart shows: the points and the dates to mark."""

    points: tuple[HistoryPoint, ...]
    today: date
    due: date | None
    p50: date | None
    p85: date | None


def render_burnup(
    data: BurnupData, width: int, height: int, style: StyleOf = lambda _name: Style()
) -> list[Text]:
    """The chart as `height` lines of at most `width` cells: a legend, the plot, an axis and
    a line of dates (start, today, due). Fewer than 4 lines or 20 columns: the legend only.

    Args:
        data: what to draw.
        width: cells per line.
        height: lines.
        style: resolves a theme variable name (`success`, `warning`, `accent`) to a style.
    """
    legend = _legend(data, style)
    legend.truncate(width, overflow="ellipsis")
    if height < 4 or width < 20:
        return [legend][:height]
    gutter = len(str(max([1, *(p.open + p.closed for p in data.points)]))) + 1
    plot = width - gutter - 1
    lay = layout(data.points, data.today, plot, due=data.due, p50=data.p50, p85=data.p85)
    rows = height - 3
    lines = [legend]
    for row in range(rows - 1, -1, -1):
        label = str(lay.top) if row == rows - 1 else ""
        line = Text(f"{label:>{gutter - 1}} ┤" if label else " " * gutter + "│", style=_dim())
        for x in range(plot):
            char, name = _cell(lay, x, row, rows)
            line.append(char, style=style(name) if name else "")
        lines.append(line)
    lines.append(Text(f"{'0':>{gutter - 1}} └" + "─" * plot, style=_dim()))
    lines.append(_dates(lay, data, gutter, plot))
    return lines


def _cell(lay: Layout, x: int, row: int, rows: int) -> tuple[str, str]:
    """The character at column `x`, plot row `row` (0 at the bottom) and its theme colour."""
    unit = 8 * rows / lay.top  # eighths of a cell per issue
    col = lay.columns[x]
    lo = 8 * row
    if col.closed is not None and col.scope is not None:
        closed, scope = round(col.closed * unit), round(col.scope * unit)
        if closed >= lo + 8:
            return EIGHTHS[8], "success"
        if closed > lo:
            return EIGHTHS[closed - lo], "success"
        if scope >= lo + 4:
            # The due line crosses open work (a slipped date shows where it was missed).
            return (DUE, "warning") if x == lay.due else (OPEN, "foreground")
    elif x > lay.today:
        if lay.p50 is not None and lay.p85 is not None and lay.p50 <= x <= lay.p85:
            if row == min(rows - 1, round(lay.now_scope * unit) // 8 - (lay.now_scope > 0)):
                return (BEYOND if lay.p85_beyond and x == len(lay.columns) - 1 else BAND), "accent"
        elif lay.p50 is not None and x < lay.p50:
            share = (x - lay.today) / max(lay.p50 - lay.today, 1)
            level = lay.now_closed + share * (lay.now_scope - lay.now_closed)
            if row == min(rows - 1, int(level * unit) // 8):
                return PATH, "accent"
    if x == lay.due:
        return DUE, "warning"
    if x == lay.today:
        return TODAY, "text-muted"
    return " ", ""


def _legend(data: BurnupData, style: StyleOf) -> Text:
    today = data.today
    text = Text(no_wrap=True)
    text.append("█", style=style("success"))
    text.append(" closed  ")
    text.append(OPEN)
    text.append(" open  ")
    last = data.points[-1] if data.points else None
    if last is not None and last.open == 0 and last.closed:
        text.append("all closed  ")
    elif data.p50 is not None:
        text.append(BAND, style=style("accent"))
        text.append(f" likely done {date_range(data.p50, data.p85, today)}  ")
    else:
        text.append("no forecast  ")
    if data.due is not None:
        text.append(DUE, style=style("warning"))
        text.append(f" due {short_date(data.due, today)}")
    return text


def _dates(lay: Layout, data: BurnupData, gutter: int, plot: int) -> Text:
    """Start, today and due under their columns, each only where it doesn't overlap one
    already placed (the due date first, then today, then the start)."""
    cells = [" "] * plot
    taken: list[range] = []
    labels = []
    if lay.due is not None and data.due is not None:
        labels.append((lay.due, f"due {short_date(data.due, data.today)}"))
    elif lay.due_beyond and data.due is not None:
        labels.append((plot, f"due {short_date(data.due, data.today)} {BEYOND}"))
    labels += [(lay.today, "today"), (0, short_date(lay.columns[0].day, data.today))]
    for x, label in labels:
        at = max(0, min(x - len(label) // 2, plot - len(label)))
        span = range(at, at + len(label))
        if any(set(span) & set(r) for r in taken) or len(label) > plot:
            continue
        taken.append(range(at - 1, at + len(label) + 1))
        cells[at : at + len(label)] = label
    return Text(" " * (gutter + 1) + "".join(cells), style=_dim())


def _dim() -> Style:
    return Style(dim=True)


class BurnupChart(Widget):
    """A milestone's burn-up, redrawn at whatever size the screen gives it."""

    DEFAULT_CSS = "BurnupChart { height: 7; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._data: BurnupData | None = None
        self._style: StyleOf = lambda _name: Style()

    def show(self, data: BurnupData, style: StyleOf) -> None:
        """Draw `data`, colours resolved by `style`."""
        self._data, self._style = data, style
        self.refresh()

    def render(self) -> Text:
        if self._data is None:
            return Text("")
        lines = render_burnup(self._data, self.size.width, self.size.height, self._style)
        return Text("\n").join(lines)
