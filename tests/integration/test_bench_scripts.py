"""The bench scripts keep working: their pullboard side against the fakes they fill, in this
process (a tracker argument they passed stopped existing once, and nothing noticed for a
session). The timings themselves are the scripts' business, never a test's."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from fakes.github_server import FakeGitHub
from fakes.jira_server import FakeJira

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import github_bench
import jira_bench
import tui_bench

from pullboard.model import utc_now


@pytest.fixture(autouse=True)
def bench_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULLBOARD_BENCH_TOKEN", github_bench.TOKEN)


async def test_the_github_bench_exports_what_it_filled() -> None:
    fake = FakeGitHub(token=github_bench.TOKEN)
    github_bench.fill(fake)
    with fake:
        tracker = github_bench.tracker(fake.url)
        try:
            data = await github_bench.export(tracker)
        finally:
            await tracker.aclose()
    per_repo = github_bench.MILESTONES * github_bench.ISSUES
    assert len(data.issues) == github_bench.REPOS * per_repo


@dataclass
class Site:
    """What `jira_bench.tracker` reads of its child-process server."""

    url: str
    flavor: str = "cloud"


async def test_the_jira_bench_loads_what_it_filled() -> None:
    fake = FakeJira("cloud", token=jira_bench.TOKEN, email=jira_bench.EMAIL)
    jira_bench.fill(fake)
    with fake:
        tracker = jira_bench.tracker(Site(fake.url))  # type: ignore[arg-type]
        try:
            found = await jira_bench.everything(tracker)
        finally:
            await tracker.aclose()
    assert found == len(jira_bench.PROJECTS) * jira_bench.ISSUES


def test_the_tui_bench_tracker_changes_thirty_issues_a_refresh() -> None:
    tracker = tui_bench.BigTracker("big", utc_now())
    before = list(tracker._issues)
    tracker.start_refresh()  # the first load: nothing changes
    tracker.start_refresh()
    changed = [new for old, new in zip(before, tracker._issues, strict=True) if new is not old]
    assert len(changed) == 30 and all(issue.title.endswith("!") for issue in changed)
    assert tracker.round == 2
