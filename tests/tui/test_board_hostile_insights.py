"""Hostile files on the board: a FIFO or 50,000 nested `[` as the insights file is a line on
the strip, and a cache that can't be saved is a toast; the board keeps working throughout."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fakes.github_server import TOKEN, FakeGitHub
from tui_helpers import NOW, settle

from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.paths import cache_dir, state_dir
from pullboard.tui.app import PullboardApp, create_app
from pullboard.tui.widgets.insight_strip import InsightStrip


async def board_survives(app: PullboardApp) -> str:
    """Paint, refresh, poll the file and quit; the error the board shows for the file."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await app.insights_watch.poll()
        await app.workers.wait_for_complete()
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


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    with FakeGitHub(token=TOKEN) as fake:
        fake.add_repo("acme/app")
        fake.add_milestone("acme/app", "v1")
        fake.add_issue("acme/app", "One", milestone=1)
        yield fake


async def test_a_cache_that_cant_be_saved_is_a_toast_and_the_board_stays(
    github: FakeGitHub, tmp_path: Path
) -> None:
    cache_dir().write_text("a file where the cache folder should be", encoding="utf-8")
    source = SourceConfig(
        name="app", kind="github", url=github.url, repos=("acme/app",), token_env="FAKE_TOKEN"
    )
    board = BoardConfig(insights=tmp_path / "insights.toml")
    app = create_app(Config(path=None, board=board, sources=(source,)), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        assert app.snapshot is not None and [i.title for i in app.snapshot.issues] == ["One"]
        toasts = [n for n in app._notifications if n.title == "Warning"]
        assert len(toasts) == 1
        assert str(toasts[0].message).startswith(f"Couldn't save the cache in {cache_dir()}")
        await pilot.press("q")
