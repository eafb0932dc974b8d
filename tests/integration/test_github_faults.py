"""Faults over real sockets: retries, rate limits, auth errors, slow and dead servers."""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
import pytest
from fakes.github_server import TOKEN, FakeGitHub, rate_limit_reset_in
from fakes.waits import Waits

from pullboard.errors import AuthFailed, RateLimited, SourceRejected, SourceUnreachable
from pullboard.sources.github import GitHubTracker
from pullboard.sources.http import Backoff

MakeTracker = Callable[..., GitHubTracker]
MILESTONES = "/repos/acme/shop/milestones"


@pytest.fixture
def shop(github: FakeGitHub) -> FakeGitHub:
    github.add_repo("acme/shop")
    github.add_milestone("acme/shop", "v1")
    return github


async def test_server_errors_are_retried_with_growing_delays(
    shop: FakeGitHub, make_tracker: MakeTracker, waits: Waits
) -> None:
    shop.fail(MILESTONES, 500, times=1)
    shop.fail(MILESTONES, 502, times=1)

    milestones = await make_tracker(shop).milestones()

    assert [m.title for m in milestones] == ["v1"]
    assert shop.statuses() == [500, 502, 200]
    assert waits.delays == [0.5, 1.0]


async def test_server_errors_give_up_after_the_attempts(
    shop: FakeGitHub, make_tracker: MakeTracker, waits: Waits
) -> None:
    shop.fail(MILESTONES, 503, times=None)

    with pytest.raises(SourceUnreachable) as caught:
        await make_tracker(shop).milestones()

    assert shop.statuses() == [503] * 4
    assert waits.delays == [0.5, 1.0, 2.0]
    message = str(caught.value)
    assert message.startswith("gh: 127.0.0.1:")
    assert "503 Service Unavailable" in message and "acme/shop" in message


