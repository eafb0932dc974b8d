"""Plain dataclasses every layer shares: sources build them, the TUI shows them.

Every milestone and issue is named twice: by its web `url` (what people paste, and what
insights point at) and by a short `ref` (`acme/shop#123`, `acme/shop@v1.4`, `PAY-77`).
Text fields hold tracker text already cleaned by `pullboard.text.clean`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlsplit

BOARD = "board"
"""The `on` value of an insight pinned to the whole board rather than one item."""


class State(StrEnum):
    """Open or closed, the same for milestones and issues of every tracker."""

    OPEN = "open"
    CLOSED = "closed"


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


def utc_now() -> datetime:
    """The real clock, in UTC (tests and snapshots pass their own)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Source:
    """One configured tracker (or the demo)."""

    name: str
    """Unique name from the config, shown on the board and used as the keyring username."""
    kind: str
    """`github`, `jira` or `demo`."""


@dataclass(frozen=True)
class Milestone:
    """A GitHub milestone, or a Jira version or sprint."""

    url: str
    """Canonical web URL, e.g. `https://github.com/acme/shop/milestone/3`."""
    ref: str
    """Short name, e.g. `acme/shop@v1.4` or `PAY@2.1`."""
    source: str
    """Name of the source it came from."""
    title: str
    state: State
    due: date | None
    open_count: int
    """Open issues as the tracker counts them (GitHub `open_issues`)."""
    closed_count: int
    description: str = ""
    created: datetime | None = None
    closed_at: datetime | None = None
    key: str = ""
    """Tracker-specific handle used to fetch its issues (GitHub number, Jira version id)."""


@dataclass(frozen=True)
class Issue:
    """A GitHub issue (never a pull request) or a Jira issue."""

    url: str
    """Canonical web URL, e.g. `https://github.com/acme/shop/issues/123`."""
    ref: str
    """Short name, e.g. `acme/shop#123` or `PAY-77`."""
    source: str
    milestone: str | None
    """URL of its milestone, or None."""
    title: str
    state: State
    status: str
    """Tracker status name as people say it: `Open`, `In Progress`, `Done`."""
    created: datetime
    updated: datetime
    closed_at: datetime | None = None
    assignees: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    priority: str | None = None
    due: date | None = None
    author: str = ""
    body: str | None = None
    """Markdown body; None until fetched (GitHub fetches it when the issue is opened)."""


STANCES = ("read", "agree", "commit", "concern", "accept", "decline")
"""What a back-brief can say: read it; agree; disagree and commit; a concern; and, to an ask,
accept or decline."""
ANSWERS = ("accept", "decline")
"""The stances that answer an ask (and only an ask)."""
NOTE = "note"
ASK = "ask"
KINDS = (NOTE, ASK)
"""An insight is a note for its audience, or an ask: a request to the people in `to`."""


@dataclass(frozen=True)
class Ack:
    """One reader's back-brief on an insight: that they read it, where they stand, and
    optionally one line in their own words."""

    at: datetime
    revision: int = 1
    """The revision it was made on: an edit makes it stale (the reader should look again)."""
    stance: str = "read"
    """One of `STANCES`."""
    note: str = ""
    """One line in the reader's own words (what they understood, or their concern)."""


HEADLINE = "headline"
DETAIL = "detail"
DEPTHS = (HEADLINE, DETAIL)
EVERYONE = ("all", "everyone")
"""Audience tags that address everyone (as does no audience at all)."""


@dataclass(frozen=True)
class Audience:
    """A named group in the insights file (`[audiences.NAME]`): who expects which insights,
    and how much of them they see by default."""

    name: str
    members: tuple[str, ...] = ()
    depth: str = HEADLINE
    """`headline` (title and summary) or `detail` (why, detail and notes too)."""


@dataclass(frozen=True)
class Goal:
    """An outcome that spans milestones of any source (`[[goal]]` in the insights file)."""

    id: str
    title: str
    outcome: str = ""
    """What the world looks like once it is reached."""
    done: str = ""
    """What "done" means, in words everyone reads the same way."""
    why: str = ""
    """Why now."""
    owner: str = ""
    milestones: tuple[str, ...] = ()
    """Its milestones by web URL or short ref (`acme/web@2.0`, `PAY@2.1`), as written."""
    due: date | None = None
    updated: datetime | None = None
    updated_by: str = ""
    extra: dict[str, object] = field(default_factory=dict)
    """Keys pullboard does not know, kept so a rewrite never drops them."""

    @property
    def url(self) -> str:
        """How insights (`on`) and the history name it: `goal:ID`."""
        return f"goal:{self.id}"


@dataclass(frozen=True)
class GoalStatus:
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


@dataclass(frozen=True)
class Insight:
    """A short note a lead pins on a milestone, an issue or the whole board."""

    id: str
    on: str
    """URL of a milestone or issue, or `"board"`."""
    title: str
    summary: str = ""
    """One line: the headline for people who only want that."""
    detail: str = ""
    """Markdown for the working team."""
    why: str = ""
    """Why it matters now."""
    author: str = ""
    created: datetime | None = None
    updated: datetime | None = None
    updated_by: str = ""
    """Who made the last change (empty until someone edits it): named when an edit conflicts."""
    expires: date | None = None
    audience: tuple[str, ...] = ()
    pinned: bool = True
    """Shown on the overview strip; unpinned insights still show on their item."""
    revision: int = 1
    """Bumped by every edit; an edit based on an older revision is refused, never merged."""
    acks: dict[str, Ack] = field(default_factory=dict)
    """Who has read it (user name -> their back-brief)."""
    kind: str = NOTE
    """`note`, or `ask`: a request to the people in `to`, answered by accept or decline."""
    to: tuple[str, ...] = ()
    """Who an ask is addressed to (user names)."""
    extra: dict[str, object] = field(default_factory=dict)
    """Keys pullboard does not know, kept so a rewrite never drops them."""

    def expired(self, today: date) -> bool:
        """True once the expiry date has passed (an insight is still shown on its last day)."""
        return self.expires is not None and self.expires < today

    def acked_by(self, user: str) -> bool:
        """True when `user` acknowledged this revision (an ack before the last edit is stale)."""
        ack = self.acks.get(user)
        return ack is not None and ack.revision >= self.revision

    def answer(self, user: str) -> Ack | None:
        """`user`'s answer to this ask (accept or decline, any revision), or None."""
        ack = self.acks.get(user)
        return ack if self.kind == ASK and ack is not None and ack.stance in ANSWERS else None

    def waits_on(self, user: str) -> bool:
        """True for an ask addressed to `user` that they have not yet accepted or declined:
        it stays in their Mine view and change feed until they do."""
        return self.kind == ASK and user in self.to and self.answer(user) is None


