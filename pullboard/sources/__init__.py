"""Trackers: one module per kind, all behind `pullboard.sources.base.Tracker`."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias
from urllib.parse import urlsplit

from pullboard.config import Config, SourceConfig
from pullboard.errors import SourceRejected
from pullboard.sources.base import Tracker

if TYPE_CHECKING:  # httpx is imported only when a tracker goes online (start-up speed)
    import httpx

Transport: TypeAlias = "httpx.AsyncBaseTransport"
"""What tests inject instead of real sockets (`httpx.MockTransport`, a fake's transport)."""

__all__ = ["Tracker", "Transport", "open_tracker", "unexpected_failure"]


def open_tracker(
    config: Config,
    source: SourceConfig,
    now: datetime,
    *,
    transport: Transport | None = None,
) -> Tracker:
    """Build the tracker for one configured source.

    Args:
        config: the whole config (the demo flag lives there).
        source: the source to open.
        now: the board's clock (the demo's dates are relative to it).
        transport: injected by tests; None means real HTTP.

    Raises:
        SourceRejected: for a kind this build can't talk to.
    """
    if config.demo:
        from pullboard.sources.demo import DemoTracker

        return DemoTracker(source, now)
    if source.kind == "github":
        from pullboard.sources.github import GitHubTracker

        return GitHubTracker(source, transport=transport)
    if source.kind == "jira":
        from pullboard.sources.jira import JiraTracker

        return JiraTracker(source, transport=transport)
    raise SourceRejected(f"{source.name}: {source.kind} sources are not supported yet")


def unexpected_failure(source: SourceConfig, err: Exception) -> str:
    """A sentence for an exception no layer below turned into a `SourceError`. It names only
    the exception's type: its text may hold a request header, and so a token."""
    host = urlsplit(source.url).hostname or "its server"
    return (
        f"{source.name}: pullboard failed unexpectedly ({type(err).__name__}) while reading "
        f"{host}; this is a bug worth reporting, and the other sources are not affected."
    )
