"""Tracker items and where they come from: what a source delivers, before any analysis.

Every milestone and issue is named twice: by its web `url` (what people paste, and what
insights point at) and by a short `ref` (`acme/shop#123`, `acme/shop@v1.4`, `PAY-77`).
Text fields hold tracker text already cleaned by `pullboard.text.clean`. Its own module
because sources and the cache need only this, never insights or analysis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlsplit

import msgspec
from msgspec.structs import force_setattr, replace


class State(StrEnum):
    """Open or closed, the same for milestones and issues of every tracker."""

    OPEN = "open"
    CLOSED = "closed"


class Source(msgspec.Struct, frozen=True):
    """One configured tracker (or the demo)."""

    name: str
    """Unique name from the config, shown on the board and used as the keyring username."""
    kind: str
    """`github`, `jira` or `demo`."""


class Milestone(msgspec.Struct, frozen=True):
    """A GitHub milestone, or a Jira version or sprint."""

    url: str
    """Canonical web URL, e.g. `https://github.com/acme/shop/milestone/3`."""
    ref: str
    """Short name, e.g. `acme/shop@v1.4` or `PAY@2.1`."""
    source: str
    """Name of the source it came from."""
    title: str
    state: State
    due: date | None
    open_count: int
    """Open issues as the tracker counts them (GitHub `open_issues`)."""
    closed_count: int
    description: str = ""
    created: datetime | None = None
    closed_at: datetime | None = None
    key: str = ""
    """Tracker-specific handle used to fetch its issues (GitHub number, Jira version id)."""


class Issue(msgspec.Struct, frozen=True):
    """A GitHub issue (never a pull request) or a Jira issue."""

    url: str
    """Canonical web URL, e.g. `https://github.com/acme/shop/issues/123`."""
    ref: str
    """Short name, e.g. `acme/shop#123` or `PAY-77`."""
    source: str
    milestone: str | None
    """URL of its milestone, or None."""
    title: str
    state: State
    status: str
    """Tracker status name as people say it: `Open`, `In Progress`, `Done`."""
    created: datetime
    updated: datetime
    closed_at: datetime | None = None
    assignees: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    priority: str | None = None
    due: date | None = None
    author: str = ""
    body: str | None = None
    """Markdown body; None until fetched (GitHub fetches it when the issue is opened)."""


class SourceData(msgspec.Struct, frozen=True):
    """What one source delivered: kept in memory by the board and on disk by the cache."""

    milestones: tuple[Milestone, ...]
    issues: tuple[Issue, ...]
    fetched_at: datetime
    complete: frozenset[str] = frozenset()
    """URLs of milestones whose full issue list has been fetched (the rest hold recent closes)."""
    marks: Mapping[str, str] = msgspec.field(default_factory=dict)
    """The tracker's validators (ETags) of the listings this data was read from, by listing.
    Kept with the data, never apart: a 304 proves only that the listing is still the one
    these marks were taken from, so the data it vouches for must be exactly this data."""

    def __post_init__(self) -> None:
        """Recent closes and cached lists name their milestone by its own URL too (`_attached`)."""
        force_setattr(self, "issues", _attached(self.milestones, self.issues))

    def same_as(self, other: SourceData | None) -> bool:
        """True when `other` holds the same data, whenever it was fetched (nothing to save)."""
        return other is not None and (
            self.milestones,
            self.issues,
            self.complete,
            self.marks,
        ) == (other.milestones, other.issues, other.complete, other.marks)

    def keeping(self, old: SourceData | None) -> SourceData:
        """These fresh milestones and recent closes with the issue lists `old` knew, so an
        overview paints at once while the lists are fetched, its counts consistent."""
        if old is None:
            return self
        known = {i.url: i for i in old.issues if i.milestone in old.complete}
        known.update({i.url: i for i in self.issues})
        return replace(self, issues=tuple(known.values()), complete=old.complete)

    def with_lists(
        self, milestones: Iterable[str], issues: Iterable[Issue], marks: Mapping[str, str]
    ) -> SourceData:
        """`issues` as the whole new lists of the milestones with these URLs (issues may have
        moved out of them), read under `marks`; the rest stays."""
        fetched = frozenset(milestones)
        merged = {i.url: i for i in self.issues if i.milestone not in fetched}
        merged.update(
            {i.url: i for i in _attached(self.milestones, tuple(issues)) if i.milestone in fetched}
        )
        return replace(
            self, issues=tuple(merged.values()), complete=self.complete | fetched, marks=marks
        )


def _attached(milestones: tuple[Milestone, ...], issues: tuple[Issue, ...]) -> tuple[Issue, ...]:
    """`issues`, each naming its milestone by that milestone's own URL.

    A server may spell one milestone's page two ways: its milestone list sent an unusable
    `html_url` (`javascript:...`), so pullboard built the page from the API host, while its
    issue list names the page on the web host. The same path on another host is the same
    milestone of this source; without this its issues would belong to no milestone and drop
    off the board.
    """
    urls = {m.url for m in milestones}
    if all(i.milestone is None or i.milestone in urls for i in issues):
        return issues  # the usual case, kept cheap: nothing to re-point
    paths: dict[str, list[str]] = {}
    for url in urls:
        paths.setdefault(urlsplit(url).path, []).append(url)
    return tuple(
        replace(i, milestone=same[0])
        if i.milestone is not None
        and i.milestone not in urls
        and len(same := paths.get(urlsplit(i.milestone).path, [])) == 1
        else i
        for i in issues
    )


Item = TypeVar("Item", Milestone, Issue)


def unique_by_url(items: Iterable[Item]) -> list[Item]:
    """The first item with each URL, in order: two sources on one repository, or a server
    naming two milestones with one html_url, must not show (or count) anything twice."""
    first: dict[str, Item] = {}
    for item in items:
        first.setdefault(item.url, item)
    return list(first.values())
