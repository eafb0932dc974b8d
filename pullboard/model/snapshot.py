"""What the board makes of items and insights: per-milestone and per-goal analysis, the
change feed, per-source refresh outcomes, and the `Snapshot` holding them all. Its own module
because only the board builds these; every front end (TUI, export, digest) reads them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

import msgspec

from pullboard.model.insight import Audience, Goal, Insight
from pullboard.model.item import Issue, Milestone


class Risk(StrEnum):
    """How likely a milestone is to make its due date, with what the team knows (blockers,
    scope growth) taken in: see `pullboard.analysis.milestone` for the rules."""

    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    STALLED = "stalled"
    """Open work, and nothing closed in the recent window."""
    UNKNOWN = "unknown"

    @property
    def words(self) -> str:
        """The level as people say it: `on track`, `at risk`."""
        return self.value.replace("_", " ")


def utc_now() -> datetime:
    """The real clock, in UTC (tests and snapshots pass their own)."""
    return datetime.now(UTC)


class SourceStatus(msgspec.Struct, frozen=True):
    """How one source fared in the last refresh."""

    name: str
    kind: str
    ok: bool
    error: str | None = None
    fetched_at: datetime | None = None
    """When its data was fetched from the tracker (older than the snapshot if from cache)."""
    from_cache: bool = False


class HistoryPoint(msgspec.Struct, frozen=True):
    """One observation of a milestone, for burn-up charts and due-date drift."""

    at: datetime
    open: int
    closed: int
    due: date | None


class Change(msgspec.Struct, frozen=True):
    """One thing that changed between two looks, said in one plain-English sentence.

    Tracker changes come from the history database (what the board saw at each refresh);
    insight changes from the insights file's own timestamps.
    """

    at: datetime
    """When the board noticed it (tracker changes) or when it was made (insights)."""
    kind: str
    """`due_moved`, `risk_changed`, `forecast_moved`, `scope_added`, `scope_removed`,
    `opened`, `closed`, `reopened`, `retitled`, `insight_pinned`, `insight_edited`, `ack`,
    `ask` (an ask of me not yet answered), `goal_changed`."""
    url: str
    """The milestone, issue or goal (`goal:ID`) that changed; for an insight, the item it is
    pinned on."""
    ref: str
    title: str
    text: str
    """The sentence people read (tracker text quoted literally)."""
    before: str | None = None
    """The old value as exported (`from`): an ISO date, a risk level, a title, a milestone URL."""
    after: str | None = None
    """The new value as exported (`to`)."""
    by: str | None = None
    """Who did it, where pullboard knows (insight authors and readers)."""
    milestone: str | None = None
    """URL of the milestone (or goal) it is grouped under (None: the board as a whole)."""
    insight: str | None = None
    """The insight's id, for insight changes."""


class MilestoneStatus(msgspec.Struct, frozen=True):
    """Analysis of one milestone: where it stands and where it is heading."""

    open: int
    closed: int
    progress: float | None
    """Share of issues closed, 0..1; None for a milestone with no issues."""
    close_rate: float
    """Issues closed per day over the recent window."""
    forecast: date | None
    """Likely completion (P50 of the Monte Carlo runs); None when nothing is left to forecast,
    nothing is closing, or it lies beyond the horizon."""
    risk: Risk
    gap_days: int | None
    """Forecast minus due date in days (the alignment gap); positive means late."""
    reason: str
    """One sentence explaining the risk level, naming its driver."""
    forecast_p85: date | None = None
    """Completion in 85% of the runs (>= `forecast`); None beyond the horizon."""
    on_time: float | None = None
    """Share of runs finishing all open work by the due date, 0..1; None without a due date
    or without open work to forecast."""
    blockers: tuple[str, ...] = ()
    """Refs of its open blocker issues (blocker/critical labels, top priority)."""
    scope_added: int = 0
    """Issues created in the window (after the milestone's first day), or moved in from another
    milestone in the window (known from history)."""
    scope_removed: int = 0
    """Issues that left it in the window (known from history)."""
    history: tuple[HistoryPoint, ...] = ()
    """Burn-up points, oldest first: what the board saw at each refresh that changed it."""
    due_moves: int = 0
    """How many times the due date changed while pullboard watched."""
    first_due: date | None = None
    """The due date as pullboard first saw it (None when it never had one)."""


