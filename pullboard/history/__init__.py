"""What the board has seen over time, per user: when each board was last looked at, and a
SQLite history of every refresh (a row per change) that the change feed, due-date drift,
scope changes and burn-up points come from.

- `looks`: the last look at each board (`looks.json`).
- `store`: the database: WAL, several writers, a year kept.
- `observe`: what a refresh saw, as the facts the store keeps.
- `recall`: each milestone's past (burn-up points, drift, scope moved in and out).
- `feed`: what changed since a moment, one sentence each.
- `keeper`: how the board pipeline records and recalls, off the event loop.
- `since`: `--since WHEN` as a moment.
- `demo`: the demo's seeded past.
"""

from __future__ import annotations

from pullboard.history.demo import demo_story
from pullboard.history.keeper import Keeper, Seed, database_path
from pullboard.history.looks import LookState
from pullboard.history.observe import Observer, issue_facts, milestone_facts
from pullboard.history.since import LAST_LOOK, parse_since
from pullboard.history.store import Facts, HistoryError, Observation, Store

__all__ = [
    "LAST_LOOK",
    "Facts",
    "HistoryError",
    "Keeper",
    "LookState",
    "Observation",
    "Observer",
    "Seed",
    "Store",
    "database_path",
    "demo_story",
    "issue_facts",
    "milestone_facts",
    "parse_since",
]
