"""The overview's pictures: a range bar per milestone (today to the forecast range, against
the due date) and the one-line summary of where all the open milestones stand.

Pure: model values in, Rich Text out, no widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from rich.style import Style
from rich.text import Text

from pullboard.model import Milestone, MilestoneStatus, Risk, State
from pullboard.tui.formatting import share
from pullboard.tui.theme import RISK_VARIABLE

DUE_AT = 5
"""The due date's cell in every bar (the bar starts at today), so bars compare down the
column: a range left of the mark makes the date, one across it may, one right of it won't."""
TRACK, RANGE, DUE, DUE_IN_RANGE, BEYOND = "─", "━", "│", "┿", "▸"

StyleOf = Callable[[str], Style]


def range_bar(
    status: MilestoneStatus,
    due: date | None,
    today: date,
    width: int = 8,
    style: StyleOf = lambda _name: Style(),
) -> Text:
    """`──━━━│  `: today at the left edge, the P50–P85 range in the risk's colour, the due
    date at cell `DUE_AT` (the left edge when it has passed), `▸` for a range running past
    the bar's end. Blank when there is no range (done, stalled, nothing to forecast)."""
    if status.forecast is None:
        return Text(" " * width)
    p50 = (status.forecast - today).days
    p85 = None if status.forecast_p85 is None else (status.forecast_p85 - today).days
    due_in = None if due is None else (due - today).days
    mark: int | None = DUE_AT
    if due_in is not None and due_in > 0:
        scale = due_in / DUE_AT  # days per cell
    else:  # overdue (the mark at the start) or no date: the range fills the bar
        scale, mark = max(p85 or p50, 1) / (width - 1), None if due_in is None else 0
    first = min(int(p50 / scale), width)
    last = width if p85 is None else min(int(p85 / scale), width)
    colour = style(RISK_VARIABLE[status.risk])
    text = Text(no_wrap=True)
    for x in range(width):
        inside = first <= x <= last
        if x == width - 1 and last >= width:
            text.append(BEYOND, style=colour)
        elif x == mark:
            text.append(DUE_IN_RANGE if inside else DUE, style=style("warning"))
        elif inside:
            text.append(RANGE, style=colour)
        else:
            text.append(TRACK if x < first else " ", style=Style(dim=True))
    return text


def outlook_cell(status: MilestoneStatus, due: date | None, today: date, style: StyleOf) -> Text:
    """The overview's progress cell: the share closed, then the range bar."""
    text = Text(f"{share(status.progress)} ", no_wrap=True, overflow="crop")
    text.append_text(range_bar(status, due, today, style=style))
    return text


SUMMARY = (Risk.OFF_TRACK, Risk.AT_RISK, Risk.STALLED)
"""The levels the summary line counts, worst first."""


def summary(
    milestones: Iterable[Milestone], statuses: dict[str, MilestoneStatus], style: StyleOf
) -> Text:
    """`3 of 9 milestones off track, 1 at risk, 1 stalled`: the open milestones that need a
    look, worst first; `All 6 open milestones on track.` when none does."""
    risks = [
        statuses[m.url].risk
        for m in milestones
        if m.state is State.OPEN and m.url in statuses and statuses[m.url].risk is not Risk.DONE
    ]
    counts = [(sum(r is risk for r in risks), risk, risk.words) for risk in SUMMARY]
    counts = [c for c in counts if c[0]]
    text = Text(no_wrap=True, overflow="ellipsis")
    if not risks:
        return text.append("No open milestones.")
    if not counts:
        if all(r is Risk.ON_TRACK for r in risks):
            return text.append(f"All {len(risks)} open milestones on track.")
        return text.append(f"None of the {len(risks)} open milestones is at risk.")
    for n, (count, risk, label) in enumerate(counts):
        lead = f"{count} of {len(risks)} open milestones " if n == 0 else ", "
        text.append(lead)
        text.append(f"{count} {label}" if n else label, style=style(RISK_VARIABLE[risk]))
    return text.append(".")
