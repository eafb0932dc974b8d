"""Keeping a Jira source's issues: one search per bucket, incremental refreshes, and placing
every issue in exactly one milestone.

A bucket is a search (a project's shown versions, or one sprint). Jira sends no ETags for
searches, so after the first full fetch a bucket is refreshed from two cheap requests: its
keys (large pages) and the issues updated since it last ran. Keys tell which issues left
(dropped) and which joined; one that joined without being updated (a JQL function or a date
moved it in) makes the bucket fetch whole again, as does `FULL_EVERY`. What was fetched is
kept beside the source's HTTP validators, so a new process refreshes incrementally too.
"""

from __future__ import annotations

import asyncio
import math
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import msgspec

from pullboard.model import Issue, Milestone, State
from pullboard.sources.http import HttpCache, gather_all
from pullboard.sources.jira import model as jira_model
from pullboard.sources.jira.model import FIELDS, Found
from pullboard.sources.jira.search import Search, jql
from pullboard.text import one_line, web_url

STATE = "jira-sync"
"""Name the fetched buckets are kept under, beside the source's HTTP validators."""
STATE_FORMAT = 1
"""Bumped when `Fetched` changes shape: an older state is ignored (one full fetch)."""
FULL_EVERY = timedelta(hours=1)
"""A bucket is fetched whole at least this often, whatever the deltas said."""
MARGIN = timedelta(minutes=5)
"""Overlap of incremental searches: clock skew and Jira's search-index lag."""
_KEY = re.compile(r"([A-Za-z][A-Za-z0-9_]*)-(\d+)")


@dataclass(frozen=True)
class Bucket:
    """One search whose issues are kept between refreshes."""

    clauses: tuple[str, ...]
    """JQL clauses, ANDed; also the bucket's identity (a new version set is a new bucket)."""
    subject: str
    """What it fetches, for messages: `project PAY`, `Sprint 42 on board 12`."""
    sprint: str | None = None
    """The sprint every issue found belongs to; None: membership comes from fixVersions."""
    parts: tuple[tuple[str, ...], ...] = ()
    """Clause sets whose searches together give the bucket, run at once on a full fetch:
    a search's pages come one after another on Cloud, so smaller searches finish sooner."""


@dataclass(frozen=True)
class Fetched:
    """A bucket's issues and when they were fetched."""

    bucket: Bucket
    at: datetime
    """When the search that produced `found` started (the next delta starts there)."""
    full_at: datetime
    found: dict[str, Found]


class IssueSync:
    """The issues of one source's buckets, refreshed incrementally.

    Args:
        search: the source's searches.
        source: the source name, for messages.
        site: the Jira site base, for issue URLs.
    """

    def __init__(
        self, search: Search, source: str, site: str, store: HttpCache | None = None
    ) -> None:
        self.search = search
        self.source = source
        self.site = site
        self.store = store
        self._fetched = {f.bucket.clauses: f for f in self._kept()}

    async def refresh(self, buckets: list[Bucket], now: datetime) -> list[Fetched]:
        """Bring every bucket up to date, concurrently; forget buckets no longer asked for.

        The state is kept again only when something in it changed: the `at` of an unchanged
        bucket may stay behind, which only widens its next delta search a little."""
        fetched = await gather_all(self._fetch(b, now) for b in buckets)
        before, self._fetched = self._fetched, {f.bucket.clauses: f for f in fetched}
        if self.store is not None and not _unchanged(before, fetched):
            self.store.keep(STATE, {"format": STATE_FORMAT, "site": self.site, "buckets": fetched})
        return fetched

    def _kept(self) -> list[Fetched]:
        """What an earlier run fetched, or nothing when there is none or it doesn't hold up
        (another site, another format, a wrong type, text no source would have mapped)."""
        kept = self.store.state(STATE) if self.store is not None else None
        if not isinstance(kept, dict) or kept.get("format") != STATE_FORMAT:
            return []
        if kept.get("site") != self.site:
            return []
        try:
            fetched = msgspec.convert(kept.get("buckets"), list[Fetched])
        except msgspec.ValidationError:
            return []
        issues = (found.issue for f in fetched for found in f.found.values())
        return fetched if all(map(_as_mapped, issues)) else []

    async def _fetch(self, bucket: Bucket, now: datetime) -> Fetched:
        previous = self._fetched.get(bucket.clauses)
        if previous is not None and timedelta(0) <= now - previous.full_at < FULL_EVERY:
            found = await self._delta(bucket, previous, now)
            if found is not None:
                return Fetched(bucket, now, previous.full_at, found)
        searches = await gather_all(
            self.search.issues(jql(*clauses), FIELDS, subject=bucket.subject)
            for clauses in bucket.parts or (bucket.clauses,)
        )
        raws = [raw for found in searches for raw in found]
        return Fetched(bucket, now, now, self._found(raws, bucket.subject))

    async def _delta(
        self, bucket: Bucket, previous: Fetched, now: datetime
    ) -> dict[str, Found] | None:
        """The bucket from its keys and its recently updated issues; None when an issue
        joined without being updated."""
        elapsed = max(now - previous.at, timedelta(0))
        minutes = math.ceil((elapsed + MARGIN).total_seconds() / 60)
        recent = jql(*bucket.clauses, f'updated >= "-{minutes}m"')
        keys, raws = await asyncio.gather(
            self.search.keys(jql(*bucket.clauses), subject=bucket.subject),
            self.search.issues(recent, FIELDS, subject=bucket.subject),
            return_exceptions=True,
        )
        if isinstance(keys, BaseException):
            raise keys
        if isinstance(raws, BaseException):
            raise raws
        changed = self._found(raws, bucket.subject)
        merged: dict[str, Found] = {}
        for key in keys:
            entry = changed.get(key) or previous.found.get(key)
            if entry is None:
                return None
            merged[key] = entry
        return merged | changed  # changed after the keys were listed: joined just now

    def _found(self, raws: list[dict[str, Any]], subject: str) -> dict[str, Found]:
        def build() -> dict[str, Found]:
            found = (jira_model.issue(raw, self.site, self.source) for raw in raws)
            return {f.issue.ref: f for f in found}

        return jira_model.guarded(self.source, self.search.http.host, subject, build)


