"""The embedded demo: two GitHub repos and a Jira project, dates relative to now, no network.

`DemoTracker` implements the same `Tracker` protocol as the real sources, so `--demo` runs the
real pipeline (board, analysis, insights, export) end to end.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache

from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.model import Ack, Insight, Issue, Milestone, Source, State

SITE = "https://acme.atlassian.net"
ME = "dana"
PEOPLE = ("dana", "lee", "sam", "priya", "marco", "jun", "alex")
JIRA_NAMES = {
    "dana": "Dana Kim",
    "lee": "Lee Walsh",
    "sam": "Sam Ortiz",
    "priya": "Priya Nair",
    "marco": "Marco Rossi",
    "jun": "Jun Tanaka",
    "alex": "Alex Moreau",
}


@dataclass(frozen=True)
class _Plan:
    """One demo milestone: how many issues, how many closed (and how recently), when due."""

    source: str
    key: str
    title: str
    total: int
    closed: int
    recent: int
    """Of the closed ones, how many closed within the last 20 days."""
    due: int | None
    """Due date in days from today (negative: overdue)."""
    done: bool = False
    blocked: bool = False
    """Its last issue is an open blocker."""


PLANS = (
    _Plan("shop", "3", "v1.3 Checkout redesign", 18, 18, 4, -10, done=True),
    _Plan("shop", "4", "v1.4 Saved carts", 20, 12, 9, 28),
    _Plan("shop", "5", "v1.5 Gift cards", 12, 3, 2, None),
    _Plan("web", "7", "2.0 Accessibility pass", 22, 10, 6, 38),
    _Plan("web", "8", "2.1 Search revamp", 20, 4, 2, 21, blocked=True),
    _Plan("web", "6", "Q4 hardening", 14, 9, 3, -5),
    _Plan("payments", "10200", "PAY 2.1", 24, 18, 10, 20, blocked=True),
    _Plan("payments", "10201", "Sprint 42", 14, 9, 9, 10),
    _Plan("payments", "10202", "PAY 2.2", 10, 0, 0, 60),
    _Plan("shop", "6", "v2.0 Wishlists", 0, 0, 0, None),  # last: it draws nothing at random
)

TOPICS = (
    "Cart total ignores discount on reload",
    "Add retry to payment webhook",
    "Keyboard trap in date picker",
    "Slow search on catalogue pages",
    "Refund emails sent twice",
    "Contrast too low on secondary buttons",
    "Settlement report misses weekend batches",
    "Flaky checkout end-to-end test",
    "Document the saved-carts API",
    "Session expires during checkout",
    "Screen reader skips price changes",
    "Currency rounding in invoices",
    "Search results lose filters on back",
    "Rate-limit the coupon endpoint",
    "Migrate cron jobs to the queue",
    "Gift card balance shows stale value",
    "Focus lost after closing dialog",
    "Index product tags for search",
    "Chargeback webhook times out",
    "Upgrade TLS config",
)
LABELS = ("bug", "enhancement", "performance", "a11y", "docs", "security", "tech-debt")
PRIORITIES = ("High", "High", "Medium", "Medium", "Low")
"""No top priority at random: that marks a blocker, and the demo's blockers are planned."""


def demo_config() -> Config:
    """The config `--demo` runs with: three sources, and `me` set so "Mine" has something."""
    sources = (
        SourceConfig(
            name="shop", kind="github", url="https://api.github.com", repos=("acme/shop",)
        ),
        SourceConfig(name="web", kind="github", url="https://api.github.com", repos=("acme/web",)),
        SourceConfig(
            name="payments",
            kind="jira",
            url=SITE,
            projects=("PAY",),
            flavor="cloud",
            milestones="versions",
        ),
    )
    board = BoardConfig(title="Acme delivery (demo)", me=(ME, JIRA_NAMES[ME]), refresh=0)
    return Config(path=None, board=board, sources=sources, demo=True)


