"""Sprints as milestones, and refreshes: incremental ones must give exactly what a full load
gives, whatever happened on the server in between."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import NOW, Clock, MakeJira
from fakes.jira_server import BASE_TIME, FakeJira

from pullboard.model import Issue, Milestone, State
from pullboard.sources.jira import JiraTracker
from pullboard.sources.jira.model import FIELDS

DAY = timedelta(days=1)


def _board(fake: FakeJira) -> dict[str, int]:
    """Board 12 of PAY: an old closed sprint, a recently closed one, the active one, a future
    one; PAY-2 was carried over from the closed sprint into the active one."""
    fake.add_project("PAY")
    old = fake.add_sprint(12, "Sprint 38", state="closed", complete=NOW - 90 * DAY)
    s41 = fake.add_sprint(
        12,
        "Sprint 41",
        state="closed",
        start=NOW - 20 * DAY,
        end=NOW - 6 * DAY,
        complete=NOW - 6 * DAY,
        goal="Payouts",
    )
    s42 = fake.add_sprint(12, "Sprint 42", start=NOW - 6 * DAY, end=NOW + 8 * DAY)
    s43 = fake.add_sprint(12, "Sprint 43", state="future")
    fake.add_issue("PAY", "Done in 41", sprints=(s41.id,), category="done")
    fake.add_issue("PAY", "Carried over", sprints=(s41.id, s42.id))
    fake.add_issue("PAY", "Doing", sprints=(s42.id,), category="indeterminate", status="Doing")
    fake.add_issue("PAY", "Done in 42", sprints=(s42.id,), category="done")
    fake.add_issue("PAY", "Planned", sprints=(s43.id,))
    fake.add_issue("PAY", "Old", sprints=(old.id,), category="done")
    fake.add_issue("PAY", "Backlog")
    return {"41": s41.id, "42": s42.id, "43": s43.id}


async def test_sprints_are_milestones_and_carried_over_issues_sit_in_the_latest(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    ids = _board(cloud)
    tracker = make_jira(cloud, milestones="sprints", board=12)

    s41, s42, s43 = await tracker.milestones()

    assert [s.title for s in (s41, s42, s43)] == ["Sprint 41", "Sprint 42", "Sprint 43"]
    assert s42.url == f"{cloud.url}/jira/software/projects/PAY/boards/12?sprint={ids['42']}"
    assert (s42.ref, s42.key, s42.state, s42.due) == (
        "Sprint 42",
        str(ids["42"]),
        State.OPEN,
        (NOW + 8 * DAY).date(),
    )
    assert (s41.state, s41.closed_at, s41.description) == (State.CLOSED, NOW - 6 * DAY, "Payouts")
    assert [(s.open_count, s.closed_count) for s in (s41, s42, s43)] == [(0, 1), (2, 1), (1, 0)]
    assert [i.ref for i in await tracker.issues(s42)] == ["PAY-2", "PAY-3", "PAY-4"]
    assert [i.ref for i in await tracker.issues(s41)] == ["PAY-1"]
    queries = sorted(h.query["jql"] for h in cloud.hits("/rest/api/3/search/jql"))
    assert queries == sorted(
        f'(project in ("PAY")) AND (sprint = {ids[n]}) ORDER BY key ASC' for n in ids
    )


async def test_server_sprints_link_to_the_rapid_board(
    server: FakeJira, make_jira: MakeJira
) -> None:
    ids = _board(server)
    tracker = make_jira(server, milestones="sprints", board=12)

    tracker.start_refresh()
    milestones = await tracker.milestones()

    assert (
        milestones[1].url == f"{server.url}/secure/RapidBoard.jspa?rapidView=12&sprint={ids['42']}"
    )
    assert milestones[0].closed_at == NOW - 6 * DAY  # written as -08:00 by the Agile API
    assert [h.query["startAt"] for h in server.hits("/rest/agile/1.0/board/12/sprint")] == ["0"]


async def _everything(tracker: JiraTracker) -> tuple[list[Milestone], list[Issue]]:
    tracker.start_refresh()
    milestones = await tracker.milestones()
    issues = [i for m in milestones for i in await tracker.issues(m)]
    return milestones, issues


def _versions(fake: FakeJira) -> tuple[int, int]:
    fake.add_project("PAY")
    v1 = fake.add_version("PAY", "1.0")
    v2 = fake.add_version("PAY", "2.0")
    for n in range(30):
        fake.add_issue("PAY", f"Issue {n}", versions=(v1.id if n % 2 else v2.id,))
    return v1.id, v2.id


async def test_warm_refresh_asks_only_for_keys_and_recent_changes(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    _versions(cloud)
    tracker = make_jira(cloud)
    cold = await _everything(tracker)
    cloud.clear_log()

    warm = await _everything(tracker)

    assert warm == cold
    by_fields = {h.query["fields"]: h for h in cloud.hits("/rest/api/3/search/jql")}
    assert set(by_fields) == {"key", ",".join(FIELDS)}
    assert by_fields["key"].query["maxResults"] == "5000"
    delta = by_fields[",".join(FIELDS)].query["jql"]
    assert delta.endswith('AND (updated >= "-5m") ORDER BY key ASC')
    assert len(cloud.hits()) == 3  # versions, keys, changes


async def test_incremental_refresh_matches_a_full_load_after_changes(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    v1, v2 = _versions(cloud)
    tracker = make_jira(cloud, jql="labels is EMPTY OR labels != hidden")
    await _everything(tracker)
    cloud.touch("PAY-1", category="done", status="Done", resolved=BASE_TIME)
    cloud.touch("PAY-2", summary="Renamed", versions=(v2,))
    cloud.touch("PAY-3", labels=("hidden",))  # leaves the user's JQL
    cloud.delete("PAY-4")
    cloud.add_issue("PAY", "Brand new", versions=(v1,), created=NOW, updated=datetime.now(UTC))
    cloud.clear_log()

    warm = await _everything(tracker)
    requests = len(cloud.hits())

    assert requests == 3  # versions, keys, changes: no full search was needed
    assert warm == await _everything(make_jira(cloud, jql="labels is EMPTY OR labels != hidden"))
    milestones, issues = warm
    by_ref = {i.ref: i for i in issues}
    assert by_ref["PAY-1"].state is State.CLOSED
    assert by_ref["PAY-2"].title == "Renamed"
    assert by_ref["PAY-2"].milestone == milestones[1].url
    assert "PAY-3" not in by_ref and "PAY-4" not in by_ref
    assert "PAY-31" in by_ref


async def test_an_issue_that_joins_without_an_update_makes_a_full_search(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    _versions(cloud)
    cloud.issue("PAY-5").labels = ("hidden",)
    tracker = make_jira(cloud, jql="labels is EMPTY")
    (m1, _), _ = await _everything(tracker)
    cloud.issue("PAY-5").labels = ()  # e.g. a JQL function or a date moved it in; not updated
    cloud.clear_log()

    (m1, _), issues = await _everything(tracker)

    assert "PAY-5" in [i.ref for i in issues]
    assert m1.open_count + m1.closed_count == sum(i.milestone == m1.url for i in issues)
    full = [h for h in cloud.hits("/rest/api/3/search/jql") if "updated" not in h.query["jql"]]
    assert [h.query["fields"] == "key" for h in full] == [True, False, False]  # one per version


async def test_a_full_search_runs_at_least_hourly(cloud: FakeJira, make_jira: MakeJira) -> None:
    _versions(cloud)
    clock = Clock()
    tracker = make_jira(cloud, clock=clock)
    tracker.start_refresh()
    await tracker.milestones()
    clock.now += timedelta(minutes=59)
    cloud.clear_log()
    tracker.start_refresh()
    await tracker.milestones()
    delta = [h.query["jql"] for h in cloud.hits("/rest/api/3/search/jql")]
    clock.now += timedelta(minutes=2)
    cloud.clear_log()

    tracker.start_refresh()
    await tracker.milestones()

    assert any('updated >= "-64m"' in q for q in delta)  # 59 minutes + 5 of overlap
    searches = cloud.hits("/rest/api/3/search/jql")
    assert len(searches) == 2  # the two versions, searched whole
    assert all("updated" not in h.query["jql"] and h.query["fields"] != "key" for h in searches)


async def test_a_new_version_is_a_new_search(cloud: FakeJira, make_jira: MakeJira) -> None:
    _versions(cloud)
    tracker = make_jira(cloud)
    tracker.start_refresh()
    await tracker.milestones()
    v3 = cloud.add_version("PAY", "3.0")
    cloud.add_issue("PAY", "For three", versions=(v3.id,))
    cloud.clear_log()

    tracker.start_refresh()
    milestones = await tracker.milestones()

    assert [m.title for m in milestones] == ["1.0", "2.0", "3.0"]
    assert milestones[2].open_count == 1
    searched = {h.query["jql"].split(" AND ")[1] for h in cloud.hits("/rest/api/3/search/jql")}
    assert searched == {f"(fixVersion = {m.key}) ORDER BY key ASC" for m in milestones}
