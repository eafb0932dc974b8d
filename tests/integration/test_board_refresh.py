"""How refreshes land and overlap (issue 10, items 5 and 6): each source reaches every view as
soon as it is in, whatever the slowest host does; refreshes coalesce, and a caller giving up
never cuts a refresh short."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fakes.boards import blocked_app
from fakes.github_server import TOKEN, FakeGitHub
from fakes.hostile import Silent

from pullboard.analysis import is_mine
from pullboard.board import Board
from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.model import Snapshot

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ISSUES = "/repos/acme/app/issues"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """acme/app: one milestone due in 9 days, an overdue blocker assigned to me, one closed."""
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    with FakeGitHub(token=TOKEN) as server:
        blocked_app(server, NOW)
        server.add_issue(
            "acme/app",
            "done",
            milestone=1,
            state="closed",
            created_at=NOW - timedelta(days=9),
            closed_at=NOW - timedelta(days=2),
        )
        yield server


def source(name: str, url: str) -> SourceConfig:
    return SourceConfig(
        name=name, kind="github", url=url, repos=("acme/app",), token_env="FAKE_TOKEN"
    )


def board_of(*sources: SourceConfig) -> Board:
    return Board(Config(None, BoardConfig(title="t", me=("me",)), sources), clock=lambda: NOW)


def open_issues(snap: Snapshot, source_name: str) -> list[str]:
    return [i.title for i in snap.issues if i.source == source_name and i.closed_at is None]


async def test_a_fast_source_reaches_every_view_while_a_dead_host_hangs(
    fake: FakeGitHub,
) -> None:
    with Silent() as dead:
        board = board_of(source("fast", fake.url), source("dead", dead.url))
        landed = asyncio.Event()
        seen: list[Snapshot] = []

        def partial(snap: Snapshot) -> None:
            seen.append(snap)
            if open_issues(snap, "fast"):
                landed.set()

        refresh = asyncio.create_task(board.refresh(full=True, partial=partial))
        try:
            await asyncio.wait_for(landed.wait(), timeout=20)
        finally:
            await board.aclose()
        assert refresh.cancelled(), "closing the board stops the refresh still hanging"

    snap = seen[-1]
    statuses = {s.name: s for s in snap.sources}
    assert statuses["dead"].fetched_at is None and statuses["dead"].error is None, "pending"
    assert open_issues(snap, "fast") == ["the blocker"]
    (blocker,) = [i for i in snap.issues if i.title == "the blocker"]
    assert snap.pressing[blocker.url].score > 0, "Pressing has it"
    assert is_mine(blocker, snap.aliases), "Mine has it"


async def test_milestones_paint_before_the_same_sources_issues(fake: FakeGitHub) -> None:
    board = board_of(source("fast", fake.url))
    seen: list[Snapshot] = []
    try:
        final = await board.refresh(full=True, partial=seen.append)
    finally:
        await board.aclose()

    overview, landed = seen
    assert [m.title for m in overview.milestones] == ["v1"]
    assert open_issues(overview, "fast") == [], "the overview comes before the issue lists"
    assert open_issues(landed, "fast") == open_issues(final, "fast") == ["the blocker"]


async def test_overlapping_refreshes_coalesce_and_a_cancelled_caller_cuts_nothing_short(
    fake: FakeGitHub,
) -> None:
    fake.latency = 0.05  # every refresh spans many turns of the event loop
    board = board_of(source("app", fake.url))
    try:
        callers = [asyncio.create_task(board.refresh(full=True)) for _ in range(8)]
        await asyncio.sleep(0)  # one turn: every caller is in, requests are on their way
        for caller in callers[::2]:
            caller.cancel()
        results = await asyncio.gather(*callers, return_exceptions=True)
        fetched = fake.hits(ISSUES)
        fake.latency = 0.0
        again = await board.refresh(full=True)
    finally:
        await board.aclose()

    assert all(isinstance(r, asyncio.CancelledError) for r in results[::2])
    snaps = results[1::2]
    assert all(s is snaps[0] for s in snaps), "the callers joined one refresh"
    assert isinstance(snaps[0], Snapshot) and open_issues(snaps[0], "app") == ["the blocker"]
    assert len(fetched) == 2, "one refresh's requests: recent closes and v1's issues"
    assert all(h.status == 200 for h in fetched), "nothing was cut off mid-request"
    assert len(fake.hits(ISSUES)) == 4 and open_issues(again, "app") == ["the blocker"]


async def test_a_refresh_wanting_more_waits_for_the_running_one_then_runs(
    fake: FakeGitHub,
) -> None:
    board = board_of(source("app", fake.url))
    try:
        overview, full = await asyncio.gather(board.refresh(), board.refresh(full=True))
    finally:
        await board.aclose()

    assert open_issues(overview, "app") == []
    assert open_issues(full, "app") == ["the blocker"]
    assert len(fake.hits("/repos/acme/app/milestones")) == 2
