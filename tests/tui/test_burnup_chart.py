"""A new user's burn-up: the board sees a milestone for the first time, weeks after its issues
were created, and still charts the weeks before (issue 12, item 5)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fakes.github_server import TOKEN, FakeGitHub
from tui_helpers import NOW, settle

from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.tui.app import create_app
from pullboard.tui.widgets.burnup import BurnupChart

DAY = timedelta(days=1)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """acme/app@v1: five issues created 35-39 days ago, two of them closed since."""
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    with FakeGitHub(token=TOKEN) as server:
        server.add_repo("acme/app")
        server.add_milestone("acme/app", "v1", due_on=NOW + 20 * DAY)
        for n, (made, closed) in enumerate(
            ((39, 20), (37, 10), (36, None), (35, None), (35, None))
        ):
            server.add_issue(
                "acme/app", f"issue {n}", milestone=1, created_at=NOW - made * DAY,
                state="closed" if closed else "open",
                closed_at=NOW - closed * DAY if closed else None,
            )  # fmt: skip
        yield server


async def test_a_fresh_state_folder_charts_the_weeks_before_its_first_look(
    fake: FakeGitHub,
) -> None:
    source = SourceConfig(
        name="app", kind="github", url=fake.url, repos=("acme/app",), token_env="FAKE_TOKEN"
    )
    app = create_app(Config(None, BoardConfig(title="t", me=("me",)), (source,)), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert type(app.screen).__name__ == "MilestoneScreen"
        chart = app.screen.query_one(BurnupChart)
        assert chart.display
        lines = str(chart.render()).splitlines()
        assert lines[-1].split()[0] == "Oct", lines  # Oct 13: the first issue, not today
        plot = [line.split("│", 1)[-1].split("┤", 1)[-1] for line in lines[1:-2]]
        filled = {x for row in plot for x, c in enumerate(row) if c in "█░▁▂▃▄▅▆▇"}
        assert len(filled) > len(plot[0]) // 2, "\n".join(lines)
