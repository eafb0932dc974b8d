"""The shared HTTP client against `httpx.MockTransport`s that fail on any unexpected request."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fakes.waits import Waits

from pullboard.errors import RateLimited, SourceRejected, SourceUnreachable
from pullboard.sources.http import (
    Backoff,
    HttpClient,
    Limit,
    Page,
    parse_link,
    rate_info,
    standard_rate_limit,
)

API = "https://api.example.test"
NOW = 1_760_000_000.0
"""A real epoch time (2025-10-09), so epoch seconds and milliseconds are told apart."""
Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def waits() -> Waits:
    return Waits()


def routes(table: dict[str, list[httpx.Response]], seen: list[httpx.Request]) -> Handler:
    """Answer `path?query` keys in order; anything else fails the test."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        key = request.url.raw_path.decode()
        assert table.get(key), f"unexpected request {request.method} {request.url}"
        return table[key].pop(0)

    return handle


def client(handler: Handler, waits: Waits, tmp_path: Path, **kw: object) -> HttpClient:
    backoff = Backoff(sleep=waits.sleep, jitter=lambda: 1.0, clock=lambda: NOW)
    return HttpClient(
        "src",
        API,
        headers={"Authorization": "Bearer s3cret"},
        backoff=backoff,
        transport=httpx.MockTransport(handler),
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, {}),
        ("", {}),
        (
            '<https://api.github.com/repositories/3544490/issues?per_page=1&page=2>; rel="next", '
            '<https://api.github.com/repositories/3544490/issues?per_page=1&page=341>; rel="last"',
            {
                "next": "https://api.github.com/repositories/3544490/issues?per_page=1&page=2",
                "last": "https://api.github.com/repositories/3544490/issues?per_page=1&page=341",
            },
        ),
        ('<https://x/i?labels=a,b&page=2>; rel="next"', {"next": "https://x/i?labels=a,b&page=2"}),
        ("<https://x/a>; rel=next, <https://x/b>; title=x", {"next": "https://x/a"}),
        ('<https://x/a>; rel="prev first"', {"prev": "https://x/a", "first": "https://x/a"}),
    ],
)
def test_parse_link(header: str | None, expected: dict[str, str]) -> None:
    assert parse_link(header) == expected


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (200, {"x-ratelimit-remaining": "0"}, None),
        (403, {}, None),
        (404, {"retry-after": "5"}, None),
        (403, {"retry-after": "5"}, Limit(5.0, datetime.fromtimestamp(NOW + 5, UTC), False)),
        (
            403,
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 30)},
            Limit(31.0, datetime.fromtimestamp(NOW + 30, UTC), True),
        ),
        (  # epoch milliseconds (octokit's normalized fixtures)
            429,
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW + 30) * 1000)},
            Limit(31.0, datetime.fromtimestamp(NOW + 30, UTC), True),
        ),
        (  # ISO 8601 (Jira)
            429,
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "2025-10-09T08:53:50Z"},
            Limit(31.0, datetime(2025, 10, 9, 8, 53, 50, tzinfo=UTC), True),
        ),
        (429, {}, Limit(60.0, datetime.fromtimestamp(NOW + 60, UTC), False)),
    ],
)
def test_standard_rate_limit(status: int, headers: dict[str, str], expected: Limit | None) -> None:
    assert standard_rate_limit(httpx.Response(status, headers=headers), NOW) == expected


def test_rate_info_reads_the_quota() -> None:
    response = httpx.Response(
        200,
        headers={
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": "4998",
            "X-RateLimit-Reset": "1735944560",
            "X-RateLimit-Resource": "core",
        },
    )
    info = rate_info(response)
    assert info is not None
    assert (info.limit, info.remaining, info.resource) == (5000, 4998, "core")
    assert info.reset_at == datetime(2025, 1, 3, 22, 49, 20, tzinfo=UTC)
    assert rate_info(httpx.Response(200)) is None


