"""The binding ids config accepts in `[board.keymap]` are exactly the board's own, and every
key the board binds by default passes the config's key check (config can't import Textual)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding

import pullboard.tui
from pullboard.config.keymap import BINDING_IDS, key_problem


def board_bindings() -> list[Binding]:
    """Every `Binding` declared by a class in a `pullboard.tui` module."""
    found: list[Binding] = []
    for info in pkgutil.walk_packages(pullboard.tui.__path__, "pullboard.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                bindings = vars(cls).get("BINDINGS", [])
                found += [b for b in bindings if isinstance(b, Binding)]
    return found


def test_config_knows_every_binding_id_of_the_board_and_no_other() -> None:
    ids = {b.id for b in board_bindings()}
    assert None not in ids, "every Binding has an id, so the keymap can rebind it"
    assert ids == set(BINDING_IDS)


def test_every_default_key_of_the_board_passes_the_config_key_check() -> None:
    for binding in board_bindings():
        assert key_problem(binding.key) is None, binding
