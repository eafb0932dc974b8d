"""A fake GitHub REST v3 server on 127.0.0.1: real sockets, real HTTP, real answer shapes.

Answers follow the recorded ones in tests/samples/github (field sets, headers, Link
pagination in the `/repositories/{id}/...` form, 304s with empty bodies, rate-limit 403s).
Tests and the benchmark fill it with repos, milestones and issues, inject faults per path,
and read back the request log.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fakes import contents
from fakes.faults import Fault, Hit

BASE_TIME = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
"""Default creation time of fake data (tests pass their own times where it matters)."""
DOCS = "https://docs.github.com/rest"
TOKEN = "ghp_fakeTokenForTests0123456789abcdef"
"""The token tests give the fake; they check it never lands in caches, reprs or messages."""


def iso(when: datetime | None) -> str | None:
    """GitHub's timestamp format: `2025-09-02T12:08:56Z`."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


@dataclass
class FakeMilestone:
    number: int
    title: str
    state: str = "open"
    due_on: datetime | None = None
    description: str | None = ""
    created_at: datetime = BASE_TIME
    closed_at: datetime | None = None


@dataclass
class FakeIssue:
    number: int
    title: str
    state: str = "open"
    milestone: int | None = None
    assignees: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    author: str = "octocat"
    body: str | None = "Body text."
    created_at: datetime = BASE_TIME
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    pull: bool = False
    """A pull request: listed with the issues, as GitHub does."""


@dataclass
class FakeRepo:
    full_name: str
    id: int
    milestones: dict[int, FakeMilestone] = field(default_factory=dict)
    issues: dict[int, FakeIssue] = field(default_factory=dict)


