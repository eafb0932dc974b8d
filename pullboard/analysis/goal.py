"""A goal rolled up from milestones of any source: progress, when its last milestone likely
finishes, the chance everything is done by the goal's date, and why.

The chance is the product of each open milestone's chance of finishing by the goal's date,
each forecast as its own milestone is (Monte Carlo over its recent daily closes): runs of
different milestones are taken as independent, which teams that share people are not, so
the product leans pessimistic when one milestone's slip frees people for another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from msgspec.structs import replace

from pullboard.analysis.forecast import daily_closes, outlook
from pullboard.analysis.milestone import AT_RISK_AT, HORIZON_DAYS, ON_TRACK_AT, progress
from pullboard.model import Goal, GoalStatus, Issue, Milestone, MilestoneStatus, Risk, State

_WORST = (Risk.OFF_TRACK, Risk.STALLED, Risk.AT_RISK, Risk.UNKNOWN, Risk.ON_TRACK, Risk.DONE)
"""Without a goal date, a goal is as bad as its worst milestone, in this order."""


def resolve(goal: Goal, milestones: Sequence[Milestone]) -> tuple[list[Milestone], list[str]]:
    """The milestones a goal names (by URL or ref), and the names the board doesn't know."""
    by_name = {m.url: m for m in milestones} | {m.ref: m for m in milestones}
    found = [by_name[n] for n in goal.milestones if n in by_name]
    unique = list({m.url: m for m in found}.values())
    return unique, [n for n in goal.milestones if n not in by_name]


def goal_status(
    goal: Goal,
    milestones: Sequence[Milestone],
    status: Mapping[str, MilestoneStatus],
    issues: Iterable[Issue],
    now: datetime,
    window_days: int,
) -> GoalStatus:
    """Where a goal stands: done when its last milestone is."""
    mine, unknown = resolve(goal, milestones)
    st = [status[m.url] for m in mine]
    opened = sum(s.open for s in st)
    closed = sum(s.closed for s in st)
    live = [(m, s) for m, s in zip(mine, st, strict=True) if s.risk is not Risk.DONE]
    base = GoalStatus(
        milestones=tuple(m.url for m in mine),
        unknown=tuple(unknown),
        open=opened,
        closed=closed,
        progress=progress(opened, closed),
        forecast=None,
        forecast_p85=None,
        on_time=None if goal.due is None else 1.0,
        risk=Risk.DONE,
        reason="Every milestone is done.",
    )
    missing = not_shown(unknown)
    if not mine:
        head = "It names no milestone the board shows"
        return _with(base, Risk.UNKNOWN, head, missing, on_time=None)
    if not live:
        return _with(base, Risk.DONE, "Every milestone is done", missing, on_time=base.on_time)
    p50s, p85s = [s.forecast for _, s in live], [s.forecast_p85 for _, s in live]
    forecast = None if None in p50s else max(d for d in p50s if d)
    p85 = None if None in p85s else max(d for d in p85s if d)
    last = max(live, key=lambda ms: ms[1].forecast_p85 or date.max)
    if goal.due is None:
        risk = min((s.risk for _, s in live), key=_WORST.index)
        head = f"{last[0].ref} finishes last ({last[1].reason.rstrip('.')}); no due date"
        return _with(base, risk, head, missing, forecast=forecast, p85=p85, on_time=None)
    urls = {m.url for m, _ in live}
    closes: dict[str, list[datetime]] = {}
    for i in issues:  # one pass over the board's issues, not one per milestone
        if i.closed_at and i.milestone in urls:
            closes.setdefault(i.milestone, []).append(i.closed_at)
    due = goal.due
    chances = {m.url: _chance(m, s, closes.get(m.url, []), now, window_days, due) for m, s in live}
    on_time = 1.0
    for chance in chances.values():
        on_time *= chance
    on_time = round(on_time, 4)  # as precise as a milestone's 2,000 runs, no more
    weakest = min(live, key=lambda ms: chances[ms[0].url])
    risk = Risk.ON_TRACK if on_time >= ON_TRACK_AT else Risk.AT_RISK
    risk = risk if on_time >= AT_RISK_AT else Risk.OFF_TRACK
    if goal.due < now.date():
        risk = Risk.OFF_TRACK
    every = f"all {len(mine)} milestones are" if len(mine) > 1 else "the 1 milestone is"
    head = (
        f"{int(on_time * 100)}% that {every} done by {goal.due:%b %d}; "
        f"{weakest[0].ref} is the weakest ({int(chances[weakest[0].url] * 100)}%)"
    )
    rolled = _with(base, risk, head, missing, forecast=forecast, p85=p85, on_time=on_time)
    return replace(rolled, chances=tuple(chances.get(m.url, 1.0) for m in mine))


def not_shown(unknown: Sequence[str]) -> str:
    """The clause a goal's reason ends with when it names milestones the board doesn't show
    (the TUI moves it where 80 columns don't cut it off)."""
    return f"not on the board: {', '.join(unknown)}" if unknown else ""


def _chance(
    milestone: Milestone,
    status: MilestoneStatus,
    closes: list[datetime],
    now: datetime,
    window_days: int,
    due: date,
) -> float:
    """The chance one open milestone is done by `due`, from its own recent `closes`."""
    if milestone.state is State.CLOSED or status.open == 0:
        return 1.0
    daily = daily_closes(closes, now, window_days)
    seen = outlook(daily, status.open, HORIZON_DAYS, (due - now.date()).days)
    return seen.on_time or 0.0


def _with(
    base: GoalStatus,
    risk: Risk,
    head: str,
    extra: str,
    *,
    forecast: date | None = None,
    p85: date | None = None,
    on_time: float | None,
) -> GoalStatus:
    """`base` with its risk, forecast and chance, and the reason: the driver, then what the
    goal names that the board doesn't show."""
    reason = "; ".join(p for p in (head, extra) if p) + "."
    return replace(
        base, risk=risk, reason=reason, forecast=forecast, forecast_p85=p85, on_time=on_time
    )
