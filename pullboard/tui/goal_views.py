"""Goals as the board shows them: goal rows (each followed by its milestones) and the
one-line goal bar above the milestone list."""

from __future__ import annotations

from dataclasses import replace
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
"""Row keys of goals (`goal:ID`): what `p` pins on, as `on = "goal:ID"`. A milestone's row
is keyed `goal:ID URL` (a milestone of two goals has a row under each; row keys are unique)
and stands for the milestone's URL, what Enter, `o`, `p` and the why-line act on."""


def goal_line(ctx: ViewContext, goal: Goal, st: GoalStatus) -> Text:
    """`◎ Holiday launch  Jan 14  61% ████░  Jan 11–25  ▲ at risk 60%`: one goal, one line."""
    today = ctx.now.date()
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("◎ ")
    text.append(goal.title, style="bold")
    text.append(f"  {short_date(goal.due, today)}  {meter(st.progress, 5)}")
    text.append(f"  {date_range(st.forecast, st.forecast_p85, today)}  ")
    text.append(RISK_TEXT[st.risk], style=ctx.style(RISK_VARIABLE[st.risk]))
    text.append(f" {int(st.on_time * 100)}%" if st.on_time is not None else "")
    return text


def goal_rows(ctx: ViewContext) -> list[Row]:
    """Each goal, then its milestones indented under it (Enter opens one), a milestone
    under every goal that names it."""
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
            row = _row(
                ctx, f"{GOAL_KEY}{goal.id} {url}", name, m.due if m else None, snap.status[url]
            )
            out.append(replace(row, target=url))
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