@dataclass(frozen=True)
class SourceStatus:
    """How one source fared in the last refresh."""

    name: str
    kind: str
    ok: bool
    error: str | None = None
    fetched_at: datetime | None = None
    """When its data was fetched from the tracker (older than the snapshot if from cache)."""
    from_cache: bool = False


@dataclass(frozen=True)
class HistoryPoint:
    """One observation of a milestone, for burn-up charts and due-date drift."""

    at: datetime
    open: int
    closed: int
    due: date | None


@dataclass(frozen=True)
class Change:
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


@dataclass(frozen=True)
class MilestoneStatus:
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


@dataclass(frozen=True)
class Pressing:
    """Why an issue needs attention now; score 0 means it doesn't."""

    score: int
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Snapshot:
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
    audiences: dict[str, Audience] = field(default_factory=dict)
    """The insights file's `[audiences.NAME]`: who expects which insights."""
    audience: str | None = None
    """The audience the board is shown for (`--audience`); None: what is addressed to me
    and to everyone."""
    goals: tuple[Goal, ...] = ()
    goal_status: dict[str, GoalStatus] = field(default_factory=dict)
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


@dataclass(frozen=True)
class SourceData:
    """What one source delivered: kept in memory by the board and on disk by the cache."""

    milestones: tuple[Milestone, ...]
    issues: tuple[Issue, ...]
    fetched_at: datetime
    complete: frozenset[str] = frozenset()
    """URLs of milestones whose full issue list has been fetched (the rest hold recent closes)."""
    marks: Mapping[str, str] = field(default_factory=dict)
    """The tracker's validators (ETags) of the listings this data was read from, by listing.
    Kept with the data, never apart: a 304 proves only that the listing is still the one
    these marks were taken from, so the data it vouches for must be exactly this data."""

    def __post_init__(self) -> None:
        """Recent closes and cached lists name their milestone by its own URL too (`_attached`)."""
        object.__setattr__(self, "issues", _attached(self.milestones, self.issues))

    def same_as(self, other: SourceData | None) -> bool:
        """True when `other` holds the same data, whenever it was fetched (nothing to save)."""
        return other is not None and (
            self.milestones,
            self.issues,
            self.complete,
            self.marks,
        ) == (other.milestones, other.issues, other.complete, other.marks)

    def keeping(self, old: SourceData | None) -> SourceData:
        """These fresh milestones and recent closes with the issue lists `old` knew, so an
        overview paints at once while the lists are fetched, its counts consistent."""
        if old is None:
            return self
        known = {i.url: i for i in old.issues if i.milestone in old.complete}
        known.update({i.url: i for i in self.issues})
        return replace(self, issues=tuple(known.values()), complete=old.complete)

    def with_lists(
        self, milestones: Iterable[str], issues: Iterable[Issue], marks: Mapping[str, str]
    ) -> SourceData:
        """`issues` as the whole new lists of the milestones with these URLs (issues may have
        moved out of them), read under `marks`; the rest stays."""
        fetched = frozenset(milestones)
        merged = {i.url: i for i in self.issues if i.milestone not in fetched}
        merged.update(
            {i.url: i for i in _attached(self.milestones, tuple(issues)) if i.milestone in fetched}
        )
        return replace(
            self, issues=tuple(merged.values()), complete=self.complete | fetched, marks=marks
        )


def _attached(milestones: tuple[Milestone, ...], issues: tuple[Issue, ...]) -> tuple[Issue, ...]:
    """`issues`, each naming its milestone by that milestone's own URL.

    A server may spell one milestone's page two ways: its milestone list sent an unusable
    `html_url` (`javascript:...`), so pullboard built the page from the API host, while its
    issue list names the page on the web host. The same path on another host is the same
    milestone of this source; without this its issues would belong to no milestone and drop
    off the board.
    """
    urls = {m.url for m in milestones}
    if all(i.milestone is None or i.milestone in urls for i in issues):
        return issues  # the usual case, kept cheap: nothing to re-point
    paths: dict[str, list[str]] = {}
    for url in urls:
        paths.setdefault(urlsplit(url).path, []).append(url)
    return tuple(
        replace(i, milestone=same[0])
        if i.milestone is not None
        and i.milestone not in urls
        and len(same := paths.get(urlsplit(i.milestone).path, [])) == 1
        else i
        for i in issues
    )


Item = TypeVar("Item", Milestone, Issue)


def unique_by_url(items: Iterable[Item]) -> list[Item]:
    """The first item with each URL, in order: two sources on one repository, or a server
    naming two milestones with one html_url, must not show (or count) anything twice."""
    first: dict[str, Item] = {}
    for item in items:
        first.setdefault(item.url, item)
    return list(first.values())