@pytest.mark.parametrize(
    ("retry", "jitter", "expected"),
    [(1, 1.0, 0.5), (2, 1.0, 1.0), (3, 1.0, 2.0), (1, 0.0, 0.25), (9, 1.0, 8.0), (9, 0.0, 4.0)],
)
def test_backoff_doubles_with_jitter_and_a_cap(retry: int, jitter: float, expected: float) -> None:
    assert Backoff(jitter=lambda: jitter).delay(retry) == expected


async def test_a_caller_holding_the_data_revalidates_and_nothing_is_stored(
    tmp_path: Path, waits: Waits
) -> None:
    headers = {"ETag": '"v1"', "Link": "<x>"}
    seen: list[httpx.Request] = []
    table = {
        "/items?per_page=100": [
            httpx.Response(200, json=[1], headers=headers),
            httpx.Response(304, headers={"ETag": '"v1"', "Link": "<x>"}),
        ]
    }
    http = client(routes(table, seen), waits, tmp_path)

    fresh = await http.get("/items", {"per_page": 100})
    again = await http.get("/items", {"per_page": 100}, etag=fresh.etag)

    assert (fresh.cached, fresh.etag) == (False, '"v1"')
    assert (again.cached, again.etag, again.text, again.link) == (True, '"v1"', "", "<x>")
    assert "if-none-match" not in seen[0].headers
    assert seen[1].headers["if-none-match"] == '"v1"'
    assert list(tmp_path.rglob("*.json")) == [], "no body and no validator kept on disk"
    await http.aclose()


async def test_answers_without_validators_are_not_cached(tmp_path: Path, waits: Waits) -> None:
    seen: list[httpx.Request] = []
    table = {"/a": [httpx.Response(200, json={}), httpx.Response(200, json={})]}
    http = client(routes(table, seen), waits, tmp_path)

    await http.get("/a")
    await http.get("/a")

    assert "if-none-match" not in seen[1].headers
    assert list(tmp_path.rglob("*.json")) == []
    await http.aclose()


async def test_next_links_to_another_host_are_refused(tmp_path: Path, waits: Waits) -> None:
    seen: list[httpx.Request] = []
    link = '<https://evil.test/steal?page=2>; rel="next"'
    table = {"/a": [httpx.Response(200, json=[1], headers={"Link": link})]}
    http = client(routes(table, seen), waits, tmp_path)

    with pytest.raises(SourceRejected, match=r"^src: api.example.test sent a link to another"):
        await http.get_all("/a")

    assert [r.url.host for r in seen] == ["api.example.test"]
    await http.aclose()


async def test_pagination_stops_on_a_looping_next_link(tmp_path: Path, waits: Waits) -> None:
    seen: list[httpx.Request] = []
    link = f'<{API}/a>; rel="next"'
    table = {"/a": [httpx.Response(200, json=[1], headers={"Link": link})]}

    items = await client(routes(table, seen), waits, tmp_path).get_all("/a")

    assert items == [1] and len(seen) == 1


async def test_a_non_list_page_is_rejected(tmp_path: Path, waits: Waits) -> None:
    table = {"/a": [httpx.Response(200, json={"message": "hi"})]}
    with pytest.raises(SourceRejected, match="sent no list for acme"):
        await client(routes(table, []), waits, tmp_path).get_all("/a", subject="acme")


def raising(
    err: type[httpx.RequestError], cause: BaseException | None
) -> tuple[Handler, list[httpx.Request]]:
    """A transport that fails every request with `err` (caused by `cause`, as httpcore does)."""
    calls: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise err("boom", request=request) from cause

    return handle, calls


