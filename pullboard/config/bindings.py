"""What the board binds by default, and which bindings are live together: enough to refuse a
`[board.keymap]` that gives one key two jobs in one place.

Listed here rather than read from the TUI, so config stays free of Textual (the import
contract) and a bad keymap is caught before the board starts; a TUI test checks these lists
against the `Binding`s the board declares and the binding chains its screens really have.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from pullboard.config.rules import shown

DEFAULT_KEYS = {
    "app.quit": "q", "app.refresh": "r", "app.help": "question_mark", "app.expired": "x",
    "app.details": "d",
    "view.milestones": "1", "view.pressing": "2", "view.mine": "3", "view.insights": "4",
    "view.new": "5", "view.seen": "s", "board.goals": "t",
    "list.filter": "slash", "list.filter_done": "enter", "list.open": "enter", "list.link": "o",
    "nav.back": "escape",
    "table.down": "j", "table.up": "k", "table.top": "g", "table.bottom": "G",
    "issue.down": "j", "issue.up": "k",
    "insight.pin": "p", "insight.edit": "e", "insight.unpin": "u", "insight.ack": "a",
    "form.save": "ctrl+s", "form.cancel": "escape", "form.next": "tab",
    "form.previous": "shift+tab", "choice.cancel": "escape",
    "brief.save": "ctrl+s", "brief.cancel": "escape", "brief.next": "tab",
    "brief.previous": "shift+tab",
    "help.close": "escape,q,question_mark", "help.down": "j,down", "help.up": "k,up",
    "help.page": "pagedown,space", "help.page_up": "pageup", "help.top": "g,home",
    "help.bottom": "G,end", "url.close": "escape,enter,q",
    "goal.close": "escape,enter,q", "goal.down": "j,down", "goal.up": "k,up",
}  # fmt: skip
"""Every binding id of the board and its keys, grouped as the board shows them."""

_APP = ("app.quit", "app.refresh", "app.help", "app.expired", "app.details")
_VIEWS = tuple(k for k in DEFAULT_KEYS if k.startswith("view.") and k != "view.seen")
_INSIGHT = ("insight.pin", "insight.edit", "insight.unpin", "insight.ack")
_TABLE = ("table.down", "table.up", "table.top", "table.bottom")
_LIST = (*_APP, *_INSIGHT, "list.link", "nav.back")

PLACES: dict[str, tuple[tuple[str, ...], bool]] = {
    "on the board": (
        (*_LIST, *_VIEWS, "board.goals", "list.filter", "list.open", *_TABLE),
        False,
    ),
    "in the New view": (
        (*_LIST, *_VIEWS, "board.goals", "view.seen", "list.filter", "list.open", *_TABLE),
        False,
    ),
    "in the board's filter": ((*_LIST, *_VIEWS, "board.goals", "list.filter_done"), True),
    "on the goals": ((*_LIST, "list.filter", "list.open", *_TABLE), False),
    "on a milestone": ((*_LIST, "list.filter", "list.open", *_TABLE), False),
    "in a milestone's filter": ((*_LIST, "list.filter_done"), True),
    "on an issue": ((*_APP, *_INSIGHT, "list.link", "nav.back", "issue.down", "issue.up"), False),
    "in the insight form": (("form.save", "form.cancel", "form.next", "form.previous"), True),
    "in the choice u offers": (("choice.cancel",), False),
    "in the back-brief form": (
        ("brief.save", "brief.cancel", "brief.next", "brief.previous"),
        False,
    ),
    "in the keys list": (tuple(k for k in DEFAULT_KEYS if k.startswith("help.")), False),
    "on a link shown as text": (("url.close",), False),
    "in a goal's detail": (("goal.close", "goal.down", "goal.up"), False),
}
"""Where keys act -> (the binding ids live there at once, whether a text field has the
keys: typed characters go into it, so only other keys can clash there)."""

ANSWERS = {
    "in the choice u offers": {"s": "the answer s (off the strip)", "d": "the answer d (delete)"}
}
"""Keys a place reads itself, with no binding id (the choice `u` offers answers s or d)."""

_SHORT_NAMES = {
    "solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at",
    "hyphen_minus": "minus", "plus_sign": "plus", "low_line": "underscore",
}  # fmt: skip
"""Textual's short names for a few characters' Unicode names."""


def normalized(key: str) -> str:
    """A key as Textual compares it: `?` is `question_mark`, `/` is `slash`."""
    key = key.strip()
    if len(key) != 1 or key.isalnum():
        return key
    name = unicodedata.name(key, key).lower().replace("-", "_").replace(" ", "_")
    return _SHORT_NAMES.get(name, name)


def typed(key: str) -> bool:
    """True for a key a text field takes as a character (`q`, `question_mark`, `space`)."""
    if len(key) == 1 or key == "space":
        return True
    reverse = {short: long for long, short in _SHORT_NAMES.items()}
    try:
        return unicodedata.lookup(reverse.get(key, key).replace("_", " ")).isprintable()
    except KeyError:
        return False


def keys_of(binding_id: str, keymap: Mapping[str, str]) -> set[str]:
    """The keys `binding_id` has once `keymap` applies: its own there, else its default."""
    return {normalized(k) for k in keymap.get(binding_id, DEFAULT_KEYS[binding_id]).split(",")}


def clashes(keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """Each key that `keymap` (on top of the defaults) gives two jobs in one place, as
    (the binding id to blame, a sentence naming the key, both jobs and the place).

    The id blamed is one the keymap rebinds (the defaults never clash), the first in file
    order; a swap (`app.quit = "r"`, `app.refresh = "q"`) moves both, so it is no clash."""
    found: dict[tuple[str, frozenset[str]], tuple[str, str]] = {}
    order = list(keymap)
    for place, (ids, typing) in PLACES.items():
        jobs: dict[str, list[str]] = {}
        for binding_id in ids:
            for key in keys_of(binding_id, keymap):
                jobs.setdefault(key, []).append(binding_id)
        for key, answer in ANSWERS.get(place, {}).items():
            jobs.setdefault(key, []).append(answer)
        for key, both in jobs.items():
            mine = [b for b in both if b in keymap]
            if len(both) < 2 or not mine or (typing and typed(key)):
                continue
            blamed = min(mine, key=order.index)
            others = " and ".join(b for b in both if b != blamed)
            found.setdefault(
                (key, frozenset(both)),
                (
                    blamed,
                    f"{shown(key)} would be both {blamed} and {others} {place}, so one of them "
                    f"would never run; give one another key (to swap two keys, rebind both)",
                ),
            )
    return list(found.values())
