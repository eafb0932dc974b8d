"""The demo's past, so `--demo` shows a change feed and due-date drift on every launch.

Written into the demo's own database (never the user's), emptied at each launch, from the
demo's first refresh: the same story every time, dated relative to the demo's clock. The
milestones' past comes from the demo data (`sources.demo.demo_history`), handed in by
`wiring.history_seed`, since history and sources don't import each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from msgspec.structs import replace

from pullboard.history.observe import goal_facts, issue_facts, milestone_facts
from pullboard.history.store import Facts
from pullboard.model import HistoryPoint, Issue, Milestone, Risk, Snapshot, State

BEFORE_LOOK = timedelta(days=3)
"""When the board is seen as it stood before the demo's fixed last look."""
LOOK = timedelta(days=2)
"""The demo's fixed last look, two days back: issues closed since then are news."""


def demo_story(
    snapshot: Snapshot, drift: Mapping[str, Sequence[HistoryPoint]]
) -> list[tuple[datetime, str, str, Facts]]:
    """Past observations of the demo board: each milestone along `drift` (the demo data's own
    record: counts as issues opened and closed, and the due dates it had), 2.1 Search revamp on
    track before its blocker landed, an issue that moved in, and the issues closed since."""
    now = snapshot.generated_at
    then = now - BEFORE_LOOK
    rows: list[tuple[datetime, str, str, Facts]] = []
    for m in snapshot.milestones:
        rows += _milestone_past(m, snapshot, drift.get(m.url, ()), then, now - LOOK)
    moved = _moved_in(snapshot)
    for i in snapshot.issues:
        past = i
        if i.closed_at is not None and i.closed_at > now - LOOK:
            past = replace(i, state=State.OPEN, closed_at=None)
        if moved is not None and i.url == moved[0].url:
            past = replace(i, milestone=moved[1].url)
        rows.append((then, i.url, "issue", issue_facts(past)))
    for g in snapshot.goals:  # as they are: a goal edited in the demo is news on the next look
        if (status := snapshot.goal_status.get(g.id)) is not None:
            rows.append((then, g.url, "goal", goal_facts(g, status)))
    return rows


def _milestone_past(
    m: Milestone,
    snapshot: Snapshot,
    points: Sequence[HistoryPoint],
    then: datetime,
    look: datetime,
) -> list[tuple[datetime, str, str, Facts]]:
    """How one milestone looked at each of its points (or, without any, as it is now, at
    `then`); 2.1 Search revamp was on track until after the last `look`."""
    facts = milestone_facts(m, snapshot.status[m.url])
    if m.ref == "acme/web@2.1" and facts["risk"] != Risk.ON_TRACK.value:
        facts_then = {**facts, "risk": Risk.ON_TRACK.value}
    else:
        facts_then = facts
    if not points:
        return [(then, m.url, "milestone", facts_then)]
    return [
        (
            p.at,
            m.url,
            "milestone",
            {
                **(facts_then if p.at <= look else facts),
                "open": p.open,
                "closed": p.closed,
                "due": p.due.isoformat() if p.due else None,
            },
        )
        for p in points
    ]


def _moved_in(snapshot: Snapshot) -> tuple[Issue, Milestone] | None:
    """The newest open issue of acme/web 2.1, which sat in Q4 hardening until recently."""
    by_ref = {m.ref: m for m in snapshot.milestones}
    target, origin = by_ref.get("acme/web@2.1"), by_ref.get("acme/web@Q4")
    if target is None or origin is None:
        return None
    issues = [i for i in snapshot.issues_of(target.url) if i.state is State.OPEN]
    return (max(issues, key=lambda i: i.created), origin) if issues else None
