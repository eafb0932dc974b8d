"""Trackers: one module per kind, all behind `pullboard.sources.base.Tracker`."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias

from pullboard.config import Config, InsightsRepo, SourceConfig
from pullboard.errors import SourceRejected
from pullboard.sources.base import Tracker

if TYPE_CHECKING:  # httpx is imported only when a tracker goes online (start-up speed)
    import httpx

    from pullboard.sources.github.contents import ContentsClient

# httpx imports its command-line client (click, rich, pygments: about 35 ms, a tenth of an
# export) whenever click happens to be installed; pullboard never runs it. Marked absent
# before any tracker imports httpx, httpx defines its stub `main` instead.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

Transport: TypeAlias = "httpx.AsyncBaseTransport"
"""What tests inject instead of real sockets (`httpx.MockTransport`, a fake's transport)."""

__all__ = ["Tracker", "Transport", "open_contents", "open_tracker"]


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


def open_contents(
    config: Config, repo: InsightsRepo, *, transport: Transport | None = None
) -> ContentsClient:
    """The GitHub contents client for the insights file in a repository (`[board] insights`),
    with the API url and token of the GitHub source the table names.

    Raises:
        ConfigError: no such source (the config loader already refuses that).
    """
    from pullboard.sources.github.contents import ContentsClient

    return ContentsClient(repo, config.source(repo.source), transport=transport)
