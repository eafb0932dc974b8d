"""Jira faults: rate limits, credentials, missing projects, bad JQL, broken answers, slow
servers; every one a pullboard error whose message names the source, the site and the fix."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from conftest import NOW, MakeJira
from fakes.jira_server import TOKEN, FakeJira, errors
from fakes.waits import Waits

from pullboard.board import Board
from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.errors import AuthFailed, RateLimited, SourceRejected, SourceUnreachable
from pullboard.sources.http import Backoff


def _pay(fake: FakeJira) -> None:
    fake.add_project("PAY")
    v = fake.add_version("PAY", "2.1")
    fake.add_issue("PAY", "One", versions=(v.id,))


async def test_429_waits_as_long_as_retry_after_says(
    cloud: FakeJira, make_jira: MakeJira, waits: Waits
) -> None:
    _pay(cloud)
    cloud.fail("/rest/api/3/search/jql", 429, headers={"Retry-After": "7"}, body=errors("Slow"))
    tracker = make_jira(cloud)

    (milestone,) = await tracker.milestones()

    assert milestone.open_count == 1
    assert waits.delays == [7.0]
    assert [h.status for h in cloud.hits("/rest/api/3/search/jql")] == [429, 200]


async def test_a_long_rate_limit_fails_the_source_with_the_wait(
    cloud: FakeJira, make_jira: MakeJira, waits: Waits
) -> None:
    _pay(cloud)
    cloud.fail("/rest/api/3/search/jql", 429, headers={"Retry-After": "3600"})

    with pytest.raises(RateLimited) as caught:
        await make_jira(cloud).milestones()

    assert caught.value.retry_after == 3600
    assert waits.delays == []
    message = str(caught.value)
    assert message.startswith("jira: ")
    assert "127.0.0.1" in message and "rate limit is used up while fetching project PAY" in message


async def test_401_says_how_to_fix_the_token(
    cloud: FakeJira, make_jira: MakeJira, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pay(cloud)
    monkeypatch.setenv("JIRA_API_TOKEN", "wrong-token")

    with pytest.raises(AuthFailed) as caught:
        await make_jira(cloud).milestones()

    message = str(caught.value)
    assert "did not accept the credentials (401)" in message
    assert 'Jira said: "You are not authenticated.' in message
    assert "`pullboard auth set jira`" in message and "JIRA_API_TOKEN" in message
    assert "`email`" in message  # Cloud tokens go with the account e-mail
    assert "wrong-token" not in message and TOKEN not in message


async def test_no_token_says_where_to_put_one(
    server: FakeJira, make_jira: MakeJira, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pay(server)
    monkeypatch.delenv("JIRA_API_TOKEN")

    with pytest.raises(AuthFailed) as caught:
        await make_jira(server).milestones()

    assert "No token was found. Set a token with `export JIRA_API_TOKEN=<token>`" in str(
        caught.value
    )
    assert "personal access token" in str(caught.value)
    assert "authorization" not in server.hits()[0].headers


async def test_a_cloud_token_without_email_is_refused_before_sending(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    _pay(cloud)
    tracker = make_jira(cloud, email="")

    with pytest.raises(AuthFailed, match=r'add email = "you@example.com"'):
        await tracker.milestones()

    assert cloud.hits() == []


async def test_sprints_without_a_board_say_so(cloud: FakeJira, make_jira: MakeJira) -> None:
    with pytest.raises(SourceRejected, match=r'milestones = "sprints" needs the agile board id'):
        await make_jira(cloud, milestones="sprints").milestones()
    assert cloud.hits() == []


async def test_an_unknown_board_and_a_failing_sprint_search_are_named(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    _pay(cloud)
    cloud.add_sprint(12, "Sprint 42")

    with pytest.raises(SourceRejected, match=r"board 99 was not found on .* \(404\)"):
        await make_jira(cloud, milestones="sprints", board=99).milestones()
    cloud.fail("/rest/api/3/search/jql", 400, body=errors("Sprint field is hidden."))
    with pytest.raises(SourceRejected, match=r"search for Sprint 42 on board 12 \(400\)"):
        await make_jira(cloud, milestones="sprints", board=12).milestones()


async def test_an_unknown_project_names_project_and_site(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    _pay(cloud)

    with pytest.raises(SourceRejected) as caught:
        await make_jira(cloud, projects=("PAY", "NOPE")).milestones()

    assert not isinstance(caught.value, AuthFailed)
    message = str(caught.value)
    assert f"project NOPE was not found on {cloud.url.removeprefix('http://')} (404)" in message
    assert "No project could be found with key 'NOPE'." in message


async def test_bad_jql_quotes_jira_and_points_at_the_config(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    _pay(cloud)

    with pytest.raises(SourceRejected) as caught:
        await make_jira(cloud, jql="nosuchfield = 1").milestones()

    message = str(caught.value)
    assert "rejected the search for project PAY (400)" in message
    assert "Field 'nosuchfield' does not exist" in message and "Check `jql`" in message


async def test_the_errors_object_is_quoted_too(cloud: FakeJira, make_jira: MakeJira) -> None:
    _pay(cloud)
    body = {"errorMessages": [], "errors": {"jql": "The query is too long."}}
    cloud.fail("/rest/api/3/search/jql", 400, body=body)

    with pytest.raises(SourceRejected, match=r'Jira said: "jql: The query is too long\."'):
        await make_jira(cloud).milestones()


@pytest.mark.parametrize("path", ["/rest/api/3/search/jql", "/rest/api/3/project/PAY/versions"])
async def test_malformed_json_is_rejected_with_what_was_fetched(
    cloud: FakeJira, make_jira: MakeJira, path: str
) -> None:
    _pay(cloud)
    cloud.fail(path, 200, body='{"issues": [')

    with pytest.raises(SourceRejected) as caught:
        await make_jira(cloud).milestones()

    assert str(caught.value).startswith("jira: 127.0.0.1:")
    assert "sent an answer for project PAY that is not JSON" in str(caught.value)


async def test_server_errors_are_retried_with_backoff(
    server: FakeJira, make_jira: MakeJira, waits: Waits
) -> None:
    _pay(server)
    server.fail("/rest/api/2/project/PAY/versions", 503, times=2)

    (milestone,) = await make_jira(server).milestones()

    assert milestone.title == "2.1"
    assert waits.delays == [0.5, 1.0]
    assert [h.status for h in server.hits("/rest/api/2/project/*")] == [503, 503, 200]


async def test_a_silent_server_times_out(
    cloud: FakeJira, make_jira: MakeJira, waits: Waits
) -> None:
    _pay(cloud)
    cloud.fail("/rest/api/3/search/jql", None, times=None, delay=2.0)
    backoff = Backoff(attempts=2, sleep=waits.sleep, jitter=lambda: 1.0)
    tracker = make_jira(cloud, backoff=backoff, timeout=httpx.Timeout(0.2, connect=1.0))

    with pytest.raises(SourceUnreachable, match=r"didn't answer within 0.2 s \(tried 2 times\)"):
        await tracker.milestones()


async def test_server_flavor_against_cloud_suggests_cloud(make_jira: MakeJira) -> None:
    with FakeJira("cloud", token=None) as fake:
        _pay(fake)

        with pytest.raises(SourceRejected) as caught:
            await make_jira(fake, flavor="server").milestones()

    assert "no longer offers /rest/api/2/search (410 Gone)" in str(caught.value)
    assert 'set flavor = "cloud" and email' in str(caught.value)


async def test_forbidden_and_captcha_are_auth_problems(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    _pay(cloud)
    cloud.fail("/rest/api/3/project/PAY/versions", 403, body=errors("No permission."))
    with pytest.raises(AuthFailed, match=r"refused access to project PAY \(403\)"):
        await make_jira(cloud).milestones()
    cloud.fail("*", 403, headers={"X-Seraph-LoginReason": "AUTHENTICATION_DENIED"})
    with pytest.raises(AuthFailed, match="CAPTCHA"):
        await make_jira(cloud).milestones()


async def test_one_failing_jira_source_never_blanks_the_board(
    cloud: FakeJira, server: FakeJira, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pay(cloud)
    _pay(server)
    monkeypatch.setenv("LEGACY_TOKEN", "expired")
    sources = (
        SourceConfig(
            "pay",
            "jira",
            cloud.url,
            projects=("PAY",),
            milestones="versions",
            email="dana@example.com",
            flavor="cloud",
        ),
        SourceConfig(
            "legacy",
            "jira",
            server.url,
            projects=("PAY",),
            milestones="versions",
            flavor="server",
            token_env="LEGACY_TOKEN",
        ),
    )
    board_config = BoardConfig(insights=tmp_path / "insights.toml")
    board = Board(Config(path=tmp_path / "config.toml", board=board_config, sources=sources))
    try:
        first = await board.refresh(full=True)
        cloud.fail("/rest/api/3/project/PAY/versions", 404)
        second = await board.refresh(full=True)
    finally:
        await board.aclose()

    pay, legacy = first.sources
    assert (pay.ok, legacy.ok) == (True, False)
    assert legacy.error is not None and "legacy: " in legacy.error and "(401)" in legacy.error
    assert [m.ref for m in first.milestones] == ["PAY@2.1"]
    assert [i.ref for i in first.issues] == ["PAY-1"]
    pay, legacy = second.sources
    assert (pay.ok, pay.from_cache) == (False, True)
    assert [m.ref for m in second.milestones] == ["PAY@2.1"]  # kept from the last good fetch


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("[" * 100_000 + "]" * 100_000, "sent JSON nested too deeply to read."),
        ('[{"id": "1", "name": "2.1", "releaseDate": 1e20}]', "that pullboard can't read"),
        ('[{"id": "1", "name": "2.1", "releaseDate": 1e400}]', "sent JSON with an infinite"),
    ],
    ids=["nested", "epoch-millis-1e20", "1e400"],
)
async def test_hostile_json_is_a_sentence_for_the_source(
    cloud: FakeJira, make_jira: MakeJira, body: str, says: str
) -> None:
    _pay(cloud)
    cloud.fail("/rest/api/3/project/PAY/versions", 200, body=body)

    with pytest.raises(SourceRejected) as caught:
        await make_jira(cloud).milestones()

    assert str(caught.value).startswith("jira: 127.0.0.1:")
    assert says in str(caught.value)


async def test_a_failed_load_is_shared_by_every_read_of_the_refresh(
    cloud: FakeJira, make_jira: MakeJira
) -> None:
    """The board reads milestones, recent closes and all issues at once; when the load fails
    they all get its error, and the host is not asked all over again (a dead host would
    otherwise cost two timeouts)."""
    cloud.add_project("PAY")
    cloud.fail("/rest/api/3/project/PAY/versions", 503, times=None)
    tracker = make_jira(cloud)
    tracker.start_refresh()

    results = await asyncio.gather(
        tracker.milestones(),
        tracker.recent_closed(NOW),
        tracker.all_issues(),
        return_exceptions=True,
    )

    assert all(isinstance(r, SourceUnreachable) for r in results)
    attempts = len(cloud.hits("/rest/api/3/project/PAY/versions"))
    assert attempts == Backoff().attempts  # one load's retries, not three loads'
