"""Small modal screens: the key list and a URL to copy when there is no browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

PALETTE = ("ctrl+p", "Command palette: actions, and jump to any milestone or issue")


def keys_of(screen: Screen[Any], display: Callable[[Binding], str]) -> list[tuple[str, str]]:
    """Every key that works on `screen` with what it does: pullboard's own bindings (they
    have ids) first, then the command palette, then widget navigation."""
    ours: list[tuple[str, str]] = []
    widgets: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.description and (binding.id or key) not in seen:
            seen.add(binding.id or key)
            (ours if binding.id else widgets).append((display(binding), binding.description))
    widgets = [k for k in widgets if k[0] not in ("ctrl+p", "^p")]
    return [*ours, PALETTE, *widgets]


class HelpScreen(ModalScreen[None]):
    """Every key that works on the screen `?` was pressed on, with what it does."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll('down')", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll('up')", "Up", show=False, id="help.up"),
    ]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        text = Text()
        width = max((len(k) for k, _ in self.keys), default=4)
        for n, (key, description) in enumerate(self.keys):
            text.append(("\n" if n else "") + key.ljust(width + 2), style="bold")
            text.append(description)
        with Vertical(id="dialog"):
            yield Static("Keys  (Esc closes)", id="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(text, markup=False)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_down() if direction == "down" else scroll.scroll_up()


class UrlScreen(ModalScreen[None]):
    """Shows a link as text (SSH sessions, headless hosts): select it or paste from clipboard."""

    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close", id="url.close")]

    def __init__(self, url: str, *, copied: bool) -> None:
        super().__init__()
        self.url = url
        self.copied = copied

    def compose(self) -> ComposeResult:
        note = "No browser here. " + (
            "The link is on your clipboard (if your terminal allows OSC 52); "
            if self.copied
            else ""
        )
        with Vertical(id="dialog"):
            yield Static("Open this link", id="dialog-title")
            yield Static(self.url, markup=False, id="url")
            yield Static(
                note + "select it with the mouse or copy it by hand. Esc closes.",
                markup=False,
                classes="hint",
            )
