"""Roles on the board: a viewer's or member's refused key says why, and writes nothing."""

from __future__ import annotations

from msgspec.structs import replace
from tui_helpers import NOW, settle

from pullboard import insights
from pullboard.config import Person
from pullboard.sources.demo import demo_config
from pullboard.tui.app import PullboardApp, create_app
from pullboard.tui.screens.board import BoardScreen

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP7nBINTPV58cgzuT7HXnB87WYxuq7ZTokx/3p30WWz7"


def board_as(role: str) -> PullboardApp:
    """The demo board as dana (its `me`), listed with `role`."""
    return create_app(
        replace(demo_config(), people=(Person("dana", (KEY,), role),)), clock=lambda: NOW
    )


def toasts(app: PullboardApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_viewer_is_told_why_and_nothing_is_written() -> None:
    app = board_as("viewer")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        before = insights.load(app.board.insights_path).insights
        await pilot.press("4", "a", "p", "u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen), "no form, no choice"
        said = toasts(app)
        assert any("dana is a viewer on this board, so can't acknowledge" in t for t in said)
        assert any("can't pin insights: viewers only read" in t for t in said)
        assert any("can't remove insights" in t for t in said)
        assert insights.load(app.board.insights_path).insights == before


async def test_a_member_acknowledges_but_may_not_pin() -> None:
    app = board_as("member")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.press("4")
        key = app.screen.table().selected_key  # type: ignore[attr-defined]
        await pilot.press("a", "enter", "p")  # the back-brief form: Enter saves "read"
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert any("members may acknowledge insights" in t for t in toasts(app))
        acked = next(i for i in insights.load(app.board.insights_path).insights if i.id == key)
        assert acked.acked_by("dana")
