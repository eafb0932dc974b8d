"""`--since WHEN`: `last-look` (the default), an ISO date or date-time, or a span back from
now such as `36h`, `7d` or `2w`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from pullboard.errors import UsageError

LAST_LOOK = "last-look"
_SPAN = re.compile(r"(\d{1,6})([hdw])")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime) -> datetime | None:
    """The moment WHEN names, in UTC; None for `last-look` (the board's own last look).

    A date means its midnight in UTC; a date-time without an offset is taken as UTC.

    Raises:
        UsageError: a sentence saying what WHEN may be (the CLI exits 2).
    """
    value = text.strip()
    if value.lower() == LAST_LOOK:
        return None
    if span := _SPAN.fullmatch(value.lower()):
        return now - timedelta(**{_UNITS[span[2]]: int(span[1])})
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        when = None
    if when is None or not value[:1].isdigit():
        raise UsageError(
            f"--since {text!r} is not a moment: give last-look, an ISO date or date-time "
            "(2026-11-02, 2026-11-02T09:30), or a span back from now (36h, 7d, 2w)."
        )
    if len(value) == 10:  # a bare date: that day from midnight
        when = datetime.combine(when.date(), time(), UTC)
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    if when > now:
        raise UsageError(f"--since {text!r} is in the future; give a moment before now.")
    return when.astimezone(UTC)
