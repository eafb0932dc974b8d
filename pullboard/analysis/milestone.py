"""Where each milestone stands and where it is heading: the forecast range, the chance of
making the due date, the risk level and the one sentence that says why.

Nothing here reads a clock: `now` is always passed in, so every answer is reproducible.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, timedelta

import msgspec
from msgspec.structs import replace

from pullboard.analysis.forecast import Outlook, daily_closes, outlook
from pullboard.analysis.issue import is_blocker
from pullboard.model import Issue, Milestone, MilestoneStatus, Risk, State

ON_TRACK_AT = 0.8
"""On track: at least 4 runs in 5 finish by the due date (the P80 date is no later)."""
AT_RISK_AT = 0.4
"""At risk: a real chance (2 in 5 or better) but no more than a coin toss or so; below it,
off track: missing the date is the likely outcome."""
HORIZON_DAYS = 10 * 365
"""No forecast further out than about ten years: at such a pace a date means nothing, and a
tracker claiming 10,000,000 open issues would otherwise run off the end of the calendar."""
PLANNING = timedelta(days=1)
"""Issues created within a day of their milestone are its initial scope, not growth."""


def progress(open_count: int, closed_count: int) -> float | None:
    """Share of issues closed, 0..1, or None when the milestone has no issues at all."""
    total = open_count + closed_count
    return closed_count / total if total else None


def close_rate(closed_at: Iterable[datetime], now: datetime, window_days: int) -> float:
    """Issues closed per day over the `window_days` before `now`."""
    start = now - timedelta(days=window_days)
    return sum(1 for when in closed_at if start <= when <= now) / window_days


class _Case(msgspec.Struct, frozen=True):
    """Everything the risk rules look at for one open milestone with open issues."""

    milestone: Milestone
    open: int
    today: date
    window_days: int
    daily: list[int]
    seen: Outlook
    blockers: tuple[str, ...]
    scope_added: int
    """Net: issues that joined in the window less those that left."""

    @property
    def closed_recently(self) -> int:
        return sum(self.daily)

    @property
    def rate(self) -> float:
        return self.closed_recently / self.window_days

    def day(self, days: int | None) -> date | None:
        return None if days is None else self.today + timedelta(days=days)


MIN_PACE_DAYS = 7
"""A milestone younger than this is still judged over this many days: three closes on its
first day are not a pace of three a day."""


def pace_window(milestone: Milestone, now: datetime, window_days: int) -> int:
    """The days the pace is judged over: the window, or the milestone's own life when it is
    younger (a 16-day-old sprint that closed 9 did 0.56 a day, not 9 / 21), at least a week."""
    if milestone.created is None:
        return window_days
    age = math.ceil((now - milestone.created) / timedelta(days=1))
    return max(min(window_days, age), min(MIN_PACE_DAYS, window_days))


def milestone_status(
    milestone: Milestone,
    issues: Iterable[Issue],
    now: datetime,
    *,
    window_days: int = 21,
    complete: bool = True,
    scope_joined: int = 0,
    scope_removed: int = 0,
) -> MilestoneStatus:
    """Where a milestone stands and where it is heading.

    Args:
        milestone: the milestone.
        issues: its issues the board knows (at least the recently closed ones).
        now: the clock.
        window_days: how far back the close counts, the scope growth and stalls look.
        complete: `issues` is the whole list, so it counts open and closed; otherwise the
            tracker's own counts do.
        scope_joined: issues moved in from another milestone in the window (from history);
            issues created in the window are counted from `issues`.
        scope_removed: issues that left the milestone in the window (known from history).
    """
    mine = list(issues)
    closes = [i.closed_at for i in mine if i.closed_at is not None]
    open_count, closed_count = (
        (len(mine) - len(closes), len(closes))
        if complete
        else (milestone.open_count, milestone.closed_count)
    )
    window_days = pace_window(milestone, now, window_days)
    start = now - timedelta(days=window_days)
    planned = milestone.created + PLANNING if milestone.created else start
    daily = daily_closes(closes, now, window_days)
    base = MilestoneStatus(
        open=open_count,
        closed=closed_count,
        progress=progress(open_count, closed_count),
        close_rate=sum(daily) / window_days,
        forecast=None,
        risk=Risk.DONE,
        gap_days=None,
        reason="All issues are closed.",
        blockers=tuple(i.ref for i in mine if is_blocker(i)),
        scope_added=scope_joined + sum(1 for i in mine if max(start, planned) < i.created <= now),
        scope_removed=scope_removed,
    )
    if milestone.state is State.CLOSED or (open_count == 0 and closed_count > 0):
        return base
    if open_count + closed_count == 0:
        reason = "No issues yet, so there is nothing to forecast."
        return replace(base, risk=Risk.UNKNOWN, reason=reason)
    today = now.date()
    due_in = (milestone.due - today).days if milestone.due else None
    seen = outlook(daily, open_count, HORIZON_DAYS, due_in)
    growth = base.scope_added - base.scope_removed
    case = _Case(milestone, open_count, today, window_days, daily, seen, base.blockers, growth)
    risk, reason = _judge(case)
    p50 = case.day(seen.p50)
    if p50 is not None and milestone.due is not None:
        gap: int | None = (p50 - milestone.due).days
    else:  # overdue with no date in sight: late by at least this much
        gap = -due_in if due_in is not None and due_in < 0 else None
    return replace(
        base,
        forecast=p50,
        forecast_p85=case.day(seen.p85),
        on_time=seen.on_time,
        risk=risk,
        gap_days=gap,
        reason=reason,
    )


def statuses(
    milestones: Iterable[Milestone],
    issues: Iterable[Issue],
    complete: Collection[str],
    now: datetime,
    window_days: int,
    scope: Mapping[str, tuple[int, int]] | None = None,
) -> dict[str, MilestoneStatus]:
    """Every milestone's status by URL; a milestone in `complete` (its whole issue list is
    among `issues`) is counted from that list, the others from the tracker's counts.
    `scope` (from history) gives, per milestone URL, the issues moved in and those that left
    over the window."""
    by_milestone: dict[str | None, list[Issue]] = {}
    for issue in issues:
        by_milestone.setdefault(issue.milestone, []).append(issue)
    return {
        m.url: milestone_status(
            m,
            by_milestone.get(m.url, []),
            now,
            window_days=window_days,
            complete=m.url in complete,
            scope_joined=(scope or {}).get(m.url, (0, 0))[0],
            scope_removed=(scope or {}).get(m.url, (0, 0))[1],
        )
        for m in milestones
    }


def _judge(case: _Case) -> tuple[Risk, str]:
    """The risk level and its sentence, the driver named: overdue, stalled, a blocker, scope
    growth, or the close rate needed against the one the team has."""
    n, days, due = case.open, case.window_days, case.milestone.due
    blocks = _blocks(case.blockers)
    if due is not None and due < case.today:
        head = f"Overdue by {(case.today - due).days} d with {n} open"
        return Risk.OFF_TRACK, _sentence(head, _pace(case), blocks)
    if case.closed_recently == 0:
        when = f", due {_date(due, case.today)}" if due else ""
        return Risk.STALLED, _sentence(f"Nothing closed in {days} d, {n} open{when}", blocks)
    if case.seen.p50 is None:
        head = f"At this pace the {n} open issues take more than {HORIZON_DAYS // 365} years"
        return (Risk.OFF_TRACK if due else Risk.UNKNOWN), _sentence(head, blocks)
    growing = case.scope_added > 0 and case.closed_recently <= case.scope_added
    growth = f"+{case.scope_added} issues in {days} d, {case.closed_recently} closed"
    driver = blocks or (growth if growing else "")
    if due is None:
        head = f"{_span(case)} at {_per_day(case.rate)} closes/day; no due date"
        return (Risk.AT_RISK if driver else Risk.ON_TRACK), _sentence(head, driver)
    chance = case.seen.on_time or 0.0
    if chance >= ON_TRACK_AT:
        level = Risk.AT_RISK if driver else Risk.ON_TRACK  # what the team knows comes first
    else:
        level = Risk.AT_RISK if chance >= AT_RISK_AT else Risk.OFF_TRACK
    need = n / max((due - case.today).days, 1)
    driver = driver or f"needs {_per_day(need)} closes/day, doing {_per_day(case.rate)}"
    return level, _sentence(f"{_span(case)}, {_percent(chance)} by the due date", driver)


def _pace(case: _Case) -> str:
    """When an overdue milestone finishes at this pace, if ever."""
    if case.closed_recently == 0:
        return f"nothing closed in {case.window_days} d"
    if case.seen.p50 is None:
        return f"more than {HORIZON_DAYS // 365} years at this pace"
    return f"done {_span(case)} at this pace"


def _blocks(refs: tuple[str, ...]) -> str:
    """`PAY-94 blocks it`, `PAY-94 and PAY-95 block it`, `PAY-94 and 3 more block it`."""
    if not refs:
        return ""
    if len(refs) == 1:
        return f"{refs[0]} blocks it"
    others = refs[1] if len(refs) == 2 else f"{len(refs) - 1} more"
    return f"{refs[0]} and {others} block it"


def _span(case: _Case) -> str:
    """The P50 to P85 range: `Dec 28 – Jan 09`, `Dec 28` when both agree."""
    p50, p85 = case.day(case.seen.p50), case.day(case.seen.p85)
    if p50 is None:
        return "no date"
    first = _date(p50, case.today)
    if p85 is None:
        return f"{first} or later"
    return first if p85 == p50 else f"{first} – {_date(p85, case.today)}"


def _date(day: date, today: date) -> str:
    """`Dec 28`, with the year when it is far off (`May 08 2028`)."""
    return f"{day:%b %d}" if abs((day - today).days) < 300 else f"{day:%b %d %Y}"


def _percent(chance: float) -> str:
    """Rounded down, so `100%` means every run made it and `0%` none did."""
    return "under 1%" if 0 < chance < 0.01 else f"{int(chance * 100)}%"


def _per_day(rate: float) -> str:
    """`1.2`; `0.32` below one a day, where a tenth is too coarse to compare two rates."""
    return f"{rate:.1f}" if rate >= 1 or rate == 0 else f"{rate:.2f}"


def _sentence(*parts: str) -> str:
    return "; ".join(part for part in parts if part) + "."
