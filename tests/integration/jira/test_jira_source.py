"""The Jira source against fake Cloud and Server sites over real sockets: versions, paging,
mapping, bodies, untrusted text and the user's JQL."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from conftest import NOW, MakeJira
from fakes.jira_server import BASE_TIME, EMAIL, TOKEN, FakeJira

from pullboard.model import State

DAY = timedelta(days=1)


def _pay(fake: FakeJira) -> dict[str, int]:
    """PAY with versions 2.1 (due), 2.2 (no date), 2.0 (released 5 days before NOW),
    1.0 (released long ago) and an archived one; issues spread over them."""
    fake.add_project("PAY")
    v21 = fake.add_version("PAY", "2.1", release_date=date(2026, 2, 1), description="Payouts")
    v22 = fake.add_version("PAY", "2.2")
    v20 = fake.add_version("PAY", "2.0", released=True, release_date=NOW.date() - 5 * DAY)
    v10 = fake.add_version("PAY", "1.0", released=True, release_date=date(2025, 1, 1))
    old = fake.add_version("PAY", "0.9", archived=True)
    fake.add_issue("PAY", "Open one", versions=(v21.id,), assignee="Lee Walsh", labels=("ui",))
    fake.add_issue(
        "PAY",
        "Being done",
        versions=(v21.id,),
        status="In Review",
        category="indeterminate",
        priority="High",
        due=date(2026, 1, 20),
    )
    fake.add_issue(
        "PAY",
        "Finished",
        versions=(v21.id,),
        category="done",
        created=BASE_TIME - 9 * DAY,
        resolved=BASE_TIME - DAY,
    )
    fake.add_issue("PAY", "Shipped", versions=(v20.id,), category="done")
    fake.add_issue("PAY", "Ancient", versions=(v10.id,), category="done")
    fake.add_issue("PAY", "Archived", versions=(old.id,))
    fake.add_issue("PAY", "No version")
    fake.add_issue("PAY", "Later", versions=(v22.id,), priority=None)
    return {"2.1": v21.id, "2.2": v22.id, "2.0": v20.id}


async def test_versions_are_milestones_counted_from_their_issues(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    ids = _pay(cloud)
    tracker = make_jira(cloud)

    milestones = await tracker.milestones()

    assert [m.title for m in milestones] == ["2.1", "2.2", "2.0"]  # old and archived left out
    v21, v22, v20 = milestones
    assert v21.url == f"{cloud.url}/projects/PAY/versions/{ids['2.1']}"
    assert (v21.ref, v21.key, v21.description) == ("PAY@2.1", str(ids["2.1"]), "Payouts")
    assert (v21.state, v21.due, v21.open_count, v21.closed_count) == (
        State.OPEN,
        date(2026, 2, 1),
        2,
        1,
    )
    assert (v22.due, v22.open_count, v22.closed_count) == (None, 1, 0)
    assert (v20.state, v20.open_count, v20.closed_count) == (State.CLOSED, 0, 1)
    for m in milestones:  # the counts are exactly what the milestone view lists
        listed = await tracker.issues(m)
        assert (m.open_count, m.closed_count) == (
            sum(i.closed_at is None for i in listed),
            sum(i.closed_at is not None for i in listed),
        )
    assert all(m.url.startswith(f"{cloud.url}/") for m in milestones)


async def test_issue_fields_map_state_status_people_and_dates(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    _pay(cloud)
    tracker = make_jira(cloud)
    v21 = (await tracker.milestones())[0]

    opened, doing, done = await tracker.issues(v21)

    assert opened.url == f"{cloud.url}/browse/PAY-1"
    assert (opened.ref, opened.title, opened.status, opened.state) == (
        "PAY-1",
        "Open one",
        "To Do",
        State.OPEN,
    )
    assert (opened.assignees, opened.labels, opened.priority) == (("Lee Walsh",), ("ui",), "Medium")
    assert (opened.author, opened.milestone, opened.body) == ("Dana Kim", v21.url, None)
    assert (doing.status, doing.state, doing.priority, doing.due) == (
        "In Review",
        State.OPEN,
        "High",
        date(2026, 1, 20),
    )
    assert doing.closed_at is None
    assert (done.state, done.status, done.closed_at) == (State.CLOSED, "Done", BASE_TIME - DAY)
    assert done.created == BASE_TIME - 9 * DAY
    recent = await tracker.recent_closed(BASE_TIME - 2 * DAY)
    assert [i.ref for i in recent] == ["PAY-3", "PAY-4"]


async def test_cloud_pages_by_token_with_listed_fields_and_never_the_old_search(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    cloud.add_project("PAY")
    v = cloud.add_version("PAY", "2.1")
    for n in range(250):
        cloud.add_issue("PAY", f"Issue {n}", versions=(v.id,))
    tracker = make_jira(cloud)

    (milestone,) = await tracker.milestones()

    searches = cloud.hits("/rest/api/3/search/jql")
    assert [h.query.get("nextPageToken") is None for h in searches] == [True, False, False]
    assert {h.query["maxResults"] for h in searches} == {"100"}
    fields = set(searches[0].query["fields"].split(","))
    assert {"summary", "status", "fixVersions", "resolutiondate", "updated"} <= fields
    assert (
        searches[0].query["jql"] == f'(project = "PAY") AND (fixVersion = {v.id}) ORDER BY key ASC'
    )

    assert milestone.open_count == 250
    assert len(await tracker.issues(milestone)) == 250
    assert not cloud.hits("/rest/api/*/search")
    auth = searches[0].headers["authorization"]
    assert auth == "Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
    old = httpx.get(f"{cloud.url}/rest/api/3/search", headers={"Authorization": auth})
    assert old.status_code == 410  # the fake answers the retired search as Atlassian does


async def test_server_pages_by_start_at_concurrently_under_a_context_path(
    server: FakeJira, make_jira: MakeJira
) -> None:
    server.add_project("OPS")
    v = server.add_version("OPS", "5.0")
    for n in range(250):
        server.add_issue(
            "OPS",
            f"Issue {n}",
            versions=(v.id,),
            assignee="Sam Ortiz" if n == 0 else None,
            created=datetime(2026, 1, 2, 23, 30, tzinfo=UTC),
        )
    tracker = make_jira(server, projects=("OPS",))

    (milestone,) = await tracker.milestones()
    issues = await tracker.issues(milestone)

    hits = server.hits("/rest/api/2/search")
    assert sorted(int(h.query["startAt"]) for h in hits) == [0, 100, 200]
    assert all(h.headers["authorization"] == f"Bearer {TOKEN}" for h in hits)
    assert not server.hits("/rest/api/3/*")
    assert len(issues) == 250
    first = issues[0]
    assert first.url == f"{server.url}/browse/OPS-1"
    assert server.url.endswith("/jira")
    assert first.assignees == ("Sam Ortiz",)  # Server users carry name/key, no accountId
    assert first.created == datetime(2026, 1, 2, 23, 30, tzinfo=UTC)  # written as -0800


async def test_an_issue_in_several_versions_goes_to_the_first_unreleased(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    ids = _pay(cloud)
    cloud.add_issue("PAY", "Backport", versions=(ids["2.0"], ids["2.2"], ids["2.1"]))
    tracker = make_jira(cloud)

    v21, v22, v20 = await tracker.milestones()

    assert "PAY-9" in [i.ref for i in await tracker.issues(v21)]
    assert (v21.open_count, v22.open_count, v20.open_count) == (3, 1, 0)
    assert "PAY-9" not in [i.ref for i in await tracker.issues(v22) + await tracker.issues(v20)]


async def test_bodies_render_adf_and_wiki_markup(
    cloud: FakeJira, server: FakeJira, make_jira: MakeJira
) -> None:
    adf = {
        "type": "doc",
        "version": 1,
        "content": [
            {
                "type": "heading",
                "attrs": {"level": 2},
                "content": [{"type": "text", "text": "Why"}],
            },
            {
                "type": "paragraph",
                "content": [
                    {"type": "mention", "attrs": {"id": "5b10", "text": "@Lee Walsh"}},
                    {"type": "text", "text": " see "},
                    {"type": "text", "text": "log", "marks": [{"type": "code"}]},
                ],
            },
        ],
    }
    for fake, description in ((cloud, adf), (server, "h2. Why\n* *one*\n{code}x{code}")):
        fake.add_project("PAY")
        v = fake.add_version("PAY", "1")
        fake.add_issue("PAY", "With body", versions=(v.id,), description=description)
        fake.add_issue("PAY", "Without", versions=(v.id,))
    cloud_tracker, server_tracker = make_jira(cloud), make_jira(server)
    cloud_issues = await cloud_tracker.issues((await cloud_tracker.milestones())[0])
    server_issues = await server_tracker.issues((await server_tracker.milestones())[0])

    assert await cloud_tracker.issue_body(cloud_issues[0]) == "## Why\n\n@Lee Walsh see `log`"
    assert await server_tracker.issue_body(server_issues[0]) == "## Why\n- **one**\n```\nx\n```"
    assert await cloud_tracker.issue_body(cloud_issues[1]) == ""
    (hit,) = cloud.hits("/rest/api/3/issue/PAY-1")
    assert hit.query == {"fields": "description"}
    assert server.hits("/rest/api/2/issue/PAY-1")


async def test_untrusted_text_is_stored_cleaned(
    cloud: FakeJira, make_jira: MakeJira, isolated_env: Path
) -> None:
    cloud.add_project("PAY")
    v = cloud.add_version("PAY", "2.1 [bold red]x[/]", description="a\x1b[2Jb")
    cloud.add_issue(
        "PAY",
        "[bold red]x[/] \x1b[31mred\x1b[0m\nsecond line ✓",
        versions=(v.id,),
        labels=("bug\x07",),
        assignee="Eve \x1b]8;;http://evil\x07",
        description={"type": "doc", "content": [{"type": "text", "text": "Hi \x1b[31m"}]},
    )
    tracker = make_jira(cloud)

    (milestone,) = await tracker.milestones()
    (issue,) = await tracker.issues(milestone)
    body = await tracker.issue_body(issue)

    assert (milestone.title, milestone.ref) == ("2.1 [bold red]x[/]", "PAY@2.1 [bold red]x[/]")
    assert milestone.description == "a␛[2Jb"
    assert issue.title == "[bold red]x[/] ␛[31mred␛[0m second line ✓"
    assert issue.labels == ("bug␇",)
    assert issue.assignees == ("Eve ␛]8;;http://evil␇",)
    assert body == "Hi ␛[31m"
    assert "\x1b" not in body + issue.title + milestone.description + issue.assignees[0]
    assert TOKEN not in repr(tracker)
    cache = list((isolated_env / "cache").rglob("*"))
    assert not any(TOKEN in p.read_text() for p in cache if p.is_file())


async def test_user_jql_is_anded_into_every_search(cloud: FakeJira, make_jira: MakeJira) -> None:
    cloud.add_project("PAY")
    v = cloud.add_version("PAY", "2.1")
    cloud.add_issue("PAY", "Theirs", versions=(v.id,), labels=("team-b",))
    cloud.add_issue("PAY", "Ours", versions=(v.id,), labels=("team-a",))
    cloud.add_issue("PAY", "Ours too", versions=(v.id,), labels=("team-a", "x"))
    tracker = make_jira(cloud, jql="labels = team-a OR labels = x order by created DESC")

    (milestone,) = await tracker.milestones()
    tracker.start_refresh()
    await tracker.milestones()  # the incremental refresh filters the same way

    assert [i.title for i in await tracker.issues(milestone)] == ["Ours", "Ours too"]
    assert milestone.open_count == 2
    queries = [h.query["jql"] for h in cloud.hits("/rest/api/3/search/jql")]
    assert len(queries) == 3
    assert all("(labels = team-a OR labels = x)" in q for q in queries)
    assert all(q.count("ORDER BY") == 1 and q.endswith("ORDER BY key ASC") for q in queries)


async def test_projects_are_fetched_concurrently_within_the_limit(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    keys = [f"P{n}" for n in range(8)]
    for key in keys:
        cloud.add_project(key)
        v = cloud.add_version(key, "1")
        cloud.add_issue(key, "x", versions=(v.id,))
    cloud.latency = 0.05
    tracker = make_jira(cloud, projects=tuple(keys), concurrency=3)

    milestones = await tracker.milestones()

    assert [m.ref for m in milestones] == [f"{k}@1" for k in keys]
    assert 2 <= cloud.max_in_flight <= 3
    assert tracker.requests == 16


async def test_server_pages_follow_a_lower_cap_than_asked(
    server: FakeJira, make_jira: MakeJira
) -> None:
    server.add_project("PAY")
    v = server.add_version("PAY", "1")
    for n in range(100):
        server.add_issue("PAY", f"Issue {n}", versions=(v.id,))
    server.max_results = 40  # an admin lowered jira.search.views.default.max
    tracker = make_jira(server)

    (milestone,) = await tracker.milestones()

    starts = sorted(int(h.query["startAt"]) for h in server.hits("/rest/api/2/search"))
    assert starts == [0, 40, 80]
    assert [i.ref for i in await tracker.issues(milestone)] == [f"PAY-{n}" for n in range(1, 101)]
