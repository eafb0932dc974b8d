"""A host that never answers holds back nobody: the other source's issues reach Pressing and
Mine as soon as they are in (issue 10, item 5)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from fakes.boards import blocked_app
from fakes.github_server import TOKEN, FakeGitHub
from fakes.hostile import Silent
from tui_helpers import NOW, table_text

from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.model import Snapshot
from pullboard.tui.app import PullboardApp, create_app
from pullboard.tui.screens.board import BoardScreen

SIZE = (100, 30)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    with FakeGitHub(token=TOKEN) as server:
        blocked_app(server, NOW)
        yield server


def app_for(*urls: tuple[str, str]) -> PullboardApp:
    sources = tuple(
        SourceConfig(name=n, kind="github", url=u, repos=("acme/app",), token_env="FAKE_TOKEN")
        for n, u in urls
    )
    return create_app(Config(None, BoardConfig(title="t", me=("me",)), sources), clock=lambda: NOW)


def shown(app: PullboardApp) -> str:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return table_text(screen.table())


async def test_pressing_and_mine_fill_while_another_host_never_answers(
    fake: FakeGitHub,
) -> None:
    with Silent() as dead:
        app = app_for(("fast", fake.url), ("dead", dead.url))
        landed = asyncio.Event()

        def seen(snapshot: Snapshot | None) -> None:
            if snapshot is not None and any(i.title == "the blocker" for i in snapshot.issues):
                landed.set()

        async with app.run_test(size=SIZE) as pilot:
            app.watch(app, "snapshot", seen, init=False)
            await asyncio.wait_for(landed.wait(), timeout=20)
            assert app.snapshot is not None
            dead_status = next(s for s in app.snapshot.sources if s.name == "dead")
            assert dead_status.fetched_at is None and dead_status.error is None, "still pending"
            await pilot.press("2")
            await pilot.pause()
            assert "the blocker" in shown(app), "Pressing"
            await pilot.press("3")
            await pilot.pause()
            assert "the blocker" in shown(app), "Mine"
