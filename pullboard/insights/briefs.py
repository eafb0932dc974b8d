"""Back-briefs: a reader says they read an insight, where they stand, and in their own words
what they understood; one change to the file, like every other."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from msgspec.structs import replace

from pullboard.errors import InsightsError
from pullboard.insights.changes import Conflict
from pullboard.insights.format import Document
from pullboard.insights.schema import ack_table, stamp, stance_problem
from pullboard.insights.store import Store, as_store
from pullboard.insights.update import find, update, who
from pullboard.model import Ack, Insight
from pullboard.text import has_token, one_line

NOTE_MAX = 280
"""Characters a back-brief's note keeps: one line, as in a chat message."""


def ack(
    where: Store | Path,
    insight_id: str,
    user: str,
    now: datetime,
    *,
    base_revision: int | None = None,
    stance: str = "read",
    note: str = "",
) -> Insight:
    """Record `user`'s back-brief: that they read the insight, where they stand (`read`,
    `agree`, `commit`, `concern`; `accept` or `decline` for an ask) and optionally one line
    in their own words. Only ever explicit; a second back-brief replaces the first.

    Leaves `revision` and `updated` alone, so nobody else's back-brief goes stale. It counts
    for the revision it was made on; its time is never before the insight's `updated` (clocks
    on different machines disagree).

    Args:
        base_revision: the revision the user read; refuse if it is no longer the current one.
        stance: one of `model.STANCES`.
        note: one line (longer text is folded onto one line and cut at `NOTE_MAX`).

    Raises:
        Conflict: `base_revision` given and no longer current.
        InsightsError: no such insight, a stance it can't take, unwritable or broken file.
    """
    reader = who(user)
    said = one_line(note)[:NOTE_MAX]
    if has_token(said):
        raise InsightsError("The note looks like a token; insights are shared, so it wasn't saved.")

    store = as_store(where)

    def change(doc: Document) -> tuple[Insight, bool]:
        index, current = find(doc, store, insight_id)
        if base_revision is not None and current.revision != base_revision:
            raise Conflict(current)
        if problem := stance_problem(current, stance):
            raise InsightsError(f"Can't record that on insight {insight_id}: {problem}.")
        when = max(stamp(now), current.updated or stamp(now))
        brief = Ack(when, current.revision, stance, said)
        table = doc.changing(index)
        acks = table.get("acks")
        table["acks"] = {**(acks if isinstance(acks, dict) else {}), reader: ack_table(brief)}
        return replace(current, acks={**current.acks, reader: brief}), True

    return update(store, change, lambda done: f"ack {done.id} {stance} ({reader})")
