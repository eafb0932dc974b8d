"""The New view: what changed since the last look, one sentence a row, under a header row per
milestone or goal (newest group first), from the snapshot's change feed. Headers name a
milestone as the Milestones view does (`web Q4 hardening`: two repositories have one).

Rows stand for the item that changed (Enter opens it, `o` its page, the why-line describes
it); their keys only keep them apart, since one item often changes twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from pullboard.model import Change
from pullboard.tui.formatting import age, haystack, literal
from pullboard.tui.places import labelled, short_places
from pullboard.tui.widgets.item_table import Row

if TYPE_CHECKING:  # views imports this module for its New view
    from pullboard.tui.views import ViewContext

KIND_LABEL = {
    "due_moved": "due",
    "risk_changed": "risk",
    "forecast_moved": "forecast",
    "scope_added": "+scope",
    "scope_removed": "-scope",
    "opened": "opened",
    "closed": "closed",
    "reopened": "reopened",
    "retitled": "renamed",
    "insight_pinned": "insight",
    "insight_edited": "edited",
    "ack": "read",
    "ask": "ask",
    "goal_changed": "goal",
}
"""The first column: the kind in a word."""


def change_rows(ctx: ViewContext) -> list[Row]:
    """Every change since the last look, grouped by milestone (`views.picked` filters)."""
    snap = ctx.snapshot
    places = short_places(snap.milestones)
    names = {m.url: labelled(m.title, places.get(m.url, "")) for m in snap.milestones}
    names |= {g.url: ("goal", g.title) for g in snap.goals}
    out: list[Row] = []
    group: str | None = ""
    for n, change in enumerate(snap.changes):
        if change.milestone != group:
            group = change.milestone
            out.append(_header(group, names))
        out.append(
            Row(
                f"change:{n}",
                (
                    Text(_label(change), style=_style(ctx, change)),
                    literal(change.text),
                    Text(age(change.at, ctx.now)),
                ),
                target=change.insight or change.url,
                find=haystack(change.text, change.ref, change.kind),
            )
        )
    return out


def _label(change: Change) -> str:
    """The kind in a word; a back-brief by its stance (`concern` stands out from `read`)."""
    if change.kind == "ack" and change.after:
        return change.after
    return KIND_LABEL.get(change.kind, change.kind)


def _header(group: str | None, names: dict[str, tuple[str, str]]) -> Row:
    """A milestone's or goal's name in bold after its place (dim), standing for it; `The
    board` for the rest."""
    prefix, name = names.get(group, ("", group)) if group else ("", "The board")
    title = literal(f"{prefix} " if prefix else "", Style(dim=True))
    title.append(name, Style(bold=True))
    return Row(f"group:{group or 'board'}", (Text(""), title, Text("")), target=group)


def _style(ctx: ViewContext, change: Change) -> Style:
    if change.kind.startswith("insight") or change.kind in ("ack", "ask"):
        return ctx.style("accent")
    if change.kind in ("due_moved", "risk_changed", "scope_added", "reopened", "goal_changed"):
        return ctx.style("warning")
    return Style()


def change_why(ctx: ViewContext, key: str | None) -> Text | None:
    """The line under the New view for the change under the cursor: its whole sentence (up
    to two lines, cut with an ellipsis), or None on a header row."""
    if key is None or not key.startswith("change:"):
        return None
    changes = ctx.snapshot.changes
    index = int(key.removeprefix("change:"))
    if index >= len(changes):
        return None
    text = literal(changes[index].text)
    text.no_wrap = False
    return text
