"""JSON shapes of the fake Jira, field for field as in tests/samples/jira.

Cloud (v3) users carry `accountId`; Server (v2) users carry `name` and `key`. Timestamps are
written as Jira writes them (`2026-01-05T12:00:00.000+0000`), dates as `yyyy-mm-dd`. Only the
fields a search asked for are returned, and Cloud's default is ids only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

BASE_TIME = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)

CATEGORIES = {
    "new": (2, "blue-gray", "To Do"),
    "indeterminate": (4, "yellow", "In Progress"),
    "done": (3, "green", "Done"),
}
PRIORITIES = {"Highest": 1, "High": 2, "Medium": 3, "Low": 4, "Lowest": 5, "Major": 3}
ALL_FIELDS = (
    "summary",
    "status",
    "priority",
    "assignee",
    "reporter",
    "labels",
    "fixVersions",
    "duedate",
    "resolutiondate",
    "statuscategorychangedate",
    "created",
    "updated",
    "description",
    "project",
    "issuetype",
)


@dataclass
class FakeVersion:
    id: int
    name: str
    description: str = ""
    release_date: date | None = None
    start_date: date | None = None
    released: bool = False
    archived: bool = False


@dataclass
class FakeSprint:
    id: int
    name: str
    state: str = "active"
    """`future`, `active` or `closed`."""
    start: datetime | None = None
    end: datetime | None = None
    complete: datetime | None = None
    goal: str | None = None


@dataclass
class FakeIssue:
    key: str
    id: int
    summary: str
    status: str = "To Do"
    category: str = "new"
    priority: str | None = "Medium"
    assignee: str | None = None
    """Display name."""
    reporter: str = "Dana Kim"
    labels: tuple[str, ...] = ()
    versions: tuple[int, ...] = ()
    """Fix version ids."""
    sprints: tuple[int, ...] = ()
    due: date | None = None
    created: datetime = BASE_TIME
    updated: datetime | None = None
    resolved: datetime | None = None
    description: Any = None
    """ADF dict (Cloud), wiki markup string (Server), or None."""


@dataclass
class FakeProject:
    key: str
    id: int
    versions: dict[int, FakeVersion] = field(default_factory=dict)
    issues: dict[str, FakeIssue] = field(default_factory=dict)
    numbered: int = 0
    """The last issue number given (numbers are never reused, as in Jira)."""


def stamp(when: datetime | None, offset_hours: int) -> str | None:
    """Jira's timestamp format, in the site's offset: `2015-12-02T07:39:15.000-0800`."""
    if when is None:
        return None
    local = when.astimezone(timezone(timedelta(hours=offset_hours)))
    return (
        local.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{local.microsecond // 1000:03d}"
        + (local.strftime("%z"))
    )


def stamp_colon(when: datetime | None, offset_hours: int) -> str | None:
    """The Agile API's format: `2015-04-11T15:22:00.000+10:00`."""
    text = stamp(when, offset_hours)
    return f"{text[:-2]}:{text[-2:]}" if text else None


def updated(issue: FakeIssue) -> datetime:
    return issue.updated or issue.resolved or issue.created


def user(api: str, name: str, *, cloud: bool) -> dict[str, Any]:
    slug = name.lower().replace(" ", ".")
    digest = hashlib.sha1(name.encode()).hexdigest()
    avatars = {
        size: f"https://avatar-management.example/initials/{slug}.png?size={size.split('x')[0]}"
        for size in ("48x48", "24x24", "16x16", "32x32")
    }
    if cloud:
        return {
            "self": f"{api}/user?accountId=5b10{digest[:20]}",
            "accountId": f"5b10{digest[:20]}",
            "emailAddress": f"{slug}@example.com",
            "avatarUrls": avatars,
            "displayName": name,
            "active": True,
            "timeZone": "Europe/Berlin",
            "accountType": "atlassian",
        }
    return {
        "self": f"{api}/user?username={slug}",
        "name": slug,
        "key": slug,
        "emailAddress": f"{slug}@example.com",
        "avatarUrls": avatars,
        "displayName": name,
        "active": True,
        "timeZone": "America/New_York",
    }


def status(api: str, name: str, category: str) -> dict[str, Any]:
    cid, colour, cname = CATEGORIES[category]
    sid = 10000 + int(hashlib.sha1(name.encode()).hexdigest()[:3], 16)
    return {
        "self": f"{api}/status/{sid}",
        "description": "",
        "iconUrl": f"{api.partition('/rest/')[0]}/images/icons/statuses/generic.png",
        "name": name,
        "id": str(sid),
        "statusCategory": {
            "self": f"{api}/statuscategory/{cid}",
            "id": cid,
            "key": category,
            "colorName": colour,
            "name": cname,
        },
    }


def priority(api: str, name: str) -> dict[str, Any]:
    pid = PRIORITIES.get(name, 3)
    return {
        "self": f"{api}/priority/{pid}",
        "iconUrl": f"{api.partition('/rest/')[0]}/images/icons/priorities/{name.lower()}.svg",
        "name": name,
        "id": str(pid),
    }


def version(api: str, project: FakeProject, v: FakeVersion, today: date) -> dict[str, Any]:
    data: dict[str, Any] = {
        "self": f"{api}/version/{v.id}",
        "id": str(v.id),
        "description": v.description,
        "name": v.name,
        "archived": v.archived,
        "released": v.released,
    }
    if v.start_date:
        data["startDate"] = v.start_date.isoformat()
    if v.release_date:
        data["releaseDate"] = v.release_date.isoformat()
        data["userReleaseDate"] = v.release_date.strftime("%-d/%b/%Y")
    data["overdue"] = bool(v.release_date and not v.released and v.release_date < today)
    data["projectId"] = project.id
    return data


def sprint(origin: str, board: int, s: FakeSprint, offset_hours: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": s.id,
        "self": f"{origin}/rest/agile/1.0/sprint/{s.id}",
        "state": s.state,
        "name": s.name,
    }
    for key, when in (("startDate", s.start), ("endDate", s.end), ("completeDate", s.complete)):
        if when is not None:
            data[key] = stamp_colon(when, offset_hours)
    data["originBoardId"] = board
    if s.goal is not None:
        data["goal"] = s.goal
    return data
