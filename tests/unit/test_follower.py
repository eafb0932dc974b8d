"""The board a `serve` session runs: it follows the server's refreshes and never fetches."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from msgspec.structs import replace

from pullboard.config import SourceConfig
from pullboard.errors import SourceError
from pullboard.model import Issue, State
from pullboard.serve import follower
from pullboard.serve.feed import Feed
from pullboard.serve.follower import FollowerBoard
from pullboard.sources.demo import demo_config

DEAD = SourceConfig(name="app", kind="github", url="http://127.0.0.1:9", repos=("acme/app",))


def board(tmp_path: Path) -> FollowerBoard:
    config = replace(demo_config(), demo=False, path=tmp_path / "c.toml", sources=(DEAD,))
    config = replace(config, board=replace(config.board, insights=tmp_path / "i.toml"))
    return FollowerBoard(config, Feed(tmp_path / "feed"))


def test_r_asks_the_server_and_waits_for_its_refresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(follower, "WAIT_SECONDS", 0.3)
    follow = board(tmp_path)
    server = Feed(tmp_path / "feed")

    async def run() -> None:
        first = asyncio.create_task(follow.refresh())  # no refresh landed yet: it waits
        await asyncio.sleep(0.05)
        server.publish(follow.snapshot())
        await first
        assert not follow.changed() and server.asked() is None, "starting asks nothing"
        await follow.refresh()  # `r`
        asked = server.asked()
        assert asked is not None and asked[1] == "dana"

    asyncio.run(run())
    server.publish(follow.snapshot())
    assert follow.changed(), "a refresh that landed shows on the next poll"
    follow.reload_insights()
    assert not follow.changed()


def test_a_session_never_fetches(tmp_path: Path) -> None:
    follow = board(tmp_path)
    now = datetime(2025, 3, 1, tzinfo=UTC)
    issue = Issue(
        url="https://x/1",
        ref="acme/app#1",
        source="app",
        milestone=None,
        title="t",
        state=State.OPEN,
        status="open",
        created=now,
        updated=now,
    )
    with pytest.raises(SourceError, match="press o for the issue's page"):
        asyncio.run(follow.body(issue))
    asyncio.run(follow.open_milestone("https://x/milestone/1"))
    assert follow._trackers == {}
    assert follow.look_key.endswith(" as dana"), "each person keeps their own last look"


def test_a_session_reads_the_servers_history_with_its_own_last_look(tmp_path: Path) -> None:
    """The QA finding: sessions read history under "<config> as sam", where the server never
    writes, so New was always empty. The history is the board's; only the look is personal."""
    from pullboard.board import Board

    follow = board(tmp_path)
    server = Board(follow.config)
    assert follow.history.board == server.history.board == server.key
    assert follow.look_key == f"{server.key} as dana" != server.look_key
