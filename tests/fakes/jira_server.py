"""A fake Jira on 127.0.0.1, Cloud or Server / Data Center: real sockets, real HTTP, the
answer shapes of tests/samples/jira.

Cloud serves the enhanced search (`/rest/api/3/search/jql`, `nextPageToken` paging, ids only
unless fields are named) and answers the old `/rest/api/{2,3}/search` with 410 Gone, as
Atlassian does; Server serves `/rest/api/2/search` with startAt / total and has no v3. Both
serve project versions, board sprints (Agile API) and single issues. Tests fill it, inject
faults per path, and read back the request log.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import re
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fakes import jira_json as J
from fakes.faults import Fault, Hit
from fakes.jira_json import BASE_TIME, FakeIssue, FakeProject, FakeSprint, FakeVersion
from fakes.jql import JqlError, parse

TOKEN = "ATATT3xFfGF0fakeJiraTokenForTests0123456789"
"""The token tests give the fake; they check it never lands in caches, reprs or messages."""
EMAIL = "dana@example.com"
GONE = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)
UNAUTHENTICATED = "You are not authenticated. Authentication required to perform this operation."
__all__ = ["BASE_TIME", "EMAIL", "TOKEN", "FakeIssue", "FakeJira", "Fault", "Hit"]


def errors(*messages: str, **fields: str) -> dict[str, Any]:
    """Jira's error body."""
    return {"errorMessages": list(messages), "errors": fields}


