"""How back-briefs and asks read on the board: the spread in a cell, on the why-line, every
note; my open asks at the top of Mine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from pullboard.analysis.alignment import answers, spread, spread_text
from pullboard.model import ASK, Insight, Snapshot
from pullboard.tui.formatting import haystack, literal, short_date
from pullboard.tui.widgets.item_table import Row

if TYPE_CHECKING:
    from pullboard.tui.views import ViewContext

MARK = {"concern": "!", "decline": "✗"}
"""What a cell adds when someone raised a concern or declined: a lead's eye goes there."""


def read_cell(insight: Insight, snapshot: Snapshot) -> str:
    """`2/3`, `3` without expectations, `+2↻` for back-briefs on an older revision, and `!`
    once someone raised a concern (`✗` declined an ask)."""
    s = spread(insight, snapshot.audiences)
    stale = sum(1 for u in insight.acks if not insight.acked_by(u))
    if s.expected:
        cell = f"{sum(1 for u in s.expected if u in s.briefed)}/{len(s.expected)}"
    else:
        cell = str(len(s.briefed))
    cell += f"+{stale}↻" if stale else ""
    return cell + "".join(mark for stance, mark in MARK.items() if stance in s.stances)


def spread_line(insight: Insight, snapshot: Snapshot) -> str:
    """The why-line's second half: `2 of 3 · 1 concern · missing: lee`, or for an ask who
    accepted and declined."""
    if insight.kind == ASK:
        said = answers(insight)
        parts = [f"{u} {a}" if a != "?" else f"{u} ?" for u, a in said.items()]
        return "Asked: " + ", ".join(parts)
    return spread_text(spread(insight, snapshot.audiences))


def notes(insight: Insight) -> Text:
    """Every back-brief with a stance or a note, one line each (older revisions marked)."""
    text = Text()
    for user, ack in sorted(insight.acks.items(), key=lambda kv: kv[1].at):
        if ack.stance == "read" and not ack.note:
            continue
        old = "" if insight.acked_by(user) else " (older revision)"
        text.append(f"\n{user} {ack.stance}{old}", style="bold")
        text.append(f": {ack.note}" if ack.note else "")
    return text


def ask_rows(ctx: ViewContext) -> list[Row]:
    """Asks addressed to me that I have not answered (a: accept or decline)."""
    snap = ctx.snapshot
    return [
        Row(
            i.id,
            (
                Text("ask", style=ctx.style("accent")),
                literal(i.title),
                literal(f"by {i.author}"),
                Text(short_date(i.expires, ctx.now.date())),
            ),
            find=haystack(i.title, i.summary, i.author),
        )
        for i in ctx.live_insights()
        if i.waits_on(snap.me)
    ]
