"""What each list shows: columns and rows built from a snapshot, with the filter applied.

Rows are plain data (`Row`), so the tables only display them; every tracker string becomes a
`rich.text.Text`, never markup. Each row carries the lower-cased text the filter searches, so
a view's rows are built once per snapshot (`all_rows`, kept by the app's `RowCache`) and a
keystroke in the filter only picks among them (`rows`).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

import msgspec
from rich.style import Style
from rich.text import Text

from pullboard.analysis import is_mine
from pullboard.model import BOARD, Insight, Issue, Milestone, Snapshot, State
from pullboard.tui.briefs import ask_rows, notes, read_cell, spread_line
from pullboard.tui.change_feed import change_rows
from pullboard.tui.formatting import (
    RISK_TEXT,
    date_range,
    gap,
    haystack,
    literal,
    short_date,
)
from pullboard.tui.goal_views import goal_rows
from pullboard.tui.outlook import outlook_cell
from pullboard.tui.places import labelled, short_places
from pullboard.tui.theme import RISK_VARIABLE
from pullboard.tui.widgets.item_table import Column, ColumnSpec, Row

if TYPE_CHECKING:
    from pullboard.tui.row_cache import RowCache

VIEWS = ("milestones", "pressing", "mine", "insights", "new")
ALL_VIEWS = (*VIEWS, "goals")
"""The board's five views and the goal screen's list: the views whose rows `all_rows` builds."""
TITLES = {
    "milestones": "Milestones",
    "pressing": "Pressing",
    "mine": "Mine",
    "insights": "Insights",
    "new": "New",
}
COLUMNS: dict[str, list[ColumnSpec]] = {
    "milestones": [
        ("Milestone", None),
        ("Due", 6),
        Column("Done  Outlook", 13, narrow=4),
        ("Forecast", 13),
        ("Risk", 11),
        ("💡", 2),
    ],
    "pressing": [("!", 2), ("Issue", 13), ("Title", None), ("Why now", 22)],
    "mine": [("Issue", 13), ("Title", None), ("Status", 11), ("Due", 6)],
    "insights": [("📌", 2), ("Insight", None), ("On", 14), ("By", 8), ("Read", 6)],
    "new": [("", 8), ("What changed", None), ("When", 10)],
    "issues": [("Issue", 13), ("Title", None), ("Assignee", 10), ("!", 2), ("💡", 2)],
}


class ViewContext(msgspec.Struct, frozen=True, dict=True):
    """Everything a view needs besides the snapshot's own data (`dict=True`: a cached property
    keeps its value in the instance's dict)."""

    snapshot: Snapshot
    now: datetime
    query: str = ""
    show_expired: bool = False
    details: bool = False
    """Show insight details instead of one-line headlines."""
    style: Callable[[str], Style] = lambda _name: Style()
    """Resolves a theme variable (`error`, `warning`, `success`) to a Rich style."""
    cache: RowCache | None = None
    """Where the app keeps each view's rows between keystrokes (None: build every time)."""

    def matches(self, *texts: str | Iterable[str]) -> bool:
        """Case-insensitive substring filter over every given text."""
        return not self.query or self.query.casefold() in haystack(*texts)

    def live_insights(self, on: str | None = None) -> list[Insight]:
        """Insights to show (on one item, or all): unexpired, or all of them with the expired
        toggle on."""
        today = self.now.date()
        pool = self.snapshot.insights if on is None else self.snapshot.insights_on(on)
        return [i for i in pool if self.show_expired or not i.expired(today)]

    @functools.cached_property
    def _live_on(self) -> Counter[str]:
        """Live insights per item, counted once per context: every row asks."""
        return Counter(i.on for i in self.live_insights())

    def row(self, view: str, key: str, made_of: tuple[object, ...], make: Callable[[], Row]) -> Row:
        """`make()`, or the equal row the app's cache kept from an earlier snapshot when
        `made_of` (everything the row shows comes from it) is equal."""
        if self.cache is None:
            return make()
        return self.cache.row(view, key, (*made_of, self.style), make)

    def insight_count(self, *urls: str) -> Text:
        """How many live insights sit on these items (a milestone and its issues)."""
        n = sum(self._live_on[url] for url in urls)
        return Text(str(n) if n else "", style=self.style("accent"))


