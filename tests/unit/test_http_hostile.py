"""Hostile values in headers and bodies: each is a sentence for that source, never a crash."""

from __future__ import annotations

import math
from collections.abc import Callable

import httpx
import pytest
from fakes.waits import Waits

from pullboard.errors import RateLimited, SourceRejected
from pullboard.sources.http import Backoff, HttpClient, Page, rate_info, standard_rate_limit

API = "https://api.example.test"
NOW = 1_760_000_000.0
ABSURD = "99999999999999999"
"""An `x-ratelimit-reset` read as epoch milliseconds: year 3,170,843."""


@pytest.fixture
def waits() -> Waits:
    return Waits()


def client(answer: Callable[[], httpx.Response], waits: Waits) -> HttpClient:
    backoff = Backoff(sleep=waits.sleep, jitter=lambda: 1.0, clock=lambda: NOW)
    return HttpClient(
        "src",
        API,
        backoff=backoff,
        transport=httpx.MockTransport(lambda request: answer()),
    )


@pytest.mark.parametrize(
    "reset",
    [ABSURD, "1e400", "-1e400", "nan", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"],
)
def test_an_unusable_reset_time_on_a_200_is_ignored(reset: str) -> None:
    headers = {"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999"}
    info = rate_info(httpx.Response(200, headers={**headers, "x-ratelimit-reset": reset}))
    assert info is not None and info.reset_at is None and info.remaining == 4999


@pytest.mark.parametrize("after", ["1e12", "1e400", "inf"])
def test_a_retry_after_beyond_any_calendar_is_a_limit_too_long_to_wait(after: str) -> None:
    limit = standard_rate_limit(httpx.Response(429, headers={"retry-after": after}), NOW)
    assert limit is not None and limit.wait >= 1e12 and limit.reset_at is None


def test_a_retry_after_that_is_not_a_number_is_retried_at_the_normal_backoff() -> None:
    limit = standard_rate_limit(httpx.Response(429, headers={"retry-after": "nan"}), NOW)
    assert limit is not None and limit.backoff and limit.reset_at is None


async def test_a_far_future_reset_fails_the_source_with_a_sentence(waits: Waits) -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": ABSURD}
    http = client(lambda: httpx.Response(403, headers=headers), waits)

    with pytest.raises(RateLimited) as caught:
        await http.get("/a", subject="acme/shop")

    assert str(caught.value) == (
        "src: the api.example.test rate limit is used up while fetching acme/shop, and "
        "api.example.test gave no usable reset time; the board shows cached data until it lifts."
    )
    assert waits.delays == []


async def test_a_huge_retry_after_fails_the_source_with_a_sentence(waits: Waits) -> None:
    http = client(lambda: httpx.Response(429, headers={"retry-after": "1e12"}), waits)

    with pytest.raises(RateLimited) as caught:
        await http.get("/a")

    assert str(caught.value) == (
        "src: api.example.test asked pullboard to slow down (secondary rate limit) for longer "
        "than pullboard waits; try again later."
    )
    assert waits.delays == []


async def test_an_absurd_reset_on_a_200_lets_the_data_through(waits: Waits) -> None:
    headers = {"x-ratelimit-remaining": "4999", "x-ratelimit-reset": ABSURD}
    answer = httpx.Response(200, json=[1], headers=headers)
    http = client(lambda: answer, waits)

    assert (await http.get("/a")).json() == [1]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('[{"open_issues": 1e400}]', "with an infinite or NaN number"),
        ('[{"open_issues": -1e400}]', "with an infinite or NaN number"),
        ('{"n": NaN}', "with an infinite or NaN number"),
        ('{"n": Infinity}', "with an infinite or NaN number"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply to read"),
        ('{"a": ' * 5_000 + "1" + "}" * 5_000, "nested too deeply to read"),
    ],
    ids=["1e400", "-1e400", "NaN", "Infinity", "arrays", "objects"],
)
def test_json_a_parser_chokes_on_is_rejected_with_a_sentence(body: str, says: str) -> None:
    with pytest.raises(SourceRejected) as caught:
        Page(f"{API}/a", body).json()

    assert str(caught.value) == f"api.example.test sent JSON {says}."


def test_ordinary_floats_still_parse() -> None:
    assert Page(f"{API}/a", "[1.5, 2e10, -0.0, 1e-400]").json() == [1.5, 2e10, -0.0, 0.0]
    assert not math.isinf(Page(f"{API}/a", "[1e308]").json()[0])


async def test_a_deeply_nested_error_body_still_gives_the_status(waits: Waits) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    http = client(lambda: httpx.Response(404, text=deep), waits)

    with pytest.raises(SourceRejected, match=r"^src: api.example.test answered 404 Not Found\.$"):
        await http.get("/a")


def test_a_library_message_ending_in_a_period_reads_as_one_sentence() -> None:
    """httpx says "Server disconnected without sending a response."; the sentence around it
    must not end "response.." (a QA finding)."""
    import httpx

    from pullboard.sources.http.errors import translate

    err = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    text = str(translate(err, "example.test", httpx.Timeout(5.0), tries=1))
    assert text.endswith("without sending a response.") and ".." not in text
