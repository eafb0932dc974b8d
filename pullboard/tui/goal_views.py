"""Goals as the board shows them: goal rows (each followed by its milestones) and the
one-line goal bar above the milestone list."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from msgspec.structs import replace
from rich.text import Text

from pullboard.analysis import not_shown
from pullboard.model import Goal, GoalStatus, MilestoneStatus, Snapshot
from pullboard.tui.formatting import RISK_TEXT, date_range, haystack, literal, meter, short_date
from pullboard.tui.theme import RISK_VARIABLE
from pullboard.tui.widgets.item_table import Column, ColumnSpec, Row

if TYPE_CHECKING:  # views imports this module for the goal list's rows
    from pullboard.tui.views import ViewContext

GOAL_COLUMNS: list[ColumnSpec] = [
    ("Goal / milestone", None), ("Due", 6), Column("Progress", 13, narrow=4),
    ("Forecast", 13), ("Risk", 11),
]  # fmt: skip
GOAL_KEY = "goal:"
"""Row keys of goals (`goal:ID`): what `p` pins on, as `on = "goal:ID"`. A milestone's row
is keyed `goal:ID URL` (a milestone of two goals has a row under each; row keys are unique)
and stands for the milestone's URL, what Enter, `o`, `p` and the why-line act on."""


def goal_line(ctx: ViewContext, goal: Goal, st: GoalStatus, width: int = 0) -> Text:
    """`◎ Holiday launch  Jan 14  61% ████░  Jan 11–25  ▲ at risk 60%`: one goal, one line.
    Narrower than `width`, it leaves out the bar, then the forecast, then the due date: the
    risk and its chance stay (60 columns)."""
    today = ctx.now.date()
    due = f"  {short_date(goal.due, today)}"
    forecast = f"  {date_range(st.forecast, st.forecast_p85, today)}"
    risk = Text()
    risk.append(RISK_TEXT[st.risk], style=ctx.style(RISK_VARIABLE[st.risk]))
    risk.append(f" {int(st.on_time * 100)}%" if st.on_time is not None else "")
    for cells, ahead, when in ((5, forecast, due), (0, forecast, due), (0, "", due), (0, "", "")):
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("◎ ")
        text.append(goal.title, style="bold")
        text.append(f"{when}  {meter(st.progress, cells).rstrip()}{ahead}  ")
        text.append_text(risk)
        if not width or text.cell_len <= width:
            break
    return text


def goal_rows(ctx: ViewContext) -> list[Row]:
    """Each goal, then its milestones indented under it (Enter opens one), a milestone
    under every goal that names it. The filter searches the goal's words: its milestones carry
    them too, so they stay under it."""
    snap = ctx.snapshot
    out = []
    for goal in snap.goals:
        st = snap.goal_status[goal.id]
        find = haystack(goal.title, goal.outcome, goal.owner, RISK_TEXT[st.risk])
        title = Text(goal.title, style="bold")
        out.append(_row(ctx, GOAL_KEY + goal.id, title, goal.due, st, find))
        for url in st.milestones:
            m = snap.find(url)
            name = literal(f"  {m.ref if m else url}")
            row = _row(
                ctx,
                f"{GOAL_KEY}{goal.id} {url}",
                name,
                m.due if m else None,
                snap.status[url],
                find,
            )
            out.append(replace(row, target=url))
    return out


def _row(
    ctx: ViewContext,
    key: str,
    name: Text,
    due: date | None,
    st: GoalStatus | MilestoneStatus,
    find: str,
) -> Row:
    today = ctx.now.date()
    return Row(
        key,
        (
            name,
            Text(short_date(due, today)),
            Text(meter(st.progress, 8), no_wrap=True, overflow="crop"),
            Text(date_range(st.forecast, st.forecast_p85, today)),
            Text(RISK_TEXT[st.risk], style=ctx.style(RISK_VARIABLE[st.risk])),
        ),
        find=find,
    )


def describe_goal(ctx: ViewContext, goal: Goal) -> Text:
    """Under the goals list: why it stands where it does, then what it names that the board
    doesn't show (first on its line, so 80 columns keep it), its outcome and why now."""
    st = ctx.snapshot.goal_status[goal.id]
    missing = not_shown(st.unknown)
    text = Text(st.reason.replace(f"; {missing}", "") if missing else st.reason)
    text.append("\n")
    if missing:
        text.append(f"{missing[0].upper()}{missing[1:]}", style=ctx.style("warning"))
    said = " · ".join(_said(goal)) or f"Owner {goal.owner or '-'}"
    text.append(f" · {said}" if missing else said)
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


def goal_detail(ctx: ViewContext, goal: Goal) -> Text:
    """All of a goal (Enter on it): where it stands and why, what it is for, and each
    milestone with its chance of being done by the goal's date."""
    snap, today = ctx.snapshot, ctx.now.date()
    st = snap.goal_status[goal.id]
    text = Text()
    text.append(RISK_TEXT[st.risk], style=ctx.style(RISK_VARIABLE[st.risk]))
    text.append(f" · {meter(st.progress, 8).strip()} · due {short_date(goal.due, today)}")
    text.append(f" · forecast {date_range(st.forecast, st.forecast_p85, today)}")
    text.append(f" · {int(st.on_time * 100)}% on time" if st.on_time is not None else "")
    text.append(f"\n{st.reason}\n")
    for line in (*_said(goal), f"Owner {goal.owner or '-'}"):
        text.append(f"\n{line}")
    text.append("\n\nMilestones", style="bold")
    chances = dict(zip(st.milestones, st.chances, strict=False))
    width = max((len(_ref(snap, url)) for url in st.milestones), default=0)
    for url in st.milestones:
        ms = snap.status[url]
        text.append(f"\n  {_ref(snap, url):<{width}}  ")
        text.append(RISK_TEXT[ms.risk], style=ctx.style(RISK_VARIABLE[ms.risk]))
        text.append(f" · {meter(ms.progress, 5).strip()}")
        if url in chances and goal.due is not None:
            text.append(f" · {int(chances[url] * 100)}% by {short_date(goal.due, today)}")
    if not st.milestones:
        text.append("\n  none the board shows")
    if st.unknown:
        text.append(f"\nNot on the board as last seen: {', '.join(st.unknown)}", style="bold")
        text.append(" (a typo, a milestone renamed since, or a source not configured)")
    return text


def _said(goal: Goal) -> list[str]:
    """What the goal's owner wrote about it: its outcome, what done means, why now."""
    return [
        f"{label}: {value}"
        for label, value in (("Outcome", goal.outcome), ("Done", goal.done), ("Why now", goal.why))
        if value
    ]


def _ref(snap: Snapshot, url: str) -> str:
    found = snap.find(url)
    return found.ref if found else url