class FakeJira:
    """The server; use as a context manager.

    Args:
        flavor: `cloud` or `server`.
        context: a path prefix (Server installs often live under `/jira`).
        token: required credentials: Basic `email:token` on Cloud, Bearer on Server.
        latency: seconds added to every request.
        offset_hours: the site's time zone in timestamps (Server samples show -08:00).
    """

    def __init__(
        self,
        flavor: str = "cloud",
        *,
        context: str = "",
        token: str | None = TOKEN,
        email: str = EMAIL,
        latency: float = 0.0,
        offset_hours: int | None = None,
    ) -> None:
        self.flavor = flavor
        self.cloud = flavor == "cloud"
        self.context = context.rstrip("/")
        self.token = token
        self.email = email
        self.latency = latency
        self.offset = offset_hours if offset_hours is not None else (0 if self.cloud else -8)
        self.max_results = 100
        """Largest page of full issues (Cloud and Server both cap searches with fields)."""
        self.key_max_results = 5000 if self.cloud else 1000
        """Largest page when only `key` / `id` is asked for."""
        self.projects: dict[str, FakeProject] = {}
        self.boards: dict[int, dict[int, FakeSprint]] = {}
        self.faults: list[Fault] = []
        self.log: list[Hit] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._ids = 10000
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._server: _Server | None = None
        self.memo = False
        """Answer each distinct request once and replay it until the data changes (benchmarks:
        answers then cost latency, not the fake's JQL and JSON work)."""
        self._answers: dict[str, tuple[int, Any]] = {}
        self._matches: dict[str, list[FakeIssue]] = {}

    # -- lifecycle ----------------------------------------------------------------------------

    def __enter__(self) -> FakeJira:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        """The site base to put in a source's `url`."""
        assert self._server is not None, "enter the context first"
        return f"http://127.0.0.1:{self._server.server_port}{self.context}"

    @property
    def api(self) -> str:
        return f"{self.url}/rest/api/{3 if self.cloud else 2}"

    # -- data ---------------------------------------------------------------------------------

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def add_project(self, key: str) -> FakeProject:
        project = FakeProject(key, self._next_id())
        self.projects[key] = project
        return project

    def add_version(self, project: str, name: str, **fields: Any) -> FakeVersion:
        v = FakeVersion(self._next_id(), name, **fields)
        self.projects[project].versions[v.id] = v
        self._forget()
        return v

    def add_sprint(self, board: int, name: str, **fields: Any) -> FakeSprint:
        s = FakeSprint(self._next_id(), name, **fields)
        self.boards.setdefault(board, {})[s.id] = s
        return s

    def add_issue(self, project: str, summary: str, **fields: Any) -> FakeIssue:
        p = self.projects[project]
        p.numbered += 1
        key = f"{project}-{p.numbered}"
        if fields.get("category") == "done":
            fields.setdefault("status", "Done")
            fields.setdefault("resolved", fields.get("created", BASE_TIME))
        issue = FakeIssue(key, self._next_id(), summary, **fields)
        p.issues[key] = issue
        self._forget()
        return issue

    def issue(self, key: str) -> FakeIssue:
        return self.projects[key.partition("-")[0]].issues[key]

    def touch(self, key: str, **changes: Any) -> FakeIssue:
        """Change an issue as a user would: `updated` moves to now."""
        with self._lock:
            issue = self.issue(key)
            for name, value in changes.items():
                setattr(issue, name, value)
            issue.updated = datetime.now(UTC)
            self._forget()
            return issue

    def delete(self, key: str) -> None:
        with self._lock:
            del self.projects[key.partition("-")[0]].issues[key]
            self._forget()

    def fail(self, pattern: str, status: int | None = 500, **how: Any) -> Fault:
        """Inject a fault for request paths (context excluded) matching the glob `pattern`."""
        fault = Fault(pattern, status, **how)
        with self._lock:
            self.faults.append(fault)
        return fault

    # -- request log --------------------------------------------------------------------------

    def hits(self, pattern: str = "*") -> list[Hit]:
        with self._lock:
            return [h for h in self.log if fnmatch.fnmatchcase(h.path, pattern)]

    def statuses(self) -> list[int]:
        with self._lock:
            return [h.status for h in self.log]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    # -- JQL fields (the `jql.Fields` protocol) -----------------------------------------------

    def values(self, issue: FakeIssue | None, name: str) -> list[str] | None:
        if name not in _FIELDS:
            return None
        if issue is None:
            return []
        project = self.projects[issue.key.partition("-")[0]]
        if name == "fixversion":
            versions = [project.versions[i] for i in issue.versions]
            return [str(v.id) for v in versions] + [v.name for v in versions]
        return _FIELDS[name](issue)

    def moment(self, issue: FakeIssue, name: str) -> datetime | None:
        if name == "created":
            return issue.created
        if name == "updated":
            return J.updated(issue)
        return issue.resolved

    # -- answers ------------------------------------------------------------------------------

    def issue_json(self, issue: FakeIssue, wanted: list[str]) -> dict[str, Any]:
        """An issue as a search or a GET returns it, with only the `wanted` fields."""
        api, cloud, off = self.api, self.cloud, self.offset
        if wanted == ["id"]:
            return {"id": str(issue.id)}
        names = ALL if {"*all", "*navigable"} & set(wanted) else wanted
        done = issue.category == "done"
        project = self.projects[issue.key.partition("-")[0]]
        every: dict[str, Any] = {
            "summary": lambda: issue.summary,
            "status": lambda: J.status(api, issue.status, issue.category),
            "priority": lambda: J.priority(api, issue.priority) if issue.priority else None,
            "assignee": lambda: (
                J.user(api, issue.assignee, cloud=cloud) if issue.assignee else None
            ),
            "reporter": lambda: J.user(api, issue.reporter, cloud=cloud),
            "labels": lambda: list(issue.labels),
            "fixVersions": lambda: [
                J.version(api, project, project.versions[i], BASE_TIME.date())
                for i in issue.versions
            ],
            "duedate": lambda: issue.due.isoformat() if issue.due else None,
            "resolutiondate": lambda: J.stamp(issue.resolved, off) if done else None,
            "statuscategorychangedate": lambda: J.stamp(J.updated(issue), off),
            "created": lambda: J.stamp(issue.created, off),
            "updated": lambda: J.stamp(J.updated(issue), off),
            "description": lambda: issue.description,
        }
        fields = {
            n: every[n]()
            for n in names
            if n in every and (cloud or n != "statuscategorychangedate")
        }
        return {
            "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
            "id": str(issue.id),
            "self": f"{api}/issue/{issue.id}",
            "key": issue.key,
            "fields": fields,
        }

    def _forget(self) -> None:
        self._answers.clear()
        self._matches.clear()

    def answer(self, method: str, path: str, query: dict[str, str]) -> tuple[int, Any]:
        """`route`, replayed from the memo when `memo` is on (bodies then come encoded)."""
        if not self.memo:
            return self.route(method, path, query)
        key = f"{method} {path}?{sorted(query.items())}"
        if key not in self._answers:
            status, body = self.route(method, path, query)
            self._answers[key] = status, json.dumps(body)
        return self._answers[key]

    def route(self, method: str, path: str, query: dict[str, str]) -> tuple[int, Any]:
        """Answer one request: (status, JSON body)."""
        parts = path.strip("/").split("/")
        if parts[:2] == ["rest", "api"] and len(parts) >= 4:
            version, rest = parts[2], parts[3:]
            if version not in (("2", "3") if self.cloud else ("2",)):
                return 404, {"message": f"null for uri: {self.url}{path}", "status-code": 404}
            if rest == ["search"]:
                return (410, errors(GONE)) if self.cloud else self._offset_search(query)
            if rest == ["search", "jql"] and self.cloud:
                return self._token_search(query) if method == "GET" else (405, errors("POST"))
            if rest == ["serverInfo"]:
                return 200, self._server_info()
            if rest == ["field"]:  # client libraries read it once to map field names
                return 200, [_field(name) for name in _FIELD_NAMES]
            if len(rest) == 3 and rest[0] == "project" and rest[2] == "versions":
                return self._versions(rest[1])
            if len(rest) == 2 and rest[0] == "issue":
                return self._issue(rest[1], query)
        if parts[:4] == ["rest", "agile", "1.0", "board"] and parts[5:] == ["sprint"]:
            return self._sprints(parts[4], query)
        return 404, {"message": f"null for uri: {self.url}{path}", "status-code": 404}

    def _matching(self, query: dict[str, str]) -> tuple[list[FakeIssue], list[str]]:
        jql = query.get("jql", "")
        issues = self._matches.get(jql)
        if issues is None:
            predicate = parse(jql, self)
            now = datetime.now(UTC)
            issues = [
                i
                for p in sorted(self.projects.values(), key=lambda p: p.key)
                for i in sorted(p.issues.values(), key=lambda i: int(i.key.split("-")[1]))
                if predicate(i, now)
            ]
            if self.memo and not _RELATIVE.search(jql):
                self._matches[jql] = issues
        wanted = [f.strip() for f in query.get("fields", "").split(",") if f.strip()]
        return issues, wanted

    def _cap(self, wanted: list[str], asked: str | None) -> int:
        cap = self.key_max_results if set(wanted) <= {"key", "id"} else self.max_results
        return max(1, min(int(asked or 50), cap))

    def _token_search(self, query: dict[str, str]) -> tuple[int, Any]:
        issues, wanted = self._matching(query)
        wanted = wanted or ["id"]
        size = self._cap(wanted, query.get("maxResults"))
        start = 0
        if query.get("nextPageToken"):
            token = json.loads(base64.urlsafe_b64decode(query["nextPageToken"]))
            if token["q"] != query.get("jql", ""):
                return 400, errors("The provided next page token is invalid or expired.")
            start = token["at"]
        page = issues[start : start + size]
        body: dict[str, Any] = {"issues": [self.issue_json(i, wanted) for i in page]}
        if start + size < len(issues):
            raw = json.dumps({"at": start + size, "q": query.get("jql", "")}).encode()
            body["nextPageToken"] = base64.urlsafe_b64encode(raw).decode()
        body["isLast"] = "nextPageToken" not in body
        return 200, body

    def _offset_search(self, query: dict[str, str]) -> tuple[int, Any]:
        issues, wanted = self._matching(query)
        size = self._cap(wanted or ["*navigable"], query.get("maxResults"))
        start = int(query.get("startAt", 0))
        page = issues[start : start + size]
        return 200, {
            "expand": "schema,names",
            "startAt": start,
            "maxResults": size,
            "total": len(issues),
            "issues": [self.issue_json(i, wanted or ["*navigable"]) for i in page],
        }

    def _server_info(self) -> dict[str, Any]:
        """What `GET serverInfo` says: client libraries ask it to tell Cloud from Server."""
        version = "1001.0.0-SNAPSHOT" if self.cloud else "9.12.0"
        return {
            "baseUrl": self.url,
            "version": version,
            "versionNumbers": [int(n) for n in version.split("-", maxsplit=1)[0].split(".")],
            "deploymentType": "Cloud" if self.cloud else "Server",
            "serverTitle": "Jira",
        }

    def _versions(self, key: str) -> tuple[int, Any]:
        project = self.projects.get(key)
        if project is None:
            return 404, errors(f"No project could be found with key '{key}'.")
        today = BASE_TIME.date()
        return 200, [J.version(self.api, project, v, today) for v in project.versions.values()]

    def _issue(self, key: str, query: dict[str, str]) -> tuple[int, Any]:
        project = self.projects.get(key.partition("-")[0])
        issue = project.issues.get(key) if project else None
        if issue is None:
            return 404, errors("Issue does not exist or you do not have permission to see it.")
        wanted = [f for f in query.get("fields", "*all").split(",") if f]
        return 200, self.issue_json(issue, wanted)

    def _sprints(self, board: str, query: dict[str, str]) -> tuple[int, Any]:
        sprints = self.boards.get(int(board)) if board.isdigit() else None
        if sprints is None:
            return 404, errors("Board does not exist or you do not have permission to see it.")
        states = set(query.get("state", "future,active,closed").split(","))
        chosen = [s for s in sprints.values() if s.state in states]
        start, size = int(query.get("startAt", 0)), min(int(query.get("maxResults", 50)), 50)
        page = chosen[start : start + size]
        origin = self.url
        body: dict[str, Any] = {"maxResults": size, "startAt": start}
        if self.cloud:
            body["total"] = len(chosen)
        body["isLast"] = start + size >= len(chosen)
        body["values"] = [J.sprint(origin, int(board), s, self.offset) for s in page]
        return 200, body

    def authorized(self, header: str | None) -> bool:
        if self.token is None:
            return True
        if self.cloud:
            pair = base64.b64encode(f"{self.email}:{self.token}".encode()).decode()
            return header == f"Basic {pair}"
        return header == f"Bearer {self.token}"


