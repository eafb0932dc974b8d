"""The embedded demo: two GitHub repos and a Jira project, dates relative to now, no network.

`DemoTracker` implements the same `Tracker` protocol as the real sources, so `--demo` runs the
real pipeline (board, analysis, insights, export) end to end.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from functools import cache

import msgspec
from msgspec.structs import replace

from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.model import HistoryPoint, Issue, Milestone, Source, SourceData, State
from pullboard.sources.demo_data import (
    ACCESSIBILITY,
    GIFT_CARDS,
    PAY_21,
    PAY_22,
    SAVED_CARTS,
    SEARCH,
    SHOP_HARDENING,
    SPRINT_42,
    WEB_HARDENING,
    Text,
)

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


class _Plan(msgspec.Struct, frozen=True):
    """One demo milestone and the shape of its record: when its issues opened and closed."""

    source: str
    key: str
    title: str
    texts: tuple[Text, ...]
    """Its issues in words; the first `len(closes)` are closed, the last `len(added)` came
    in after planning."""
    start: float
    """Created this many days ago, with its planned issues."""
    closes: tuple[float, ...] = ()
    """Days ago each closed issue closed, oldest first."""
    added: tuple[float, ...] = ()
    """Days ago each issue added after planning was created."""
    due: int | None = None
    """Due date in days from today (negative: overdue)."""
    moves: tuple[tuple[float, int], ...] = ()
    """Earlier due dates, oldest first: (days ago it stopped being the due date, the due date
    in days from today), for a milestone that slipped."""
    label: str = "enhancement"
    done: bool = False
    blocker: bool = False
    """Its last issue is an open blocker."""


PLANS = (
    # Steady work, due in three weeks: on track.
    _Plan(
        "shop",
        "4",
        "v1.4 Saved carts",
        SAVED_CARTS,
        42,
        (38, 33, 29, 19.5, 17, 15, 13, 10, 8, 5, 3, 1.5),
        (12, 1.7),
        21,
    ),
    # The org-wide hardening milestone, finished the day before its due date.
    _Plan(
        "shop",
        "3",
        "Q4 hardening",
        SHOP_HARDENING,
        50,
        (44, 40, 35, 30, 26, 20, 16, 12, 9, 6.5),
        (),
        -5,
        label="security",
        done=True,
    ),
    _Plan("shop", "5", "v1.5 Gift cards", GIFT_CARDS, 45, (30, 14, 6)),
    # Slipped twice (due 12 days ago, then in 4 days, now in 18) while an audit added six.
    _Plan(
        "web",
        "7",
        "2.0 Accessibility pass",
        ACCESSIBILITY,
        56,
        (50, 44, 37, 30, 19, 15, 11, 8, 5, 1.2),
        (20,) * 6,
        18,
        moves=((16, -12), (1, 4)),
        label="a11y",
    ),
    # Moving well, but everything left waits on the vendor: blocked.
    _Plan(
        "web",
        "8",
        "2.1 Search revamp",
        SEARCH,
        40,
        (34, 26, 20, 16, 12, 9, 6, 2),
        (9,),
        30,
        blocker=True,
    ),
    # The same hardening milestone in the other repository: overdue with work open.
    _Plan(
        "web",
        "6",
        "Q4 hardening",
        WEB_HARDENING,
        48,
        (45, 41, 36, 31, 27, 22, 14, 7),
        (),
        -5,
        label="security",
    ),
    # Two quiet weeks, then eight closes in six days: on track only because of the burst.
    _Plan(
        "payments",
        "10200",
        "PAY 2.1",
        PAY_21,
        40,
        (33, 29, 5.5, 4.6, 4.1, 3.3, 2.8, 1.9, 1.1, 0.4),
        (),
        20,
        label="bug",
    ),
    # Planned a month ago, nothing closed since: stalled.
    _Plan("payments", "10202", "PAY 2.2", PAY_22, 30, (), (), 45),
    # A three-week sprint ending in five days, a little behind.
    _Plan(
        "payments",
        "10201",
        "Sprint 42",
        SPRINT_42,
        16,
        (15, 13, 12, 10, 8, 7, 5.5, 3, 1.4),
        (),
        5,
        label="bug",
    ),
    _Plan("shop", "6", "v2.0 Wishlists", (), 10),
)
PRIORITIES = ("High", "Medium", "Medium", "Low")
"""No top priority: that marks a blocker, and the demo's one blocker is planned."""
UPDATED = (0.3, 0.8, 1.5, 3, 4, 6, 9, 13, 17)
"""Days since an open issue was last touched, dealt round-robin (some go stale)."""


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
        open_count=len(plan.texts) - len(plan.closes),
        closed_count=len(plan.closes),
        description=f"{plan.title}: {len(plan.texts)} issues planned and added.",
        created=_day(now, -plan.start),
        closed_at=_day(now, -plan.closes[-1]) if plan.done else None,
        key=plan.key,
    )


def _created(plan: _Plan, n: int, now: datetime) -> datetime:
    """Planned issues within the milestone's first hours; added ones when they came in."""
    first_added = len(plan.texts) - len(plan.added)
    days = plan.added[n - first_added] if n >= first_added else plan.start - n / 2880  # 30 s apart
    return _day(now, -days)


