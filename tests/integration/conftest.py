"""Fixtures for sources against fake tracker servers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from fakes.github_server import TOKEN, FakeGitHub
from fakes.waits import Waits

from pullboard.config import SourceConfig
from pullboard.sources.github import GitHubTracker
from pullboard.sources.http import Backoff


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def backoff(waits: Waits) -> Backoff:
    """Retries as in production, but without waiting and without jitter."""
    return Backoff(sleep=waits.sleep, jitter=lambda: 1.0)


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """A github.com-like fake (html_url on https://github.com) that requires `TOKEN`."""
    monkeypatch.setenv("FAKE_GH_TOKEN", TOKEN)
    with FakeGitHub(token=TOKEN) as fake:
        yield fake


@pytest.fixture
def enterprise(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """An Enterprise Server-like fake: API under /api/v3, web pages on its own host."""
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    with FakeGitHub(prefix="/api/v3", token=TOKEN) as fake:
        yield fake


MakeTracker = Callable[..., GitHubTracker]
"""`make_tracker(fake, *repos, **options)`: options are SourceConfig fields or tracker args."""


@pytest.fixture
async def make_tracker(backoff: Backoff) -> AsyncIterator[MakeTracker]:
    """Build GitHub trackers against a fake; all are closed after the test."""
    made: list[GitHubTracker] = []

    def make(fake: FakeGitHub, *repos: str, **options: Any) -> GitHubTracker:
        fields = {
            key: options.pop(key)
            for key in ("milestones", "labels", "token_env", "name")
            if key in options
        }
        config = SourceConfig(
            name=fields.pop("name", "gh"),
            kind="github",
            url=fake.url,
            repos=repos or ("acme/shop",),
            milestones=fields.pop("milestones", "open"),
            token_env=fields.pop("token_env", "" if fake.prefix else "FAKE_GH_TOKEN"),
            **fields,
        )
        options.setdefault("backoff", backoff)
        options.setdefault("timeout", httpx.Timeout(5.0, connect=2.0))
        tracker = GitHubTracker(config, **options)
        made.append(tracker)
        return tracker

    yield make
    for tracker in made:
        await tracker.aclose()
