"""Retry and rate-limit policy: how long to wait, and what a server's quota headers say.

Small composable pieces (githubkit's `retry.py`, `throttling.py`): the client asks `Backoff`
for delays and a `RateLimitHook` whether an answer is a rate limit.
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx


@dataclass(frozen=True)
class Backoff:
    """How the client retries. Every delay goes through `sleep`, so tests run instantly."""

    attempts: int = 4
    """Tries per request for 5xx answers, timeouts and connection errors."""
    connect_attempts: int = 2
    """Tries when the host doesn't even accept a connection in time: each try costs the full
    connect timeout, and a dead VPN won't come back within four of them."""
    base: float = 0.5
    """First retry delay in seconds; doubles each retry."""
    cap: float = 8.0
    """Longest single retry delay."""
    max_wait: float = 60.0
    """Longest rate-limit wait sat through; a longer one fails the source with the reset time."""
    rate_waits: int = 2
    """Rate-limit waits per request before giving up."""
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    jitter: Callable[[], float] = random.random
    """0..1; spreads retries of concurrent requests apart."""
    clock: Callable[[], float] = time.time
    """Wall clock in epoch seconds (rate-limit resets are wall-clock times)."""

    def delay(self, retry: int) -> float:
        """Delay before retry number `retry` (1-based): exponential, capped, with jitter."""
        return min(self.cap, self.base * 2.0 ** (retry - 1)) * (0.5 + self.jitter() / 2)


@dataclass(frozen=True)
class Limit:
    """A rate-limit answer: try again after `wait` seconds."""

    wait: float
    """May be huge or infinite: a server's word, which the client compares with `max_wait`."""
    reset_at: datetime | None = None
    """None when the server gave no usable time (none, or beyond any honest calendar)."""
    primary: bool = True
    """True when the quota is used up; False for "slow down" (secondary) limits."""
    backoff: bool = False
    """The server said "slow down" with a `Retry-After` nobody can read ("soon"): the client
    waits `Backoff.delay` instead of `wait`, as for a server error; a minute's pause each
    time would make a junk header cost two minutes."""


@dataclass(frozen=True)
class RateInfo:
    """The quota as the server last reported it (`x-ratelimit-*`), for status displays."""

    limit: int | None
    remaining: int | None
    reset_at: datetime | None
    resource: str | None = None


RateLimitHook = Callable[[httpx.Response, float], Limit | None]
"""Says whether an answer is a rate limit and how long to wait; given the epoch clock."""


LATEST_RESET = datetime(9000, 1, 1, tzinfo=UTC).timestamp()
"""A reset time later than this is nonsense, not a date: near year 9999 even converting it to
local time overflows. Such a limit is simply too long to wait for."""


def _epoch(value: str | None) -> float | None:
    """A reset time in epoch seconds, from epoch seconds (GitHub), epoch millis, or ISO 8601
    (Jira); None when unreadable. Not yet a datetime: absurd values must not raise."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        try:
            when = datetime.fromisoformat(value.strip())
            return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
        except (ValueError, OverflowError):
            return None
    if math.isnan(number):
        return None
    return number / 1000 if number > 1e11 else number


def _moment(seconds: float | None) -> datetime | None:
    """Epoch seconds as a datetime, or None outside the years a reset can honestly fall in."""
    if seconds is None or not 0 <= seconds < LATEST_RESET:
        return None
    return datetime.fromtimestamp(seconds, UTC)


def _seconds(value: str | None, now: float | None = None) -> float | None:
    """A count of seconds, at least 0; `inf` and `1e400` stay infinite (too long to wait),
    while `nan` and text are no value at all. Given `now` (epoch seconds), an HTTP date
    (`Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`, which the spec allows) counts too."""
    try:
        number = float(value) if value is not None else math.nan
    except ValueError:
        return _until(value, now) if value is not None and now is not None else None
    return None if math.isnan(number) else max(0.0, number)


def _until(value: str, now: float) -> float | None:
    """Seconds from `now` to an HTTP date, or None when it isn't one."""
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def rate_info(response: httpx.Response) -> RateInfo | None:
    """The `x-ratelimit-*` headers of an answer, or None when it has none."""
    h = response.headers
    if "x-ratelimit-limit" not in h and "x-ratelimit-remaining" not in h:
        return None

    def number(name: str) -> int | None:
        value = _seconds(h.get(name))
        return int(value) if value is not None and math.isfinite(value) else None

    return RateInfo(
        limit=number("x-ratelimit-limit"),
        remaining=number("x-ratelimit-remaining"),
        reset_at=_moment(_epoch(h.get("x-ratelimit-reset"))),
        resource=h.get("x-ratelimit-resource"),
    )


def standard_rate_limit(response: httpx.Response, now: float) -> Limit | None:
    """The common signals: 429 or 403 with `Retry-After`, or with the quota at 0 and a reset.

    A 429 with neither gets a one-minute pause (what GitHub and Atlassian both advise); one
    whose `Retry-After` can't be read is retried at the normal backoff (`Limit.backoff`). An
    unreadable `Retry-After` on a 403 counts as none.
    """
    if response.status_code not in (403, 429):
        return None
    header = response.headers.get("retry-after")
    after = _seconds(header, now)
    if after is not None:
        return Limit(after, _moment(now + after), primary=False)
    if response.headers.get("x-ratelimit-remaining") == "0":
        reset = _epoch(response.headers.get("x-ratelimit-reset"))
        wait = max(0.0, reset - now) + 1.0 if reset is not None else 60.0
        return Limit(wait, _moment(reset), primary=True)
    if response.status_code == 429 and header is not None:
        return Limit(0.0, None, primary=False, backoff=True)
    if response.status_code == 429:
        return Limit(60.0, datetime.fromtimestamp(now + 60.0, UTC), primary=False)
    return None