def rows(view: str, ctx: ViewContext) -> list[Row]:
    """Rows of one of the board's views (or `goals`) that match the filter: from the app's
    cache when the view's rows were built for this snapshot, else built now."""
    every = ctx.cache.rows(view, ctx) if ctx.cache is not None else all_rows(view, ctx)
    return picked(every, ctx.query.casefold())


def picked(every: list[Row], query: str) -> list[Row]:
    """The rows whose text holds `query` (lower-cased); a group header row (the New view's
    milestones) stays when a row under it does."""
    if not query:
        return list(every)
    out: list[Row] = []
    header: Row | None = None
    for row in every:
        if row.key.startswith("group:"):
            header = row
        elif query in row.find:
            if header is not None:
                out.append(header)
                header = None
            out.append(row)
    return out


def all_rows(view: str, ctx: ViewContext) -> list[Row]:
    """Every row of a view, whatever the filter, each with the lower-cased text it matches."""
    return {
        "milestones": milestone_rows,
        "pressing": pressing_rows,
        "mine": mine_rows,
        "insights": insight_rows,
        "new": change_rows,
        "goals": goal_rows,
    }[view](ctx)


def milestone_rows(ctx: ViewContext) -> list[Row]:
    """Milestones across sources by due date: progress, forecast, risk, insight count."""
    today = ctx.now.date()
    places = short_places(ctx.snapshot.milestones)
    issue_urls: dict[str | None, list[str]] = {}
    for issue in ctx.snapshot.issues:  # insights on its issues count for the milestone
        issue_urls.setdefault(issue.milestone, []).append(issue.url)
    out = []
    for m in ctx.snapshot.milestones:
        st = ctx.snapshot.status[m.url]
        label = RISK_TEXT[st.risk]

        overdue = m.due is not None and m.due < today and m.state is State.OPEN
        out.append(
            Row(
                m.url,
                (
                    _milestone_name(m, places.get(m.url, "")),
                    Text(short_date(m.due, today), style=ctx.style("error") if overdue else ""),
                    outlook_cell(st, m.due, today, ctx.style),
                    Text(date_range(st.forecast, st.forecast_p85, today)),
                    Text(label, style=ctx.style(RISK_VARIABLE[st.risk])),
                    ctx.insight_count(m.url, *issue_urls.get(m.url, ())),
                ),
                find=haystack(m.ref, m.title, m.source, label),
            )
        )
    return out


def _milestone_name(milestone: Milestone, where: str) -> Text:
    """`shop v2.0`: the place dim, then the title (both tracker text, literal)."""
    prefix, title = labelled(milestone.title, where)
    text = literal(f"{prefix} " if prefix else "", Style(dim=True))
    text.append(title)
    return text


def _open_issues(ctx: ViewContext, keep: Callable[[Issue], bool]) -> list[Issue]:
    return [i for i in ctx.snapshot.issues if i.state is State.OPEN and keep(i)]


def _issue_text(issue: Issue) -> str:
    """What the filter searches in an issue's row."""
    return haystack(issue.ref, issue.title, issue.status, issue.labels, issue.assignees)


def pressing_rows(ctx: ViewContext) -> list[Row]:
    """Open issues with a pressing score, most pressing first."""
    pressing = ctx.snapshot.pressing
    issues = _open_issues(ctx, lambda i: i.url in pressing)
    issues.sort(key=lambda i: (-pressing[i.url].score, i.ref))
    return [
        ctx.row("pressing", i.url, (i, pressing[i.url]), partial(_pressing_row, ctx, i))
        for i in issues
    ]