@pytest.mark.parametrize(
    ("err", "cause", "expected", "tries"),
    [
        (
            httpx.ConnectTimeout,
            None,
            "src: Couldn't connect to api.example.test within 10 s: the server may be down or "
            "out of reach (network, VPN), or the url in the config may be wrong.",
            1,
        ),
        (
            httpx.ReadTimeout,
            None,
            "src: api.example.test accepted the connection but didn't answer within 30 s. "
            "It may be down or overloaded; try again later.",
            1,
        ),
        (
            httpx.ConnectError,
            socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
            "src: Couldn't find the host api.example.test (DNS lookup failed). "
            "Check the url in the config and your network.",
            1,
        ),
        (
            httpx.ConnectError,
            socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"),
            "src: Couldn't find the host api.example.test (DNS lookup failed). "
            "Check the url in the config and your network.",
            4,
        ),
        (
            httpx.ConnectError,
            ssl.SSLCertVerificationError("certificate verify failed"),
            "src: The TLS handshake with api.example.test failed: boom.",
            1,
        ),
        (
            httpx.RemoteProtocolError,
            None,
            "src: The connection to api.example.test failed (tried 4 times): boom.",
            4,
        ),
    ],
)
async def test_transport_errors_become_actionable_messages(
    tmp_path: Path,
    waits: Waits,
    err: type[httpx.RequestError],
    cause: BaseException | None,
    expected: str,
    tries: int,
) -> None:
    handle, calls = raising(err, cause)
    http = client(handle, waits, tmp_path)

    with pytest.raises(SourceUnreachable) as caught:
        await http.get("/a")

    assert str(caught.value) == expected
    assert isinstance(caught.value.__cause__, err)
    assert len(calls) == tries == http.requests


async def test_rate_limited_keeps_its_fields_through_the_name_prefix(
    tmp_path: Path, waits: Waits
) -> None:
    reset = str(int(NOW) + 7200)
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}
    http = client(routes({"/a": [httpx.Response(403, headers=headers)]}, []), waits, tmp_path)

    with pytest.raises(RateLimited) as caught:
        await http.get("/a", subject="acme/shop")

    err = caught.value
    assert str(err).startswith("src: the api.example.test rate limit is used up while fetching")
    assert err.reset_at == datetime.fromtimestamp(NOW + 7200, UTC)
    assert err.retry_after == 7201.0
    assert waits.delays == []


def test_the_token_stays_out_of_reprs(tmp_path: Path, waits: Waits) -> None:
    http = client(routes({}, []), waits, tmp_path)
    assert "s3cret" not in repr(http) + repr(http._pool.client.headers) + repr(http._pool)


@pytest.mark.parametrize(
    ("err", "expected", "tries"),
    [
        (
            httpx.ConnectTimeout,
            "src: api.example.test answered earlier but then accepted no connection within "
            "10 s (tried 2 times); it may be down or overloaded. Try again later.",
            2,
        ),
        (
            httpx.ReadTimeout,
            "src: api.example.test accepted the connection but didn't answer within 30 s "
            "(tried 4 times). It may be down or overloaded; try again later.",
            4,
        ),
    ],
)
async def test_timeouts_from_a_host_that_answered_are_retried(
    tmp_path: Path, waits: Waits, err: type[httpx.RequestError], expected: str, tries: int
) -> None:
    calls: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(200, json=[])
        raise err("boom", request=request)

    http = client(handle, waits, tmp_path)
    await http.get("/up")

    with pytest.raises(SourceUnreachable) as caught:
        await http.get("/a")

    assert str(caught.value) == expected
    assert len(calls) == 1 + tries


@pytest.mark.parametrize(
    ("link", "later"),
    [
        (
            '<https://h/r/1/issues?per_page=5&page=2>; rel="next", '
            '<https://h/r/1/issues?per_page=5&page=4>; rel="last"',
            [f"https://h/r/1/issues?per_page=5&page={n}" for n in (2, 3, 4)],
        ),
        ('<https://h/x?page=2>; rel="next"', None),  # no last: follow next
        ('<https://h/x?cursor=abc>; rel="next", <https://h/x?cursor=zz>; rel="last"', None),
        ('<https://h/x?page=2>; rel="next", <https://h/y?page=3>; rel="last"', None),
        ('<https://h/x?page=2>; rel="next", <https://h/x?page=99999>; rel="last"', None),
        ('<https://h/x?page=3>; rel="next", <https://h/x?page=2>; rel="last"', None),
        (None, None),
    ],
)
def test_later_pages_only_when_the_links_number_them(link: str | None, later: object) -> None:
    assert Page("https://h/x", "[]", link).later_pages() == later


