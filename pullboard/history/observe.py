"""What a refresh saw, as the facts the history keeps: per milestone its title, due date,
counts, forecast and risk; per issue its state, milestone, assignees, labels, priority, title;
per goal (under its `goal:ID`) its title, due date and rolled-up risk.

Only sources that answered this refresh count: a failed source shows its last data, which
was recorded when it was fresh, and must not be stamped with a time it wasn't seen. A goal
counts when all its milestones' sources answered and the insights file was read fresh.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from pullboard.history.store import Facts, encode
from pullboard.model import Goal, GoalStatus, Issue, Milestone, MilestoneStatus, Snapshot


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def milestone_facts(milestone: Milestone, status: MilestoneStatus) -> Facts:
    """A milestone as the history keeps it."""
    return {
        "ref": milestone.ref,
        "title": milestone.title,
        "state": milestone.state.value,
        "due": _day(milestone.due),
        "open": status.open,
        "closed": status.closed,
        "forecast": _day(status.forecast),
        "forecast_p85": _day(status.forecast_p85),
        "risk": status.risk.value,
    }


def issue_facts(issue: Issue) -> Facts:
    """An issue as the history keeps it (`created` tells a new issue from one moved in)."""
    return {
        "ref": issue.ref,
        "title": issue.title,
        "state": issue.state.value,
        "milestone": issue.milestone,
        "assignees": sorted(issue.assignees),
        "labels": sorted(issue.labels),
        "priority": issue.priority,
        "created": _moment(issue.created),
        "closed_at": _moment(issue.closed_at) if issue.closed_at else None,
    }


def goal_facts(goal: Goal, status: GoalStatus) -> Facts:
    """A goal as the history keeps it: what `goal_changed` compares."""
    return {"title": goal.title, "due": _day(goal.due), "risk": status.risk.value}


def _moment(when: datetime) -> str:
    return when.isoformat()


Made = tuple[str, object, Callable[..., Facts], tuple[Any, ...]]
"""An item as a refresh saw it: (kind, what its facts are made of, how, with what)."""


def _items(
    snapshot: Snapshot, complete: Callable[[str], bool]
) -> tuple[dict[str, Made], frozenset[str]]:
    """Every item from a source fetched this refresh, and the milestones whose whole issue
    list is among them (an issue missing from one of those has left it)."""
    fresh = {s.name for s in snapshot.sources if s.ok and not s.from_cache}
    seen: dict[str, Made] = {}
    whole = set()
    for m in snapshot.milestones:
        if m.source in fresh:
            status = snapshot.status[m.url]
            seen[m.url] = ("milestone", (m, status), milestone_facts, (m, status))
            if complete(m.url):
                whole.add(m.url)
    for i in snapshot.issues:
        if i.source in fresh and (i.milestone is None or i.milestone in whole):
            seen[i.url] = ("issue", i, issue_facts, (i,))
    sources = {m.url: m.source for m in snapshot.milestones}
    insights_fresh = not (snapshot.insights_error or snapshot.insights_stale)
    for g in snapshot.goals if insights_fresh else ():
        goal = snapshot.goal_status.get(g.id)
        if goal is not None and all(sources.get(url) in fresh for url in goal.milestones):
            seen[g.url] = ("goal", (g, goal), goal_facts, (g, goal))
    return seen, frozenset(whole)


class Observer:
    """What each refresh saw, as the facts the store keeps, encoded (`store.encode`).

    An item's text is made again only when the item changed: the objects its facts come
    from are compared with last refresh's (the same object, or equal ones), so a big
    board's unchanged items cost a comparison each, not a new dict and a JSON encoding.
    """

    def __init__(self) -> None:
        self._made: dict[str, tuple[object, str]] = {}

    def observed(
        self, snapshot: Snapshot, complete: Callable[[str], bool]
    ) -> tuple[dict[str, tuple[str, str]], frozenset[str]]:
        """url -> (kind, encoded facts) of every item from a source fetched this refresh,
        and the milestones whose whole issue list is among them."""
        items, whole = _items(snapshot, complete)
        made, self._made = self._made, {}
        out = {}
        for url, (kind, source, facts, args) in items.items():
            before = made.get(url)
            if before is not None and (before[0] is source or before[0] == source):
                text = before[1]
            else:
                text = encode(facts(*args))
            self._made[url] = source, text
            out[url] = kind, text
        return out, whole
