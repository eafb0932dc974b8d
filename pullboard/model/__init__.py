"""Plain records every layer shares: sources build them, the TUI shows them.

They are frozen msgspec Structs, not dataclasses: a Struct class is built in a twentieth of
the time (a frozen dataclass `exec`s six generated methods), and these are all imported on
the way to the board's first paint; instances are smaller and quicker to make, too.

One façade, so every layer imports `from pullboard.model import ...` and never needs to know
which module below holds a name:

- `item`: tracker items and sources (`Milestone`, `Issue`, `SourceData`), what a source delivers.
- `insight`: what people write in the insights file (`Insight`, `Ack`, `Audience`, `Goal`).
- `snapshot`: what the board makes of both (`MilestoneStatus`, `GoalStatus`, `Change`,
  `Snapshot`), and the clock it reads.
"""

from __future__ import annotations

from pullboard.model.insight import (
    ANSWERS,
    ASK,
    BOARD,
    DEPTHS,
    DETAIL,
    EVERYONE,
    HEADLINE,
    KINDS,
    NOTE,
    STANCES,
    Ack,
    Audience,
    Goal,
    Insight,
)
from pullboard.model.item import (
    Issue,
    Item,
    Milestone,
    Source,
    SourceData,
    State,
    unique_by_url,
)
from pullboard.model.snapshot import (
    Change,
    GoalStatus,
    HistoryPoint,
    MilestoneStatus,
    Pressing,
    Risk,
    Snapshot,
    SourceStatus,
    utc_now,
)

__all__ = [
    "ANSWERS",
    "ASK",
    "BOARD",
    "DEPTHS",
    "DETAIL",
    "EVERYONE",
    "HEADLINE",
    "KINDS",
    "NOTE",
    "STANCES",
    "Ack",
    "Audience",
    "Change",
    "Goal",
    "GoalStatus",
    "HistoryPoint",
    "Insight",
    "Issue",
    "Item",
    "Milestone",
    "MilestoneStatus",
    "Pressing",
    "Risk",
    "Snapshot",
    "Source",
    "SourceData",
    "SourceStatus",
    "State",
    "unique_by_url",
    "utc_now",
]