def test_https_sources_share_one_tls_context_and_http_ones_fail_closed() -> None:
    import ssl

    from pullboard.sources.http.client import _NO_TLS, verified_tls

    assert verified_tls() is verified_tls()  # the CA bundle is loaded once per process
    assert verified_tls().cert_store_stats()["x509_ca"] > 0
    # An http:// source's context trusts nobody: a redirect to https can't go unverified.
    assert _NO_TLS.verify_mode is ssl.CERT_REQUIRED and _NO_TLS.check_hostname
    assert _NO_TLS.cert_store_stats()["x509_ca"] == 0


def test_retry_after_as_an_http_date_is_the_time_until_then() -> None:
    from email.utils import formatdate

    def answer(value: str) -> httpx.Response:
        return httpx.Response(
            429, headers={"retry-after": value}, request=httpx.Request("GET", API)
        )

    in_three_hours = formatdate(NOW + 3 * 3600, usegmt=True)
    limit = standard_rate_limit(answer(in_three_hours), NOW)
    assert limit is not None and limit.wait == pytest.approx(3 * 3600)
    soon = standard_rate_limit(answer(formatdate(NOW + 30, usegmt=True)), NOW)
    assert soon is not None and soon.wait == pytest.approx(30)


async def test_a_list_past_the_page_cap_fails_instead_of_showing_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pullboard.sources.http.client.MAX_PAGES", 3)
    served = []

    def endless(request: httpx.Request) -> httpx.Response:
        served.append(request)
        nxt = f"{API}/items?cursor={len(served)}"
        return httpx.Response(200, json=[len(served)], headers={"link": f'<{nxt}>; rel="next"'})

    http = client(endless, Waits(), tmp_path)
    try:
        with pytest.raises(SourceRejected, match="kept sending more pages of x past 3"):
            await http.get_all("/items", subject="x")
    finally:
        await http.aclose()
    assert len(served) == 3


def test_long_text_is_shortened_with_an_ellipsis() -> None:
    from pullboard.text import shortened

    assert shortened("a" * 10, 10) == "a" * 10
    assert shortened("a" * 100_000) == "a" * 299 + "…"


@pytest.mark.parametrize("junk", ["soon", "", "-", "1.5.2", "Wed, 99 Foo 2026"])
def test_an_unreadable_retry_after_is_no_retry_after(junk: str) -> None:
    slow_down = standard_rate_limit(httpx.Response(429, headers={"retry-after": junk}), NOW)
    assert slow_down == Limit(0.0, None, primary=False, backoff=True)
    assert standard_rate_limit(httpx.Response(403, headers={"retry-after": junk}), NOW) is None


async def test_a_junk_retry_after_costs_the_normal_backoff_not_minutes(
    tmp_path: Path, waits: Waits
) -> None:
    junk = [httpx.Response(429, headers={"retry-after": "soon"}) for _ in range(9)]
    http = client(routes({"/a": junk}, []), waits, tmp_path)

    with pytest.raises(RateLimited):
        await http.get("/a")

    backoff = Backoff(jitter=lambda: 1.0)
    normal = sum(backoff.delay(retry) for retry in range(1, backoff.attempts))
    assert waits.delays and sum(waits.delays) <= normal  # 0.5 + 1 s, not 2 x 60 s
    assert waits.delays == [backoff.delay(1), backoff.delay(2)]

    answers = [*junk[:2], httpx.Response(200, json=[])]
    waits.delays.clear()
    assert (await client(routes({"/a": answers}, []), waits, tmp_path).get("/a")).text == "[]"
    assert waits.delays == [0.5, 1.0]