def _day(now: datetime, days: float) -> datetime:
    return (now + timedelta(days=days)).replace(microsecond=0)


def _milestone(plan: _Plan, now: datetime) -> Milestone:
    due = (now + timedelta(days=plan.due)).date() if plan.due is not None else None
    if plan.source == "payments":
        url, ref = f"{SITE}/projects/PAY/versions/{plan.key}", f"PAY@{plan.title.split()[-1]}"
        if plan.title.startswith("Sprint"):
            url, ref = f"{SITE}/jira/software/projects/PAY/boards/12?sprint={plan.key}", plan.title
    else:
        repo = f"acme/{plan.source}"
        url, ref = (
            f"https://github.com/{repo}/milestone/{plan.key}",
            f"{repo}@{plan.title.split()[0]}",
        )
    return Milestone(
        url=url,
        ref=ref,
        source=plan.source,
        title=plan.title,
        state=State.CLOSED if plan.done else State.OPEN,
        due=due,
        open_count=plan.total - plan.closed,
        closed_count=plan.closed,
        description=f"Demo milestone {plan.title}.",
        created=_day(now, -60),
        closed_at=_day(now, -9) if plan.done else None,
        key=plan.key,
    )


def _issue(
    plan: _Plan, milestone: Milestone, n: int, number: int, rng: random.Random, now: datetime
) -> Issue:
    closed = n < plan.closed
    recent = n < plan.recent
    created = _day(now, -rng.uniform(25, 60))
    closed_at = (
        _day(now, -rng.uniform(0.5, 19.5) if recent else -rng.uniform(21, 24)) if closed else None
    )
    updated = closed_at or _day(now, -rng.choice((0.2, 0.5, 1, 2, 3, 4, 6, 9, 16)))
    who = rng.choice(PEOPLE) if closed or rng.random() < 0.8 else None
    blocker = {"blocker"} if n == plan.total - 1 and plan.blocked else set()
    labels = tuple(sorted({rng.choice(LABELS)} | blocker))
    priority: str | None = rng.choice(PRIORITIES)
    if plan.source == "payments":
        ref = f"PAY-{number}"
        url, assignees = f"{SITE}/browse/{ref}", (JIRA_NAMES[who],) if who else ()
        status = "Done" if closed else rng.choice(("To Do", "In Progress", "In Review"))
    else:
        repo = f"acme/{plan.source}"
        ref, url = f"{repo}#{number}", f"https://github.com/{repo}/issues/{number}"
        assignees = (who,) if who else ()
        status = "Done" if closed else ("In progress" if who else "To do")
        priority = "P1" if priority == "High" else None
    return Issue(
        url=url,
        ref=ref,
        source=plan.source,
        milestone=milestone.url,
        title=TOPICS[(number * 7) % len(TOPICS)],
        state=State.CLOSED if closed else State.OPEN,
        status=status,
        created=created,
        updated=updated,
        closed_at=closed_at,
        assignees=assignees,
        labels=labels,
        priority=priority,
        due=milestone.due if plan.source == "payments" and not closed else None,
        author=rng.choice(PEOPLE),
        body=_body(ref, labels),
    )


def _body(ref: str, labels: tuple[str, ...]) -> str:
    return (
        f"## What happens\n\nSeen in production this week ({ref}).\n\n"
        "## Steps\n\n1. Open the page\n2. Do the thing\n3. See it fail\n\n"
        f"Labels: {', '.join(labels) or 'none'}. *Demo data.*"
    )


@cache
def _dataset(now: datetime) -> dict[str, tuple[tuple[Milestone, ...], tuple[Issue, ...]]]:
    rng = random.Random(42)
    out: dict[str, tuple[list[Milestone], list[Issue]]] = {}
    numbers = {"shop": 100, "web": 400, "payments": 70}
    for plan in PLANS:
        milestone = _milestone(plan, now)
        milestones, issues = out.setdefault(plan.source, ([], []))
        milestones.append(milestone)
        for n in range(plan.total):
            numbers[plan.source] += 1
            issues.append(_issue(plan, milestone, n, numbers[plan.source], rng, now))
    return {name: (tuple(ms), tuple(iss)) for name, (ms, iss) in out.items()}


