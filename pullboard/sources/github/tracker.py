"""GitHub REST v3 (github.com and Enterprise Server): milestones and issues as model objects.

Milestones come with their counts, so the overview needs one request per repo (plus one for
recent closes); a milestone's issues are fetched when it is opened or exported, and a body
only when the issue is opened. Every GET is conditional, so an unchanged refresh is all 304s.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar, Unpack
from urllib.parse import urlencode

import httpx

from pullboard.auth import find_token, token_advice
from pullboard.config import SourceConfig
from pullboard.errors import AuthFailed, SourceError, SourceRejected
from pullboard.model import Issue, Milestone, Source, SourceData, State
from pullboard.sources.github import wire
from pullboard.sources.github.api import HEADERS, web_base
from pullboard.sources.github.wire import GhIssue, GhMilestone
from pullboard.sources.http import (
    Limit,
    Params,
    default_status_error,
    gather_all,
    guarded,
    host_of,
    server_message,
    standard_rate_limit,
)
from pullboard.sources.tracking import ClientOptions, HttpTracker
from pullboard.text import clean, one_line, web_url

PER_PAGE = 100
NEWEST_FIRST: Params = {"sort": "updated", "direction": "desc"}
"""The issue listing's order: any change to an issue in it changes the first page."""
T = TypeVar("T")
_HEADER_VALUE = re.compile(r"[\x21-\x7e][\x20-\x7e]*")


@dataclass(frozen=True)
class Listed(Generic[T]):
    """A repo's listing as this refresh read it."""

    items: list[T]
    unchanged: bool
    """True when the server said (304) it is the one `previous` was read from."""


def _listing(path: str, params: Params) -> str:
    """A listing's name among the marks: its path and query (another query is another list)."""
    return f"{path}?{urlencode(params)}"


_PRIORITY_P = re.compile(r"p\s*-?\s*([0-4])(?:\b|_)", re.IGNORECASE)
_PRIORITY_NAMED = re.compile(r"(?:priority|prio)\s*[:/ _-]\s*([\w-]+)", re.IGNORECASE)
_REF = re.compile(r"(?P<repo>[\w.-]+/[\w.-]+)#(?P<number>\d+)")


def priority(labels: Iterable[str]) -> str | None:
    """Priority from labels such as `P0`..`P4`, `priority: high`, `priority/critical`."""
    for label in labels:
        if m := _PRIORITY_P.match(label.strip()):
            return f"P{m.group(1)}"
        if m := _PRIORITY_NAMED.fullmatch(label.strip()):
            value = m.group(1)
            return value.upper() if _PRIORITY_P.fullmatch(value) else value.capitalize()
    return None


def status_name(state: State, assignees: tuple[str, ...]) -> str:
    """GitHub has no workflow status; this is how people say it: done, in progress, to do."""
    if state is State.CLOSED:
        return "Done"
    return "In progress" if assignees else "To do"


def is_pull_request(raw: GhIssue) -> bool:
    """Pull requests come back in issue lists with a `pull_request` object.

    2012-era answers put `pull_request: {html_url: null, ...}` on plain issues too, so only a
    pull_request object with some link in it counts.
    """
    pr = raw.pull_request
    return isinstance(pr, dict) and any(pr.values())


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value)).astimezone(UTC)


def _day(value: Any) -> date | None:
    when = _when(value)
    return when.date() if when else None


def _no_later(start: str, since: datetime) -> bool:
    """True when `start` (a kept window start) is a time no later than `since`."""
    try:
        return datetime.fromisoformat(start) <= since
    except (ValueError, TypeError):  # not a time, or one without a zone: read it all
        return False


def _since_param(since: datetime) -> str:
    """Floor `since` to the start of its UTC day: the URL (and so its ETag) stays the same all
    day, which keeps refreshes free; the exact cut-off is applied to `closed_at` afterwards."""
    return since.astimezone(UTC).strftime("%Y-%m-%dT00:00:00Z")


