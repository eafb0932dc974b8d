"""A new process refreshes a Jira source incrementally from the snapshot cache (its marks hold
each search's sync times), and still gives exactly what a full load gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cachefiles import snapshot_files
from conftest import NOW, Clock, MakeJira
from fakes.jira_server import BASE_TIME, EMAIL, FakeJira

from pullboard.board import Board
from pullboard.cache import SnapshotCache
from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.model import Snapshot, SourceData, State
from pullboard.sources.jira.sync import MARK


def config(fake: FakeJira) -> Config:
    source = SourceConfig(
        name="pay", kind="jira", url=fake.url, projects=("PAY",), flavor="cloud", email=EMAIL
    )
    return Config(None, BoardConfig(title="t"), (source,))


async def export(fake: FakeJira, cache: SnapshotCache | None) -> Snapshot:
    """One `pullboard export` as a new process runs it: a new board and tracker."""
    board = Board(config(fake), cache=cache)
    try:
        snap = await board.refresh(full=True)
    finally:
        await board.aclose()
    assert all(s.ok for s in snap.sources), snap.sources
    return snap


def fill(fake: FakeJira) -> tuple[int, int]:
    fake.add_project("PAY")
    v1 = fake.add_version("PAY", "1.0")
    v2 = fake.add_version("PAY", "2.0")
    for n in range(30):
        fake.add_issue("PAY", f"Issue {n}", versions=(v1.id if n % 2 else v2.id,))
    return v1.id, v2.id


def searches(fake: FakeJira) -> list[str]:
    """What each search asked for: `keys`, `changes` (a delta) or `full`."""
    hits = fake.hits("/rest/api/3/search/jql")
    return sorted(
        "keys"
        if h.query["fields"] == "key"
        else "changes"
        if "updated" in h.query["jql"]
        else "full"
        for h in hits
    )


async def test_a_new_process_after_changes_asks_only_for_keys_and_changes(
    cloud: FakeJira, tmp_path: Path
) -> None:
    v1, v2 = fill(cloud)
    cache = SnapshotCache(tmp_path)
    await export(cloud, cache)
    cloud.touch("PAY-1", category="done", status="Done", resolved=BASE_TIME)  # closed
    cloud.touch("PAY-2", summary="Renamed", versions=(v2,))  # renamed and moved
    cloud.delete("PAY-4")
    cloud.add_issue("PAY", "Brand new", versions=(v1,), created=NOW, updated=datetime.now(UTC))
    cloud.clear_log()

    warm = await export(cloud, cache)

    assert searches(cloud) == ["changes", "keys"]
    full = await export(cloud, None)
    assert (warm.milestones, warm.issues) == (full.milestones, full.issues)
    by_ref = {i.ref: i for i in warm.issues}
    assert by_ref["PAY-1"].state is State.CLOSED
    assert (by_ref["PAY-2"].title, by_ref["PAY-2"].milestone) == ("Renamed", full.milestones[1].url)
    assert "PAY-4" not in by_ref and "PAY-31" in by_ref


async def test_a_new_process_with_nothing_changed_rewrites_nothing(
    cloud: FakeJira, tmp_path: Path
) -> None:
    fill(cloud)
    cache = SnapshotCache(tmp_path)
    cold = await export(cloud, cache)
    (path,) = snapshot_files(tmp_path / "snapshots")
    before = path.read_bytes(), path.stat().st_mtime_ns
    cloud.clear_log()

    warm = await export(cloud, cache)

    assert searches(cloud) == ["changes", "keys"]
    assert len(cloud.hits()) == 3  # versions, keys, changes
    assert (warm.milestones, warm.issues) == (cold.milestones, cold.issues)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before, "not rewritten"
    assert not list((tmp_path / "http").rglob("*.json")), "no second copy of the issues"


async def test_the_searches_go_out_beside_the_versions_they_were_made_from(
    cloud: FakeJira, tmp_path: Path
) -> None:
    """Versions seldom change: the searches made from the held ones don't wait for the
    version list (one round trip, not two), and count once it came back the same."""
    fill(cloud)
    cache = SnapshotCache(tmp_path)
    cold = await export(cloud, cache)
    cloud.latency, cloud.max_in_flight = 0.2, 0
    cloud.clear_log()

    warm = await export(cloud, cache)

    assert cloud.max_in_flight == 3, "versions, keys and changes at once"
    assert searches(cloud) == ["changes", "keys"]
    assert (warm.milestones, warm.issues) == (cold.milestones, cold.issues)


async def test_a_released_version_places_issues_anew_from_a_full_search(
    cloud: FakeJira, tmp_path: Path
) -> None:
    """Placing depends on the versions' states; an issue in both versions moves to 2.0 when
    1.0 ships, though the issue itself never changed."""
    v1, v2 = fill(cloud)
    cloud.add_issue("PAY", "In both", versions=(v1, v2))
    cache = SnapshotCache(tmp_path)
    cold = await export(cloud, cache)
    assert {i.milestone for i in cold.issues if i.title == "In both"} == {cold.milestones[0].url}
    shipped = cloud.projects["PAY"].versions[v1]
    shipped.released, shipped.release_date = True, datetime.now(UTC).date()  # still shown
    cloud.clear_log()

    warm = await export(cloud, cache)

    assert "full" in searches(cloud)
    full = await export(cloud, None)
    assert (warm.milestones, warm.issues) == (full.milestones, full.issues)
    (both,) = [i for i in warm.issues if i.title == "In both"]
    assert both.milestone == next(m.url for m in warm.milestones if m.title == "2.0")


async def _load(
    tracker_clock: Clock, make_jira: MakeJira, cloud: FakeJira, previous: SourceData | None
) -> SourceData:
    tracker = make_jira(cloud, clock=tracker_clock)
    tracker.start_refresh(previous)
    milestones = await tracker.milestones()
    issues = await tracker.all_issues()
    return SourceData(
        tuple(milestones),
        tuple(issues),
        tracker_clock(),
        frozenset(m.url for m in milestones),
        dict(tracker.marks),
    )


async def test_a_new_process_still_searches_whole_at_least_hourly(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    fill(cloud)
    clock = Clock()
    cold = await _load(clock, make_jira, cloud, None)
    assert sorted(cold.marks) == sorted(
        f'{MARK}(project = "PAY") AND (fixVersion in ({v}, {w})) ORDER BY key ASC'
        for v, w in [sorted(cloud.projects["PAY"].versions)]
    )
    clock.now += timedelta(minutes=59)
    cloud.clear_log()
    await _load(clock, make_jira, cloud, cold)
    assert searches(cloud) == ["changes", "keys"]

    clock.now += timedelta(minutes=2)
    cloud.clear_log()
    await _load(clock, make_jira, cloud, cold)

    assert searches(cloud) == ["full", "full"]  # one per version


async def test_marks_that_do_not_read_mean_a_full_search(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    fill(cloud)
    clock = Clock()
    cold = await _load(clock, make_jira, cloud, None)
    (name,) = cold.marks
    for value in ("yesterday", f"{NOW.isoformat()} {NOW.replace(tzinfo=None).isoformat()}"):
        tampered = SourceData(cold.milestones, cold.issues, NOW, cold.complete, {name: value})
        cloud.clear_log()

        again = await _load(clock, make_jira, cloud, tampered)

        assert searches(cloud) == ["full", "full"]
        assert again.issues == cold.issues
