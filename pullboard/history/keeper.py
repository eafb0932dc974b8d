"""The board's memory, as the pipeline uses it: record each refresh (in a thread, off the event
loop the TUI draws with), recall what the history says, and fill snapshots with it.

History is a convenience: a locked, broken or unwritable database is a warning on the
snapshot, never a failed board.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path

from msgspec.structs import replace

from pullboard.history.feed import insight_changes, ordered, tracker_changes
from pullboard.history.observe import Observer
from pullboard.history.recall import Memory, Past
from pullboard.history.store import Facts, HistoryError, Mark, Store
from pullboard.model import Change, Milestone, MilestoneStatus, Snapshot
from pullboard.paths import state_dir

Seed = Callable[[Snapshot], Iterable[tuple[datetime, str, str, Facts]]]
"""Given the first refresh's snapshot, past observations as (at, url, kind, facts), facts as
`observe.milestone_facts` / `issue_facts` / `goal_facts` make them: how the demo gets a
history."""


def database_path(demo: bool = False) -> Path:
    """`history.sqlite3` in the state folder; the demo keeps its own beside it."""
    return state_dir() / ("demo-history.sqlite3" if demo else "history.sqlite3")


class Keeper:
    """Records and recalls one board's history.

    Args:
        board: the board's key in the database (its config path, or `demo`).
        path: the database file.
        since: where the change feed starts (the last look), or None on a first look.
        window_days: the window scope changes are counted over.
        seed: for the demo: the database is emptied and these observations written first,
            so every launch tells the same story (see `Seed`).
    """

    def __init__(
        self,
        board: str,
        path: Path,
        *,
        since: datetime | None,
        window_days: int,
        seed: Seed | None = None,
    ) -> None:
        self.board = board
        self.store = Store(path)
        self.since = since
        self.window_days = window_days
        self._seed = seed
        self._memory: tuple[Memory, dict[str, Past]] | None = None
        self._problem: str | None = None
        self._lock = threading.Lock()
        self._observer = Observer()
        self._read: Mark | None = None
        """The store's mark when the history was read for this refresh, if it read whole."""

    async def record(self, snapshot: Snapshot, complete: Callable[[str], bool]) -> None:
        """Record what a finished refresh saw (a row per change), then recall the history."""
        await asyncio.to_thread(self._record, snapshot, complete)

    def _record(self, snapshot: Snapshot, complete: Callable[[str], bool]) -> None:
        with self._lock:
            seen, whole = self._observer.observed(snapshot, complete)
            written = 0
            try:
                written = self._planted(snapshot)
                if seen:
                    at = snapshot.generated_at
                    written += self.store.record_texts(self.board, [(at, seen)], complete=whole)
                self._problem = None
            except HistoryError as err:
                self._problem = f"History not saved ({err}); the board works without it."
            if written or not self._still_current():
                self._recall(snapshot.generated_at)

    def _planted(self, snapshot: Snapshot) -> int:
        """Write the demo's seed once, into an emptied database; the rows written."""
        if self._seed is None:
            return 0
        seed, self._seed = self._seed, None
        self.store.remove()  # a state "folder" that is a file: a warning, as any
        by_time: dict[datetime, dict[str, tuple[str, Facts]]] = {}
        for at, url, kind, facts in seed(snapshot):
            by_time.setdefault(at, {})[url] = (kind, facts)
        return self.store.record_all(self.board, [(at, by_time[at]) for at in sorted(by_time)])

    def _still_current(self) -> bool:
        """Whether what was read for this refresh's first snapshot still holds after a record
        that wrote nothing: read in this refresh (a new process's first; an open board's
        earlier reads are re-read, so the window moves), read whole, and nobody wrote since
        (an `export` from cron, another session). A new process then reads the history once."""
        read, self._read = self._read, None
        try:
            return read is not None and self.store.mark(self.board) == read
        except HistoryError:
            return False

    def _recall(self, now: datetime) -> None:
        start = now - timedelta(days=self.window_days)
        if self.since is not None:
            start = min(start, self.since)
        try:
            mark = self.store.mark(self.board)
            memory = Memory.of(self.store.observations(self.board, start))
            self._read = mark
        except HistoryError as err:
            # a write that failed just now already said why
            self._problem = (
                self._problem or f"History unreadable ({err}); the board works without it."
            )
            memory = Memory()
        self._memory = memory, memory.pasts(now, self.window_days)

    def _pasts(self, now: datetime) -> tuple[Memory, dict[str, Past]]:
        """What was recalled last; the first snapshot of a run reads it (a quick read)."""
        if self._memory is None:
            with self._lock:
                if self._memory is None:
                    self._recall(now)
        else:
            self._read = None  # read in an earlier refresh: the next record reads again
        assert self._memory is not None
        return self._memory

    def scope(self, now: datetime) -> dict[str, tuple[int, int]]:
        """Milestone url -> (issues moved in, issues that left) over the window."""
        return {url: (p.joined, p.removed) for url, p in self._pasts(now)[1].items()}

    def apply(self, snapshot: Snapshot) -> Snapshot:
        """The snapshot with each milestone's past (burn-up points, due-date drift in its
        reason) and the change feed since `since`; a history problem becomes a warning."""
        memory, pasts = self._pasts(snapshot.generated_at)
        status = {
            m.url: _filled(m, snapshot.status[m.url], pasts.get(m.url)) for m in snapshot.milestones
        }
        changes: list[Change] = []
        if self.since is not None:
            today = snapshot.generated_at.date()
            changes = tracker_changes(memory, self.since, today)
            changes += insight_changes(
                snapshot.insights, self.since, _places(snapshot), me=snapshot.me
            )
        warnings = snapshot.warnings + ((self._problem,) if self._problem else ())
        return replace(
            snapshot, status=status, changes=ordered(changes), since=self.since, warnings=warnings
        )


def _filled(milestone: Milestone, status: MilestoneStatus, past: Past | None) -> MilestoneStatus:
    if past is None:
        return status
    reason = status.reason
    drift = past.drift(milestone.due)
    if drift and milestone.state.value == "open":
        reason = f"{reason.removesuffix('.')}; {drift}."
    return replace(
        status,
        history=past.points,
        due_moves=past.due_moves,
        first_due=past.first_due,
        reason=reason,
    )


def _places(snapshot: Snapshot) -> dict[str, tuple[str, str | None]]:
    """Item url -> (its ref, the milestone or goal its changes are grouped under)."""
    out: dict[str, tuple[str, str | None]] = {m.url: (m.ref, m.url) for m in snapshot.milestones}
    out.update({i.url: (i.ref, i.milestone) for i in snapshot.issues})
    out.update({g.url: (g.url, g.url) for g in snapshot.goals})
    return out
