"""Against a fake GitHub: hostile titles stay literal, a failing source stays visible."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, timedelta

import pytest
from cachefiles import snapshot_files
from fakes.github_server import TOKEN, FakeGitHub
from rich.console import RenderableType
from rich.text import Text
from textual.screen import Screen
from textual.widgets import Markdown
from tui_helpers import NOW, screen_lines, settle, static_text, table_text

from pullboard.board import Board
from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.paths import cache_dir
from pullboard.tui.app import create_app
from pullboard.tui.screens.issue import IssueScreen
from pullboard.tui.screens.milestone import MilestoneScreen

HOSTILE = "[bold red]x[/] \x1b[31mred\x1b[0m \x1b]8;;http://evil\x07link"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    with FakeGitHub(token=TOKEN) as server:
        server.add_repo("acme/app")
        server.add_milestone("acme/app", HOSTILE, due_on=NOW + timedelta(days=10))
        server.add_issue(
            "acme/app",
            HOSTILE,
            milestone=1,
            body="# Body\n\n[red]not markup[/red]",
            created_at=NOW - timedelta(days=5),
        )
        server.add_repo("acme/gone")
        yield server


def config_for(fake: FakeGitHub, *repos: str) -> Config:
    sources = tuple(
        SourceConfig(
            name=repo.split("/")[1],
            kind="github",
            url=fake.url,
            repos=(repo,),
            milestones="open",
            token_env="FAKE_TOKEN",
        )
        for repo in repos
    )
    return Config(path=None, board=BoardConfig(title="Test [b]board[/b]"), sources=sources)


async def test_hostile_titles_render_literally(fake: FakeGitHub) -> None:
    app = create_app(config_for(fake, "acme/app"), clock=lambda: NOW.astimezone(UTC))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app)
        table = app.screen.query_one("#milestones")
        row = table.get_row_at(0)  # type: ignore[attr-defined]
        title = row[0]
        assert isinstance(title, Text)
        assert title.plain == "[bold red]x[/] ␛[31mred␛[0m ␛]8;;http://evil␇link"
        assert title.spans == [], "no style came from the title"
        assert "Test [b]board[/b]" in static_text(app, "#top")
        await pilot.press("enter")
        await settle(app)
        assert isinstance(app.screen, MilestoneScreen)
        assert "[bold red]x[/] ␛[31mred" in table_text(app.screen.table())
        assert "[bold red]x[/]" in static_text(app, "#summary")
        screenshot = app.export_screenshot()
        assert "\x1b" not in screenshot and "[bold red]x[/]" in screenshot.replace("&#160;", " ")


async def test_failing_source_keeps_the_rest_of_the_board(fake: FakeGitHub) -> None:
    fake.fail("/repos/acme/gone/*", 404, times=None)
    app = create_app(config_for(fake, "acme/app", "acme/gone"), clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app)
        await pilot.pause()
        assert app.snapshot is not None
        by_name = {s.name: s for s in app.snapshot.sources}
        assert by_name["app"].ok and not by_name["gone"].ok
        assert "acme/gone" in (by_name["gone"].error or "")
        top = static_text(app, "#top")
        assert "app ✓" in top and "gone ✗" in top
        assert "␛[31mred" in table_text(app.screen.query_one("#milestones"))  # type: ignore[arg-type]
        assert any("gone" in str(n.message) for n in app._notifications)


async def test_body_that_fails_to_load_says_so_in_place(fake: FakeGitHub) -> None:
    fake.fail("/repos/acme/app/issues/1", 404, times=None)
    app = create_app(config_for(fake, "acme/app"), clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app)
        await pilot.press("enter")
        await settle(app)
        await pilot.press("enter")
        await settle(app)
        assert isinstance(app.screen, IssueScreen)
        body = app.screen.query_one("#body", Markdown).source
        assert body.startswith("*Couldn't load the description:") and "acme/app#1" in body


async def test_offline_an_unreadable_cache_is_shown_per_source_not_nothing_cached(
    fake: FakeGitHub,
) -> None:
    cfg = config_for(fake, "acme/app")
    board = Board(cfg, clock=lambda: NOW)
    await board.refresh(full=True)
    await board.aclose()
    for file in snapshot_files(cache_dir() / "snapshots"):
        file.write_bytes(b"\x00garbage")
    app = create_app(cfg, offline=True, clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.snapshot is not None
        (app_status,) = app.snapshot.sources
        assert not app_status.ok and "could not be read" in (app_status.error or "")
        assert "app ✗" in static_text(app, "#top")
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "nothing cached" not in notes.lower()


async def test_the_cached_board_is_painted_before_the_refresh_asks_anything(
    fake: FakeGitHub,
) -> None:
    """A later start shows what the cache holds at once: the refresh's work (opening
    clients, the first requests) waits for the frame that paints it."""
    cfg = config_for(fake, "acme/app")
    board = Board(cfg, clock=lambda: NOW)
    await board.refresh(full=True)
    await board.aclose()
    fake.log.clear()
    app = create_app(cfg, clock=lambda: NOW)
    asked_by_paint: list[int] = []
    display = app._display

    def shown(screen: Screen[object], renderable: RenderableType | None) -> None:
        display(screen, renderable)
        painted = renderable is not None and "[bold red]x" in " ".join(screen_lines(app))
        if painted and not asked_by_paint:
            asked_by_paint.append(len(fake.log))

    app._display = shown  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)):
        await settle(app)
        assert asked_by_paint == [0], "no request went out before the cached rows were on screen"
        assert fake.log, "then the refresh ran"


async def test_the_refresh_starts_even_if_the_cached_board_never_paints(
    fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wait for the cached board's frame is bounded: a screen closed at the wrong moment
    never refreshes, and the board must not stay on the cache until the next interval."""
    cfg = config_for(fake, "acme/app")
    board = Board(cfg, clock=lambda: NOW)
    await board.refresh(full=True)
    await board.aclose()
    fake.log.clear()

    async def never(_screen: Screen[object]) -> bool:
        await asyncio.Event().wait()
        return True

    monkeypatch.setattr(Screen, "wait_for_refresh", never)
    app = create_app(cfg, clock=lambda: NOW)
    async with app.run_test(size=(100, 30)):
        await settle(app)
        assert fake.log, "the refresh ran"
