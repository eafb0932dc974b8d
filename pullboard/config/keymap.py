"""What `[board.keymap]` may say: the board's binding ids, and what a key looks like.

The ids and their default keys are listed in `bindings` rather than collected from the TUI
(see there why). Keys follow Textual's spelling: modifiers
joined with `+`, then one character or a key name, several keys separated by commas.
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import Any

from pullboard.config.bindings import DEFAULT_KEYS, clashes
from pullboard.config.rules import Table, describe

BINDING_IDS = tuple(DEFAULT_KEYS)
"""Every binding id a keymap may rebind, grouped as the board shows them."""

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(
    {"escape", "enter", "return", "tab", "backspace", "delete", "insert", "space"}
    | {"up", "down", "left", "right", "home", "end", "pageup", "pagedown"}
    | {f"f{n}" for n in range(1, 25)}
    | {"slash", "backslash", "at", "minus", "plus", "underscore"}  # Textual's short names
    | {
        unicodedata.name(c).lower().replace(" ", "_").replace("-", "_")
        for c in map(chr, range(0x21, 0x100))
        if c.isprintable()
    }  # `less_than_sign` for "LESS-THAN SIGN": the spellings a lookup can't undo
)
EXAMPLE = 'expected keys such as "r", "ctrl+r", "f5" or "question_mark", separated by commas'


def id_problem(binding_id: str) -> str | None:
    """Why `binding_id` names no binding of the board (suggesting the closest), or None."""
    if binding_id in BINDING_IDS:
        return None
    close = difflib.get_close_matches(binding_id, BINDING_IDS, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"valid ids: {', '.join(BINDING_IDS)}"
    return f"unknown binding id {binding_id!r} ({hint})"


def key_problem(keys: str) -> str | None:
    """Why `keys` (e.g. `"j,down"`) is not a list of keys the board can bind, or None."""
    for key in (k.strip() for k in keys.split(",")):
        if not key:
            return f"{keys!r} holds an empty key; {EXAMPLE}"
        if not _is_key(key):
            return f"{key!r} is not a key; {EXAMPLE}"
    return None


def _is_key(key: str) -> bool:
    """`ctrl+shift+x`, `G`, `?`, `question_mark`, `f5`: modifiers, then one key."""
    if len(key) == 1:
        return key.isprintable()
    *modifiers, name = key.split("+")
    return all(m in MODIFIERS for m in modifiers) and _is_name(name)


def _is_name(name: str) -> bool:
    """One printable character, a named key, or a character's Unicode name as Textual spells
    it (lower case, `_` for spaces and hyphens: `question_mark`, `less_than_sign`)."""
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    if name in NAMED_KEYS:
        return True
    try:
        return name.islower() and bool(unicodedata.lookup(name.replace("_", " ")))
    except KeyError:
        return False


def checked_keymap(t: Table, raw: dict[str, Any]) -> dict[str, str]:
    """`[board.keymap]` with every id and key checked (problems reported on `t`): a typo must
    not silently leave the old key in place, nor a key given a second job leave one without
    a key."""
    keymap = {}
    for binding_id, keys in raw.items():
        problem = (
            id_problem(binding_id) or key_problem(keys)
            if isinstance(keys, str)
            else f'expected keys as a string, e.g. "j,down"; got {describe(keys)}'
        )
        if problem:
            t.report(("keymap", binding_id), problem)
        else:
            keymap[binding_id] = keys
    for binding_id, problem in clashes(keymap):
        t.report(("keymap", binding_id), problem)
    return keymap
