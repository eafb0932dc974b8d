"""Keeping a Jira source's issues: one search per bucket, incremental refreshes, and placing
every issue in exactly one milestone.

A bucket is a search (a project's shown versions, or one sprint). Jira sends no ETags for
searches, so after the first full fetch a bucket is refreshed from two cheap requests: its
keys (large pages) and the issues updated since it last ran. Keys tell which issues left
(dropped) and which joined; one that joined without being updated (a JQL function or a date
moved it in) makes the bucket fetch whole again, as does `FULL_EVERY`.

Each bucket's sync times travel as a mark (`SourceData.marks`) with the issues they vouch for,
so a new process refreshes incrementally from the snapshot cache, as GitHub's ETags do: no
second copy of every issue to read, and never a sync time newer than the data it describes.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from msgspec.structs import replace

from pullboard.model import Issue, Milestone, SourceData, State
from pullboard.sources.http import gather_all, guarded
from pullboard.sources.jira import model as jira_model
from pullboard.sources.jira.model import FIELDS, Found
from pullboard.sources.jira.search import Search, jql
from pullboard.sources.jira.wire import JiraIssue

MARK = "jira-sync "
"""A mark named this plus a bucket's JQL holds when it was last searched, and searched whole."""
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

    @property
    def mark(self) -> str:
        """The name of this bucket's mark."""
        return MARK + jql(*self.clauses)


@dataclass(frozen=True)
class Synced:
    """A bucket's issues and when they were fetched."""

    at: datetime
    """When the search that produced `found` started (the next delta starts there); kept
    from the time before when nothing changed, so the mark (and the cache) stays as it is,
    which only widens the next delta search a little."""
    full_at: datetime
    found: dict[str, Found]


@dataclass(frozen=True)
class Fetched(Synced):
    """A bucket as this refresh left it."""

    bucket: Bucket = Bucket((), "")
    reused: bool = False
    """True when the refresh found exactly the issues held before, none of them changed."""

    @property
    def mark(self) -> tuple[str, str]:
        """This bucket's mark: its name and its sync times."""
        return self.bucket.mark, f"{self.at.isoformat()} {self.full_at.isoformat()}"


class IssueSync:
    """The issues of one source's buckets, refreshed incrementally.

    Args:
        search: the source's searches.
        source: the source name, for messages.
        site: the Jira site base, for issue URLs.
    """

    def __init__(self, search: Search, source: str, site: str) -> None:
        self.search = search
        self.source = source
        self.site = site
        self._synced: dict[str, Synced] = {}

    async def refresh(
        self,
        buckets: list[Bucket],
        now: datetime,
        milestones: list[Milestone],
        previous: SourceData | None = None,
        *,
        keep: bool = True,
    ) -> list[Fetched]:
        """Bring every bucket up to date, concurrently; forget buckets no longer asked for.

        Args:
            buckets: the searches to keep.
            now: when this refresh started.
            milestones: the milestones the buckets were made from.
            previous: what the board holds for this source, used when this tracker has not
                loaded yet (a new process): its marks and issues, from the snapshot cache.
            keep: False for a guess that may go unused: `kept` makes it the synced state.
        """
        synced = self._synced or _kept(previous, milestones)
        fetched = await gather_all(self._fetch(b, now, synced.get(b.mark)) for b in buckets)
        if keep:
            self.kept(fetched)
        return fetched

    def kept(self, fetched: list[Fetched]) -> None:
        """Take `fetched` as where each bucket now stands (a `keep=False` refresh, used)."""
        self._synced = {f.bucket.mark: f for f in fetched}

    async def _fetch(self, bucket: Bucket, now: datetime, previous: Synced | None) -> Fetched:
        if previous is not None and timedelta(0) <= now - previous.full_at < FULL_EVERY:
            found = await self._delta(bucket, previous, now)
            if found is not None:
                same = found.keys() <= previous.found.keys() and all(
                    previous.found[k] is entry for k, entry in found.items()
                )
                at = previous.at if same else now
                return Fetched(at, previous.full_at, found, bucket, reused=same)
        searches = await gather_all(
            self.search.issues(jql(*clauses), FIELDS, subject=bucket.subject)
            for clauses in bucket.parts or (bucket.clauses,)
        )
        raws = [raw for found in searches for raw in found]
        return Fetched(now, now, self._found(raws, bucket.subject), bucket)

    async def _delta(
        self, bucket: Bucket, previous: Synced, now: datetime
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

    def _found(self, raws: list[JiraIssue], subject: str) -> dict[str, Found]:
        def build() -> dict[str, Found]:
            found = (jira_model.issue(raw, self.site, self.source) for raw in raws)
            return {f.issue.ref: f for f in found}

        return guarded(self.source, self.search.http.host, subject, build)


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
        _placed(found[key].issue, choose(ids).url)
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


def _placed(issue: Issue, milestone: str) -> Issue:
    """The issue in `milestone` (a kept issue usually is already: no copy)."""
    return issue if issue.milestone == milestone else replace(issue, milestone=milestone)


def unchanged(fetched: list[Fetched], milestones: list[Milestone], previous: SourceData) -> bool:
    """True when this load found what `previous` holds: the same milestones (counts aside),
    every bucket's issues the kept ones, and the same marks. Then `previous` is the result as
    it stands, placed and counted, and nothing needs saving."""
    if not all(f.reused for f in fetched) or dict(f.mark for f in fetched) != previous.marks:
        return False
    if [replace(m, open_count=0, closed_count=0) for m in previous.milestones] != milestones:
        return False
    refs: set[str] = set().union(*(f.found for f in fetched))
    return refs == {i.ref for i in previous.issues}


def _kept(previous: SourceData | None, milestones: list[Milestone]) -> dict[str, Synced]:
    """The buckets `previous` vouches for (in a new process: the snapshot cache's), by mark.

    Each issue's versions are taken as the one milestone it was placed in: its other fix
    versions only matter when placing changes, which needs the milestones' order or states to
    change; then nothing is kept and every bucket is searched whole. A mark that can't be read
    leaves its bucket to a full search."""
    if previous is None or placing(previous.milestones) != placing(milestones):
        return {}
    keys = {m.url: m.key for m in previous.milestones}
    found = {
        i.ref: Found(i, (keys[i.milestone],) if i.milestone in keys else ())
        for i in previous.issues
    }
    kept: dict[str, Synced] = {}
    for name, value in previous.marks.items():
        at, _, full_at = value.partition(" ")
        try:
            times = datetime.fromisoformat(at), datetime.fromisoformat(full_at)
        except ValueError:
            continue
        if name.startswith(MARK) and all(t.tzinfo is not None for t in times):
            kept[name] = Synced(*times, found)
    return kept


def placing(milestones: Iterable[Milestone]) -> list[tuple[str, str, State]]:
    """What placing an issue among several milestones depends on: their order and states."""
    return [(m.url, m.key, m.state) for m in milestones]


def key_order(key: str) -> tuple[str, int]:
    """`PAY-9` before `PAY-10`."""
    m = _KEY.fullmatch(key)
    return (m.group(1), int(m.group(2))) if m else (key, 0)
