"""The binding ids config accepts in `[board.keymap]` are exactly the board's own, with the
board's default keys, live together where config says they are; every key the board binds
by default passes the config's key check (config can't import Textual)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable

from textual.binding import Binding
from tui_helpers import settle

import pullboard.tui
from pullboard.config.bindings import DEFAULT_KEYS, PLACES, clashes, keys_of, typed
from pullboard.config.keymap import BINDING_IDS, key_problem
from pullboard.tui.app import PullboardApp


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


def test_config_knows_the_default_keys_of_every_binding() -> None:
    for binding in board_bindings():
        assert binding.id is not None
        assert binding.key == DEFAULT_KEYS[binding.id], binding


def test_the_default_keys_never_clash() -> None:
    """Given as a keymap, every default counts as the user's: any clash would be named."""
    assert clashes(DEFAULT_KEYS) == []


def live_ids(app: PullboardApp) -> set[str]:
    """The binding ids a key can reach on the screen now (Textual's own chain, as keys are
    looked up, without the ones the screen switches off here)."""
    found = set()
    for node, bindings in app.screen._modal_binding_chain:
        for _, binding in bindings:
            if binding.id and app._check_action_state(binding.action, node) is not False:
                found.add(binding.id)
    return found


async def test_config_knows_which_bindings_are_live_together_in_each_place(
    demo_app: Callable[[], PullboardApp],
) -> None:
    """Walks to every place config names and compares with what Textual would look up there.
    Where a text field has the keys, it takes typed characters first: those bindings drop
    out of Textual's chain, and config's clash check leaves such keys alone there."""
    app = demo_app()
    route = [
        ("in the New view", ("5", "slash", *"closed", "enter")),  # filtered: Escape works
        ("in the board's filter", ("1", "slash", *"Gift")),
        ("on the board", ("enter",)),  # filtered, so Escape (clear the filter) works too
        ("on a milestone", ("enter",)),
        ("in a milestone's filter", ("slash",)),
        ("on a link shown as text", ("enter", "o")),
        ("in the keys list", ("escape", "question_mark")),
        ("in the insight form", ("escape", "p")),
        ("in the back-brief form", ("escape", "escape", "escape", "4", "a")),
        ("on the goals", ("escape", "t")),
        ("in a goal's detail", ("enter",)),
        ("on an issue", ("escape", "escape", "1", "enter", "down", "enter")),
    ]
    seen = set()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        for place, keys in route:
            await pilot.press(*keys)
            await settle(app)
            await pilot.pause()
            ids, typing = PLACES[place]
            typed_only = {i for i in ids if typing and all(map(typed, keys_of(i, {})))}
            assert live_ids(app) | typed_only == set(ids), (place, app.screen)
            seen.add(place)
        await pilot.press("escape", "escape", "escape", "4", "u")
        await pilot.pause()
        assert live_ids(app) == set(PLACES["in the choice u offers"][0])
        seen.add("in the choice u offers")
    assert seen == set(PLACES)