def assemble(
    milestones: list[Milestone], fetched: list[Fetched], sprints: bool
) -> tuple[list[Milestone], list[Issue]]:
    """Place each issue in one milestone and count the milestones' issues.

    An issue in several fix versions goes to the first unreleased one in the project's
    version order (where it will ship), else the first released one. An issue carried over
    between sprints goes to its latest sprint, open sprints first.

    Returns:
        The milestones with their counts, and the placed issues in key order.
    """
    rank = {m.key: i for i, m in enumerate(milestones)}
    by_key = {m.key: m for m in milestones}
    candidates: dict[str, set[str]] = {}
    found: dict[str, Found] = {}
    for f in fetched:
        for key, entry in f.found.items():
            found[key] = entry
            ids = {f.bucket.sprint} if f.bucket.sprint else set(entry.versions)
            candidates.setdefault(key, set()).update(i for i in ids if i in by_key)

    def choose(ids: set[str]) -> Milestone:
        if sprints:
            return by_key[max(ids, key=lambda i: (by_key[i].state is State.OPEN, rank[i]))]
        return by_key[min(ids, key=lambda i: (by_key[i].state is State.CLOSED, rank[i]))]

    issues = [
        replace(found[key].issue, milestone=choose(ids).url)
        for key, ids in sorted(candidates.items(), key=lambda kv: key_order(kv[0]))
        if ids
    ]
    tally: dict[tuple[str | None, bool], int] = {}
    for issue in issues:
        slot = (issue.milestone, issue.closed_at is not None)
        tally[slot] = tally.get(slot, 0) + 1
    counted = [
        replace(
            m, open_count=tally.get((m.url, False), 0), closed_count=tally.get((m.url, True), 0)
        )
        for m in milestones
    ]
    return counted, issues


def _unchanged(before: dict[tuple[str, ...], Fetched], fetched: list[Fetched]) -> bool:
    """True when `fetched` holds the same buckets with the same issues and full-fetch times
    as `before` (the issues are mostly the very same objects: a quick comparison)."""
    return len(before) == len(fetched) and all(
        (old := before.get(f.bucket.clauses)) is not None
        and (old.full_at, old.found) == (f.full_at, f.found)
        for f in fetched
    )


def _as_mapped(issue: Issue) -> bool:
    """True when the issue reads as the mapping leaves one: a web URL, one printable line."""
    lines = (issue.ref, issue.title, issue.status, *issue.assignees, *issue.labels)
    return web_url(issue.url) == issue.url and all(one_line(s) == s for s in lines)


def key_order(key: str) -> tuple[str, int]:
    """`PAY-9` before `PAY-10`."""
    m = _KEY.fullmatch(key)
    return (m.group(1), int(m.group(2))) if m else (key, 0)
