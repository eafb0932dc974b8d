"""Small modal screens: something to read (the key list, a goal) and a URL to copy when
there is no browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

PALETTE = "Command palette: every action, and any item by name"

USEFUL = {
    "cursor_down": "Down",
    "cursor_up": "Up",
    "page_down": "Page down",
    "page_up": "Page up",
    "scroll_top": "Top",
    "scroll_bottom": "Bottom",
    "select_cursor": "Open the selected row",
    "copy_text": "Copy selected text",
    "quit": "Quit",
}
"""Textual's own keys that do something on pullboard's screens, in pullboard's words. The
rest (left/right and page left/right in row tables that fit the width, Tab between one
focusable widget, macOS-only keys) would only pad the list."""


def keys_of(screen: Screen[Any], display: Callable[[Binding], str]) -> list[tuple[str, str]]:
    """Every key that works on `screen` with what it does, keys for one action on one line
    (`j ↓  Down`): the screen's keys, the app's, the command palette, then the list's, then
    Textual's own keys that work here."""
    entries: dict[tuple[int, str], _Entry] = {}
    for key, active in screen.active_bindings.items():
        binding, node = active.binding, active.node
        action = _action(node, binding)
        if action == "command_palette" or key.startswith("super+"):
            continue
        if binding.id or action in USEFUL:
            entry = entries.setdefault((id(node), action), _Entry())
            entry.add(display(binding), binding, USEFUL.get(action, ""))
            entry.group = min(entry.group, _group(screen, node, binding))
    palette = _Entry(group=2, keys=[display(Binding("ctrl+p", "command_palette"))])
    palette.description = PALETTE
    ordered = sorted([*entries.values(), palette], key=lambda e: e.group)
    return [(" ".join(e.keys), e.description) for e in ordered]


def _action(node: object, binding: Binding) -> str:
    """What a binding does, named by the method that does it: a widget that makes Textual's
    scrolling keys its own moves (`action_scroll_down = action_cursor_down`) lists them
    with its keys for those moves."""
    action = binding.action.rpartition(".")[2]
    method = getattr(node, f"action_{action}", None)
    return str(getattr(method, "__name__", action)).removeprefix("action_")


class _Entry:
    """One line of the key list: every key for one action."""

    def __init__(self, *, group: int = 4, keys: list[str] | None = None) -> None:
        self.group = group
        self.keys = keys or []
        self.description = ""

    def add(self, key: str, binding: Binding, fallback: str) -> None:
        """Pullboard's own key (it has an id) goes first and names the action."""
        if binding.id:
            self.keys.insert(0, key)
            self.description = binding.description
        else:
            self.keys.append(key)
            self.description = self.description or fallback


def _group(screen: Screen[Any], node: object, binding: Binding) -> int:
    """0 the screen's keys, 1 the app's, (2 the palette,) 3 the list's, 4 Textual's."""
    if not binding.id:
        return 4
    return 0 if node is screen else 1 if node is screen.app else 3


class ReadingScreen(ModalScreen[None]):
    """A dialog of text to read, scrolled with the keys its subclass binds to `scroll`."""

    def action_scroll(self, direction: str) -> None:
        """`down`, `up`, `page_down`, `page_up`, `home` or `end`."""
        scroll = self.query_one(VerticalScroll)
        getattr(scroll, f"scroll_{direction}")(animate=False)


class HelpScreen(ReadingScreen):
    """Every key that works on the screen `?` was pressed on, with what it does."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll('down')", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll('up')", "Up", show=False, id="help.up"),
        Binding("pagedown,space", "scroll('page_down')", "Page down", show=False, id="help.page"),
        Binding("pageup", "scroll('page_up')", "Page up", show=False, id="help.page_up"),
        Binding("g,home", "scroll('home')", "Top", show=False, id="help.top"),
        Binding("G,end", "scroll('end')", "Bottom", show=False, id="help.bottom"),
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
            yield Static("Keys  (j/k scroll, Esc closes)", id="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(text, markup=False)


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