def _pressing_row(ctx: ViewContext, i: Issue) -> Row:
    why = ctx.snapshot.pressing[i.url]
    return Row(
        i.url,
        (
            Text(str(why.score), style=ctx.style("warning")),
            literal(i.ref),
            literal(i.title),
            literal(", ".join(why.reasons)),
        ),
        find=_issue_text(i),
    )


def mine_rows(ctx: ViewContext) -> list[Row]:
    """Asks of me not yet answered, then my open issues: pressing ones first, then by due."""
    issues = _open_issues(ctx, lambda i: is_mine(i, ctx.snapshot.aliases))
    score = ctx.snapshot.pressing
    issues.sort(key=lambda i: (-(score[i.url].score if i.url in score else 0), i.ref))
    return ask_rows(ctx) + [
        ctx.row("mine", i.url, (i, ctx.now.date()), partial(_mine_row, ctx, i)) for i in issues
    ]


def _mine_row(ctx: ViewContext, i: Issue) -> Row:
    due = Text(short_date(i.due, ctx.now.date()))
    return Row(
        i.url, (literal(i.ref), literal(i.title), literal(i.status), due), find=_issue_text(i)
    )


def insight_rows(ctx: ViewContext) -> list[Row]:
    """Every insight: pinned first, newest first; unmatched ones say so."""
    snap = ctx.snapshot
    items = ctx.live_insights()
    items.sort(key=lambda i: (not i.pinned, -(i.updated or i.created or ctx.now).timestamp()))
    out = []
    for i in items:
        target = snap.find(i.on)
        on = "board" if i.on == BOARD else (target.ref if target else "⚠ unmatched")
        on = i.on.replace(":", " ", 1) if i.id not in snap.unmatched and not target else on
        # The headline only: why it matters and the detail get lines of their own under the
        # list (`d`), where they can be read whole rather than cut to a cell.
        text = f"{i.title}: {' '.join(i.summary.split())}" if i.summary else i.title
        expired = i.expired(ctx.now.date())
        text = f"(expired) {text}" if expired else text
        style = Style(dim=True) if expired else ""
        unmatched = i.id in snap.unmatched
        out.append(
            Row(
                i.id,
                (
                    Text("📌" if i.pinned else ""),
                    literal(text, style),
                    literal(on, ctx.style("warning") if unmatched else ""),
                    literal(i.author),
                    Text(read_cell(i, snap)),
                ),
                find=haystack(
                    i.title, i.summary, i.author, i.on, i.audience, i.detail if ctx.details else ""
                ),
            )
        )
    return out


STATUS_ORDER = ("In Progress", "In progress", "In Review", "To Do", "To do", "Open", "Done")


def milestone_issue_rows(ctx: ViewContext, milestone: Milestone) -> list[Row]:
    """A milestone's issues grouped by status (a header row per group), open groups first."""
    groups: dict[str, list[Issue]] = {}
    for issue in ctx.snapshot.issues_of(milestone.url):
        if ctx.matches(issue.ref, issue.title, issue.status, issue.labels, issue.assignees):
            groups.setdefault(issue.status, []).append(issue)

    def order(status: str) -> tuple[bool, int, str]:
        done = all(i.state is State.CLOSED for i in groups[status])
        rank = STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER) - 1
        return done, rank, status

    out = []
    pressing = ctx.snapshot.pressing
    for status in sorted(groups, key=order):
        issues = groups[status]
        header = Text(f"{status} ({len(issues)})", style="bold")
        out.append(Row(f"group:{status}", (Text(""), header, Text(""), Text(""), Text(""))))
        for i in sorted(issues, key=lambda i: -(pressing[i.url].score if i.url in pressing else 0)):
            score = pressing.get(i.url)
            out.append(
                Row(
                    i.url,
                    (
                        literal(i.ref),
                        literal(i.title),
                        literal(", ".join(i.assignees) or "-"),
                        Text(str(score.score) if score else "", style=ctx.style("warning")),
                        ctx.insight_count(i.url),
                    ),
                )
            )
    return out


