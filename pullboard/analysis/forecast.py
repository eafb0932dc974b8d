"""Monte Carlo forecast: how many days the open work takes if the coming days look like the
recent ones.

Each run replays the window's days in random order (each simulated day closes as many issues
as a day drawn at random from the window) until the open issues are gone; thousands of runs
give a spread of finish days. Runs are seeded from the input, so the same milestone always
gets the same answer.

Replaying day by day costs a Python step per simulated day and run, too slow for a board with
dozens of milestones refreshed every few minutes. So days are drawn in blocks: a pool of
blocks of 8 days, blocks of 8 such blocks, and so on, each remembering its parts. A run takes
whole blocks while they don't finish the work, and only looks inside the block that does (a
bisection per level): a few steps per run whatever the horizon. The pools are random samples
of the same process, so the answer is the day-by-day one's, only cheaper.
"""

from __future__ import annotations

import math
import random
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from itertools import accumulate, groupby

import msgspec

RUNS = 2000
"""Simulated futures per milestone: enough for a P85 that moves by less than a day between
neighbouring inputs, few enough for a few milliseconds."""
FAN = 8
"""Parts per block: 8 days, 64 days, 512 days, 4,096 days."""
POOL = 256
"""Distinct blocks sampled per level."""
FIRST = 2
"""The first level (days in blocks of 8) has this many times POOL blocks: its noise is what
shows in a short forecast."""
TOP_STEPS = 4
"""A run should take about this many top-level blocks: the top level is chosen by it."""


class Outlook(msgspec.Struct, frozen=True):
    """Finish days counted from today (day 1 is the next day of work); None means beyond the
    horizon (or never, with nothing closing)."""

    p50: int | None
    p85: int | None
    on_time: float | None
    """Share of runs finished within the days until the due date; None without a due date."""


