"""The demo's insights: what its leads pinned, with numbers counted from the demo's data.

Apart from `demo.py` so each stays short; the story they tell is the one `demo.py` plans.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pullboard.model import Ack, Insight, Issue, Milestone, State
from pullboard.sources.demo import PLANS, _dataset, _day, _due, _milestone


def demo_insights(now: datetime) -> list[Insight]:
    """The five insights the demo board opens with, plus one expired one for the toggle; the
    numbers in them are counted from the demo's data."""
    now = now.replace(microsecond=0)
    data = _dataset(now)
    ms = {m.url: m for ms, _ in data.values() for m in ms}
    issues = [i for _, iss in data.values() for i in iss]
    plans = {_milestone(p, now).url: p for p in PLANS}
    a11y, search, pay21, pay22 = (
        next(m for m in ms.values() if m.title == title)
        for title in ("2.0 Accessibility pass", "2.1 Search revamp", "PAY 2.1", "PAY 2.2")
    )
    blocker = next(i for i in issues if "blocker" in i.labels and i.state is State.OPEN)
    today = now.date()

    def of(m: Milestone, within: float = 1e5) -> list[Issue]:
        return [
            i
            for i in issues
            if i.milestone == m.url and i.closed_at and now - i.closed_at <= timedelta(days=within)
        ]

    a11y_due = a11y.due or today
    slip = (a11y_due - _due(now, plans[a11y.url].moves[0][1])).days
    a11y_open, a11y_rate = a11y.open_count, len(of(a11y, 21)) / 21
    need = a11y_open / max((a11y_due - today).days, 1)
    burst = len(of(pay21, 6))
    quiet = min(i.closed_at for i in of(pay21, 6) if i.closed_at) - max(
        i.closed_at for i in of(pay21) if i.closed_at and now - i.closed_at > timedelta(days=6)
    )
    freeze = today + timedelta(days=20)

    def pin(
        n: int,
        on: str,
        title: str,
        summary: str,
        why: str,
        detail: str,
        *,
        author: str = "lee",
        days: float = 2.5,
        expires: date | None = None,
        audience: tuple[str, ...] = ("team",),
        pinned: bool = True,
    ) -> Insight:
        return Insight(
            id=f"demo-{n}",
            on=on,
            title=title,
            summary=summary,
            detail=detail,
            why=why,
            author=author,
            created=_day(now, -days),
            updated=_day(now, -days),
            expires=expires,
            audience=audience,
            pinned=pinned,
            acks={"sam": Ack(_day(now, -days + 0.5))} if n % 2 else {},
        )

    return [
        pin(
            1,
            "board",
            f"Code freeze on {freeze:%b %d}",
            f"Code freeze for all repos on {freeze:%b %d}; only P0/P1 fixes after it",
            "The December release trains leave from the freeze.",
            "Ask in #release for an exception.",
            days=5,
            audience=("all",),
            expires=freeze,
        ),
        pin(
            2,
            a11y.url,
            "Accessibility pass slipped twice",
            f"The due date moved twice, {slip} days in all: the external audit added "
            f"{len(plans[a11y.url].added)} issues and {a11y_open} are open",
            "The WCAG date in the enterprise contract does not move with us.",
            f"We close {a11y_rate:.2f} issues a day; the due date needs {need:.2f}. Two more "
            "people for two weeks, or the audit's lowest-severity findings move to 2.1.",
            author="priya",
            days=1,
        ),
        pin(
            3,
            blocker.url,
            f"{blocker.ref} blocks Search revamp",
            f"Search revamp waits on the vendor: {blocker.ref}, every EU call fails with 503",
            "Marketing announced the new search for the holiday campaign.",
            "The vendor's ticket VND-2231 promises a fix within a week. "
            f"Option B: ship on the old index with synonyms only. {search.open_count} issues "
            "are open; none of them can ship before the fix.",
            author="marco",
        ),
        pin(
            4,
            pay21.url,
            "PAY 2.1 is on track because of one busy week",
            f"{burst} issues closed in the last 6 days after {quiet.days} days with none: the "
            "forecast takes that week as typical",
            "Finance closes the quarter on settlement reports.",
            "The processor's sandbox was down for two weeks; the backlog cleared once it came "
            f"back. {pay21.open_count} issues are open. If next week is quiet again, 2.1 is at "
            "risk.",
            author="dana",
            days=3,
        ),
        pin(
            5,
            pay22.url,
            "PAY 2.2 waits on the bank contract",
            f"Nothing on PAY 2.2 has closed since it was planned {plans[pay22.url].start:.0f} "
            f"days ago; its {pay22.open_count} issues wait on the bank's SEPA contract",
            "Direct debit is the top request from German merchants.",
            "Legal expects the signed contract next week; nobody is assigned until then.",
            author="lee",
            pinned=False,
        ),
        pin(
            6,
            "board",
            "Holiday on-call rota posted",
            "The on-call rota for the holidays is up",
            "Swap requests close Friday.",
            "See the wiki page 'On-call 2026'.",
            days=20,
            expires=today - timedelta(days=3),
        ),
    ]
