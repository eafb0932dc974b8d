"""Small pure helpers that turn model values into short, literal table text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from rich.style import Style
from rich.text import Text

from pullboard.model import MilestoneStatus, Risk

RISK_TEXT = {
    Risk.DONE: "✓ done",
    Risk.ON_TRACK: "● on track",
    Risk.AT_RISK: "▲ at risk",
    Risk.OFF_TRACK: "✗ off track",
    Risk.STALLED: "‖ stalled",
    Risk.UNKNOWN: "? unknown",
}
"""Each risk level has a symbol too, so it reads without colour (ANSI terminals, screen readers)."""


def age(then: datetime | None, now: datetime) -> str:
    """`just now`, `3 min ago`, `2 h ago`, `4 d ago`; `never` for None."""
    if then is None:
        return "never"
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


def short_date(day: date | None, today: date) -> str:
    """`Dec 03` within about ten months of today, `May '27` further out, `-` for none.

    Seven columns at most, so date columns fit an 80-column terminal.
    """
    if day is None:
        return "-"
    return f"{day:%b %d}" if abs((day - today).days) < 300 else f"{day:%b '%y}"


def date_range(first: date | None, last: date | None, today: date) -> str:
    """A forecast range in at most 13 columns: `Dec 28–Jan 09`, `Dec 03–09` within a month,
    `Dec 28` when both agree, `Dec 28+` when the far end is beyond the horizon, `-` for none;
    far-off ranges by month (`May–Jun '28`)."""
    if first is None:
        return "-"
    start = short_date(first, today)
    if last is None:
        return f"{start}+"
    if last == first:
        return start
    if (last.year, last.month) == (first.year, first.month) and start.endswith(f"{first:%d}"):
        return f"{start}–{last:%d}"
    end = short_date(last, today)
    if end == start:  # far off, within one month: the month says it
        return start
    text = f"{start}–{end}"
    return text if len(text) <= 13 else f"{first:%b}–{last:%b '%y}"


def bar(progress: float | None, width: int = 10) -> str:
    """A text progress bar with the percentage, e.g. `██████░░░░ 60%`."""
    return f"{_cells(progress, width)} {share(progress)}"


def share(progress: float | None) -> str:
    """The share closed in four cells: ` 64%`, or `   -` for a milestone with no issues."""
    return "   -" if progress is None else f"{progress:>4.0%}"


def _cells(progress: float | None, width: int) -> str:
    filled = 0 if progress is None else round(progress * width)
    return "█" * filled + "░" * (width - filled)


def gap(status: MilestoneStatus) -> str:
    """The alignment gap as `+4 d` (late), `-9 d` (early) or `-`."""
    if status.gap_days is None:
        return "-"
    return f"{status.gap_days:+d} d"


def literal(text: str, style: Style | str = "") -> Text:
    """Tracker text as a Rich Text: never parsed as markup."""
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


def meter(progress: float | None, width: int = 8) -> str:
    """`  64% █████░░░`: a progress cell (goals), the percentage first so that a narrow
    column (60-column terminals) still shows it."""
    return f"{share(progress)} {_cells(progress, width)}"


def haystack(*texts: str | Iterable[str]) -> str:
    """What the filter searches in a row: its texts, lower-cased once, joined by spaces."""
    return " ".join(t if isinstance(t, str) else " ".join(t) for t in texts).casefold()