class GoalStatus(msgspec.Struct, frozen=True):
    """A goal rolled up from its milestones: done when its last milestone is."""

    milestones: tuple[str, ...]
    """URLs of the milestones the board found for it, in the goal's order."""
    unknown: tuple[str, ...]
    """What the goal names that the board doesn't show (a typo, a source not configured)."""
    open: int
    closed: int
    progress: float | None
    forecast: date | None
    """When its last milestone likely finishes (the latest P50)."""
    forecast_p85: date | None
    on_time: float | None
    """Chance every milestone is done by the goal's due date (their runs taken as
    independent); None without a due date or open work."""
    risk: Risk
    reason: str
    """One sentence naming the driver: the milestone that finishes last or least likely."""
    chances: tuple[float, ...] = ()
    """Each milestone's chance of being done by the goal's due date, in `milestones` order;
    empty without a due date or open work."""


class Pressing(msgspec.Struct, frozen=True):
    """Why an issue needs attention now; score 0 means it doesn't."""

    score: int
    reasons: tuple[str, ...] = ()


class Snapshot(msgspec.Struct, frozen=True):
    """Everything the board shows, as of `generated_at`. Built only by `pullboard.board`."""

    generated_at: datetime
    title: str
    me: str
    """Who "I" am: the name written on insights and acknowledgements."""
    sources: tuple[SourceStatus, ...]
    milestones: tuple[Milestone, ...]
    issues: tuple[Issue, ...]
    insights: tuple[Insight, ...]
    status: dict[str, MilestoneStatus]
    """Milestone url -> analysis."""
    pressing: dict[str, Pressing]
    """Issue url -> pressing score (open issues only)."""
    new: frozenset[str] = frozenset()
    """URLs of items and ids of insights that changed since the user's last look."""
    last_look: datetime | None = None
    insights_error: str | None = None
    """Why insights are unavailable (broken file), or None."""
    insights_stale: str | None = None
    """Why the insights shown are the last good copy, not the file as it is now (offline)."""
    insights_as_of: datetime | None = None
    """When that copy was last known to be current."""
    unmatched: tuple[str, ...] = ()
    """Ids of insights whose `on` names no item on the board."""
    aliases: tuple[str, ...] = ()
    """Every name "I" go by in trackers (`[board] me`), for the Mine view."""
    warnings: tuple[str, ...] = ()
    """Problems that cost nothing shown (the cache couldn't be saved), each a sentence."""
    changes: tuple[Change, ...] = ()
    """What changed since `since`, grouped by milestone, newest first (the New view)."""
    since: datetime | None = None
    """Where the change feed starts: the last look, or `export --since`; None on a first look."""
    audiences: dict[str, Audience] = msgspec.field(default_factory=dict)
    """The insights file's `[audiences.NAME]`: who expects which insights."""
    audience: str | None = None
    """The audience the board is shown for (`--audience`); None: what is addressed to me
    and to everyone."""
    goals: tuple[Goal, ...] = ()
    goal_status: dict[str, GoalStatus] = msgspec.field(default_factory=dict)
    """Goal id -> its roll-up."""

    def issues_of(self, milestone_url: str) -> list[Issue]:
        """Issues that belong to a milestone, in the order the sources gave them."""
        return [i for i in self.issues if i.milestone == milestone_url]

    def insights_on(self, url: str) -> list[Insight]:
        """Insights pinned on one item (expired ones included; callers filter by date)."""
        return [i for i in self.insights if i.on == url]

    def insight(self, insight_id: str) -> Insight | None:
        """The insight with this id, if the board has it."""
        return next((i for i in self.insights if i.id == insight_id), None)

    def by_ref(self, ref: str) -> Milestone | Issue | None:
        """The milestone or issue with this short ref (`acme/shop#12`, `PAY-7`), if known."""
        items: list[Milestone | Issue] = [*self.milestones, *self.issues]
        return next((i for i in items if i.ref == ref), None)

    def find(self, url: str) -> Milestone | Issue | None:
        """The milestone or issue with this URL, if the board knows it."""
        for m in self.milestones:
            if m.url == url:
                return m
        for i in self.issues:
            if i.url == url:
                return i
        return None
