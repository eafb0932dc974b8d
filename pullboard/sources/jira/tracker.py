"""Jira Cloud (REST v3) and Server / Data Center (REST v2): versions or sprints as milestones.

A refresh (`milestones()`) lists the milestones, then fetches the issues of the ones shown:
one search per project (versions) or per sprint, all at once, incrementally after the first
(see `jira_sync`). `issues(m)` and `recent_closed` are served from that result, so a
milestone's counts always match the issues listed under it, and opening a milestone costs no
request. A body is fetched when its issue is opened.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, Unpack

from pullboard.auth import find_token
from pullboard.config import SourceConfig
from pullboard.errors import SourceError, SourceRejected
from pullboard.model import Issue, Milestone, Source, SourceData, State, utc_now
from pullboard.sources.http import gather_all, guarded
from pullboard.sources.jira import adf, wiki
from pullboard.sources.jira import model as jira_model
from pullboard.sources.jira.errors import JiraErrors, authorization, rate_limit
from pullboard.sources.jira.search import Search, read
from pullboard.sources.jira.sync import Bucket, Fetched, IssueSync, assemble, placing, unchanged
from pullboard.sources.tracking import ClientOptions, HttpTracker
from pullboard.text import clean, web_url

RECENT = timedelta(days=30)
"""Released versions and closed sprints stay on the board this long, shown as done."""
_ISSUE_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*-\d+")
_ORDER_BY = re.compile(r"(?:^|\s)order\s+by\s[^\"')]*$", re.IGNORECASE)
_SPRINT_ORDER = {"closed": 0, "active": 1, "future": 2}


class JiraTracker(HttpTracker):
    """One Jira source: its projects' versions, or its board's sprints, and their issues.

    Implements `pullboard.sources.base.Tracker`. The token comes from `auth.find_token` and
    is sent as Basic `email:token` (Cloud, or Server when `email` is set) or as Bearer (a
    Server personal access token); it lives only inside the httpx client's headers.

    Args:
        config: the `[[source]]` table; `flavor` picks Cloud or Server (by host if empty).
        transport: injected by tests; None means real sockets.
        backoff: retry policy (tests inject an instant `sleep`).
        timeout: explicit httpx timeouts.
        concurrency: requests in flight at once for this source.
        progress: told when the source waits for a rate limit.
        clock: wall clock; decides which released versions and closed sprints are recent,
            and how far back incremental refreshes look.
    """

    def __init__(
        self,
        config: SourceConfig,
        *,
        clock: Callable[[], datetime] = utc_now,
        **options: Unpack[ClientOptions],
    ) -> None:
        self.config = config
        self.site = config.url.rstrip("/")
        self.cloud = config.cloud
        self.api = "/rest/api/3" if self.cloud else "/rest/api/2"
        self.source = Source(name=config.name, kind="jira")
        self.clock = clock
        token = find_token(config)
        headers = {"Accept": "application/json"}
        if token is not None and (config.email or not self.cloud):
            headers["Authorization"] = authorization(config.email, token.value)
        self._missing_email = token is not None and self.cloud and not config.email
        self._errors = JiraErrors(
            config,
            cloud=self.cloud,
            has_token=token is not None,
            token_env=token.env if token else "",
        )
        self._http = self._connect(self.site, headers, self._errors, rate_limit, options)
        self._search = Search(self._http, cloud=self.cloud, name=config.name)
        self._sync = IssueSync(self._search, config.name, self.site)
        self._lock = asyncio.Lock()
        self._milestones: list[Milestone] | None = None
        self._issues: list[Issue] = []
        self._stale = True
        """A refresh has begun since the last load: the next read loads (once, for all)."""
        self._failed: SourceError | None = None
        """Why this refresh's load failed: later reads in it get the same error, not a retry."""

    async def milestones(self) -> list[Milestone]:
        """Versions or sprints, counted from their issues, which are fetched too (one load per
        refresh, shared by every read in it)."""
        await self._ensure()
        return list(self._milestones or ())

    async def issues(self, milestone: Milestone) -> list[Issue]:
        """The issues of one milestone, from the last refresh (loading once if needed)."""
        await self._ensure()
        return [i for i in self._issues if i.milestone == milestone.url]

    async def all_issues(self) -> list[Issue]:
        """Every issue of the shown milestones, from the load `milestones` runs (or one now)."""
        await self._ensure()
        return list(self._issues)

    async def recent_closed(self, since: datetime) -> list[Issue]:
        """Issues of the shown milestones closed at or after `since`, from the last refresh."""
        await self._ensure()
        return [i for i in self._issues if i.closed_at is not None and i.closed_at >= since]

    async def issue_body(self, issue: Issue) -> str:
        """The description as Markdown: ADF (Cloud) and wiki markup (Server) converted."""
        self._check()
        if not _ISSUE_KEY.fullmatch(issue.ref):
            raise SourceRejected(f"{self.config.name}: {issue.ref} is not a Jira issue key.")
        page = await self._http.get(
            f"{self.api}/issue/{issue.ref}", {"fields": "description"}, subject=issue.ref
        )
        raw = read(page, self.config.name, issue.ref)
        fields = raw.get("fields") if isinstance(raw, dict) else None
        description = fields.get("description") if isinstance(fields, dict) else None
        if isinstance(description, dict):
            return clean(adf.to_markdown(description))
        return clean(wiki.to_markdown(description if isinstance(description, str) else None))

    # -- loading ------------------------------------------------------------------------------

    def _check(self) -> None:
        if self._missing_email:
            raise self._errors.missing_email()

    reuses = True

    def start_refresh(self, previous: SourceData | None = None) -> None:
        """A refresh begins: the request budget starts over, and the next read loads anew,
        incrementally from `previous` (its marks hold each search's sync times) in a new
        process, and from this tracker's own last load after that."""
        super().start_refresh(previous)
        self._stale = True

    async def _ensure(self) -> None:
        """Load once per refresh; reads that come while a load runs wait for it and share it
        (a failed load is not retried within the refresh: a dead host costs one timeout)."""
        self._check()
        async with self._lock:
            if self._failed is not None and not self._stale:
                raise self._failed
            if self._stale or self._milestones is None:
                self._stale, self._failed = False, None
                try:
                    await self._load()
                except SourceError as err:
                    self._failed = err
                    raise

    async def _load(self) -> None:
        now = self.clock()
        if self.config.milestones == "sprints":
            milestones = await self._sprints(now)
            buckets = self._sprint_buckets(milestones)
            fetched = await self._sync.refresh(buckets, now, milestones, self._previous)
        else:
            milestones, fetched = await self._by_version(now)
        previous = self._previous
        self._marks = dict(f.mark for f in fetched)
        if previous is not None and unchanged(fetched, milestones, previous):
            # What the board holds, placed and counted: nothing to place again or to save.
            self._milestones, self._issues = list(previous.milestones), list(previous.issues)
            return
        sprints = self.config.milestones == "sprints"
        self._milestones, self._issues = assemble(milestones, fetched, sprints)

    async def _by_version(self, now: datetime) -> tuple[list[Milestone], list[Fetched]]:
        """The versions, and their issues brought up to date. The searches need the versions,
        but those seldom change: with versions held from before, their searches go out beside
        the version lists (one round trip instead of two) and count when the versions came
        back the same; else they are let finish, unused, and the right ones run."""
        held = self._previous.milestones if self._previous is not None else ()
        guess = self._version_buckets(self._by_project(held)) if held else []
        early = (
            asyncio.ensure_future(
                self._sync.refresh(guess, now, list(held), self._previous, keep=False)
            )
            if guess
            else None
        )
        try:
            per_project = await gather_all(self._versions(p, now) for p in self.config.projects)
        except BaseException:
            if early is not None:  # the error is news now; the pool survives a cancel
                early.cancel()
                await asyncio.gather(early, return_exceptions=True)
            raise
        milestones = [m for ms in per_project for m in ms]
        buckets = self._version_buckets(per_project)
        if early is not None and buckets == guess and placing(milestones) == placing(held):
            fetched = await early
            self._sync.kept(fetched)
            return milestones, fetched
        real = self._sync.refresh(buckets, now, milestones, self._previous)
        if early is None:
            return milestones, await real
        # A wrong guess finishes beside the right searches, unused: nothing waits for it, and
        # nothing is left running when they fail.
        done, _ = await asyncio.gather(real, early, return_exceptions=True)
        if isinstance(done, BaseException):
            raise done
        return milestones, done

    def _by_project(self, milestones: Iterable[Milestone]) -> list[list[Milestone]]:
        """Versions grouped as `_versions` returns them: per configured project, in order."""
        refs = [(m.ref.partition("@")[0], m) for m in milestones]
        return [[m for project, m in refs if project == p] for p in self.config.projects]

    async def _versions(self, project: str, now: datetime) -> list[Milestone]:
        """Unarchived versions: unreleased ones, and those released within `RECENT`."""
        subject = f"project {project}"
        page = await self._http.get(f"{self.api}/project/{project}/versions", subject=subject)
        raws = read(page, self.config.name, subject)
        if not isinstance(raws, list):
            raise SourceRejected(
                f"{self.config.name}: {self._http.host} sent no version list for {subject}."
            )
        live = [r for r in raws if isinstance(r, dict) and not r.get("archived")]
        versions = self._mapped(
            subject,
            lambda: [jira_model.version(r, self.site, project, self.source.name) for r in live],
        )
        oldest = (now - RECENT).date()
        return [v for v in versions if v.state is State.OPEN or (v.due and v.due >= oldest)]

    async def _sprints(self, now: datetime) -> list[Milestone]:
        """Open sprints of the board, and those closed within `RECENT`, oldest first."""
        if self.config.board is None:
            raise SourceRejected(
                f'{self.source.name}: milestones = "sprints" needs the agile board id in the '
                "config, e.g. board = 12."
            )
        subject = f"board {self.config.board}"
        path = f"/rest/agile/1.0/board/{self.config.board}/sprint"
        raws = await self._search.values(path, {}, subject=subject)
        raws.sort(key=lambda r: _SPRINT_ORDER.get(str(r.get("state")), 1))
        sprints = self._mapped(
            subject,
            lambda: [jira_model.sprint(r, self._sprint_url(r), self.source.name) for r in raws],
        )
        return [
            s
            for s in sprints
            if s.state is State.OPEN or (s.closed_at and s.closed_at >= now - RECENT)
        ]

    def _sprint_url(self, raw: dict[str, Any]) -> str:
        """The board page that shows the sprint (Cloud and Server name it differently)."""
        board, sprint = self.config.board, raw["id"]
        if self.cloud:
            project = self.config.projects[0]
            return web_url(
                f"{self.site}/jira/software/projects/{project}/boards/{board}?sprint={sprint}"
            )
        return web_url(f"{self.site}/secure/RapidBoard.jspa?rapidView={board}&sprint={sprint}")

    def _version_buckets(self, per_project: list[list[Milestone]]) -> list[Bucket]:
        buckets = []
        for project, versions in zip(self.config.projects, per_project, strict=True):
            if versions:
                scope, extra = f'project = "{project}"', self._extra()
                ids = ", ".join(v.key for v in versions)
                parts = tuple((scope, f"fixVersion = {v.key}", *extra) for v in versions)
                clauses = (scope, f"fixVersion in ({ids})", *extra)
                buckets.append(Bucket(clauses, f"project {project}", parts=parts))
        return buckets

    def _sprint_buckets(self, sprints: list[Milestone]) -> list[Bucket]:
        keys = ", ".join(f'"{p}"' for p in self.config.projects)
        return [
            Bucket(
                (f"project in ({keys})", f"sprint = {s.key}", *self._extra()),
                f"{s.title} on board {self.config.board}",
                sprint=s.key,
            )
            for s in sprints
        ]

    def _extra(self) -> tuple[str, ...]:
        """The user's `jql`, ANDed in; a trailing ORDER BY would break the query, so it goes."""
        extra = _ORDER_BY.sub("", self.config.jql).strip()
        return (extra,) if extra else ()

    def _mapped(self, subject: str, build: Callable[[], list[Milestone]]) -> list[Milestone]:
        return guarded(self.source.name, self._http.host, subject, build)
