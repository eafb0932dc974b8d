"""Answers about issues: how pressing each one is, which changed since a look, whose it is.

Nothing here reads a clock: `now` is always passed in, so every answer is reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from pullboard.model import Insight, Issue, Milestone, Pressing, State

PRESSING_LABELS = frozenset({"blocker", "blocking", "critical", "urgent", "security", "p0"})
HIGH_PRIORITIES = frozenset({"highest", "high", "blocker", "critical", "p0", "p1", "urgent"})
BLOCKER_LABELS = frozenset({"blocker", "blocking", "critical", "p0"})
"""Labels that say an open issue holds its milestone back (a subset of the pressing ones:
`urgent` or `security` is pressing, but needn't stop a release)."""
BLOCKER_PRIORITIES = frozenset({"highest", "blocker", "critical", "p0"})
"""The top priority of each tracker's scheme (Jira Highest/Blocker, GitHub P0 labels)."""


def is_blocker(issue: Issue) -> bool:
    """True for an open issue labelled or prioritised as a blocker."""
    if issue.state is State.CLOSED:
        return False
    labelled = any(label.lower() in BLOCKER_LABELS for label in issue.labels)
    return labelled or (issue.priority or "").lower() in BLOCKER_PRIORITIES


def pressing_all(
    milestones: Iterable[Milestone],
    issues: Iterable[Issue],
    now: datetime,
    labels: Mapping[str, tuple[str, ...]],
    stale_days: int,
) -> dict[str, Pressing]:
    """The pressing issues by URL (score above 0), with each source's extra `labels`."""
    due = {m.url: m.due for m in milestones}
    scored = {
        i.url: pressing(
            i,
            now,
            milestone_due=due.get(i.milestone or ""),
            labels=labels.get(i.source, ()),
            stale_days=stale_days,
        )
        for i in issues
        if i.state is not State.CLOSED  # scores 0: most of a big board, skipped unasked
    }
    return {url: p for url, p in scored.items() if p.score > 0}


def pressing(
    issue: Issue,
    now: datetime,
    *,
    milestone_due: date | None = None,
    labels: Iterable[str] = (),
    stale_days: int = 14,
) -> Pressing:
    """How much an open issue needs attention now, and why; closed issues score 0.

    Args:
        issue: the issue.
        now: the clock.
        milestone_due: its milestone's due date (an overdue milestone makes its issues pressing).
        labels: extra labels that mark an issue pressing (from the source config).
        stale_days: open and untouched this long counts as stale.
    """
    if issue.state is State.CLOSED:
        return Pressing(0)
    today = now.date()
    found: list[tuple[int, str]] = []
    due = issue.due or milestone_due
    if due is not None and due < today:
        found.append((4, f"overdue {(today - due).days} d"))
    elif due is not None and (due - today).days <= 3:
        found.append((2, f"due in {(due - today).days} d"))
    marks = PRESSING_LABELS | {label.lower() for label in labels}
    flagged = sorted(label for label in issue.labels if label.lower() in marks)
    if flagged:
        found.append((3, ", ".join(flagged)))
    if issue.priority and issue.priority.lower() in HIGH_PRIORITIES:
        found.append((2, f"priority {issue.priority}"))
    idle = (now - issue.updated).days
    if idle >= stale_days:
        found.append((1, f"stale {idle} d"))
    score = sum(points for points, _ in found)
    reasons = [reason for _, reason in found]
    return Pressing(score, tuple(reasons))


def new_since(
    issues: Iterable[Issue], insights: Iterable[Insight], last_look: datetime | None
) -> frozenset[str]:
    """URLs of issues and ids of insights that changed since `last_look`.

    Before any first look nothing is flagged: a first-time user has no "since".
    """
    if last_look is None:
        return frozenset()
    changed = {i.url for i in issues if i.updated > last_look}
    changed |= {i.id for i in insights if (i.updated or i.created or last_look) > last_look}
    return frozenset(changed)


def is_mine(issue: Issue, me: Iterable[str]) -> bool:
    """True when one of my names (case-insensitive) is among the assignees."""
    names = {name.casefold() for name in me}
    return any(a.casefold() in names for a in issue.assignees)
