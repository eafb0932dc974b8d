"""Snapshots keep the layout honest at 80x24 first, at 120x40 and at 60x20 (demo data, fixed
clock, a truecolour terminal)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tui_helpers import settle

from pullboard.tui.app import PullboardApp


async def loaded(pilot: Any) -> None:
    await settle(pilot.app)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (60, 20)])
def test_overview(
    snap_compare: Any, demo_app: Callable[[], PullboardApp], size: tuple[int, int]
) -> None:
    assert snap_compare(demo_app(), terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_milestone_screen(
    snap_compare: Any, demo_app: Callable[[], PullboardApp], size: tuple[int, int]
) -> None:
    """The milestone that slipped twice: its burn-up, the range ahead of today, the due date."""

    async def open_slipped(pilot: Any) -> None:
        await loaded(pilot)
        await pilot.press("slash", *"Accessibility", "enter", "enter")
        await loaded(pilot)

    assert snap_compare(demo_app(), terminal_size=size, run_before=open_slipped)


def test_pressing_view(snap_compare: Any, demo_app: Callable[[], PullboardApp]) -> None:
    async def pressing(pilot: Any) -> None:
        await loaded(pilot)
        await pilot.press("2")
        await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=pressing)