async def test_bad_token_is_an_auth_error_with_a_fix_and_no_retry(
    shop: FakeGitHub, make_tracker: MakeTracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_GH_TOKEN", "ghp_expired")

    with pytest.raises(AuthFailed) as caught:
        await make_tracker(shop).milestones()

    message = str(caught.value)
    assert "rejected the token (401)" in message
    assert "pullboard auth set gh" in message and "FAKE_GH_TOKEN" in message
    assert "ghp_expired" not in message
    assert shop.statuses() == [401]


async def test_forbidden_without_rate_limit_signals_is_a_permission_error(
    shop: FakeGitHub, make_tracker: MakeTracker
) -> None:
    body = {"message": "Resource not accessible by personal access token", "status": "403"}
    shop.fail(MILESTONES, 403, body=body, headers={"X-Accepted-OAuth-Scopes": "repo"})

    with pytest.raises(AuthFailed) as caught:
        await make_tracker(shop).milestones()

    message = str(caught.value)
    assert "refused access to acme/shop (403)" in message
    assert "'repo' scope" in message and "Resource not accessible" in message
    assert shop.statuses() == [403]


async def test_sso_enforcement_names_the_authorization_page(
    shop: FakeGitHub, make_tracker: MakeTracker
) -> None:
    sso = "required; url=https://github.com/orgs/acme/sso?authorization_request=X"
    shop.fail(MILESTONES, 403, headers={"X-GitHub-SSO": sso})

    with pytest.raises(AuthFailed, match=r"SAML SSO .* at https://github.com/orgs/acme/sso"):
        await make_tracker(shop).milestones()


async def test_unknown_repo_names_repo_and_host(
    shop: FakeGitHub, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(shop, "acme/shop", "acme/typo")

    with pytest.raises(SourceRejected) as caught:
        await tracker.milestones()

    assert f"acme/typo was not found on {shop.origin[7:]} (404)" in str(caught.value)
    assert sorted(shop.statuses()) == [200, 404]


async def test_short_primary_rate_limit_waits_for_the_reset_and_says_so(
    shop: FakeGitHub, make_tracker: MakeTracker, waits: Waits
) -> None:
    reset = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": rate_limit_reset_in(30)}
    body = {"message": "API rate limit exceeded for user ID 1.", "documentation_url": "x"}
    shop.fail(MILESTONES, 403, headers=reset, body=body)
    told: list[str] = []

    milestones = await make_tracker(shop, progress=told.append).milestones()

    assert len(milestones) == 1
    assert shop.statuses() == [403, 200]
    (wait,) = waits.delays
    assert 29 <= wait <= 32
    (said,) = told
    assert said.startswith("gh: 127.0.0.1:") and "rate limit reached; waiting" in said


async def test_long_primary_rate_limit_fails_with_the_reset_time(
    shop: FakeGitHub, make_tracker: MakeTracker, waits: Waits
) -> None:
    reset = rate_limit_reset_in(3600)
    shop.fail(MILESTONES, 429, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset})

    with pytest.raises(RateLimited) as caught:
        await make_tracker(shop).milestones()

    err = caught.value
    assert err.reset_at is not None and int(err.reset_at.timestamp()) == int(reset)
    assert f"resets at {err.reset_at.astimezone():%H:%M:%S}" in str(err)
    assert str(err).startswith("gh: ")
    assert waits.delays == []
    assert shop.statuses() == [429]


@pytest.mark.parametrize("status", [403, 429])
async def test_secondary_rate_limit_honours_retry_after(
    shop: FakeGitHub, make_tracker: MakeTracker, waits: Waits, status: int
) -> None:
    body = {"message": "You have exceeded a secondary rate limit."}
    shop.fail(MILESTONES, status, headers={"Retry-After": "7"}, body=body)

    assert len(await make_tracker(shop).milestones()) == 1
    assert waits.delays == [7.0]
    assert shop.statuses() == [status, 200]


async def test_secondary_rate_limit_message_alone_pauses_a_minute(
    shop: FakeGitHub, make_tracker: MakeTracker, waits: Waits
) -> None:
    body = {"message": "You have triggered an abuse detection mechanism."}
    shop.fail(MILESTONES, 403, body=body)

    assert len(await make_tracker(shop).milestones()) == 1
    assert waits.delays == [60.0]


async def test_long_retry_after_is_not_sat_through(
    shop: FakeGitHub, make_tracker: MakeTracker, waits: Waits
) -> None:
    shop.fail(MILESTONES, 403, headers={"Retry-After": "900"}, times=None)

    with pytest.raises(RateLimited, match="secondary rate limit") as caught:
        await make_tracker(shop).milestones()

    assert caught.value.retry_after == 900
    assert waits.delays == []


async def test_rate_limit_waits_are_bounded(
    shop: FakeGitHub, make_tracker: MakeTracker, waits: Waits
) -> None:
    shop.fail(MILESTONES, 429, headers={"Retry-After": "1"}, times=None)

    with pytest.raises(RateLimited):
        await make_tracker(shop).milestones()

    assert waits.delays == [1.0, 1.0]
    assert shop.statuses() == [429] * 3


async def test_slow_answer_within_the_timeout_succeeds(
    shop: FakeGitHub, make_tracker: MakeTracker, waits: Waits
) -> None:
    shop.fail(MILESTONES, None, delay=0.3)

    tracker = make_tracker(shop, timeout=httpx.Timeout(2.0))

    assert len(await tracker.milestones()) == 1
    assert waits.delays == []


async def test_timeouts_from_a_host_that_answered_are_retried_then_reported(
    shop: FakeGitHub, make_tracker: MakeTracker, waits: Waits
) -> None:
    backoff = Backoff(attempts=2, sleep=waits.sleep, jitter=lambda: 1.0)
    tracker = make_tracker(shop, timeout=httpx.Timeout(0.2), backoff=backoff)
    await tracker.milestones()
    shop.fail(MILESTONES, None, delay=5.0, times=None)

    with pytest.raises(SourceUnreachable) as caught:
        await tracker.milestones()

    assert "didn't answer within 0.2 s (tried 2 times)" in str(caught.value)
    assert tracker.requests == 3
    assert waits.delays == [0.5]


async def test_a_host_that_never_answered_gets_one_timeout_not_four(
    shop: FakeGitHub, make_tracker: MakeTracker, waits: Waits
) -> None:
    shop.fail(MILESTONES, None, delay=5.0, times=None)
    tracker = make_tracker(shop, timeout=httpx.Timeout(0.2))

    with pytest.raises(SourceUnreachable) as caught:
        await tracker.milestones()

    assert str(caught.value) == (
        f"gh: {shop.origin.removeprefix('http://')} accepted the connection but didn't answer "
        "within 0.2 s. It may be down or overloaded; try again later."
    )
    assert tracker.requests == 1 and waits.delays == []


async def test_a_timeout_then_an_answer_succeeds(
    shop: FakeGitHub, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker(shop, timeout=httpx.Timeout(0.2))
    await tracker.milestones()
    shop.fail(MILESTONES, None, delay=5.0, times=1)

    assert len(await tracker.milestones()) == 1
    assert tracker.requests == 3


async def test_dropped_connection_is_retried(
    shop: FakeGitHub, make_tracker: MakeTracker, waits: Waits
) -> None:
    shop.fail(MILESTONES, drop=True)

    assert len(await make_tracker(shop).milestones()) == 1
    assert shop.statuses() == [0, 200]
    assert len(waits.delays) == 1


async def test_connection_refused_names_the_host(
    make_tracker: MakeTracker, waits: Waits, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("FAKE_GH_TOKEN", TOKEN)

    class Closed:
        url = f"http://127.0.0.1:{port}"
        prefix = ""

    with pytest.raises(SourceUnreachable) as caught:
        await make_tracker(Closed).milestones()

    assert str(caught.value) == (
        f"gh: Couldn't connect to 127.0.0.1:{port}: connection refused (tried 4 times). "
        "The server may be down, or the port in the config's url may be wrong."
    )
    assert len(waits.delays) == 3


async def test_garbage_body_is_rejected_not_crashed(
    shop: FakeGitHub, make_tracker: MakeTracker
) -> None:
    shop.fail(MILESTONES, 200, body="<html>proxy login</html>")

    with pytest.raises(SourceRejected, match="not JSON"):
        await make_tracker(shop).milestones()


async def test_unexpected_shape_is_rejected_not_crashed(
    shop: FakeGitHub, make_tracker: MakeTracker
) -> None:
    shop.fail(MILESTONES, 200, body=[{"title": "no number"}])

    with pytest.raises(SourceRejected, match="can't read"):
        await make_tracker(shop).milestones()