def _issue(plan: _Plan, milestone: Milestone, n: int, number: int, now: datetime) -> Issue:
    rng = random.Random(f"{plan.source}/{plan.key}/{n}")
    title, about = plan.texts[n]
    closed_at = _day(now, -plan.closes[n]) if n < len(plan.closes) else None
    updated = closed_at or _day(now, -UPDATED[number % len(UPDATED)])
    stalled = not plan.closes and plan.due is not None
    who = None if stalled else (ME if number % 5 == 0 else rng.choice(PEOPLE))
    blocker = plan.blocker and n == len(plan.texts) - 1
    labels = tuple(
        sorted({plan.label if rng.random() < 0.7 else "bug"} | ({"blocker"} if blocker else set()))
    )
    priority: str | None = rng.choice(PRIORITIES)
    if plan.source == "payments":
        ref = f"PAY-{number}"
        url, assignees = f"{SITE}/browse/{ref}", (JIRA_NAMES[who],) if who else ()
        status = "Done" if closed_at else rng.choice(("To Do", "In Progress", "In Review"))
    else:
        repo = f"acme/{plan.source}"
        ref, url = f"{repo}#{number}", f"https://github.com/{repo}/issues/{number}"
        assignees = (who,) if who else ()
        status = "Done" if closed_at else ("In progress" if who else "To do")
        priority = "P1" if priority == "High" else None
    return Issue(
        url=url,
        ref=ref,
        source=plan.source,
        milestone=milestone.url,
        title=title,
        state=State.CLOSED if closed_at else State.OPEN,
        status=status,
        created=_created(plan, n, now),
        updated=updated,
        closed_at=closed_at,
        assignees=assignees,
        labels=labels,
        priority=priority,
        due=milestone.due if plan.source == "payments" and not closed_at else None,
        author=rng.choice(PEOPLE),
        body=_body(about, milestone, labels),
    )


def _body(about: str, milestone: Milestone, labels: tuple[str, ...]) -> str:
    done_when = (
        "It no longer happens in production, and a test covers it."
        if "bug" in labels or "blocker" in labels
        else "It is live behind its flag and the team demoed it."
    )
    return (
        f"## Why\n\n{about}\n\n## Done when\n\n{done_when}\n\n"
        f"Part of {milestone.title}. Labels: {', '.join(labels) or 'none'}."
    )


@cache
def _dataset(now: datetime) -> dict[str, tuple[tuple[Milestone, ...], tuple[Issue, ...]]]:
    out: dict[str, tuple[list[Milestone], list[Issue]]] = {}
    numbers = {"shop": 100, "web": 400, "payments": 70}
    for plan in PLANS:
        milestone = _milestone(plan, now)
        milestones, issues = out.setdefault(plan.source, ([], []))
        milestones.append(milestone)
        for n in range(len(plan.texts)):
            numbers[plan.source] += 1
            issues.append(_issue(plan, milestone, n, numbers[plan.source], now))
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

    reuses = False

    def start_refresh(self, previous: SourceData | None = None) -> None:
        return None

    @property
    def marks(self) -> Mapping[str, str]:
        return {}

    async def aclose(self) -> None:
        return None


def demo_history(now: datetime) -> dict[str, list[HistoryPoint]]:
    """What a board watching the demo since each milestone began would have recorded.

    Milestone url -> its observations, oldest first: one whenever its open or closed count or
    its due date changed, counted from the demo's own issues, with the due dates the
    milestones had then (2.0 Accessibility pass slipped twice, the last time a day ago). The
    history store seeds the demo's database with these, so due-date drift, burn-up points and
    the change feed have the same content on every launch.
    """
    now = now.replace(microsecond=0)
    data = _dataset(now)
    issues = [i for _, iss in data.values() for i in iss]
    milestones = {m.title + m.source: m for ms, _ in data.values() for m in ms}
    out: dict[str, list[HistoryPoint]] = {}
    for plan in PLANS:
        m = milestones[plan.title + plan.source]
        mine = [i for i in issues if i.milestone == m.url]
        moves = [(_day(now, -ago), _due(now, due)) for ago, due in plan.moves]
        # The first look comes once planning is done: one point with the planned scope.
        planned = len(plan.texts) - len(plan.added)
        first = _created(plan, planned - 1, now) if planned else (m.created or now)
        events = {first, *(i.created for i in mine), *(t for t, _ in moves)}
        events |= {i.closed_at for i in mine if i.closed_at}
        events = {at for at in events if at >= first}
        points: list[HistoryPoint] = []
        for at in sorted(events):
            closed = sum(1 for i in mine if i.closed_at and i.closed_at <= at)
            scope = sum(1 for i in mine if i.created <= at)
            due = next((d for t, d in moves if at < t), m.due)
            point = HistoryPoint(at, scope - closed, closed, due)
            if (
                not points
                or point.due != points[-1].due
                or point.closed != points[-1].closed
                or point.open != points[-1].open
            ):
                points.append(point)
        out[m.url] = points
    return out


def _due(now: datetime, days: int) -> date:
    return (now + timedelta(days=days)).date()
