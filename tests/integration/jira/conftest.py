"""Fixtures for the Jira source against fake Jira servers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fakes.jira_server import BASE_TIME, EMAIL, TOKEN, FakeJira

from pullboard.config import SourceConfig
from pullboard.sources.http import Backoff
from pullboard.sources.jira import JiraTracker

NOW = BASE_TIME + timedelta(days=3)
"""The tracker's clock in these tests (fake data is dated around BASE_TIME)."""


@pytest.fixture
def cloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJira]:
    """A Jira Cloud fake that wants Basic `EMAIL:TOKEN`; the token is in JIRA_API_TOKEN."""
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)
    with FakeJira("cloud") as fake:
        yield fake


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJira]:
    """A Data Center fake under the `/jira` context path that wants a Bearer PAT."""
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)
    with FakeJira("server", context="/jira") as fake:
        yield fake


class Clock:
    """A settable clock for trackers."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


MakeJira = Callable[..., JiraTracker]
"""`make_jira(fake, **options)`: options are SourceConfig fields or tracker arguments."""

CONFIG_FIELDS = ("name", "projects", "milestones", "board", "jql", "email", "flavor", "token_env")


@pytest.fixture
async def make_jira(backoff: Backoff) -> AsyncIterator[MakeJira]:
    """Build Jira trackers against a fake; all are closed after the test."""
    made: list[JiraTracker] = []

    def make(fake: FakeJira, **options: Any) -> JiraTracker:
        fields = {k: options.pop(k) for k in CONFIG_FIELDS if k in options}
        fields.setdefault("name", "jira")
        fields.setdefault("projects", ("PAY",))
        fields.setdefault("milestones", "versions")
        fields.setdefault("flavor", fake.flavor)
        fields.setdefault("email", EMAIL if fake.cloud else "")
        config = SourceConfig(kind="jira", url=fake.url, **fields)
        options.setdefault("backoff", backoff)
        options.setdefault("timeout", httpx.Timeout(5.0, connect=2.0))
        options.setdefault("clock", Clock())
        tracker = JiraTracker(config, **options)
        made.append(tracker)
        return tracker

    yield make
    for tracker in made:
        await tracker.aclose()
