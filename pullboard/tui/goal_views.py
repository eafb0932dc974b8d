"""Goals as the board shows them: goal rows (each followed by its milestones) and the
one-line goal bar above the milestone list."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from pullboard.model import Goal, GoalStatus, MilestoneStatus
from pullboard.tui.formatting import RISK_TEXT, date_range, literal, meter, short_date
from pullboard.tui.theme import RISK_VARIABLE
from pullboard.tui.views import ViewContext
from pullboard.tui.widgets.item_table import Row

GOAL_COLUMNS = [("Goal / milestone", None), ("Due", 6), ("Progress", 13), ("Forecast", 13),
                ("Risk", 11)]  # fmt: skip
GOAL_KEY = "goal:"
"""Row keys of goals (`goal:ID`): what `p` pins on, as `on = "goal:ID"`."""


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
    """Each goal, then its milestones indented under it (Enter opens one)."""
    snap = ctx.snapshot
    out = []
    for goal in snap.goals:
        st = snap.goal_status[goal.id]
        if not ctx.matches(goal.title, goal.outcome, goal.owner, RISK_TEXT[st.risk]):
            continue
        out.append(_row(ctx, GOAL_KEY + goal.id, Text(goal.title, style="bold"), goal.due, st))
        for url in st.milestones:
            m = snap.find(url)
            name = literal(f"  {m.ref if m else url}")
            out.append(_row(ctx, url, name, m.due if m else None, snap.status[url]))
    return out


def _row(
    ctx: ViewContext, key: str, name: Text, due: date | None, st: GoalStatus | MilestoneStatus
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
    )


def describe_goal(ctx: ViewContext, goal: Goal) -> Text:
    """Under the goals list: why it stands where it does, then its outcome and why now."""
    st = ctx.snapshot.goal_status[goal.id]
    text = Text(st.reason)
    said = " · ".join(
        p
        for p in (
            goal.outcome and f"Outcome: {goal.outcome}",
            goal.done and f"Done: {goal.done}",
            goal.why and f"Why now: {goal.why}",
        )
        if p
    )
    text.append("\n" + (said or f"Owner {goal.owner or '-'}"))
    text.no_wrap, text.overflow = True, "ellipsis"
    return text
