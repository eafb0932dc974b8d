"""The GitHub source against the fake server over real sockets: mapping, paging, ETags."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fakes.github_server import BASE_TIME, TOKEN, FakeGitHub
from msgspec.structs import replace

from pullboard.model import SourceData, State
from pullboard.sources.github import GitHubTracker

MakeTracker = Callable[..., GitHubTracker]

DAY = timedelta(days=1)


def _shop(fake: FakeGitHub) -> None:
    """A repo with one milestone of 12 issues (3 closed) and 2 pull requests mixed in."""
    fake.add_repo("acme/shop")
    fake.add_milestone(
        "acme/shop", "v1.4", due_on=datetime(2026, 2, 1, 8, tzinfo=UTC), description=None
    )
    for n in range(14):
        closed = n < 3
        fake.add_issue(
            "acme/shop",
            f"Issue {n}",
            milestone=1,
            state="closed" if closed else "open",
            closed_at=BASE_TIME + DAY * (n + 1) if closed else None,
            created_at=BASE_TIME - DAY * n,
            pull=n in (5, 9),
            assignees=("dana",) if n % 2 else (),
            labels=("priority: high",) if n == 4 else (),
        )


async def test_milestones_carry_counts_due_dates_and_web_urls(
    github: FakeGitHub, make_tracker: MakeTracker
) -> None:
    _shop(github)
    github.add_milestone("acme/shop", "No date", description=None)
    github.add_milestone("acme/shop", "Old", state="closed")
    tracker = make_tracker(github)

    milestones = await tracker.milestones()

    assert [m.title for m in milestones] == ["v1.4", "No date"]
    v14, undated = milestones
    assert v14.url == "https://github.com/acme/shop/milestone/1"
    assert v14.ref == "acme/shop@v1.4"
    assert v14.key == "acme/shop/1"
    assert (v14.open_count, v14.closed_count) == (11, 3)  # GitHub counts pull requests too
    assert v14.due == date(2026, 2, 1)
    assert v14.description == ""
    assert undated.due is None
    assert len(await make_tracker(github, milestones="all").milestones()) == 3


async def test_issues_follow_next_links_in_repositories_form(
    github: FakeGitHub, make_tracker: MakeTracker
) -> None:
    _shop(github)
    github.max_per_page = 5
    tracker = make_tracker(github)
    milestone = (await tracker.milestones())[0]
    github.clear_log()

    issues = await tracker.issues(milestone)

    repo_id = github.repos["acme/shop"].id
    hits = github.hits()
    assert [h.path for h in hits] == [
        "/repos/acme/shop/issues",
        f"/repositories/{repo_id}/issues",
        f"/repositories/{repo_id}/issues",
    ]
    assert [h.query.get("page") for h in hits[:1]] == [None]
    assert sorted(h.query.get("page") or "" for h in hits[1:]) == ["2", "3"]
    assert all(h.query["milestone"] == "1" and h.query["state"] == "all" for h in hits)
    assert len(issues) == 12  # 14 items, 2 of them pull requests
    assert not any("/pull/" in i.url for i in issues)
    assert {i.milestone for i in issues} == {milestone.url}


async def test_issue_fields_status_priority_and_people(
    github: FakeGitHub, make_tracker: MakeTracker
) -> None:
    _shop(github)
    tracker = make_tracker(github)
    issues = {i.ref: i for i in await tracker.issues((await tracker.milestones())[0])}

    done, doing, todo = issues["acme/shop#2"], issues["acme/shop#4"], issues["acme/shop#5"]
    assert (done.state, done.status, done.closed_at) == (
        State.CLOSED,
        "Done",
        BASE_TIME + 2 * DAY,
    )
    assert (doing.status, doing.assignees) == ("In progress", ("dana",))
    assert (todo.status, todo.priority, todo.labels) == ("To do", "High", ("priority: high",))
    assert todo.url == "https://github.com/acme/shop/issues/5"
    assert todo.author == "octocat"
    assert todo.body is None  # fetched when opened


async def test_untrusted_text_is_stored_cleaned(
    github: FakeGitHub, make_tracker: MakeTracker
) -> None:
    github.add_repo("acme/shop")
    github.add_milestone("acme/shop", "Ünïcødé 🚀 [bold red]x[/]", description="a\x1b[2Jb")
    github.add_issue(
        "acme/shop",
        "[bold red]x[/] \x1b[31mred\x1b[0m\nsecond line ✓",
        milestone=1,
        labels=("bug\x07",),
        body="Hello \x1b]8;;http://evil\x07link\x1b]8;;\x07",
    )
    tracker = make_tracker(github)

    milestone = (await tracker.milestones())[0]
    (issue,) = await tracker.issues(milestone)
    body = await tracker.issue_body(issue)

    assert milestone.title == "Ünïcødé 🚀 [bold red]x[/]"
    assert milestone.description == "a␛[2Jb"
    assert issue.title == "[bold red]x[/] ␛[31mred␛[0m second line ✓"
    assert issue.labels == ("bug␇",)
    assert body == "Hello ␛]8;;http://evil␇link␛]8;;␇"
    assert "\x1b" not in body + issue.title + milestone.description


async def test_recent_closed_filters_on_closed_at_across_repos(
    github: FakeGitHub, make_tracker: MakeTracker
) -> None:
    since = BASE_TIME + timedelta(days=10, hours=6)
    for repo in ("acme/shop", "acme/web"):
        github.add_repo(repo)
        github.add_milestone(repo, "m1")
        github.add_issue(repo, "closed late", milestone=1, state="closed", closed_at=since + DAY)
        # Updated after `since` (so GitHub returns it) but closed before: not a recent close.
        github.add_issue(
            repo, "touched", state="closed", closed_at=since - DAY, updated_at=since + DAY
        )
        github.add_issue(repo, "long ago", state="closed", closed_at=since - 5 * DAY)
        github.add_issue(repo, "open", milestone=1, updated_at=since + DAY)
    tracker = make_tracker(github, "acme/shop", "acme/web")

    closed = await tracker.recent_closed(since)

    assert sorted(i.ref for i in closed) == ["acme/shop#1", "acme/web#1"]
    assert closed[0].milestone == "https://github.com/acme/shop/milestone/1"
    assert {h.query["since"] for h in github.hits("*/issues")} == {"2026-01-15T00:00:00Z"}


async def everything(tracker: GitHubTracker, previous: SourceData | None = None) -> SourceData:
    """A full refresh as the board runs one, as the data the board would keep."""
    tracker.start_refresh(previous)
    milestones, issues, closed = await asyncio.gather(
        tracker.milestones(), tracker.all_issues(), tracker.recent_closed(BASE_TIME)
    )
    data = SourceData(tuple(milestones), tuple(closed), BASE_TIME)
    return data.with_lists((m.url for m in milestones), issues, dict(tracker.marks))


async def test_warm_refresh_with_the_previous_data_is_all_304s(
    github: FakeGitHub, make_tracker: MakeTracker, isolated_env: Path
) -> None:
    _shop(github)
    github.max_per_page = 5

    cold = await everything(make_tracker(github))
    assert set(github.statuses()) == {200}
    github.clear_log()

    warm = await everything(make_tracker(github), cold)  # a new client: a new process

    assert (warm.milestones, warm.issues, warm.marks) == (cold.milestones, cold.issues, cold.marks)
    assert github.statuses() == [304] * 3, "milestones, first issues page, recent closes"
    assert all(h.headers.get("if-none-match", "").startswith('W/"') for h in github.hits())
    assert list((isolated_env / "cache").rglob("*.json")) == [], "no bodies, no validators"


async def test_without_previous_data_nothing_is_conditional(
    github: FakeGitHub, make_tracker: MakeTracker
) -> None:
    _shop(github)
    cold = await everything(make_tracker(github))
    github.clear_log()

    await everything(make_tracker(github), replace(cold, marks={}))
    await everything(make_tracker(github))

    assert set(github.statuses()) == {200}
    assert not any("if-none-match" in h.headers for h in github.hits())


async def test_changed_data_is_fetched_again(github: FakeGitHub, make_tracker: MakeTracker) -> None:
    _shop(github)
    await make_tracker(github).milestones()
    github.repos["acme/shop"].milestones[1].title = "v1.4.1"
    github.clear_log()

    (milestone,) = await make_tracker(github).milestones()

    assert milestone.title == "v1.4.1"
    assert github.statuses() == [200]


async def test_requests_carry_api_headers_and_bearer_token(
    github: FakeGitHub, make_tracker: MakeTracker
) -> None:
    _shop(github)
    tracker = make_tracker(github)
    await tracker.milestones()

    (hit,) = github.hits()
    assert hit.headers["authorization"] == f"Bearer {TOKEN}"
    assert hit.headers["accept"] == "application/vnd.github+json"
    assert hit.headers["x-github-api-version"] == "2022-11-28"
    assert hit.headers["user-agent"].startswith("pullboard/")
    assert hit.query == {"state": "open", "per_page": "100"}
    assert TOKEN not in repr(tracker)
    assert tracker.rate is not None and tracker.rate.remaining == 4999


async def test_enterprise_base_path_and_web_host(
    enterprise: FakeGitHub, make_tracker: MakeTracker
) -> None:
    _shop(enterprise)
    enterprise.max_per_page = 5
    tracker = make_tracker(enterprise)  # token from GH_ENTERPRISE_TOKEN

    milestone = (await tracker.milestones())[0]
    issues = await tracker.issues(milestone)

    web = enterprise.origin
    assert tracker.web == web
    assert milestone.url == f"{web}/acme/shop/milestone/1"
    assert issues[0].url.startswith(f"{web}/acme/shop/issues/")
    assert all(h.path.startswith("/api/v3/") for h in enterprise.hits())
    assert any(h.path.startswith("/api/v3/repositories/") for h in enterprise.hits())
    assert {h.status for h in enterprise.hits()} == {200}


async def test_repos_are_fetched_concurrently_within_the_limit(
    github: FakeGitHub, make_tracker: MakeTracker
) -> None:
    repos = [f"acme/r{n}" for n in range(12)]
    for repo in repos:
        github.add_repo(repo)
        github.add_milestone(repo, "m")
    github.latency = 0.05
    tracker = make_tracker(github, *repos, concurrency=4)

    milestones = await tracker.milestones()

    assert [m.ref for m in milestones] == [f"{r}@m" for r in repos]
    assert 2 <= github.max_in_flight <= 4


async def test_numbered_pages_after_the_first_are_fetched_at_once_in_order(
    github: FakeGitHub, make_tracker: MakeTracker
) -> None:
    github.add_repo("acme/big")
    github.add_milestone("acme/big", "m")
    for n in range(25):
        github.add_issue("acme/big", f"issue {n}", milestone=1)
    github.max_per_page = 5
    tracker = make_tracker(github, "acme/big")
    milestone = (await tracker.milestones())[0]
    github.latency = 0.05
    github.max_in_flight = 0

    issues = await tracker.issues(milestone)

    # Page 1 says `rel="last"` is page 5: pages 2-5 go out together, and the list keeps the
    # server's order whatever order the pages land in.
    assert github.max_in_flight == 4
    assert [i.title for i in issues] == [f"issue {n}" for n in range(25)]


async def test_all_issues_is_one_listing_per_repo_equal_to_the_per_milestone_lists(
    github: FakeGitHub, make_tracker: MakeTracker
) -> None:
    _shop(github)
    github.add_milestone("acme/shop", "v1.5")
    github.add_issue("acme/shop", "later", milestone=2)
    github.add_issue("acme/shop", "no milestone")
    tracker = make_tracker(github)
    milestones = await tracker.milestones()
    per_milestone = [i for m in milestones for i in await tracker.issues(m)]
    github.clear_log()

    everything = await tracker.all_issues()

    assert sorted(everything, key=lambda i: i.url) == sorted(per_milestone, key=lambda i: i.url)
    assert len(everything) == 13  # 12 issues of v1.4 (pull requests left out), 1 of v1.5
    assert [(h.path, h.query["milestone"]) for h in github.hits()] == [
        ("/repos/acme/shop/issues", "*")
    ]


async def test_recent_closed_stays_free_as_the_clock_moves_within_a_day(
    github: FakeGitHub, make_tracker: MakeTracker
) -> None:
    _shop(github)
    tracker = make_tracker(github)
    morning = BASE_TIME + timedelta(hours=-11)  # the board passes now - window each refresh

    tracker.start_refresh()
    first = await tracker.recent_closed(morning)
    held = SourceData((), tuple(first), BASE_TIME, marks=tracker.marks)
    tracker.start_refresh(held)
    later = await tracker.recent_closed(morning + timedelta(hours=8))
    tracker.start_refresh(held)
    earlier = await tracker.recent_closed(morning - timedelta(hours=1))  # not all held: read

    assert github.statuses() == [200, 304, 200]
    assert len(first) == 3 and later == first and earlier == first
