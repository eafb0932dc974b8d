"""The demo's past, so `--demo` shows a change feed and due-date drift on every launch.

Written into the demo's own database (never the user's), emptied at each launch, from the
demo's first refresh: the same story every time, dated relative to the demo's clock. The demo
data's author may retell it here; `Keeper(seed=...)` takes any function of this shape.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from pullboard.history.observe import issue_facts, milestone_facts
from pullboard.history.store import Facts
from pullboard.model import Issue, Milestone, Risk, Snapshot, State

BEFORE_LOOK = timedelta(days=3)
"""When the board is seen as it stood before the demo's fixed last look."""
LOOK = timedelta(days=2)
"""The demo's fixed last look, two days back: issues closed since then are news."""


def demo_story(snapshot: Snapshot) -> list[tuple[datetime, str, str, Facts]]:
    """Past observations of the demo board: every item three days ago, with a due date that
    slipped twice, a risk that changed, an issue that moved in and issues closed since."""
    now = snapshot.generated_at
    then = now - BEFORE_LOOK
    rows: list[tuple[datetime, str, str, Facts]] = []
    for m in snapshot.milestones:
        rows += _milestone_past(m, snapshot, now)
    moved = _moved_in(snapshot)
    for i in snapshot.issues:
        past = i
        if i.closed_at is not None and i.closed_at > now - LOOK:
            past = replace(i, state=State.OPEN, closed_at=None)
        if moved is not None and i.url == moved[0].url:
            past = replace(i, milestone=moved[1].url)
        rows.append((then, i.url, "issue", issue_facts(past)))
    return rows


def _milestone_past(
    m: Milestone, snapshot: Snapshot, now: datetime
) -> list[tuple[datetime, str, str, Facts]]:
    """How one milestone looked: PAY 2.1's due date moved twice, 2.1 Search revamp was on
    track before its blocker landed; the others as they are now."""
    facts = milestone_facts(m, snapshot.status[m.url])
    then = now - BEFORE_LOOK
    if m.ref == "PAY@2.1" and m.due is not None:
        first = {**facts, "due": (m.due - timedelta(days=10)).isoformat()}
        second = {**facts, "due": (m.due - timedelta(days=4)).isoformat()}
        return [
            (now - timedelta(days=30), m.url, "milestone", first),
            (now - timedelta(days=12), m.url, "milestone", second),
        ]
    if m.ref == "acme/web@2.1" and facts["risk"] != Risk.ON_TRACK.value:
        return [(then, m.url, "milestone", {**facts, "risk": Risk.ON_TRACK.value})]
    return [(then, m.url, "milestone", facts)]


def _moved_in(snapshot: Snapshot) -> tuple[Issue, Milestone] | None:
    """The newest open issue of acme/web 2.1, which sat in Q4 hardening until recently."""
    by_ref = {m.ref: m for m in snapshot.milestones}
    target, origin = by_ref.get("acme/web@2.1"), by_ref.get("acme/web@Q4")
    if target is None or origin is None:
        return None
    issues = [i for i in snapshot.issues_of(target.url) if i.state is State.OPEN]
    return (max(issues, key=lambda i: i.created), origin) if issues else None
