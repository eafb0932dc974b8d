"""What changed since a moment, one plain-English sentence each: from the history (due dates,
risk, forecasts, scope, states, titles; goals' due dates and risk) and from the insights
file's own timestamps.

Changes are net: a due date moved twice since the last look is one change from the first
date to the last (an item changed and changed back is no change). Pure: nothing here reads a
clock or a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from pullboard.history.recall import Memory
from pullboard.history.store import Facts, Observation
from pullboard.model import BOARD, Change, Insight, Risk

_BRIEFED = {
    "read": "read",
    "agree": "agrees with",
    "commit": "disagrees but commits to",
    "concern": "raised a concern on",
    "accept": "accepted",
    "decline": "declined",
}
"""A back-brief's stance as the verb of its sentence in the feed."""
FORECAST_SLACK = 1
"""A forecast moving by a day or less is noise (it moves with the calendar), not news."""


def tracker_changes(memory: Memory, since: datetime, today: date) -> list[Change]:
    """Every milestone and issue change the history holds after `since`, or after the first
    recording when the history starts later (`--since 2w` on a board watched for a week)."""
    since = max(since, min((rows[0].at for rows in memory.rows.values()), default=since))
    names = {
        url: str(rows[-1].facts.get("title", ""))
        for url, rows in memory.rows.items()
        if rows[0].kind == "milestone"
    }
    watched = _watched(memory, since)
    out: list[Change] = []
    for url, rows in memory.rows.items():
        after = [r for r in rows if r.at > since]
        before = [r for r in rows if r.at <= since]
        if not after:
            continue
        if rows[0].kind == "milestone":
            if before:
                out += _milestone(url, before[-1].facts, after, names[url], today)
        elif rows[0].kind == "goal":
            if before:  # a goal first seen after `since` is no news
                out += _goal(url, before[-1].facts, after, today)
        elif before:
            out += _issue(url, before[-1].facts, after, names, since)
        else:
            out += _appeared(url, after, since, names, watched)
    return out


def _watched(memory: Memory, since: datetime) -> set[str]:
    """Milestones whose issues the history knew at `since` (it had issues recorded in it, or
    it had none): an issue first seen in one of them later is news; in any other, the board
    is only seeing its list for the first time."""
    held: set[str] = set()
    empty: set[str] = set()
    for url, rows in memory.rows.items():
        before = [r.facts for r in rows if r.at <= since]
        if not before:
            continue
        if rows[0].kind == "issue":
            held.add(str(before[-1].get("milestone")))
        elif before[-1].get("open") == 0 and before[-1].get("closed") == 0:
            empty.add(url)
    milestones = {url for url, rows in memory.rows.items() if rows[0].kind == "milestone"}
    return (held & milestones) | empty


def _moved(first: Facts, rows: list[Observation], key: str) -> tuple[Any, Any, datetime] | None:
    """(old, new, when it last changed) when `key` ends different from where it started;
    None too when it wasn't recorded at the start (a fact added later, a partial seed)."""
    old, new = first.get(key), rows[-1].facts.get(key)
    if old == new or key not in first:
        return None
    when, previous = rows[0].at, old
    for row in rows:
        if row.facts.get(key) != previous:
            when, previous = row.at, row.facts.get(key)
    return old, new, when


def _day(iso: Any, today: date) -> str:
    """`Dec 20`, with the year when it isn't this year's."""
    if not isinstance(iso, str):
        return "none"
    day = date.fromisoformat(iso)
    return f"{day:%b %d}" if day.year == today.year else f"{day:%b %d %Y}"


def _days(old: Any, new: Any) -> int:
    return (date.fromisoformat(new) - date.fromisoformat(old)).days


