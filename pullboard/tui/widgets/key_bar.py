"""The footer: the keys for this screen, fitted to the terminal's width."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NARROW = 80
"""Under this many columns the footer is compact and leaves the palette key to `?`."""

SPARE = ("link", "goals", "pin")
"""Actions the footer leaves out first, in this order, when its keys would not fit the width
(they still work, and `?` lists them): `q`, `r` and `?` are never the ones cut off the end."""


class KeyBar(Footer):
    """Textual's footer, compact on terminals under 80 columns and without the command
    palette's key there (the `?` list has it), so `q`, `r` and `?` still fit at 60."""

    fitted_to = 0
    """The width the keys were last chosen for."""

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.compact = narrow
        self.show_command_palette = not narrow
        if event.size.width != self.fitted_to:
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        width = self.fitted_to = self.size.width or self.app.size.width
        for action in SPARE:
            if sum(self._width(key) for key in keys) <= width:
                break
            keys = [k for k in keys if not _is(k, action)]
        yield from keys

    def _width(self, widget: Widget) -> int:
        """Columns a footer key takes (its padding, margin and the palette key's border)."""
        if not isinstance(widget, FooterKey):
            return 0
        label = cell_len(widget.key_display) + cell_len(widget.description)
        if widget.has_class("-command-palette"):
            return label + 4
        return label + 2 if self.compact else label + 3


def _is(widget: Widget, action: str) -> bool:
    return isinstance(widget, FooterKey) and widget.action.rpartition(".")[2] == action
