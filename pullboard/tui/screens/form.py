"""What the pin form and the back-brief form share: keys, cancel, and keeping what was typed
when a save is refused."""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static


def form_bindings(prefix: str) -> list[BindingType]:
    """Save, cancel and Tab / Shift+Tab, with binding ids `PREFIX.save` … (config's keymap).

    Tab has priority: it moves focus as soon as it is read, before the keys typed after it in
    the same burst (fast typing over SSH arrives bundled) are handed to a field; as an
    ordinary key it would reach the app only after the field had taken them all.
    """
    return [
        Binding("ctrl+s", "save", "Save", id=f"{prefix}.save", priority=True),
        Binding("escape", "cancel", "Cancel", id=f"{prefix}.cancel"),
        Binding("tab", "next_field", "Next field", id=f"{prefix}.next", show=False, priority=True),
        Binding(
            "shift+tab",
            "previous_field",
            "Previous field",
            id=f"{prefix}.previous",
            show=False,
            priority=True,
        ),
    ]


class FormScreen(ModalScreen[None]):
    """A modal form: one save at a time (`saving`), Esc cancels, a refusal keeps what was
    typed and shows why in `#form-error`."""

    def __init__(self) -> None:
        super().__init__()
        self.saving = False

    def refused(self, message: str) -> None:
        """The store didn't take it: say why, keep everything typed."""
        self.saving = False
        self.query_one("#form-error", Static).update(message)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()