def _milestone(
    url: str, first: Facts, rows: list[Observation], name: str, today: date
) -> Iterator[Change]:
    last = rows[-1].facts
    ref = str(last.get("ref", ""))

    def change(kind: str, moved: tuple[Any, Any, datetime], text: str) -> Change:
        old, new, when = moved
        return Change(when, kind, url, ref, name, text, _text(old), _text(new), milestone=url)

    if moved := _moved(first, rows, "due"):
        yield change("due_moved", moved, _due_moved(name, moved, today))
    if moved := _moved(first, rows, "risk"):
        yield change("risk_changed", moved, _risk_changed(name, moved))
    moved = _moved(first, rows, "forecast")
    if moved and moved[0] and moved[1] and abs(n := _days(moved[0], moved[1])) > FORECAST_SLACK:
        way = "later" if n > 0 else "earlier"
        text = f"{name}'s forecast moved {abs(n)} d {way}, to {_day(moved[1], today)}."
        yield change("forecast_moved", moved, text)
    yield from _common(first, rows, change, name)


def _goal(url: str, first: Facts, rows: list[Observation], today: date) -> Iterator[Change]:
    """A goal's due date (from the insights file) or risk (rolled up from its milestones)
    moved: `goal_changed`, said as of a milestone, grouped under the goal."""
    title = str(rows[-1].facts.get("title", ""))
    name = f"Goal {title}"

    def change(moved: tuple[Any, Any, datetime], text: str) -> Change:
        old, new, when = moved
        return Change(when, "goal_changed", url, url, title, text, _text(old), _text(new),
                      milestone=url)  # fmt: skip

    if moved := _moved(first, rows, "due"):
        yield change(moved, _due_moved(name, moved, today))
    if moved := _moved(first, rows, "risk"):
        yield change(moved, _risk_changed(name, moved))


def _due_moved(name: str, moved: tuple[Any, Any, datetime], today: date) -> str:
    old, new, _ = moved
    if old and new:
        n = _days(old, new)
        shift = f"{abs(n)} d {'later' if n > 0 else 'earlier'}"
        return f"{name}'s due date moved from {_day(old, today)} to {_day(new, today)} ({shift})."
    if new:
        return f"{name} now has a due date: {_day(new, today)}."
    return f"{name} no longer has a due date (it was {_day(old, today)})."


def _risk_changed(name: str, moved: tuple[Any, Any, datetime]) -> str:
    old, new, _ = moved
    return f"{name} went from {_risk_words(old)} to {_risk_words(new)}."


def _risk_words(level: Any) -> str:
    """A recorded risk level as people say it; one a newer version recorded, as it is."""
    try:
        return Risk(str(level)).words
    except ValueError:
        return str(level)


def _common(
    first: Facts, rows: list[Observation], change: Any, label: str, since: datetime | None = None
) -> Iterator[Change]:
    """Closed, reopened, renamed: said the same of milestones and issues. A close is dated
    when the tracker closed it when that is after `since`; one the board only learned of later
    (it wasn't looking) is dated when it learned, so `--since` never lists an older time."""
    if moved := _moved(first, rows, "state"):
        kind = "closed" if moved[1] == "closed" else "reopened"
        if kind == "closed" and isinstance(when := rows[-1].facts.get("closed_at"), str):
            closed = datetime.fromisoformat(when)
            if since is None or closed > since:
                moved = (moved[0], moved[1], closed)
        yield change(kind, moved, f"{label} was {kind}.")
    if moved := _moved(first, rows, "title"):
        yield change("retitled", moved, f"“{moved[0]}” was renamed “{moved[1]}”.")


def _issue(
    url: str,
    first: Facts,
    rows: list[Observation],
    names: Mapping[str, str],
    since: datetime | None = None,
) -> Iterator[Change]:
    last = rows[-1].facts
    ref, title = str(last.get("ref", "")), str(last.get("title", ""))
    home = last.get("milestone") or first.get("milestone")

    def change(kind: str, moved: tuple[Any, Any, datetime], text: str, group: Any = home) -> Change:
        old, new, when = moved
        return Change(when, kind, url, ref, title, text, _text(old), _text(new), milestone=group)

    label = f"{ref} “{title}”"
    if moved := _moved(first, rows, "milestone"):
        old, new, _ = moved
        left, joined = names.get(str(old), "its milestone"), names.get(str(new), "a milestone")
        if old:
            where = f"moved to {joined}" if new else "left it"
            yield change("scope_removed", moved, f"{label} {where}; was in {left}.", old)
        if new:
            origin = f" from {left}" if old else ""
            yield change("scope_added", moved, f"{label} joined {joined}{origin}.", new)
    yield from _common(first, rows, change, label, since)


