"""Jira JSON (Cloud v3 and Server v2 alike) turned into model objects.

Every tracker string passes through `pullboard.text` here, where it enters. An issue's state
comes from its status category (the workflow's own notion of done), and `closed_at` is kept
consistent with it: the board counts an issue closed when it has a `closed_at`, so a done
issue without a resolution date still gets one, and a reopened issue that kept its old
resolution date does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from pullboard.model import Issue, Milestone, State
from pullboard.sources.jira.wire import JiraIssue, Named, Person, Status
from pullboard.text import clean, one_line, web_url

T = TypeVar("T")

FIELDS = (
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
)
"""Listed explicitly: Cloud's enhanced search returns ids only unless asked for fields."""


@dataclass(frozen=True)
class Found:
    """An issue as a search returned it, before it is placed in one milestone."""

    issue: Issue
    """`milestone` is None, or where a kept issue was placed before: placing sets it anew."""
    versions: tuple[str, ...]
    """Ids of its fix versions."""


def when(value: Any) -> datetime | None:
    """A Jira timestamp (`2015-12-02T07:39:15.000-0800`, or epoch millis) in UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000, UTC)
        except (OverflowError, OSError) as err:  # OSError: beyond the platform's time_t
            raise ValueError(f"timestamp {value} is out of range") from err
    parsed = datetime.fromisoformat(str(value))
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def day(value: Any) -> date | None:
    """A Jira date: `yyyy-mm-dd` as documented, the epoch millis some examples show, or a
    timestamp, whose day is taken as written (the site's local day, not the UTC one)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return (
            date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value).date()
        )
    moment = when(value)
    return moment.date() if moment else None


def midnight(value: date | None) -> datetime | None:
    """A date as the start of that day in UTC (versions carry days, the model datetimes)."""
    return datetime.combine(value, time(), UTC) if value else None


def person(raw: Person | None) -> str:
    """How to show a user: display name, else the Server `name`/`key`, else the Cloud id."""
    if raw is None:
        return ""
    return one_line(raw.displayName or raw.name or raw.key or raw.accountId)


def _name(raw: Named | Status | None) -> str | None:
    return one_line(raw.name) if raw is not None and raw.name else None


def issue(raw: JiraIssue, site: str, source: str) -> Found:
    """One issue from a search answer (`fields` as listed in `FIELDS`).

    Raises:
        ValueError, OverflowError: on values pullboard can't read (callers turn these into a
            `SourceRejected` naming the site).
    """
    key = one_line(raw.key)
    fields = raw.fields
    status = fields.status
    category = status.statusCategory.key if status and status.statusCategory else None
    state = State.CLOSED if category == "done" else State.OPEN
    created = when(fields.created)
    if created is None:
        raise ValueError(f"{key} has no created date")
    updated = when(fields.updated) or created
    closed_at = None
    if state is State.CLOSED:
        closed_at = when(fields.resolutiondate) or when(fields.statuscategorychangedate) or updated
    assignee = person(fields.assignee)
    versions = tuple(one_line(str(v.id)) for v in fields.fixVersions or ())
    found = Issue(
        url=web_url(f"{site}/browse/{raw.key}"),
        ref=key,
        source=source,
        milestone=None,
        title=one_line(fields.summary),
        state=state,
        status=_name(status) or ("Done" if state is State.CLOSED else "Open"),
        created=created,
        updated=updated,
        closed_at=closed_at,
        assignees=(assignee,) if assignee else (),
        labels=tuple(one_line(label) for label in fields.labels or ()),
        priority=_name(fields.priority),
        due=day(fields.duedate),
        author=person(fields.reporter),
    )
    return Found(found, versions)


def version(raw: dict[str, Any], site: str, project: str, source: str) -> Milestone:
    """A project version as a milestone; counts are filled in from its issues later."""
    name = one_line(str(raw["name"]))
    released = bool(raw.get("released"))
    due = day(raw.get("releaseDate"))
    return Milestone(
        url=web_url(f"{site}/projects/{project}/versions/{raw['id']}"),
        ref=f"{project}@{name}",
        source=source,
        title=name,
        state=State.CLOSED if released else State.OPEN,
        due=due,
        open_count=0,
        closed_count=0,
        description=clean(raw.get("description")),
        created=midnight(day(raw.get("startDate"))),
        closed_at=midnight(due) if released else None,
        key=one_line(str(raw["id"])),
    )


def sprint(raw: dict[str, Any], url: str, source: str) -> Milestone:
    """A board sprint as a milestone; `url` is the board page that shows it (`web_url`)."""
    completed = when(raw.get("completeDate"))
    closed = raw.get("state") == "closed"
    name = one_line(str(raw["name"]))
    return Milestone(
        url=url,
        ref=name,
        source=source,
        title=name,
        state=State.CLOSED if closed else State.OPEN,
        due=day(raw.get("endDate")),
        open_count=0,
        closed_count=0,
        description=clean(raw.get("goal")),
        created=when(raw.get("startDate")),
        closed_at=(completed or when(raw.get("endDate"))) if closed else None,
        key=one_line(str(raw["id"])),
    )
