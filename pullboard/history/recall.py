"""What the recorded history says about each milestone: its burn-up points, how often its due
date moved, and which issues joined or left it in the window.

Pure: built from observations (oldest first) and a `now`; nothing here reads a clock or a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from itertools import pairwise

import msgspec
from msgspec.structs import replace

from pullboard.history.store import Facts, Observation
from pullboard.model import HistoryPoint


class Past(msgspec.Struct, frozen=True):
    """One milestone's past as the board saw it."""

    points: tuple[HistoryPoint, ...]
    due_moves: int
    first_due: date | None
    first_seen: datetime
    joined: int = 0
    """Issues that were in another milestone at the window's start and are in this one now."""
    removed: int = 0
    """Issues in it during the window that are not in it now."""

    def drift(self, current: date | None) -> str:
        """`due moved twice (+9 d) since Nov 02`, or "" when the due date never moved."""
        if not self.due_moves:
            return ""
        times = {1: "once", 2: "twice"}.get(self.due_moves, f"{self.due_moves} times")
        shift = ""
        if current is not None and self.first_due is not None and current != self.first_due:
            shift = f" ({(current - self.first_due).days:+d} d)"
        return f"due moved {times}{shift} since {self.first_seen:%b %d}"


def _due(facts: Facts) -> date | None:
    value = facts.get("due")
    return date.fromisoformat(value) if isinstance(value, str) else None


def _count(facts: Facts, key: str) -> int:
    value = facts.get(key)
    return value if isinstance(value, int) else 0


class Memory(msgspec.Struct):
    """Observations of one board, grouped by item (each oldest first)."""

    rows: dict[str, list[Observation]] = msgspec.field(default_factory=dict)

    @classmethod
    def of(cls, observations: Iterable[Observation]) -> Memory:
        memory = cls()
        for row in sorted(observations, key=lambda o: o.at):
            memory.rows.setdefault(row.url, []).append(row)
        return memory

    def pasts(self, now: datetime, window_days: int) -> dict[str, Past]:
        """Every recorded milestone's past, with the scope it gained and lost in the window."""
        out = {url: _past(rows) for url, rows in self.rows.items() if rows[0].kind == "milestone"}
        joined, removed = self._scope(now - timedelta(days=window_days))
        return {
            url: replace(p, joined=joined.get(url, 0), removed=removed.get(url, 0))
            for url, p in out.items()
        }

    def _scope(self, start: datetime) -> tuple[dict[str, int], dict[str, int]]:
        """Per milestone: issues moved in since `start` (created before it: a new issue is
        growth the tracker's dates already show), and issues that left it since `start`.
        An issue's first facts are those at `start`, or its first row after it."""
        joined: dict[str, int] = {}
        removed: dict[str, int] = {}
        for rows in self.rows.values():
            if rows[0].kind != "issue":
                continue
            before = [r for r in rows if r.at <= start]
            during = [r for r in rows if r.at > start]
            if not during:
                continue
            now_in = during[-1].facts.get("milestone")
            was_in = {str(r.facts.get("milestone")) for r in before[-1:] + during[:-1]}
            for url in was_in - {str(now_in), "None"}:
                removed[url] = removed.get(url, 0) + 1
            created = rows[0].facts.get("created")
            old = isinstance(created, str) and datetime.fromisoformat(created) <= start
            first = (before or during)[-1 if before else 0].facts
            moved = first.get("milestone") != now_in
            if now_in is not None and moved and old:
                joined[now_in] = joined.get(now_in, 0) + 1
        return joined, removed


def _past(rows: list[Observation]) -> Past:
    points = tuple(
        HistoryPoint(r.at, _count(r.facts, "open"), _count(r.facts, "closed"), _due(r.facts))
        for r in rows
    )
    dues = [p.due for p in points]
    moves = sum(1 for a, b in pairwise(dues) if a != b)
    return Past(points, moves, dues[0], rows[0].at)