def describe(ctx: ViewContext, key: str | None, *, empty: str = "Nothing here.") -> Text:
    """Two lines under a list about the highlighted row: what it is and why it matters."""
    snap = ctx.snapshot
    if key is None:
        return _two_lines(
            Text(f"Nothing matches “{ctx.query}”." if ctx.query else empty), _failures(ctx)
        )
    if key == "group:board":
        return Text("Insights on the whole board: pinned, edited or read since your last look.")
    if key.startswith("group:"):
        return Text(f"{key.removeprefix('group:')}: the issues below. Enter opens one.")
    item = snap.find(key)
    first, second = Text(), Text()
    if isinstance(item, Milestone):
        st = snap.status[key]
        # The reason alone on the first line (the row names the milestone): at 80 columns
        # its end, the driver, must still show.
        first.append(st.reason)
        second.append(f"{item.ref}  ", style="bold")
        second.append(f"{st.open} open · {st.closed} closed · {st.close_rate:.1f}/day")
        second.append(f" · gap {gap(st)}" if st.gap_days is not None else "")
    elif isinstance(item, Issue):
        first.append(f"{item.ref}  ", style="bold")
        first.append(f"{item.status} · {', '.join(item.assignees) or 'unassigned'}")
        first.append(f" · {', '.join(item.labels)}" if item.labels else "")
        reasons = snap.pressing.get(key)
        second.append(", ".join(reasons.reasons) if reasons else "", style=ctx.style("warning"))
    else:
        insight = snap.insight(key)
        if insight is not None:
            _insight_lines(ctx, insight, first, second)
        return _two_lines(first, second)
    note = max(
        ctx.live_insights(key),
        key=lambda i: i.updated or i.created or ctx.now,
        default=None,
    )
    if note is not None:
        # The insight's headline is the "why" people came for: it goes before the numbers.
        second = Text(f"💡 {note.summary or note.title}", style=ctx.style("accent"))
    return _two_lines(first, second)


def _failures(ctx: ViewContext) -> Text:
    """Why a list may be emptier than expected: sources that failed (r retries)."""
    failed = [s for s in ctx.snapshot.sources if not s.ok]
    if not failed:
        return Text()
    names = ", ".join(s.name for s in failed)
    return Text(f"{names} failed (see the top line); r retries.", style=ctx.style("warning"))


def _two_lines(first: Text, second: Text) -> Text:
    """The why area's two lines: the reason, then its detail; `WhyLines` shares the rows it
    has between them (wrapping each, cut with an ellipsis only when out of rows)."""
    return Text("\n").join([first, second])


def insight_details(ctx: ViewContext, insight: Insight) -> Text:
    """The whole insight under the Insights list (`d`): headline, why now, detail, readers."""
    text = Text()
    text.append(insight.title, style="bold")
    text.append(f"  {insight.author}" if insight.author else "")
    for label, body in (("", insight.summary), ("Why now: ", insight.why)):
        if body:
            text.append("\n" + label, style="italic")
            text.append(body)
    if insight.detail:
        text.append("\n" + insight.detail.strip())
    readers = Text()
    _insight_lines(ctx, insight, Text(), readers)
    return Text("\n").join([text, readers]) + notes(insight)


def _insight_lines(ctx: ViewContext, insight: Insight, facts: Text, why: Text) -> None:
    """An insight's why-now, then where its readers stand and who hasn't seen its latest
    change."""
    current = sorted(u for u in insight.acks if insight.acked_by(u))
    stale = sorted(u for u in insight.acks if not insight.acked_by(u))
    facts.append(f"{insight.title}  ", style="bold")
    facts.append(insight.why or insight.summary)
    why.append(spread_line(insight, ctx.snapshot), style="dim")
    if insight.kind != "ask":  # an ask's line already names who answered
        why.append(f" · read by {', '.join(current) or 'nobody yet'}", style="dim")
    if stale:
        why.append(f"; not yet seen the change: {', '.join(stale)}", style=ctx.style("warning"))
    if ctx.snapshot.me and not insight.acked_by(ctx.snapshot.me):
        why.append("  · a: back-brief", style="dim")
