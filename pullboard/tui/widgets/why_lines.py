"""The lines under a list: each wraps onto the rows it needs, within the height the
stylesheet allows; a line that still does not fit ends in an ellipsis.

A reason names its driver at its end (`…; acme/web#434 blocks it; due moved twice`), so cutting
every line at the width loses what matters most; wrapping alone would push the last line out
of a fixed-height box without a mark. Earlier lines get the spare rows first (the reason
before the numbers), every line keeps at least one.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual, VisualType
from textual.widgets import Static


def fit(wrapped: list[list[Content]], width: int, height: int | None) -> list[Content]:
    """Rows for `height` from lines already wrapped to `width`: earlier lines first, at least
    one row for each line that follows while there is room, the last row of a cut line ending
    in `…`."""
    if height is None or sum(map(len, wrapped)) <= height:
        return [row for rows in wrapped for row in rows]
    if len(wrapped) > height > 0:  # more lines than rows: the last row carries the rest, cut
        tail = Content(" ").join(row for rows in wrapped[height - 1 :] for row in rows)
        wrapped = [*wrapped[: height - 1], tail.wrap(width)]
    out: list[Content] = []
    for index, rows in enumerate(wrapped):
        if len(out) >= height:
            break
        room = max(1, height - len(out) - (len(wrapped) - index - 1))
        if room >= len(rows):
            out.extend(rows)
            continue
        rest = Content(" ").join(rows[room - 1 :])
        out.extend([*rows[: room - 1], rest.truncate(width, ellipsis=True)])
    return out


class Clamped(Visual):
    """Text whose lines wrap and, past the rows it is given, end in an ellipsis."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.lines = content.split("\n", allow_blank=True)

    def __str__(self) -> str:
        return self.content.plain

    def _wrapped(self, width: int) -> list[list[Content]]:
        return [line.wrap(width) if width else [line] for line in self.lines]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((line.cell_length for line in self.lines), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(map(len, self._wrapped(width)))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        rows = fit(self._wrapped(width), width, height)
        return Content("\n").join(rows).render_strips(width, height, style, options)


class WhyLines(Static):
    """A Static for the lines under a list: what it is given is shown `Clamped`."""

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        if isinstance(content, Text):
            content = Content.from_rich_text(content, console=self.app.console)
        elif isinstance(content, str):
            content = Content(content)
        super().update(Clamped(content) if isinstance(content, Content) else content, layout=layout)
