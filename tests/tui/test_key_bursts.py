"""Keys typed in one burst right after a key that opens a screen go to that screen.

`burst` queues every key before the first is handled, as a terminal's one read does (fast
typing, keystrokes bundled over SSH); `pilot.press` would wait for each key and hide this.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input
from tui_helpers import burst, settle

from pullboard import insights
from pullboard.tui.app import PullboardApp
from pullboard.tui.key_gate import KeyGate
from pullboard.tui.screens.board import BoardScreen
from pullboard.tui.screens.insight_form import InsightForm
from pullboard.tui.screens.milestone import MilestoneScreen
from pullboard.tui.screens.modals import HelpScreen

SIZE = (80, 24)


def acks(app: PullboardApp) -> dict[str, int]:
    """How many acknowledgements each insight in the file has."""
    return {i.id: len(i.acks) for i in insights.load(app.board.insights_path).insights}


async def test_keys_typed_right_after_p_land_in_the_new_form(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        burst(app, "pquick")
        await pilot.pause()
        assert app.is_running and app.return_code is None, "q reached the board and quit"
        form = app.screen
        assert isinstance(form, InsightForm)
        assert form.query_one("#title", Input).value == "quick"
        assert app.screen_stack[-2].__class__ is BoardScreen


async def test_p_a_d_in_the_insights_view_types_into_the_form_and_acknowledges_nothing(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("4")
        before = acks(app)
        details = app.details
        burst(app, "pad")
        await pilot.pause()
        await app.workers.wait_for_complete()
        form = app.screen
        assert isinstance(form, InsightForm)
        assert form.query_one("#title", Input).value == "ad"
        assert acks(app) == before, "a recorded an acknowledgement on the board"
        assert app.details == details, "d toggled the board's details"


async def test_tab_in_the_burst_that_opens_the_form_moves_to_the_next_field(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        burst(app, "pFreeze\tMoved to the 19th")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InsightForm)
        assert form.query_one("#title", Input).value == "Freeze"
        assert form.query_one("#summary", Input).value == "Moved to the 19th"
        assert app.focused is form.query_one("#summary", Input)


async def test_a_key_after_enter_acts_on_the_screen_enter_opened(
    demo_app: Callable[[], PullboardApp],
) -> None:
    """Enter's screen is pushed through an intent and imported on first use; `?` typed
    with it lists the keys of that screen, on top of it, not of the board beneath."""
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        burst(app, "\r?")
        await pilot.pause()
        kinds = [type(screen) for screen in app.screen_stack[1:]]
        assert kinds == [BoardScreen, MilestoneScreen, HelpScreen]


async def test_a_key_held_behind_a_widget_that_went_away_is_still_let_through() -> None:
    """The focused widget left the screen (a closing screen's, at exit) while a key was held:
    the gate still asks the app, so the held key goes on rather than waiting forever."""

    class Gone(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()

    app = Gone()
    async with app.run_test() as pilot:
        gone = app.query_one(Input)
        await gone.remove()
        Gone.focused = property(lambda _self: gone)  # type: ignore[assignment,method-assign]
        dispatched: list[events.Event] = []

        async def dispatch(event: events.Event) -> None:
            dispatched.append(event)

        gate = KeyGate(app, dispatch)
        held = events.Key("a", "a")
        gate.busy = True
        gate.held.append(held)
        gate._pass(0)
        await pilot.pause()
        assert dispatched == [held]
