"""A colleague's pin on a local disk is told, not looked for (inotify on the file's folder):
at once, without holding keys up, after the folder was replaced, and in one piece when a
checkout deletes the file and writes it again."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from tui_helpers import settle, static_text

from pullboard import insights
from pullboard.model import Insight, Snapshot
from pullboard.tui.app import PullboardApp

SIZE = (80, 24)


def pin(app: PullboardApp, summary: str) -> None:
    other = Insight(id="", on="board", title="Lee's news", summary=summary, author="lee")
    insights.pin(app.board.insights_path, other, now=app.clock())


async def watched(app: PullboardApp, pilot: Pilot[int]) -> None:
    """Until the file is watched (the demo's folder appears with its first write)."""
    for _ in range(40):
        if app.insights_watch._watch is not None:
            return
        await pilot.pause(0.1)
    raise AssertionError("the insights file was never watched")


async def shown_within(app: PullboardApp, pilot: Pilot[int], text: str, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        await pilot.pause(0.05)
        if text in static_text(app, "#strip"):
            return True
    return False


async def test_a_pin_written_elsewhere_shows_without_waiting_for_a_look(
    demo_app: Callable[[], PullboardApp],
) -> None:
    """Once the file's folder exists (the demo's, after its first write), the system says
    when the file changed, and the look every 2 s gives way to one a minute (it never runs
    after that in this test)."""
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await watched(app, pilot)
        pin(app, "Told, not found")
        assert await shown_within(app, pilot, "Told, not found", 1.0)


async def test_keys_go_on_while_a_told_look_builds_the_board(
    demo_app: Callable[[], PullboardApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big board's look takes a while: it runs beside the app's messages, not among them."""
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await watched(app, pilot)
        built = app.board.built

        async def slow() -> Snapshot:
            await asyncio.sleep(1.0)
            return await built()

        monkeypatch.setattr(app.board, "built", slow)
        pin(app, "Slow to build")
        await pilot.pause(0.3)  # told, and the look is building
        started = time.monotonic()
        await pilot.press("2")
        assert time.monotonic() - started < 0.5
        assert await shown_within(app, pilot, "Slow to build", 3.0)


async def test_a_folder_replaced_by_a_rename_is_watched_again(
    demo_app: Callable[[], PullboardApp],
) -> None:
    """No event says so (the watch follows the old folder): the look's check finds another
    folder at the path and watches that one. (A deleted folder is reported by the system:
    `test_a_folder_that_goes_is_reported_and_the_watch_is_lost`.)"""
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await watched(app, pilot)
        folder = app.board.insights_path.parent
        copy = folder.with_name("copy")
        shutil.copytree(folder, copy)
        before = app.insights_watch._watch
        os.rename(folder, folder.with_name("old"))
        os.rename(copy, folder)
        await pilot.pause(0.3)
        for _ in range(40):  # what the timer's next looks do (not waiting 2 or 60 s for them)
            now = app.insights_watch._watch
            if now is not None and now is not before and now.still_there():
                break
            await app.insights_watch._look()
            await pilot.pause(0.1)
        assert app.insights_watch._watch is not before, "a new watch, on the folder there now"
        pin(app, "In the folder again")
        assert await shown_within(app, pilot, "In the folder again", 1.5)


async def test_a_checkout_deleting_and_rewriting_the_file_never_shows_it_empty(
    demo_app: Callable[[], PullboardApp],
) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await watched(app, pilot)
        pin(app, "Before the pull")
        assert await shown_within(app, pilot, "Before the pull", 2.0)
        shown: list[int] = []
        show = app.insights_watch.show

        def counted(snapshot: Snapshot) -> None:
            shown.append(len(snapshot.insights))
            show(snapshot)

        app.insights_watch.show = counted
        path = app.board.insights_path
        data = path.read_bytes()
        path.unlink()
        await pilot.pause(0.02)  # git: unlink, then create and write
        path.write_bytes(data + b"\n")
        await pilot.pause(0.5)
        assert shown and 0 not in shown
