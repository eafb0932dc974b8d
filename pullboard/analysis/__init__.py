"""Pure answers from model objects: progress, the forecast range and the chance of making the
due date, risk and its reason, pressing issues, what's new.

Nothing here reads a clock or does I/O: `now` is always passed in, and the forecast's random
runs are seeded from their input, so every answer is reproducible.
"""

from pullboard.analysis.alignment import (
    Spread,
    answers,
    expected,
    for_everyone,
    spread,
    spread_text,
    visible,
)
from pullboard.analysis.forecast import RUNS, Outlook, daily_closes, outlook
from pullboard.analysis.goal import goal_status, not_shown, resolve
from pullboard.analysis.issue import (
    BLOCKER_LABELS,
    BLOCKER_PRIORITIES,
    HIGH_PRIORITIES,
    PRESSING_LABELS,
    is_blocker,
    is_mine,
    new_since,
    pressing,
    pressing_all,
)
from pullboard.analysis.milestone import (
    AT_RISK_AT,
    HORIZON_DAYS,
    ON_TRACK_AT,
    close_rate,
    milestone_status,
    progress,
    statuses,
)

__all__ = [
    "AT_RISK_AT",
    "BLOCKER_LABELS",
    "BLOCKER_PRIORITIES",
    "HIGH_PRIORITIES",
    "HORIZON_DAYS",
    "ON_TRACK_AT",
    "PRESSING_LABELS",
    "RUNS",
    "Outlook",
    "Spread",
    "answers",
    "close_rate",
    "daily_closes",
    "expected",
    "for_everyone",
    "goal_status",
    "is_blocker",
    "is_mine",
    "milestone_status",
    "new_since",
    "not_shown",
    "outlook",
    "pressing",
    "pressing_all",
    "progress",
    "resolve",
    "spread",
    "spread_text",
    "statuses",
    "visible",
]
