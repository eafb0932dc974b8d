"""The numbers behind a burn-up chart: closed issues against scope, day by day, and where
today, the due date and the forecast range fall on a chart of a given width.

Pure (no clock, no I/O, no terminal): the TUI draws what `burnup` lays out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from pullboard.model import HistoryPoint, Issue, Milestone, MilestoneStatus

MIN_DAYS = 14
"""A chart spans at least two weeks: a milestone started yesterday still has a shape."""


def reconstruct(
    issues: Iterable[Issue], now: datetime, due: date | None = None
) -> tuple[HistoryPoint, ...]:
    """Burn-up points rebuilt from issues' created and closed dates, one per change.

    What the board would have seen had it watched all along, except issues that left the
    milestone (only history knows those) and earlier due dates (each point carries `due`).
    """
    mine = list(issues)
    moments = sorted({i.created for i in mine} | {i.closed_at for i in mine if i.closed_at})
    points: list[HistoryPoint] = []
    for at in (m for m in moments if m <= now):
        closed = sum(1 for i in mine if i.closed_at is not None and i.closed_at <= at)
        scope = sum(1 for i in mine if i.created <= at)
        points.append(HistoryPoint(at, scope - closed, closed, due))
    return tuple(points)


def points_for(
    milestone: Milestone, status: MilestoneStatus, issues: Iterable[Issue], now: datetime
) -> tuple[HistoryPoint, ...]:
    """The history the board recorded, after points rebuilt from the issues for the time
    before its first point (a board that started watching late, such as a new user's: its
    issues go back weeks), or the rebuilt points alone; either way ending with today's
    counts, so the chart reaches today.

    Args:
        milestone: the milestone charted.
        status: its status, with the history recorded.
        issues: all of its issues (a partial list would rebuild a past that never was).
        now: today's moment.
    """
    rebuilt = reconstruct(issues, now, milestone.due)
    if status.history:
        first = status.history[0].at
        points = (*(p for p in rebuilt if p.at < first), *status.history)
    else:
        points = rebuilt
    today = HistoryPoint(now, status.open, status.closed, milestone.due)
    if points and (points[-1].open, points[-1].closed) == (today.open, today.closed):
        return points
    return (*points, today)


@dataclass(frozen=True)
class Column:
    """One character column of the chart."""

    day: date
    closed: int | None
    """Issues closed by the end of the day; None ahead of today or before the first point."""
    scope: int | None
    """Issues in the milestone by the end of the day (open + closed); None as for `closed`."""


@dataclass(frozen=True)
class Layout:
    """A burn-up laid out on `len(columns)` character columns."""

    columns: tuple[Column, ...]
    top: int
    """The largest scope: the height the chart's values are measured against (at least 1)."""
    today: int
    """Column of today."""
    due: int | None
    """Column of the due date; None without one or when it lies past the chart's end."""
    due_beyond: bool
    """The due date lies past the chart's right edge."""
    p50: int | None
    p85: int | None
    """Columns of the forecast range; `p85` is the last column when it lies beyond."""
    p85_beyond: bool
    """The range runs past the chart's right edge."""
    now_closed: int
    now_scope: int


def layout(
    points: Sequence[HistoryPoint],
    today: date,
    width: int,
    *,
    due: date | None = None,
    p50: date | None = None,
    p85: date | None = None,
) -> Layout:
    """Lay a burn-up out on `width` columns: from the first point to the latest of today,
    the due date and the forecast range, with the future at most as long as the past (a
    range three years out would otherwise squeeze the record into a sliver: it is marked as
    running beyond the edge instead).
    """
    width = max(width, 2)
    start = min((p.at.date() for p in points), default=today)
    start = min(start, today - timedelta(days=MIN_DAYS))
    past = (today - start).days
    wanted = max(d for d in (today, due, p50, p85) if d is not None)
    end = min(wanted, today + timedelta(days=past))
    span = max((end - start).days, 1)

    def col(day: date) -> int:
        return round((day - start).days * (width - 1) / span)

    days = [start + timedelta(days=round(x * span / (width - 1))) for x in range(width)]
    ats = [p.at for p in points]
    columns = []
    for day in days:
        i = bisect_right(ats, datetime.combine(day, time.max, tzinfo=_tz(points)))
        seen = points[i - 1] if i and day <= today else None
        columns.append(
            Column(day, seen.closed if seen else None, seen.open + seen.closed if seen else None)
        )
    last = points[-1] if points else HistoryPoint(datetime.min, 0, 0, None)
    beyond = p85 is not None and p85 > end
    return Layout(
        columns=tuple(columns),
        top=max([1, *(p.open + p.closed for p in points)]),
        today=col(today),
        due=col(due) if due is not None and due <= end else None,
        due_beyond=due is not None and due > end,
        p50=None if p50 is None else min(col(p50), width - 1),
        p85=None if p85 is None else min(col(p85), width - 1),
        p85_beyond=beyond or (p50 is not None and p85 is None),
        now_closed=last.closed,
        now_scope=last.open + last.closed,
    )


def _tz(points: Sequence[HistoryPoint]) -> tzinfo | None:
    """The points' time zone, so a day's end compares with aware and naive points alike."""
    return points[0].at.tzinfo if points else None
