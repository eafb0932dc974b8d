"""The goal screen: a milestone under every goal naming it, and Enter on a goal shows it all."""

from __future__ import annotations

from collections.abc import Callable

from tui_helpers import settle, static_text, table_text

from pullboard import insights
from pullboard.model import Goal
from pullboard.tui.app import PullboardApp

SIZE = (80, 24)


async def add_goal(app: PullboardApp, pilot: object, goal: Goal) -> None:
    """Add `goal` to the demo's insights file, as `pullboard goal add` does, and refresh."""
    insights.add_goal(app.board.insights_path, goal, user="lee", now=app.board.clock())
    await pilot.press("r")  # type: ignore[attr-defined]
    await settle(app)


async def test_a_milestone_of_two_goals_is_listed_under_both_and_opens_from_either(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await add_goal(app, pilot, Goal("l2", "L2", milestones=("PAY@2.1",)))
        await pilot.press("t")
        await pilot.pause()
        rows = table_text(app.screen.table()).splitlines()  # type: ignore[attr-defined]
        names = [r.split(" | ")[0] for r in rows]
        assert names.count("  PAY@2.1") == 2, names
        assert names.index("L2") < len(names) - 1 and names[names.index("L2") + 1] == "  PAY@2.1"
        await pilot.press(*["down"] * (len(names) - 1), "enter")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "MilestoneScreen"
        assert screen.milestone.ref == "PAY@2.1"  # type: ignore[attr-defined]


async def test_enter_on_a_goal_shows_all_of_it_and_the_why_line_keeps_the_missing_names(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        goal = Goal(
            "l2", "Launch two", outcome="Cards live", done="All released", why="Campaign",
            owner="priya", milestones=("acme/shop@v1.4", "PAY@2.1", "NOPE@1"),
            due=app.board.clock().date().replace(year=2027),
        )  # fmt: skip
        await add_goal(app, pilot, goal)
        await pilot.press("t", "slash", *"Launch two", "enter")
        await pilot.pause()
        why = static_text(app, "#why")
        assert "Not on the board: NOPE@1" in why, why
        assert "not on the board" not in why.splitlines()[0], "said once"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "GoalDetailScreen"
        shown = static_text(app, "#goal-detail")
        for said in ("Cards live", "All released", "Campaign", "Owner priya", "NOPE@1",
                     "all 2 milestones are done by", "acme/shop@v1.4", "PAY@2.1"):  # fmt: skip
            assert said in shown, (said, shown)
        assert shown.count("% by Nov '27") == 2, "each milestone's chance by the goal's date"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "GoalScreen"