def daily_closes(closed_at: Iterable[datetime], now: datetime, window_days: int) -> list[int]:
    """Issues closed on each of the `window_days` days before `now` (most recent first)."""
    counts = [0] * window_days
    start = now - timedelta(days=window_days)
    for when in closed_at:
        if start <= when <= now:
            counts[min((now - when) // timedelta(days=1), window_days - 1)] += 1
    return counts


def outlook(
    daily: Sequence[int], remaining: int, horizon: int, due_in: int | None = None
) -> Outlook:
    """Forecast finishing `remaining` issues at the pace of `daily` close counts.

    Args:
        daily: close counts of recent days, in any order.
        remaining: open issues.
        horizon: days to look ahead at most; later finishes count as beyond.
        due_in: days from today to the due date (negative when overdue), or None.
    """
    if remaining <= 0:
        return Outlook(0, 0, None if due_in is None else 1.0)
    never = Outlook(None, None, None if due_in is None else 0.0)
    best = max(daily, default=0)
    # Integer comparison first: 10**400 open issues must never reach float arithmetic.
    if best == 0 or remaining > best * horizon:
        return never
    days = _finish_days(tuple(sorted(daily)), remaining, horizon)
    p50, p85 = days[math.ceil(RUNS * 0.5) - 1], days[math.ceil(RUNS * 0.85) - 1]
    on_time = None if due_in is None else bisect_right(days, due_in) / RUNS
    return Outlook(p50 if p50 <= horizon else None, p85 if p85 <= horizon else None, on_time)


Key = tuple[tuple[int, ...], int, int]
"""What a forecast is a function of: the sorted daily close counts, the open issues, the horizon."""
KEPT = 1024
"""Forecasts remembered at most (a board's milestones, a few refreshes' worth)."""
VERSION = f"{RUNS}/{FAN}/{POOL}/{FIRST}/{TOP_STEPS}/1"
"""Names the simulation: forecasts remembered under another version are not this one's."""
Kept = list[tuple[Key, tuple[tuple[int, int], ...]]]
"""Remembered forecasts as kept on disk: each key with its finish days as (day, runs) pairs."""


class _Memo:
    """Forecasts already run, the most recently asked last; snapshots are built in threads,
    so it changes under one lock."""

    def __init__(self) -> None:
        self.known: dict[Key, tuple[int, ...]] = {}
        self.news = 0
        """Forecasts run since `known()` was last asked: is there anything new to keep."""
        self.lock = threading.Lock()

    def finish_days(self, key: Key) -> tuple[int, ...]:
        with self.lock:
            days = self.known.pop(key, None)
        ran = days is None
        if days is None:
            days = tuple(sorted(_runs(*key)))
        with self.lock:
            self.news += ran
            self.known[key] = days
            while len(self.known) > KEPT:
                del self.known[next(iter(self.known))]
        return days


_memo = _Memo()


def _finish_days(counts: tuple[int, ...], remaining: int, horizon: int) -> tuple[int, ...]:
    """The runs' finish days, sorted; remembered (and kept on disk by the board, `known`),
    since every snapshot of a refresh, each goal's chance by its own date and the next
    process ask again for the same milestone, and 100 milestones cost about 0.1 s."""
    return _memo.finish_days((counts, remaining, horizon))


def remember(kept: Kept) -> None:
    """Take forecasts an earlier process ran (`known`) as if this one had; pairs that can't
    be one forecast's runs (they must add up to RUNS, in ascending days) are passed over."""
    with _memo.lock:
        for key, pairs in kept[-KEPT:]:  # a file of more is not one pullboard wrote
            days = [day for day, _ in pairs]
            whole = sum(n for _, n in pairs) == RUNS and all(n > 0 for _, n in pairs)
            if whole and days == sorted(set(days)) and days[0] >= 0:
                _memo.known.setdefault(key, tuple(day for day, n in pairs for _ in range(n)))


def known() -> Kept | None:
    """The forecasts remembered, oldest first, when any were run since the last call; else
    None (nothing new to keep)."""
    with _memo.lock:
        if not _memo.news:
            return None
        _memo.news = 0
        items = list(_memo.known.items())
    return [(key, tuple((day, len(list(g))) for day, g in groupby(days))) for key, days in items]


def _runs(daily: Sequence[int], remaining: int, horizon: int) -> list[int]:
    """Finish day of each run; `horizon + 1` for runs still open at the horizon."""
    counts = sorted(daily)  # the draws ignore the order, so the seed does too
    rng = random.Random(f"{remaining}/{horizon}/{counts}")
    expected = remaining * len(counts) // sum(counts)
    top = 0
    while FAN**top * TOP_STEPS < min(expected, horizon):
        top += 1
    levels = _pools(rng, counts, top)
    totals, size, late = levels[top].totals, FAN**top, horizon + 1
    draw, n = rng.random, len(totals)
    out = []
    for _ in range(RUNS):
        left, day = remaining, 0
        pick = int(draw() * n)
        while totals[pick] < left and day < late:
            left -= totals[pick]
            day += size
            pick = int(draw() * n)
        out.append(day + _inside(levels, top, pick, left) if day < late else late)
    return out


class _Level(msgspec.Struct, frozen=True):
    """A pool of blocks, each FAN blocks of the level below laid end to end."""

    totals: list[int]
    """Issues closed in each block (for level 0: on each day)."""
    parts: list[int] = msgspec.field(default_factory=list)
    """Block `b` is made of blocks `parts[b*FAN : (b+1)*FAN]` of the level below."""
    running: list[int] = msgspec.field(default_factory=list)
    """Running total over all the parts, from 0: a block's own running totals are a slice."""


def _pools(rng: random.Random, counts: list[int], top: int) -> list[_Level]:
    """Level 0 is the days themselves; each level above draws FAN blocks of the one below.

    The first level deals its days from a shuffled deck holding every day equally often (a
    balanced bootstrap), so a rare busy day is in the pool as often as it should be, not as
    often as the luck of the draw says: that luck would show in every short forecast.
    """
    levels = [_Level(counts)]
    for level in range(1, top + 1):
        below = levels[-1].totals
        n, slots = len(below), POOL * FAN * (FIRST if level == 1 else 1)
        if level == 1:
            keys = [rng.random() for _ in range(slots)]
            parts = [i % n for i in sorted(range(slots), key=keys.__getitem__)]
        else:
            parts = [int(rng.random() * n) for _ in range(slots)]
        running = [0, *accumulate(below[p] for p in parts)]
        ends = range(FAN, slots + 1, FAN)
        levels.append(_Level([running[e] - running[e - FAN] for e in ends], parts, running))
    return levels


def _inside(levels: list[_Level], level: int, pick: int, left: int) -> int:
    """Days into block `pick` of `level` until `left` more issues are closed (the block closes
    at least that many): the first part whose running total reaches `left`, level by level."""
    day = 0
    while level > 0:
        pool, start = levels[level], pick * FAN
        base = pool.running[start]
        at = bisect_left(pool.running, base + left, start + 1, start + FAN + 1) - 1
        left -= pool.running[at] - base
        day += (at - start) * FAN ** (level - 1)
        level, pick = level - 1, pool.parts[at]
    return day + 1
