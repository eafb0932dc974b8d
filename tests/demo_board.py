"""The demo board refreshed once at a fixed time, for a module's tests to share (a refresh
costs a fraction of a second), in a state folder of its own: a module-scoped fixture runs
before the per-test `isolated_env`, and must not write to the real home."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pullboard.board import Board
from pullboard.model import Snapshot
from pullboard.sources.demo import demo_config

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def refreshed_demo(root: Path) -> Snapshot:
    """The demo's snapshot at `NOW`, its XDG folders under `root`."""

    async def refreshed() -> Snapshot:
        board = Board(demo_config(), clock=lambda: NOW)
        try:
            return await board.refresh(full=True)
        finally:
            await board.aclose()

    with pytest.MonkeyPatch.context() as patch:
        for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            patch.setenv(var, str(root / var.lower()))
        return asyncio.run(refreshed())
