"""Pure functions from model objects to answers: progress, forecast, risk, pressing, what's new.

Nothing here reads a clock: `now` is always passed in, so every answer is reproducible.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, timedelta

from pullboard.model import Insight, Issue, Milestone, MilestoneStatus, Pressing, Risk, State

AT_RISK_DAYS = 7
"""A forecast up to this many days past the due date is at risk; later is off track."""
PRESSING_LABELS = frozenset({"blocker", "blocking", "critical", "urgent", "security", "p0"})
HIGH_PRIORITIES = frozenset({"highest", "high", "blocker", "critical", "p0", "p1", "urgent"})
HORIZON_DAYS = 10 * 365
"""No forecast further out than about ten years: at such a pace a date means nothing, and a
tracker claiming 10,000,000 open issues would otherwise run off the end of the calendar."""


def progress(open_count: int, closed_count: int) -> float | None:
    """Share of issues closed, 0..1, or None when the milestone has no issues at all."""
    total = open_count + closed_count
    return closed_count / total if total else None


def close_rate(closed_at: Iterable[datetime], now: datetime, window_days: int) -> float:
    """Issues closed per day over the `window_days` before `now`."""
    start = now - timedelta(days=window_days)
    return sum(1 for when in closed_at if start <= when <= now) / window_days


def forecast(open_count: int, rate: float, today: date) -> date | None:
    """The day the last open issue closes at `rate`; today when none are open; None at rate 0
    or beyond `HORIZON_DAYS`."""
    if open_count == 0:
        return today
    if rate <= 0 or open_count > rate * HORIZON_DAYS:
        return None
    return today + timedelta(days=math.ceil(open_count / rate))


def milestone_status(
    milestone: Milestone,
    closed_at: Iterable[datetime],
    now: datetime,
    *,
    window_days: int = 21,
    counts: tuple[int, int] | None = None,
) -> MilestoneStatus:
    """Where a milestone stands and where it is heading.

    Args:
        milestone: the milestone.
        closed_at: close times of its issues (only those inside the window matter).
        now: the clock.
        window_days: how far back the close rate looks.
        counts: (open, closed) when known from the full issue list; else the tracker's counts.
    """
    open_count, closed_count = counts or (milestone.open_count, milestone.closed_count)
    rate = close_rate(closed_at, now, window_days)
    today = now.date()
    projected = forecast(open_count, rate, today) if milestone.state is State.OPEN else None
    risk, gap, reason = _risk(milestone, (open_count, closed_count), projected, today, window_days)
    if projected is None and rate > 0 and risk is not Risk.DONE:
        risk, gap = (Risk.OFF_TRACK if milestone.due else Risk.UNKNOWN), None
        years = HORIZON_DAYS // 365
        reason = f"At this pace the {open_count} open issues take more than {years} years."
    return MilestoneStatus(
        open=open_count,
        closed=closed_count,
        progress=progress(open_count, closed_count),
        close_rate=rate,
        forecast=projected,
        risk=risk,
        gap_days=gap,
        reason=reason,
    )


def _risk(
    milestone: Milestone,
    counts: tuple[int, int],
    projected: date | None,
    today: date,
    window_days: int,
) -> tuple[Risk, int | None, str]:
    """Risk level, alignment gap in days, and the sentence that explains them."""
    open_count, closed_count = counts
    if milestone.state is State.CLOSED or (open_count == 0 and closed_count > 0):
        return Risk.DONE, None, "All issues are closed."
    if open_count + closed_count == 0:
        return Risk.UNKNOWN, None, "No issues yet, so there is nothing to forecast."
    due = milestone.due
    if due is not None and due < today:
        late = (today - due).days
        if projected is None:
            return Risk.OFF_TRACK, late, f"Overdue by {late} d, {open_count} open, none closing."
        gap = (projected - due).days
        return (
            Risk.OFF_TRACK,
            gap,
            f"Overdue by {late} d, {open_count} open; done {projected:%b %d}.",
        )
    if projected is None:
        if due is not None and (due - today).days <= AT_RISK_DAYS:
            return Risk.OFF_TRACK, None, f"Nothing closed in {window_days} d and due in a week."
        return Risk.UNKNOWN, None, f"Nothing closed in the last {window_days} d to forecast from."
    if due is None:
        return Risk.UNKNOWN, None, f"No due date; at this pace done by {projected:%b %d}."
    gap = (projected - due).days
    if gap == 0:
        return Risk.ON_TRACK, gap, f"Forecast {projected:%b %d}, on the due date."
    if gap < 0:
        return Risk.ON_TRACK, gap, f"Forecast {projected:%b %d}, {-gap} d before the due date."
    level = Risk.AT_RISK if gap <= AT_RISK_DAYS else Risk.OFF_TRACK
    return level, gap, f"Forecast {projected:%b %d}, {gap} d after the due date."


def statuses(
    milestones: Iterable[Milestone],
    issues: Iterable[Issue],
    complete: Collection[str],
    now: datetime,
    window_days: int,
) -> dict[str, MilestoneStatus]:
    """Every milestone's status by URL; a milestone in `complete` (its whole issue list is
    among `issues`) is counted from that list, the others from the tracker's counts."""
    by_milestone: dict[str | None, list[Issue]] = {}
    for issue in issues:
        by_milestone.setdefault(issue.milestone, []).append(issue)
    out = {}
    for m in milestones:
        mine = by_milestone.get(m.url, [])
        closes = [i.closed_at for i in mine if i.closed_at is not None]
        counts = (len(mine) - len(closes), len(closes)) if m.url in complete else None
        out[m.url] = milestone_status(m, closes, now, window_days=window_days, counts=counts)
    return out


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
