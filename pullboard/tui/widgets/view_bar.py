"""The line of views under the strip: `1 Milestones 9  2 Pressing 12 …`, clickable."""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Static


class ViewBar(Static):
    """Each view's key, title and count, the current one highlighted.

    Every view and its count always shows (5 New matters most at the end of the line): on
    a narrow terminal the spacing tightens first, then the number keys go (`?` lists them).
    """

    def __init__(self, titles: Mapping[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.titles = titles
        self.counts: dict[str, int] = {}
        self.current = next(iter(titles))

    def show(self, counts: dict[str, int], current: str) -> None:
        """Redraw with new counts, or another current view."""
        self.counts, self.current = counts, current
        self.refresh()

    def render(self) -> VisualType:
        """Laid out for the width there is now (it changes with the terminal)."""
        width = self.content_size.width
        layouts = [self._line(keys=True, gap=" ", pad=True), self._line(keys=True, gap="  ")]
        layouts.append(self._line(keys=False, gap="  "))
        return next((line for line in layouts if line.cell_length <= width), layouts[-1])

    def _line(self, *, keys: bool, gap: str, pad: bool = False) -> Content:
        parts = []
        for n, (view, title) in enumerate(self.titles.items(), start=1):
            label = f"{n} {title}" if keys else title
            label = f"{label} {self.counts.get(view, '')}".strip()
            click = f"@click=screen.view('{view}')"
            if view == self.current:
                parts.append(f"[reverse bold {click}] {label} [/]")
            else:
                parts.append(f"[{click}]{f' {label} ' if pad else label}[/]")
        return Content.from_markup(gap.join(parts))
