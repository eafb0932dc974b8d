"""A board with more issues than the UI loop can rebuild per keystroke (issue 11, item 5):
rows are built once per snapshot, a table renders only the rows it newly shows, the clock tick
leaves them be."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fakes.github_server import TOKEN, FakeGitHub
from textual.widgets import Static
from tui_helpers import NOW, settle

from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.tui.app import PullboardApp, create_app
from pullboard.tui.row_cache import INLINE_ISSUES
from pullboard.tui.screens.board import BoardScreen
from pullboard.tui.widgets.item_table import ItemTable
from pullboard.tui.widgets.top_bar import TopBar
from pullboard.tui.widgets.view_bar import ViewBar

ISSUES = INLINE_ISSUES + 100
SIZE = (100, 30)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    with FakeGitHub(token=TOKEN) as server:
        server.add_repo("acme/app")
        server.add_milestone("acme/app", "v1", due_on=NOW + timedelta(days=9))
        for n in range(ISSUES):
            server.add_issue(
                "acme/app", f"issue {n:04d}", milestone=1, assignees=("me",), created_at=NOW
            )
        yield server


def big_app(fake: FakeGitHub) -> PullboardApp:
    source = SourceConfig(
        name="big", kind="github", url=fake.url, repos=("acme/app",), token_env="FAKE_TOKEN"
    )
    config = Config(None, BoardConfig(title="big", me=("me",)), (source,))
    return create_app(config, clock=lambda: NOW)


def mine(app: PullboardApp) -> ItemTable:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    assert screen.view == "mine"
    return screen.table()


async def test_g_reaches_the_last_row_and_a_keystroke_renders_a_screenful_at_most(
    fake: FakeGitHub,
) -> None:
    app = big_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("3")
        await pilot.pause()
        table = mine(app)
        assert table.row_count == ISSUES, "every row, rendered or not"
        ctx = app.view_context()
        assert ctx is not None
        await pilot.press("G")
        await pilot.pause()
        assert table.selected_key == app.lists.row_cache.rows("mine", ctx)[-1].key
        await pilot.press("slash", *"issue 00")
        await pilot.pause()
        before = table.rendered
        await pilot.press("5")
        await pilot.pause()
        assert table.row_count == 10
        assert 0 < table.rendered - before <= 10, "only the rows now on screen, each once"


async def test_filtering_picks_from_the_rows_built_for_the_snapshot(fake: FakeGitHub) -> None:
    app = big_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("3")
        await pilot.pause()
        ctx = app.view_context()
        assert ctx is not None
        built = {row.key: row for row in app.lists.row_cache.rows("mine", ctx)}
        await pilot.press("slash", *"issue 01")
        await pilot.pause()
        table = mine(app)
        shown = table._rows
        assert len(shown) == 100 and all(row is built[row.key] for row in shown)


async def test_the_clock_tick_redraws_no_table(fake: FakeGitHub) -> None:
    app = big_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("3")
        await pilot.pause()
        table = mine(app)
        before, rendered = table._rows, table.rendered
        app._tick()
        await pilot.pause()
        assert table._rows is before and table.rendered == rendered


async def test_a_filter_keystroke_redraws_the_list_and_its_why_line_only(fake: FakeGitHub) -> None:
    app = big_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.press("3", "slash", "i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        overview, bar = screen.query_one("#overview", Static), screen.query_one(ViewBar)
        why = screen.query_one("#why", Static)
        before = overview.visual, bar.counts, why.visual
        await pilot.press(*"ssue 01")
        await pilot.pause()
        ctx = app.view_context()
        assert ctx is not None
        every = app.lists.row_cache.rows("mine", ctx)
        picked = [row.key for row in every if "issue 01" in row.find]
        assert [row.key for row in mine(app)._rows] == picked
        assert overview.visual is before[0] and bar.counts is before[1], "the rest stays"
        assert why.visual is not before[2], "the why line follows the cursor"


async def test_a_tick_that_changes_no_age_leaves_the_top_bar_alone(fake: FakeGitHub) -> None:
    """The tick every 15 s repaints the top line only when a data age in it changed: a
    repaint is most of what an open, idle board does."""
    now = [NOW]
    app = big_app(fake)
    app.clock = lambda: now[0]
    async with app.run_test(size=SIZE):
        await settle(app)
        bar = app.screen.query_one(TopBar)
        repaints = []
        refresh = bar.refresh

        def counted(*args: Any, **kwargs: Any) -> Any:
            repaints.append(now[0])
            return refresh(*args, **kwargs)

        bar.refresh = counted  # type: ignore[method-assign]
        before = str(bar.render())
        now[0] = NOW + timedelta(seconds=15)
        app._tick()
        assert repaints == [] and str(bar.render()) == before
        now[0] = NOW + timedelta(hours=3)
        app._tick()
        assert len(repaints) == 1 and "3 h ago" in str(bar.render())
