"""The New view's rows: group headers name milestones as the Milestones view does, and goals
as goals."""

from __future__ import annotations

from msgspec.structs import replace
from tui_helpers import NOW

from pullboard.board import Board
from pullboard.model import Change
from pullboard.sources.demo import demo_config
from pullboard.tui.change_feed import change_rows
from pullboard.tui.views import ViewContext


async def test_headers_say_where_a_milestone_lives_and_which_goal_changed() -> None:
    board = Board(demo_config(), clock=lambda: NOW)
    try:
        snap = await board.refresh(full=True)
    finally:
        await board.aclose()
    (goal,) = snap.goals
    q4 = [m for m in snap.milestones if m.title == "Q4 hardening"]
    assert len(q4) == 2, "the demo has a Q4 hardening in acme/shop and in acme/web"
    text = "Goal Holiday launch went from on track to at risk."
    changes = (
        Change(NOW, "goal_changed", goal.url, goal.url, goal.title, text, milestone=goal.url),
        *(Change(NOW, "closed", m.url, m.ref, m.title, "closed.", milestone=m.url) for m in q4),
    )
    rows = change_rows(ViewContext(replace(snap, changes=changes), NOW))
    assert [(str(r.cells[0]), str(r.cells[1]), r.target) for r in rows] == [
        ("", "goal Holiday launch", goal.url),
        ("goal", text, goal.url),
        ("", "web Q4 hardening", q4[0].url),
        ("closed", "closed.", q4[0].url),
        ("", "shop Q4 hardening", q4[1].url),
        ("closed", "closed.", q4[1].url),
    ]