class DemoTracker:
    """Serves the demo data set through the `Tracker` protocol."""

    def __init__(self, config: SourceConfig, now: datetime) -> None:
        self.source = Source(name=config.name, kind=config.kind)
        self.progress: Callable[[str], None] | None = None  # the demo never waits
        self._milestones, self._issues = _dataset(now.replace(microsecond=0))[config.name]

    async def milestones(self) -> list[Milestone]:
        return list(self._milestones)

    async def issues(self, milestone: Milestone) -> list[Issue]:
        return [replace(i, body=None) for i in self._issues if i.milestone == milestone.url]

    async def all_issues(self) -> list[Issue]:
        return [replace(i, body=None) for i in self._issues]

    async def recent_closed(self, since: datetime) -> list[Issue]:
        return [i for i in self._issues if i.closed_at and i.closed_at >= since]

    async def issue_body(self, issue: Issue) -> str:
        return next((i.body or "" for i in self._issues if i.url == issue.url), "")

    def start_refresh(self) -> None:
        return None

    async def aclose(self) -> None:
        return None


def demo_insights(now: datetime) -> list[Insight]:
    """The five insights the demo board opens with, plus one expired one for the toggle."""
    data = _dataset(now.replace(microsecond=0))
    ms = {m.title: m for ms, _ in data.values() for m in ms}
    blocker = next(
        i for i in data["payments"][1] if "blocker" in i.labels and i.state is State.OPEN
    )
    today = now.date()

    def pin(
        n: int,
        on: str,
        title: str,
        summary: str,
        why: str,
        detail: str,
        *,
        author: str = "lee",
        days: int = 2,
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
            "Code freeze on the 12th",
            "Code freeze for all repos 3 weeks from now",
            "Release trains for December depend on it.",
            "Only fixes for P0/P1 after the freeze.",
            days=5,
            audience=("all",),
            expires=today + timedelta(days=21),
        ),
        pin(
            2,
            ms["2.0 Accessibility pass"].url,
            "A11y pass slips ~1 week",
            "Accessibility pass lands about a week late at today's pace",
            "The WCAG compliance date in the enterprise contract is the due date.",
            "The audit found 40 contrast issues; 12 are open. Two more people for a week closes "
            "the gap. See the `a11y` label.",
            author="priya",
            days=1,
        ),
        pin(
            3,
            ms["2.1 Search revamp"].url,
            "Search revamp blocked on vendor API",
            "Search revamp is off track: the vendor's v2 API is late",
            "Marketing announced search for the holiday campaign.",
            "Vendor now says mid-month. Option B: ship on the old index with synonyms only.",
            author="marco",
        ),
        pin(
            4,
            blocker.url,
            f"{blocker.ref} blocks PAY 2.1",
            f"{blocker.ref} blocks the 2.1 release",
            "Finance closes the quarter on settlement reports.",
            f"{blocker.title}: the fix is in review and needs a payments reviewer.",
            author="dana",
            days=3,
        ),
        pin(
            5,
            ms["v1.4 Saved carts"].url,
            "Saved carts on track, beta next week",
            "Saved carts is on track; the beta opens to 5% of users next week",
            "Support needs to know before users ask.",
            "Beta flag: `saved_carts_beta`.",
            author="sam",
            pinned=False,
        ),
        pin(
            6,
            "board",
            "Holiday on-call rota posted",
            "The on-call rota for the holidays is up",
            "Swap requests close Friday.",
            "See the wiki.",
            days=20,
            expires=today - timedelta(days=3),
        ),
    ]