class FakeGitHub:
    """The server. Use as a context manager, or `start()` / `close()`.

    Args:
        prefix: API path prefix: "" for github.com, "/api/v3" for Enterprise Server.
        web: web host for html_url; default github.com, or this server's own origin when a
            prefix is set (Enterprise serves web pages and API from one host).
        max_per_page: the largest page it serves (GitHub: 100); small values force paging.
        latency: seconds added to every request.
        token: when set, requests must send it (`Bearer` or `token`), else 401.

    Repositories also hold files (`files`, the contents API in `fakes.contents`): `readers`
    are further tokens that may read but not write, and `commits` logs every write.
    """

    def __init__(
        self,
        *,
        prefix: str = "",
        web: str | None = None,
        max_per_page: int = 100,
        latency: float = 0.0,
        token: str | None = None,
    ) -> None:
        self.prefix = prefix.rstrip("/")
        self._web = web
        self.max_per_page = max_per_page
        self.latency = latency
        self.token = token
        self.repos: dict[str, FakeRepo] = {}
        self.files: dict[tuple[str, str, str], bytes] = {}
        """(repo, branch, path) -> the file's bytes."""
        self.default_branch = "main"
        self.readers: set[str] = set()
        self.commits: list[contents.Commit] = []
        self.faults: list[Fault] = []
        self.log: list[Hit] = []
        self.rate_limit = 5000
        self.rate_remaining = 5000
        self.rate_reset = int(datetime.now(UTC).timestamp()) + 3600
        self.memo = False
        """Render each (path, query) once and reuse it (benchmarks: data must not change)."""
        self._rendered: dict[str, tuple[int, Any, dict[str, str]]] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        """Most requests being handled at the same moment (checks client-side bounds)."""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        """Listen on a free port of 127.0.0.1 and serve from a background thread."""
        fake = self

        class Handler(_Handler):
            server_fake = fake

        server = _Server(("127.0.0.1", 0), Handler)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving; delayed answers still pending are cut short."""
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def origin(self) -> str:
        """`http://127.0.0.1:PORT`."""
        assert self._server is not None, "start() the server first"
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def url(self) -> str:
        """The API base to put in a source's `url`."""
        return self.origin + self.prefix

    @property
    def web(self) -> str:
        """The web host used in html_url."""
        if self._web:
            return self._web
        return self.origin if self.prefix else "https://github.com"

    # -- data ---------------------------------------------------------------------------------

    def add_repo(self, full_name: str) -> FakeRepo:
        """Add a repository (ids are assigned like GitHub's, for `/repositories/{id}` links)."""
        repo = FakeRepo(full_name, id=1_000_000 + len(self.repos) * 7919)
        self.repos[full_name] = repo
        return repo

    def add_milestone(self, repo: str, title: str, **fields: Any) -> FakeMilestone:
        """Add a milestone to `repo` with the next free number."""
        r = self.repos[repo]
        number = max(r.milestones, default=0) + 1  # never reused, as on GitHub
        ms = FakeMilestone(number=number, title=title, **fields)
        r.milestones[ms.number] = ms
        return ms

    def add_issue(self, repo: str, title: str, **fields: Any) -> FakeIssue:
        """Add an issue (or, with `pull=True`, a pull request) with the next free number."""
        r = self.repos[repo]
        issue = FakeIssue(number=max(r.issues, default=0) + 1, title=title, **fields)
        r.issues[issue.number] = issue
        return issue

    def fail(self, pattern: str, status: int | None = 500, **how: Any) -> Fault:
        """Inject a fault for request paths matching the glob `pattern` (prefix excluded)."""
        fault = Fault(pattern, status, **how)
        with self._lock:
            self.faults.append(fault)
        return fault

    # -- request log --------------------------------------------------------------------------

    def statuses(self) -> list[int]:
        """Status codes answered so far, in order."""
        with self._lock:
            return [h.status for h in self.log]

    def hits(self, pattern: str = "*") -> list[Hit]:
        """Logged requests whose path matches the glob."""
        with self._lock:
            return [h for h in self.log if fnmatch.fnmatchcase(h.path, pattern)]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    # -- answers ------------------------------------------------------------------------------

    def _take_fault(self, path: str, method: str = "GET") -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.method not in (None, method):
                    continue
                if fnmatch.fnmatchcase(path, fault.pattern):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self.faults.remove(fault)
                    return fault
        return None

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._stop.wait(seconds)

    def user(self, login: str) -> dict[str, Any]:
        api = f"{self.url}/users/{login}"
        uid = int(hashlib.sha1(login.encode()).hexdigest()[:6], 16)
        return {
            "login": login,
            "id": uid,
            "node_id": f"MDQ6VXNlcj{uid}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "gravatar_id": "",
            "url": api,
            "html_url": f"{self.web}/{login}",
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": "User",
            "user_view_type": "public",
            "site_admin": False,
        }

    def milestone_json(self, repo: FakeRepo, ms: FakeMilestone) -> dict[str, Any]:
        """A milestone as GitHub sends it (2025 field set); counts include pull requests."""
        items = [i for i in repo.issues.values() if i.milestone == ms.number]
        api = f"{self.url}/repos/{repo.full_name}/milestones/{ms.number}"
        updated = max([ms.created_at, *(_updated(i) for i in items)])
        return {
            "url": api,
            "html_url": f"{self.web}/{repo.full_name}/milestone/{ms.number}",
            "labels_url": f"{api}/labels",
            "id": repo.id + ms.number,
            "node_id": f"MDk6TWlsZXN0b25l{repo.id + ms.number}",
            "number": ms.number,
            "title": ms.title,
            "description": ms.description,
            "creator": self.user("octocat"),
            "open_issues": sum(i.state == "open" for i in items),
            "closed_issues": sum(i.state == "closed" for i in items),
            "state": ms.state,
            "created_at": iso(ms.created_at),
            "updated_at": iso(updated),
            "due_on": iso(ms.due_on),
            "closed_at": iso(ms.closed_at),
        }

    def issue_json(
        self,
        repo: FakeRepo,
        issue: FakeIssue,
        milestones: dict[int, dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """An issue (or pull request) as GitHub sends it in lists and single GETs.

        `milestones` holds milestone JSON already rendered for this answer (lists pass it so
        each milestone's counts are computed once, not once per issue).
        """
        api = f"{self.url}/repos/{repo.full_name}/issues/{issue.number}"
        kind = "pull" if issue.pull else "issues"
        ms = repo.milestones.get(issue.milestone) if issue.milestone else None
        if ms is not None and milestones is not None and ms.number in milestones:
            ms_json: dict[str, Any] | None = milestones[ms.number]
        else:
            ms_json = self.milestone_json(repo, ms) if ms else None
        assignees = [self.user(a) for a in issue.assignees]
        closed = issue.state == "closed"
        data: dict[str, Any] = {
            "url": api,
            "repository_url": f"{self.url}/repos/{repo.full_name}",
            "labels_url": f"{api}/labels{{/name}}",
            "comments_url": f"{api}/comments",
            "events_url": f"{api}/events",
            "html_url": f"{self.web}/{repo.full_name}/{kind}/{issue.number}",
            "id": repo.id * 10 + issue.number,
            "node_id": f"I_kwDO{repo.id}{issue.number}",
            "number": issue.number,
            "title": issue.title,
            "user": self.user(issue.author),
            "labels": [self._label(repo, name) for name in issue.labels],
            "state": issue.state,
            "locked": False,
            "assignee": assignees[0] if assignees else None,
            "assignees": assignees,
            "milestone": ms_json,
            "comments": 0,
            "created_at": iso(issue.created_at),
            "updated_at": iso(_updated(issue)),
            "closed_at": iso(issue.closed_at),
            "author_association": "MEMBER",
            "type": None,
            "active_lock_reason": None,
            "sub_issues_summary": {"total": 0, "completed": 0, "percent_completed": 0},
            "issue_dependencies_summary": {
                "blocked_by": 0,
                "total_blocked_by": 0,
                "blocking": 0,
                "total_blocking": 0,
            },
            "body": issue.body,
            "closed_by": self.user(issue.author) if closed else None,
            "reactions": _reactions(f"{api}/reactions"),
            "timeline_url": f"{api}/timeline",
            "performed_via_github_app": None,
            "state_reason": "completed" if closed else None,
        }
        if issue.pull:
            pulls = f"{self.url}/repos/{repo.full_name}/pulls/{issue.number}"
            html = data["html_url"]
            data["draft"] = False
            data["pull_request"] = {
                "url": pulls,
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
                "merged_at": None,
            }
        return data

    def _label(self, repo: FakeRepo, name: str) -> dict[str, Any]:
        lid = int(hashlib.sha1(name.encode()).hexdigest()[:7], 16)
        return {
            "id": lid,
            "node_id": f"LA_kwDO{lid}",
            "url": f"{self.url}/repos/{repo.full_name}/labels/{name}",
            "name": name,
            "color": "e10c02",
            "default": False,
            "description": None,
        }

    def render(self, path: str, query: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        """Route and serialise one GET, from the memo when `memo` is on."""
        key = path + "?" + urlencode(sorted(query.items()))
        with self._lock:
            if self.memo and key in self._rendered:
                return self._rendered[key]
            status, body, extra = self.route(path, query)
            answer = status, json.dumps(body, separators=(",", ":")), extra
            if self.memo:
                self._rendered[key] = answer
            return answer

    def route(self, path: str, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        """Answer one GET: (status, JSON body, extra headers)."""
        parts = path.strip("/").split("/")
        repo: FakeRepo | None = None
        rest: list[str] = []
        if len(parts) >= 3 and parts[0] == "repos":
            repo, rest = self.repos.get(f"{parts[1]}/{parts[2]}"), parts[3:]
        elif len(parts) >= 2 and parts[0] == "repositories" and parts[1].isdigit():
            repo = next((r for r in self.repos.values() if r.id == int(parts[1])), None)
            rest = parts[2:]
        if repo is None:
            return _not_found()
        if rest == ["milestones"]:
            state = query.get("state", "open")
            items = [m for m in repo.milestones.values() if state in ("all", m.state)]
            items.sort(key=lambda m: (m.due_on is None, m.due_on or BASE_TIME, m.number))
            milestones = [self.milestone_json(repo, m) for m in items]
            return self._paged(repo, "milestones", milestones, query)
        if rest == ["issues"]:
            return self._paged(repo, "issues", self._issue_list(repo, query), query)
        if len(rest) == 2 and rest[1].isdigit() and rest[0] in ("milestones", "issues"):
            if rest[0] == "milestones" and int(rest[1]) in repo.milestones:
                ms = repo.milestones[int(rest[1])]
                return 200, self.milestone_json(repo, ms), _modified(ms.created_at)
            if rest[0] == "issues" and int(rest[1]) in repo.issues:
                issue = repo.issues[int(rest[1])]
                return 200, self.issue_json(repo, issue), _modified(_updated(issue))
        return _not_found()

    def _issue_list(self, repo: FakeRepo, query: dict[str, str]) -> list[dict[str, Any]]:
        state = query.get("state", "open")
        milestone = query.get("milestone")
        since = datetime.fromisoformat(query["since"]) if "since" in query else None
        rendered = {n: self.milestone_json(repo, m) for n, m in repo.milestones.items()}
        # GitHub's order: `sort` created (default) or updated, `direction` desc (default) or asc.
        by = _updated if query.get("sort") == "updated" else (lambda i: i.created_at)
        newest_first = query.get("direction", "desc") == "desc"
        out = []
        for issue in sorted(repo.issues.values(), key=by, reverse=newest_first):
            if state not in ("all", issue.state):
                continue
            if milestone == "none" and issue.milestone is not None:
                continue
            if milestone == "*" and issue.milestone is None:
                continue
            if milestone and milestone.isdigit() and issue.milestone != int(milestone):
                continue
            if since and _updated(issue) < since:
                continue
            out.append(self.issue_json(repo, issue, rendered))
        return out

    def _paged(
        self, repo: FakeRepo, what: str, items: list[dict[str, Any]], query: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        """One page of `items` and a Link header pointing at `/repositories/{id}/...`."""
        query = dict(query)
        per_page = min(int(query.get("per_page", 30)), self.max_per_page)
        page = int(query.get("page", 1))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        base = f"{self.url}/repositories/{repo.id}/{what}"
        query.pop("page", None)

        def link(n: int, rel: str) -> str:
            return f'<{base}?{urlencode({**query, "page": n})}>; rel="{rel}"'

        rels = []
        if page > 1:
            rels.append(link(page - 1, "prev"))
        if page < last:
            rels += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            rels.append(link(1, "first"))
        return 200, chunk, ({"Link": ", ".join(rels)} if rels else {})


class _Server(ThreadingHTTPServer):
    request_queue_size = 128
    """The listen backlog. The default 5 drops SYNs when a client opens 8 connections at
    once, and each dropped SYN costs that connection a 1 s retransmit."""
    daemon_threads = True


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeGitHub
    protocol_version = "HTTP/1.1"  # keep-alive, as clients expect from GitHub
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server_version = "GitHub.com"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        return

    def do_PUT(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        fake = self.server_fake
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query))
        headers = {k.lower(): v for k, v in self.headers.items()}
        length = int(headers.get("content-length") or 0)
        self._body = self.rfile.read(length) if length else b""
        self._hit = Hit(self.command, split.path, query, 0, headers)
        with fake._lock:
            fake.in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
        self._finished = False
        try:
            fake._wait(fake.latency)
            self._answer(fake, split.path, query, headers)
        finally:
            self._finish(0)

    def _finish(self, status: int, size: int = 0) -> None:
        """Log the request and leave the in-flight count *before* the client can see the
        answer, so a test reading the log right after its request never races the server."""
        if self._finished:
            return
        self._finished = True
        fake = self.server_fake
        hit = self._hit
        with fake._lock:
            fake.in_flight -= 1
            fake.log.append(Hit(hit.method, hit.path, hit.query, status, hit.headers, size))

    def _answer(
        self, fake: FakeGitHub, path: str, query: dict[str, str], headers: dict[str, str]
    ) -> int:
        if not path.startswith(fake.prefix + "/"):
            return self._send(*_not_found())
        path = path[len(fake.prefix) :]
        fault = fake._take_fault(path, self.command)
        if fault is not None:
            fake._wait(fault.delay)
            if fault.gate is not None:
                fault.gate.wait(timeout=30)
            if fault.drop:
                self._finish(0)
                self.close_connection = True
                return 0
            if fault.status is not None:
                body = fault.body if fault.body is not None else {"message": "Server Error"}
                headers = {**fake_rate(fake), **fault.headers}
                return self._send(fault.status, body, headers, reason=fault.reason)
        sent = headers.get("authorization", "").partition(" ")[2]
        if fake.token and sent not in (fake.token, *fake.readers):
            body = {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"}
            return self._send(401, body, {})
        special = contents.answer(fake, self.command, path, query, sent, self._body)
        if special is not None:
            status, body, extra = special[0], json.dumps(special[1]), special[2]
        elif self.command != "GET":
            return self._send(*_not_found())
        else:
            status, body, extra = fake.render(path, query)
        if status != 200 or self.command != "GET":
            return self._send(status, body, extra)
        text = body
        etag = 'W/"' + hashlib.sha256(text.encode()).hexdigest() + '"'
        modified = extra.get("Last-Modified")
        if _not_modified(headers, etag, modified):
            return self._send(304, None, {"ETag": etag, **extra}, counts=False)
        return self._send(200, text, {"ETag": etag, **extra})

    def _send(
        self,
        status: int,
        body: Any,
        extra: dict[str, str],
        *,
        counts: bool = True,
        reason: str | None = None,
    ) -> int:
        fake = self.server_fake
        if counts and status in (200, 201):
            with fake._lock:
                fake.rate_remaining = max(0, fake.rate_remaining - 1)
        raw = b"" if body is None else (body if isinstance(body, str) else json.dumps(body))
        data = raw.encode() if isinstance(raw, str) else raw
        self._finish(status, len(data))
        try:
            self.send_response(status, reason)
            headers = {**_COMMON, **fake_rate(fake), **extra}
            if status != 304:
                headers["Content-Type"] = "application/json; charset=utf-8"
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout test)
        return status


_COMMON = {
    "Cache-Control": "private, max-age=60, s-maxage=60",
    "Vary": "Accept, Authorization, Cookie, X-GitHub-OTP,Accept-Encoding, Accept, X-Requested-With",
    "X-GitHub-Media-Type": "github.v3; format=json",
    "x-github-api-version-selected": "2022-11-28",
    "X-GitHub-Request-Id": "92F6:4E297:23BC472B:24A1E8E2:67785B60",
}


def fake_rate(fake: FakeGitHub) -> dict[str, str]:
    """The `X-RateLimit-*` headers as GitHub sends them on every answer."""
    return {
        "X-RateLimit-Limit": str(fake.rate_limit),
        "X-RateLimit-Remaining": str(fake.rate_remaining),
        "X-RateLimit-Reset": str(fake.rate_reset),
        "X-RateLimit-Used": str(fake.rate_limit - fake.rate_remaining),
        "X-RateLimit-Resource": "core",
    }


def _not_found() -> tuple[int, Any, dict[str, str]]:
    return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}, {}


def _updated(issue: FakeIssue) -> datetime:
    return issue.updated_at or issue.closed_at or issue.created_at


def _modified(when: datetime) -> dict[str, str]:
    return {"Last-Modified": format_datetime(when.astimezone(UTC), usegmt=True)}


def _not_modified(headers: dict[str, str], etag: str, modified: str | None) -> bool:
    """ETag wins when sent (as on GitHub); else If-Modified-Since against Last-Modified."""
    if "if-none-match" in headers:
        return etag in [t.strip() for t in headers["if-none-match"].split(",")]
    since = headers.get("if-modified-since")
    if since and modified:
        return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
    return False


def _reactions(url: str) -> dict[str, Any]:
    counts = ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")
    return {"url": url, "total_count": 0, **dict.fromkeys(counts, 0)}


def rate_limit_reset_in(seconds: float) -> str:
    """An `x-ratelimit-reset` value `seconds` from now (epoch seconds, as GitHub sends)."""
    return str(int((datetime.now(UTC) + timedelta(seconds=seconds)).timestamp()))