def _appeared(
    url: str, rows: list[Observation], since: datetime, names: Mapping[str, str], watched: set[str]
) -> Iterator[Change]:
    """An issue first seen after `since` in a milestone watched before it: new, or moved in
    from somewhere the board doesn't show. In a milestone whose issues the board first listed
    after `since`, its arrival is no news, but what happened to it since is (`--since 7d` on
    issues first recorded three days ago)."""
    last = rows[-1].facts
    home = last.get("milestone")
    if home not in watched:
        yield from _issue(url, rows[0].facts, rows[1:], names, since) if rows[1:] else ()
        return
    ref, title = str(last.get("ref", "")), str(last.get("title", ""))
    created = last.get("created")
    new = isinstance(created, str) and datetime.fromisoformat(created) > since
    name = names.get(str(home), "a milestone")
    kind, text = (
        ("opened", f"{ref} “{title}” was opened in {name}.")
        if new
        else ("scope_added", f"{ref} “{title}” joined {name}.")
    )
    yield Change(rows[0].at, kind, url, ref, title, text, None, str(home), milestone=str(home))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def insight_changes(
    insights: Iterable[Insight],
    since: datetime,
    where: Mapping[str, tuple[str, str | None]],
    *,
    me: str,
) -> list[Change]:
    """Insights pinned, edited or read after `since`, from the file's own timestamps; and
    every ask of `me` not yet answered, however old (in place of its pinned or edited).

    Args:
        insights: the insights file's entries.
        since: the moment the feed starts.
        where: item url -> (its ref, the milestone it is grouped under).
        me: who reads the feed.
    """
    out = []
    for i in insights:
        ref, group = where.get(i.on, ("the board" if i.on == BOARD else i.on, None))
        on = "the board" if i.on == BOARD else ref

        def change(
            kind: str,
            at: datetime,
            by: str,
            text: str,
            i: Insight = i,
            ref: str = ref,
            group: str | None = group,
            after: str | None = None,
        ) -> Change:
            shown = "board" if i.on == BOARD else ref
            return Change(
                at,
                kind,
                i.on,
                shown,
                i.title,
                text,
                after=after,
                by=by or None,
                milestone=group,
                insight=i.id,
            )

        if asked := i.waits_on(me):
            text = f"{i.author or 'Someone'} asked you “{i.title}” and is waiting for your answer."
            out.append(change("ask", i.updated or i.created or since, i.author, text))
        if not asked and i.created and i.created > since:
            who = i.author or "Someone"
            out.append(
                change("insight_pinned", i.created, i.author, f"{who} pinned “{i.title}” on {on}.")
            )
        if (
            not asked
            and i.updated
            and i.updated > since
            and i.revision > 1
            and i.updated != i.created
        ):
            by = i.updated_by or i.author
            text = f"{by or 'Someone'} edited “{i.title}” on {on} (revision {i.revision})."
            out.append(change("insight_edited", i.updated, by, text))
        for user, brief in i.acks.items():
            if brief.at > since:
                said = f"{user} {_BRIEFED.get(brief.stance, 'read')} “{i.title}” on {on}"
                note = f": “{brief.note}”" if brief.note else ""
                out.append(change("ack", brief.at, user, f"{said}{note}.", after=brief.stance))
    return out


def ordered(changes: Iterable[Change]) -> tuple[Change, ...]:
    """Grouped by milestone (the group with the latest change first), newest first in each."""
    groups: dict[str | None, list[Change]] = {}
    for c in sorted(changes, key=lambda c: (c.at, c.kind, c.url), reverse=True):
        groups.setdefault(c.milestone, []).append(c)
    return tuple(c for group in groups.values() for c in group)
