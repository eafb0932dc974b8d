"""A refresh in a new process when GitHub data did or didn't change between two runs.

Each test refreshes one Board, changes the fake's data (or not), then refreshes a second Board
on the same cache (a new process: nothing in memory). What the second run shows is compared
with what a cold run on an empty cache shows for the same data, and its requests are counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cachefiles
import pytest
from cachefiles import snapshot_files
from fakes.faults import Hit
from fakes.github_server import TOKEN, FakeGitHub

from pullboard.board import Board
from pullboard.cache import SnapshotCache
from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.model import Snapshot
from pullboard.sources.github import GitHubTracker

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=10)
REPOS = ("acme/app", "acme/lib")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """Two repos, two milestones each, issues on several pages (4 a page), a pull request."""
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    with FakeGitHub(token=TOKEN, max_per_page=4) as server:
        for repo in REPOS:
            server.add_repo(repo)
            for m in (1, 2):
                server.add_milestone(repo, f"v{m}", due_on=NOW + timedelta(days=9 * m))
            for n in range(9):
                closed = n % 3 == 0
                server.add_issue(
                    repo,
                    f"{repo} issue {n}",
                    milestone=1 + n % 2,
                    state="closed" if closed else "open",
                    closed_at=NOW - timedelta(days=n + 1) if closed else None,
                    created_at=NOW - timedelta(days=30 - n),
                )
            server.add_issue(repo, "a pull request", milestone=1, pull=True)
            server.add_issue(repo, "no milestone, closed", state="closed", closed_at=NOW)
        yield server


def config(fake: FakeGitHub) -> Config:
    source = SourceConfig(
        name="gh", kind="github", url=fake.url, repos=REPOS, token_env="FAKE_TOKEN"
    )
    return Config(path=None, board=BoardConfig(title="t"), sources=(source,))


async def refresh(fake: FakeGitHub, when: datetime, cache: SnapshotCache | None = None) -> Snapshot:
    """One run as a new process would do it: a fresh Board, a full refresh, closed."""
    board = Board(config(fake), clock=lambda: when, cache=cache)
    try:
        return await board.refresh(full=True)
    finally:
        await board.aclose()


def shown(snap: Snapshot) -> tuple[object, ...]:
    """What the board shows, independent of the order the sources delivered it in."""
    return (
        {m.url: m for m in snap.milestones},
        {i.url: i for i in snap.issues},
        snap.status,
        [(s.ok, s.error) for s in snap.sources],
    )


async def second_run(fake: FakeGitHub, tmp_path: Path) -> tuple[Snapshot, list[Hit]]:
    """The refresh after a change, checked against a cold run over the same data; with the
    requests it made."""
    fake.clear_log()
    warm = await refresh(fake, LATER)
    requests = fake.hits()
    cold = await refresh(fake, LATER, SnapshotCache(tmp_path / "cold"))
    assert shown(warm) == shown(cold)
    return warm, requests


@pytest.fixture
def snapshot_file(isolated_env: Path) -> Path:
    return isolated_env / "cache" / "pullboard" / "snapshots"


async def test_nothing_changed_costs_304s_and_no_work(
    fake: FakeGitHub, snapshot_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await refresh(fake, NOW)
    (saved,) = snapshot_files(snapshot_file)
    before = saved.read_bytes(), saved.stat().st_mtime_ns
    mapped: list[str] = []
    real = GitHubTracker._issue
    monkeypatch.setattr(
        GitHubTracker, "_issue", lambda self, *a: mapped.append(a[0]) or real(self, *a)
    )
    fake.clear_log()

    again = await refresh(fake, LATER)

    hits = fake.hits()
    assert sorted((h.path, h.status) for h in hits) == sorted(
        (f"/repos/{repo}/{what}", 304)
        for repo in REPOS
        for what in ("milestones", "issues", "issues")  # milestones, issues, recent closes
    )
    assert sum(h.size for h in hits) == 0
    assert all(h.headers.get("if-none-match") for h in hits)
    assert shown(again)[:3] == shown(first)[:3]
    assert mapped == [], "nothing mapped again"
    assert (saved.read_bytes(), saved.stat().st_mtime_ns) == before, "snapshot not rewritten"


async def test_the_http_cache_keeps_no_bodies(fake: FakeGitHub, isolated_env: Path) -> None:
    await refresh(fake, NOW)

    stored = [p for p in (isolated_env / "cache").rglob("*") if p.is_file()]
    assert not any(b"issue 3" in p.read_bytes() for p in stored if "snapshots" not in p.parts)
    assert not any(TOKEN.encode() in p.read_bytes() for p in stored)


async def test_a_closed_issue_moves_counts_and_the_window(fake: FakeGitHub, tmp_path: Path) -> None:
    await refresh(fake, NOW)
    issue = fake.repos["acme/app"].issues[3]  # open, in v1
    issue.state, issue.closed_at = "closed", LATER - timedelta(minutes=1)

    snap, hits = await second_run(fake, tmp_path)

    v1 = next(m for m in snap.milestones if m.ref == "acme/app@v1")
    assert (v1.open_count, v1.closed_count) == (3, 3)  # the pull request counts, as on GitHub
    closed = next(i for i in snap.issues if i.ref == "acme/app#3")
    assert closed.closed_at == LATER - timedelta(minutes=1)
    lib = [h for h in hits if h.path.startswith("/repos/acme/lib")]
    assert {h.status for h in lib} == {304}, "the unchanged repo stays free"


async def test_an_edited_issue_is_fetched_again(fake: FakeGitHub, tmp_path: Path) -> None:
    await refresh(fake, NOW)
    issue = fake.repos["acme/lib"].issues[7]
    issue.title, issue.updated_at = "renamed", LATER - timedelta(minutes=1)

    snap, _ = await second_run(fake, tmp_path)

    assert next(i for i in snap.issues if i.ref == "acme/lib#7").title == "renamed"


async def test_a_deleted_issue_is_gone(fake: FakeGitHub, tmp_path: Path) -> None:
    await refresh(fake, NOW)
    del fake.repos["acme/app"].issues[9]  # the oldest-updated issue: on the last page

    snap, _ = await second_run(fake, tmp_path)

    assert "acme/app#9" not in {i.ref for i in snap.issues}


async def test_an_issue_taken_out_of_its_milestone_leaves_it(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    await refresh(fake, NOW)
    issue = fake.repos["acme/app"].issues[2]  # open, in v2
    issue.milestone, issue.updated_at = None, LATER - timedelta(minutes=1)

    snap, _ = await second_run(fake, tmp_path)

    assert "acme/app#2" not in {i.ref for i in snap.issues}


async def test_new_and_removed_milestones(fake: FakeGitHub, tmp_path: Path) -> None:
    await refresh(fake, NOW)
    repo = fake.repos["acme/lib"]
    del repo.milestones[2]
    for issue in repo.issues.values():
        if issue.milestone == 2:
            issue.milestone, issue.updated_at = None, LATER - timedelta(minutes=2)
    v3 = fake.add_milestone("acme/lib", "v3")
    fake.add_issue(
        "acme/lib", "in v3", milestone=v3.number, created_at=LATER - timedelta(minutes=1)
    )

    snap, _ = await second_run(fake, tmp_path)

    assert {m.ref for m in snap.milestones if m.source == "gh"} >= {"acme/lib@v3"}
    assert "acme/lib@v2" not in {m.ref for m in snap.milestones}
    assert "in v3" in {i.title for i in snap.issues}


async def test_no_previous_data_means_no_validators(
    fake: FakeGitHub, snapshot_file: Path, tmp_path: Path
) -> None:
    await refresh(fake, NOW)
    for saved in snapshot_files(snapshot_file):
        saved.unlink()
    fake.clear_log()

    await refresh(fake, LATER)

    assert {h.status for h in fake.hits()} == {200}
    assert not any("if-none-match" in h.headers for h in fake.hits())


async def test_a_refresh_that_failed_half_way_is_not_taken_for_the_cached_one(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    await refresh(fake, NOW)
    issue = fake.repos["acme/app"].issues[5]
    issue.title, issue.updated_at = "changed while lib failed", LATER - timedelta(minutes=5)
    fault = fake.fail("/repos/acme/lib/milestones", 404, times=None)
    failed = await refresh(fake, LATER - timedelta(minutes=1))  # app fetched, nothing saved
    assert not failed.sources[0].ok
    fake.faults.remove(fault)

    snap, _ = await second_run(fake, tmp_path)

    assert next(i for i in snap.issues if i.ref == "acme/app#5").title == (
        "changed while lib failed"
    )


async def test_marks_from_a_tampered_cache_are_never_sent(
    fake: FakeGitHub, snapshot_file: Path, tmp_path: Path
) -> None:
    await refresh(fake, NOW)
    (saved,) = snapshot_files(snapshot_file)
    data = cachefiles.read(saved)
    data["marks"] = {key: 'W/"x"\r\nX-Evil: 1' for key in data["marks"]}
    cachefiles.write(saved, data)

    await second_run(fake, tmp_path)

    assert not any("x-evil" in h.headers or "if-none-match" in h.headers for h in fake.hits())
