"""A hostile or broken server fails its own source with a sentence; the run and the other
sources always land (issue 10, item 3)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fakes.github_server import TOKEN, FakeGitHub

from pullboard import export
from pullboard.board import Board
from pullboard.config import BoardConfig, Config, SourceConfig

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
MILESTONES = "/repos/acme/shop/milestones"


def milestone(**fields: Any) -> dict[str, Any]:
    """A GitHub milestone as the API sends it, with `fields` overriding."""
    return {
        "html_url": "https://github.com/acme/shop/milestone/1",
        "number": 1,
        "title": "v1",
        "state": "open",
        "open_issues": 1,
        "closed_issues": 1,
        "due_on": "2026-12-01T00:00:00Z",
        "created_at": "2026-01-01T00:00:00Z",
        "closed_at": None,
        "description": "",
        **fields,
    }


def source(name: str, url: str) -> SourceConfig:
    return SourceConfig(
        name=name, kind="github", url=url, repos=("acme/shop",), token_env="FAKE_TOKEN"
    )


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeGitHub, FakeGitHub]]:
    """Two servers with the same data on two web hosts (one item is one URL, so they must not
    share URLs): `good` stays healthy, the test turns `bad` hostile."""
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    with (
        FakeGitHub(token=TOKEN) as good,
        FakeGitHub(token=TOKEN, web="https://ghe.example") as bad,
    ):
        for fake in (good, bad):
            fake.add_repo("acme/shop")
            fake.add_milestone("acme/shop", "v1", due_on=NOW + timedelta(days=9))
            fake.add_issue("acme/shop", "open one", milestone=1, created_at=NOW - timedelta(3))
            fake.add_issue(
                "acme/shop",
                "closed one",
                milestone=1,
                state="closed",
                created_at=NOW - timedelta(days=5),
                closed_at=NOW - timedelta(days=2),
            )
        yield good, bad


def body(data: Any) -> str:
    return json.dumps(data)


HOSTILE: dict[str, tuple[Callable[[FakeGitHub], object], str | None]] = {
    "reset in year 3 million on every 200": (
        lambda f: setattr(f, "rate_reset", 99999999999999999),
        None,
    ),
    "Retry-After 1e12": (
        lambda f: f.fail(MILESTONES, 429, headers={"Retry-After": "1e12"}),
        "asked pullboard to slow down (secondary rate limit) while fetching acme/shop for "
        "longer than pullboard waits; try again later.",
    ),
    "a count of 1e400": (
        lambda f: f.fail(MILESTONES, 200, body='[{"number": 1, "open_issues": 1e400}]'),
        "sent JSON with an infinite or NaN number.",
    ),
    "JSON nested 100k deep": (
        lambda f: f.fail(MILESTONES, 200, body="[" * 100_000 + "]" * 100_000),
        "sent JSON nested too deeply to read.",
    ),
    "a date in year 1": (
        lambda f: f.fail(
            MILESTONES, 200, body=body([milestone(created_at="0001-01-01T00:00:00+05:00")])
        ),
        "that pullboard can't read",
    ),
    "a date in year 9999": (
        lambda f: f.fail(
            MILESTONES, 200, body=body([milestone(due_on="9999-12-31T23:59:59-05:00")])
        ),
        "that pullboard can't read",
    ),
}


@pytest.mark.parametrize("attack", list(HOSTILE))
async def test_a_hostile_server_fails_only_its_own_source(
    fakes: tuple[FakeGitHub, FakeGitHub], attack: str
) -> None:
    good, bad = fakes
    make_hostile, error = HOSTILE[attack]
    make_hostile(bad)
    config = Config(
        None, BoardConfig(title="t"), (source("good", good.url), source("bad", bad.url))
    )
    board = Board(config, clock=lambda: NOW)
    try:
        snap = await board.refresh(full=True)
    finally:
        await board.aclose()

    statuses = {s.name: s for s in snap.sources}
    assert statuses["good"].ok and statuses["good"].error is None
    assert {i.source for i in snap.issues} >= {"good"}
    if error is None:
        assert statuses["bad"].ok
    else:
        assert not statuses["bad"].ok and statuses["bad"].error is not None
        assert statuses["bad"].error.startswith("bad: 127.0.0.1:")
        assert error in statuses["bad"].error
    assert '"name": "good"' in export.to_json(snap)


async def test_a_milestone_claiming_ten_million_open_issues_still_paints(
    fakes: tuple[FakeGitHub, FakeGitHub],
) -> None:
    good, bad = fakes
    crowd = milestone(open_issues=10_000_000, html_url=f"{bad.web}/acme/shop/milestone/1")
    bad.fail(MILESTONES, 200, times=None, body=body([crowd]))
    config = Config(
        None, BoardConfig(title="t"), (source("good", good.url), source("bad", bad.url))
    )
    board = Board(config, clock=lambda: NOW)
    seen = []
    try:
        snap = await board.refresh(partial=seen.append)  # the overview: the tracker's counts
    finally:
        await board.aclose()

    assert len(seen) == 2 and all(s.ok for s in snap.sources)
    crowded = next(m for m in snap.milestones if m.open_count == 10_000_000)
    status = snap.status[crowded.url]
    assert status.forecast is None and status.close_rate > 0
    assert status.reason.startswith("At this pace the 10000000 open issues take more than")


def unexpected(request: httpx.Request) -> httpx.Response:
    """Two sources behind one transport: `good.test` answers, `bad.test` trips over a bug."""
    if request.url.host == "bad.test":
        raise RuntimeError("a bug below the source, ghp_notAToken in its text")
    if request.url.path == MILESTONES:
        return httpx.Response(200, json=[milestone()])
    return httpx.Response(200, json=[])


async def test_any_exception_from_one_source_becomes_its_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    sources = (source("good", "https://good.test"), source("bad", "https://bad.test"))
    board = Board(
        Config(None, BoardConfig(title="t"), sources),
        clock=lambda: NOW,
        transport=httpx.MockTransport(unexpected),
    )
    try:
        snap = await board.refresh(full=True)
    finally:
        await board.aclose()

    statuses = {s.name: s for s in snap.sources}
    assert statuses["good"].ok and [m.title for m in snap.milestones] == ["v1"]
    assert statuses["bad"].error == (
        "bad: pullboard failed unexpectedly (RuntimeError) while reading bad.test; this is "
        "a bug worth reporting, and the other sources are not affected."
    )


@pytest.mark.parametrize(
    "html_url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://github.com/x", ""]
)
async def test_a_milestone_with_an_unusable_html_url_keeps_its_issues(
    fakes: tuple[FakeGitHub, FakeGitHub], html_url: str
) -> None:
    """Only the milestone list is hostile: the issues embed the page on the web host, the
    milestone falls back to the page built from the API host (DESIGN "Names of things")."""
    good, _ = fakes
    hostile = good.milestone_json(good.repos["acme/shop"], good.repos["acme/shop"].milestones[1])
    good.fail(MILESTONES, 200, times=None, body=body([{**hostile, "html_url": html_url}]))
    config = Config(None, BoardConfig(title="t"), (source("shop", good.url),))
    board = Board(config, clock=lambda: NOW)
    try:
        overview = await board.refresh()  # milestones and recent closes: the pace
        snap = await board.refresh(full=True)
    finally:
        await board.aclose()

    (first,) = overview.milestones
    assert [i.title for i in overview.issues if i.milestone == first.url] == ["closed one"]
    assert overview.status[first.url].close_rate > 0
    (shown,) = snap.milestones
    assert shown.url == f"{good.url}/acme/shop/milestone/1"
    assert (shown.open_count, shown.closed_count) == (1, 1)
    attached = sorted(i.title for i in snap.issues if i.milestone == shown.url)
    assert attached == ["closed one", "open one"]
    assert board.has_issues(shown.url)
    assert snap.status[shown.url].open == 1
