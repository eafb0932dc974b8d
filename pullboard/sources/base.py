"""The one interface every tracker implements; the demo too, so `--demo` runs the real pipeline."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from pullboard.model import Issue, Milestone, Source, SourceData


class Tracker(Protocol):
    """A connection to one configured source for one run.

    Every method may raise only `pullboard.errors.SourceError` subclasses (`SourceUnreachable`,
    `SourceRejected`, `AuthFailed`, `RateLimited`); transport exceptions never escape.
    Text in returned objects is already cleaned with `pullboard.text`.
    """

    source: Source
    reuses: bool
    """True when the tracker answers unchanged listings from `start_refresh`'s `previous`:
    only then does a new process read it from the snapshot cache to pass it."""
    progress: Callable[[str], None] | None
    """Told, in a sentence, when the tracker has to wait (a rate limit resetting)."""

    async def milestones(self) -> list[Milestone]:
        """Milestones with their open/closed counts: what the overview needs at once."""
        ...

    async def issues(self, milestone: Milestone) -> list[Issue]:
        """Every issue of one milestone (open and closed), bodies not necessarily included."""
        ...

    async def all_issues(self) -> list[Issue]:
        """Every issue (open and closed) of every milestone `milestones` shows, in as few
        round trips as the tracker allows: what a full refresh needs. Issues of milestones
        the board doesn't show may come too; the board keeps only its milestones' issues."""
        ...

    async def recent_closed(self, since: datetime) -> list[Issue]:
        """Issues closed at or after `since`, across all milestones, for close-rate forecasts."""
        ...

    async def issue_body(self, issue: Issue) -> str:
        """The issue's body as Markdown, fetched when a user opens the issue."""
        ...

    def start_refresh(self, previous: SourceData | None = None) -> None:
        """A refresh begins: per-refresh limits (the request budget) start over.

        Args:
            previous: what the board holds for this source (from this process, or the
                snapshot cache in a new one), with the `marks` it was read under. A tracker may
                return parts of it for listings the server says are unchanged, instead of
                reading and mapping them again; it returns exactly what it would have read.
        """
        ...

    @property
    def marks(self) -> Mapping[str, str]:
        """Validators of the listings this refresh read, which the board keeps with the data
        (`SourceData.marks`) and hands back as `previous` next time. Empty when the tracker
        has none (the demo, Jira)."""
        ...

    async def aclose(self) -> None:
        """Release the HTTP client."""
        ...