ALL = list(J.ALL_FIELDS)
_RELATIVE = re.compile(r"[\"']-\d+[mhdw]")
"""A time-relative JQL value: its answer changes with the clock, so it is never memoised."""
_FIELDS = {
    "project": lambda i: [i.key.partition("-")[0]],
    "key": lambda i: [i.key],
    "issue": lambda i: [i.key],
    "issuekey": lambda i: [i.key],
    "fixversion": lambda i: [],
    "sprint": lambda i: [str(s) for s in i.sprints],
    "labels": lambda i: list(i.labels),
    "status": lambda i: [i.status],
    "statuscategory": lambda i: [J.CATEGORIES[i.category][2]],
    "priority": lambda i: [i.priority] if i.priority else [],
    "assignee": lambda i: [i.assignee] if i.assignee else [],
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    """The default backlog of 5 drops connects when 8 arrive at once (a 1 s SYN retry)."""


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeJira
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        fake = self.server_fake
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query))
        headers = {k.lower(): v for k, v in self.headers.items()}
        if length := int(headers.get("content-length", 0)):
            self.rfile.read(length)
        path = split.path[len(fake.context) :] if split.path.startswith(fake.context) else ""
        with fake._lock:
            fake.in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
        status, body, extra = self._answer(fake, method, path, query, headers)
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        with fake._lock:  # logged before the client sees the answer: tests never race it
            fake.in_flight -= 1
            fake.log.append(Hit(method, path, query, status, headers, len(data)))
        self._send(status, data, extra)

    def _answer(
        self, fake: FakeJira, method: str, path: str, query: dict[str, str], headers: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        fake._stop.wait(fake.latency)
        with fake._lock:
            fault = next((f for f in fake.faults if fnmatch.fnmatchcase(path, f.pattern)), None)
            if fault is not None and fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    fake.faults.remove(fault)
        if fault is not None:
            fake._stop.wait(fault.delay)
            if fault.status is not None:
                return (
                    fault.status,
                    fault.body if fault.body is not None else errors(),
                    fault.headers,
                )
        if not fake.authorized(headers.get("authorization")):
            extra = {"WWW-Authenticate": 'Basic realm="protected-area"'}
            if "authorization" in headers:
                extra["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED"
            return 401, errors(UNAUTHENTICATED), extra
        try:
            with fake._lock:
                status, body = fake.answer(method, path, query)
        except JqlError as err:
            status, body = 400, errors(str(err))
        return status, body, {}

    def _send(self, status: int, data: bytes, extra: dict[str, str]) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Cache-Control", "no-cache, no-store, no-transform")
            self.send_header("X-AREQUESTID", re.sub(r"\D", "", str(id(self)))[:8])
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


_FIELD_NAMES = {
    "summary": "Summary",
    "status": "Status",
    "assignee": "Assignee",
    "labels": "Labels",
    "priority": "Priority",
    "resolutiondate": "Resolved",
    "fixVersions": "Fix versions",
    "duedate": "Due date",
    "updated": "Updated",
    "created": "Created",
    "issuelinks": "Linked Issues",
    "description": "Description",
}


def _field(field_id: str) -> dict[str, Any]:
    """One system field as `GET /rest/api/2/field` lists it."""
    name = _FIELD_NAMES[field_id]
    return {
        "id": field_id,
        "key": field_id,
        "name": name,
        "custom": False,
        "orderable": True,
        "navigable": True,
        "searchable": True,
        "clauseNames": [field_id],
    }