class GitHubTracker(HttpTracker):
    """One GitHub source: its repos on github.com or an Enterprise Server.

    Implements `pullboard.sources.base.Tracker`. The token comes from `auth.find_token`, is
    sent as `Authorization: Bearer`, and lives only inside the httpx client's headers.

    Args:
        config: the `[[source]]` table.
        transport: injected by tests; None means real sockets.
        backoff: retry policy (tests inject an instant `sleep`).
        timeout: explicit httpx timeouts.
        concurrency: requests in flight at once for this source.
        progress: told when the source waits for a rate limit to reset.
    """

    def __init__(
        self,
        config: SourceConfig,
        **options: Unpack[ClientOptions],
    ) -> None:
        self.config = config
        self.web = web_base(config.url)
        self.source = Source(name=config.name, kind="github")
        token = find_token(config)
        self._has_token = token is not None
        self._token_env = token.env if token else ""
        headers = dict(HEADERS)
        if token is not None:
            headers["Authorization"] = f"Bearer {token.value}"
        self._http = self._connect(config.url, headers, self._status_error, _rate_limit, options)
        self._listed: dict[str, asyncio.Future[Listed[Milestone]]] | None = None
        """Each repo's milestone read in this refresh; None outside a refresh (each read reads)."""
        self._held: dict[str, list[Issue]] | None = None
        """`previous`'s issues by repo, sorted out once per refresh (not once per repo)."""

    reuses = True

    def start_refresh(self, previous: SourceData | None = None) -> None:
        """A refresh begins (see `Tracker.start_refresh`): each repo's milestones are read
        once in it, shared by `milestones` and `all_issues`."""
        super().start_refresh(previous)
        self._listed = {}
        self._held = None

    async def milestones(self) -> list[Milestone]:
        """Milestones of every repo (`open` or `all` per config), repos fetched concurrently."""
        per_repo = await gather_all(self._milestones_of(repo) for repo in self.config.repos)
        return [m for listed in per_repo for m in listed.items]

    async def issues(self, milestone: Milestone) -> list[Issue]:
        """Every issue of one milestone, open and closed, pull requests left out."""
        repo, _, number = milestone.key.rpartition("/")
        if not repo or not number.isdigit():
            raise SourceRejected(f"{self.config.name}: {milestone.ref} is not a GitHub milestone.")
        params: Params = {"milestone": number, "state": "all", "per_page": PER_PAGE}
        raws = await self._http.get_all(
            f"/repos/{repo}/issues", params, subject=milestone.ref, items=wire.ISSUES
        )
        return self._issues(repo, raws, milestone.url)

    async def all_issues(self) -> list[Issue]:
        """Every issue with a milestone, one listing per repo (`milestone=*`), newest-updated
        first, so any change to an issue in it changes its first page. When that page and the
        repo's milestones both answer 304, its issues come from `previous`. Otherwise the
        listing is read whole: a `since=` delta misses issues that left it (deleted, transferred,
        out of their milestone), and milestone counts include pull requests, so they can't prove
        none left. An issue updated while pages are read may be missed; page 1's ETag predates
        that update, so the next refresh reads the listing again.
        """
        per_repo = await gather_all(self._issues_of(repo) for repo in self.config.repos)
        return [i for issues in per_repo for i in issues]

    async def recent_closed(self, since: datetime) -> list[Issue]:
        """Issues closed at or after `since`, in every repo (the close history for forecasts).

        GitHub's `since` filters on `updated_at`, so issues touched later but closed earlier
        come back too; they are dropped by `closed_at`. An unchanged one-page list is answered
        from `previous` when that was read from a window starting no later than this one.
        """
        params: Params = {"state": "closed", "since": _since_param(since), "per_page": PER_PAGE}

        async def one(repo: str) -> list[Issue]:
            path = f"/repos/{repo}/issues"
            key = _listing(path, params)
            start, _, etag = self._mark(key).partition(" ")
            first = await self._http.get(
                path, params, subject=repo, etag=etag if _no_later(start, since) else None
            )
            if first.cached:
                self._marks[key] = f"{start} {etag}"
                return [i for i in self._held_issues(repo) if i.state is State.CLOSED]
            raws = await self._http.rest_of(first, repo, wire.ISSUES)
            if first.etag and first.next_url is None:
                self._marks[key] = f"{since.isoformat()} {first.etag}"
            return self._issues(repo, raws, None)

        per_repo = await gather_all(one(repo) for repo in self.config.repos)
        return [i for issues in per_repo for i in issues if i.closed_at and i.closed_at >= since]

    async def issue_body(self, issue: Issue) -> str:
        """The body of one issue, fetched (conditionally) when a user opens it."""
        m = _REF.fullmatch(issue.ref)
        if m is None:
            raise SourceRejected(f"{self.config.name}: {issue.ref} is not a GitHub issue.")
        page = await self._http.get(f"/repos/{m['repo']}/issues/{m['number']}", subject=issue.ref)
        raw = page.json()
        return clean(raw.get("body")) if isinstance(raw, dict) else ""

    # -- JSON to model ------------------------------------------------------------------------

    # -- listings, and what `previous` holds of them -----------------------------------------

    def _milestones_of(self, repo: str) -> asyncio.Future[Listed[Milestone]]:
        """The repo's milestones, read once per refresh (shared by `milestones` and
        `all_issues`, which needs to know whether they changed)."""
        if self._listed is None:
            return asyncio.ensure_future(self._read_milestones(repo))
        if repo not in self._listed:
            self._listed[repo] = asyncio.ensure_future(self._read_milestones(repo))
        return self._listed[repo]

    async def _read_milestones(self, repo: str) -> Listed[Milestone]:
        path = f"/repos/{repo}/milestones"
        params: Params = {"state": self.config.milestones or "open", "per_page": PER_PAGE}
        key = _listing(path, params)
        etag = self._mark(key) or None
        first = await self._http.get(path, params, subject=repo, etag=etag)
        if first.cached and self._previous is not None:
            self._marks[key] = first.etag or ""
            held = [m for m in self._previous.milestones if m.key.rpartition("/")[0] == repo]
            return Listed(held, unchanged=True)
        raws = await self._http.rest_of(first, repo, wire.MILESTONES)
        if first.etag and first.next_url is None:  # one page: its ETag covers the whole list
            self._marks[key] = first.etag
        milestones = self._mapped(repo, raws, lambda raw: self._milestone(repo, raw))
        return Listed(milestones, unchanged=False)

    async def _issues_of(self, repo: str) -> list[Issue]:
        """One repo's `milestone=*` listing (see `all_issues`)."""
        path = f"/repos/{repo}/issues"
        params: Params = {"milestone": "*", "state": "all", **NEWEST_FIRST, "per_page": PER_PAGE}
        key = _listing(path, params)
        etag = self._mark(key)
        first = await self._http.get(path, params, subject=repo, etag=etag or None)
        if first.cached:  # with the milestones, read beside this page from the same refresh
            if (await self._milestones_of(repo)).unchanged:
                self._marks[key] = etag
                return [i for i in self._held_issues(repo) if i.milestone is not None]
            # Milestones changed: issues may have left the listing unseen; read it whole.
            first = await self._http.get(path, params, subject=repo)
        raws = await self._http.rest_of(first, repo, wire.ISSUES)
        if first.etag:
            self._marks[key] = first.etag
        return self._issues(repo, raws, None)

    def _mark(self, key: str) -> str:
        """The validator `previous` was read under for this listing, or "" (then the listing
        is read whole). Only a printable ASCII value is sent: the cache file may be anyone's."""
        held = self._previous.marks.get(key, "") if self._previous is not None else ""
        return held if isinstance(held, str) and _HEADER_VALUE.fullmatch(held) else ""

    def _held_issues(self, repo: str) -> list[Issue]:
        """The issues `previous` holds for one repo, in the order it holds them."""
        if self._held is None:
            self._held = {}
            for issue in self._previous.issues if self._previous is not None else ():
                self._held.setdefault(issue.ref.rpartition("#")[0], []).append(issue)
        return self._held.get(repo, [])

    def _issues(self, repo: str, raws: list[GhIssue], milestone_url: str | None) -> list[Issue]:
        issues = [r for r in raws if not is_pull_request(r)]
        return self._mapped(repo, issues, lambda raw: self._issue(repo, raw, milestone_url))

    def _mapped(self, repo: str, raws: list[Any], build: Callable[[Any], T]) -> list[T]:
        """Map JSON objects to the model; a shape we can't read is the server's fault."""
        name, host = self.config.name, host_of(self.config.url)
        return guarded(name, host, repo, lambda: [build(raw) for raw in raws])

    def _milestone_url(self, repo: str, html_url: str | None, number: int) -> str:
        """The milestone's web page: `html_url` when the API gives a usable one (old answers
        have none; a hostile one may hold anything), else the page pullboard knows it has."""
        return web_url(html_url) or web_url(f"{self.web}/{repo}/milestone/{number}")

    def _milestone(self, repo: str, raw: GhMilestone) -> Milestone:
        title = one_line(raw.title)
        return Milestone(
            url=self._milestone_url(repo, raw.html_url, raw.number),
            ref=f"{repo}@{title}",
            source=self.config.name,
            title=title,
            state=State(raw.state or "open"),
            due=_day(raw.due_on),
            open_count=raw.open_issues or 0,
            closed_count=raw.closed_issues or 0,
            description=clean(raw.description),
            created=_when(raw.created_at),
            closed_at=_when(raw.closed_at),
            key=f"{repo}/{raw.number}",
        )

    def _issue(self, repo: str, raw: GhIssue, milestone_url: str | None) -> Issue:
        number = raw.number
        state = State(raw.state or "open")
        labels = tuple(
            one_line(label if isinstance(label, str) else label.name) for label in raw.labels or ()
        )
        people = raw.assignees or ([raw.assignee] if raw.assignee else [])
        assignees = tuple(one_line(p.login) for p in people if p)
        if milestone_url is None and raw.milestone is not None:
            milestone_url = self._milestone_url(repo, raw.milestone.html_url, raw.milestone.number)
        created = _when(raw.created_at)
        if created is None:
            raise ValueError(f"issue {number} has no created_at")
        return Issue(
            url=web_url(raw.html_url) or web_url(f"{self.web}/{repo}/issues/{number}"),
            ref=f"{repo}#{number}",
            source=self.config.name,
            milestone=milestone_url,
            title=one_line(raw.title),
            state=state,
            status=status_name(state, assignees),
            created=created,
            updated=_when(raw.updated_at) or created,
            closed_at=_when(raw.closed_at),
            assignees=assignees,
            labels=labels,
            priority=priority(labels),
            author=one_line(raw.user.login if raw.user else None),
        )

    # -- errors -------------------------------------------------------------------------------

    def _status_error(self, response: httpx.Response, subject: str) -> SourceError:
        """GitHub's error answers as sentences that say what to do."""
        host = host_of(response.request.url)
        what = subject or "this source"
        said = server_message(response)
        quoted = f' GitHub said: "{said}".' if said else ""
        fix = self._token_fix()
        code = response.status_code
        if code == 401:
            return AuthFailed(
                f"{host} rejected the token (401): it is wrong, expired or revoked. {fix}"
            )
        if code == 403:
            sso = response.headers.get("x-github-sso", "")
            if sso.startswith("required"):
                link = web_url(sso.partition("url=")[2])
                return AuthFailed(
                    f"the organization that owns {what} uses SAML SSO and the token is not "
                    f"authorized for it. Authorize the token{' at ' + link if link else ''}."
                )
            needed = one_line(response.headers.get("x-accepted-oauth-scopes", ""))
            scope = f" (this needs the {needed!r} scope)" if needed else ""
            return AuthFailed(
                f"{host} refused access to {what} (403){scope}: the token lacks a scope or "
                f"repository permission, or the organization blocks it.{quoted} {fix}"
            )
        if code == 404:
            return SourceRejected(
                f"{what} was not found on {host} (404): check the repo name in the config, or "
                f"the token can't see it (private repos need a token with access). {fix}"
            )
        if code == 410:
            return SourceRejected(f"{what} has issues turned off on {host} (410).")
        return default_status_error(response, subject)

    def _token_fix(self) -> str:
        return token_advice(self.config, found=self._has_token, env=self._token_env)


def _rate_limit(response: httpx.Response, now: float) -> Limit | None:
    """GitHub's signals plus its "secondary rate limit" message, which may come bare."""
    limit = standard_rate_limit(response, now)
    if limit is not None or response.status_code not in (403, 429):
        return limit
    message = server_message(response).lower()
    if "secondary rate limit" in message or "abuse" in message:
        return Limit(60.0, datetime.fromtimestamp(now + 60.0, UTC), primary=False)
    return None
