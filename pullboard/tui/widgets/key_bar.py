"""The footer: the keys for this screen, fitted to the terminal's width."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 80
"""Under this many columns the footer is compact and leaves the palette key to `?`."""


class KeyBar(Footer):
    """Textual's footer, compact on terminals under 80 columns and without the command
    palette's key there (the `?` list has it), so `q`, `r` and `?` still fit at 60."""

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow != self.compact:
            self.compact = narrow
            self.show_command_palette = not narrow
            self.call_after_refresh(self.recompose)
