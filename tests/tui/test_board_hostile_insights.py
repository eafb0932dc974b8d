"""A hostile insights file on the board: a FIFO or 50,000 nested `[` is a line on the strip,
and the board keeps working (it paints, refreshes and quits on `q`)."""

from __future__ import annotations

import os
from collections.abc import Callable

from tui_helpers import settle

from pullboard.paths import state_dir
from pullboard.tui.app import PullboardApp
from pullboard.tui.widgets.insight_strip import InsightStrip


async def board_survives(app: PullboardApp) -> str:
    """Paint, refresh, poll the file and quit; the error the board shows for the file."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        app._poll_insights()
        await pilot.press("r")
        await settle(app)
        strip = str(app.screen.query_one(InsightStrip).render())
        assert strip.startswith("⚠ Insights unavailable: "), strip
        assert app.snapshot is not None and app.snapshot.milestones, "the rest is there"
        error = app.snapshot.insights_error or ""
        await pilot.press("q")
    assert app.return_code == 0
    return error


async def test_a_fifo_as_insights_file_never_blocks_the_board(
    demo_app: Callable[[], PullboardApp],
) -> None:
    fifo = state_dir() / "demo-insights.toml"
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    error = await board_survives(demo_app())
    assert error == f"Can't read {fifo}: it is a named pipe (FIFO), not a regular file."


async def test_nested_brackets_in_the_insights_file_never_crash_the_board(
    demo_app: Callable[[], PullboardApp],
) -> None:
    nested = state_dir() / "demo-insights.toml"
    nested.parent.mkdir(parents=True, exist_ok=True)
    nested.write_text("a = " + "[" * 50_000 + "\n", encoding="utf-8")
    error = await board_survives(demo_app())
    assert error.startswith(f"{nested} is not valid TOML: arrays or tables nested too deeply")
