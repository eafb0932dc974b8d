"""A `Snapshot` from what the sources delivered: merged, analysed, aligned with the goals and
told its history.

A 10,000-issue board's takes a good part of a second (issue 11): the board builds a big one in
a thread (`assembled`), from `Parts` taken at one moment, so sources landing meanwhile
leave it alone and a UI loop goes on.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

import msgspec
from msgspec.structs import replace

from pullboard import analysis, insights
from pullboard.config import Config
from pullboard.history import Keeper
from pullboard.model import Snapshot, SourceData, SourceStatus, State, unique_by_url
from pullboard.wiring import aligned

THREADED_ISSUES = 500
"""Above this many issues, snapshots (and the TUI's rows) are built in a thread: below it the
hop would only delay the paint (analysis takes a few ms)."""


class Parts(msgspec.Struct, frozen=True):
    """What a snapshot is built from, as a board held it at one moment (its own containers:
    the board's may change while a thread builds)."""

    config: Config
    data: tuple[SourceData, ...]
    """Each source's data, in config order."""
    sources: tuple[SourceStatus, ...]
    bodies: dict[str, str]
    loaded: insights.Loaded
    last_look: datetime | None
    audience: str | None
    warnings: tuple[str, ...]
    generated_at: datetime | None
    """When the data was fetched (None: now)."""

    @property
    def big(self) -> bool:
        """True when analysing it would hold up a UI loop for a noticeable time."""
        return sum(len(d.issues) for d in self.data) > THREADED_ISSUES


async def assembled(parts: Parts, history: Keeper, now: datetime) -> Snapshot:
    """`assemble`, in a thread for a big board."""
    if not parts.big:
        return assemble(parts, history, now)
    return await asyncio.to_thread(assemble, parts, history, now)


def assemble(parts: Parts, history: Keeper, now: datetime) -> Snapshot:
    """Merge what every source delivered with the insights and analyse it."""
    return finish(analyse(parts, history, now), history)


class Analysed(msgspec.Struct, frozen=True):
    """A snapshot merged and analysed, not yet told its history, with what re-counting its
    statuses takes: a refresh records it, then finishes this same one rather than analysing
    everything again (a 10,000-issue board's analysis takes most of a second; issue 11)."""

    parts: Parts
    snapshot: Snapshot
    complete: frozenset[str]
    scope: dict[str, tuple[int, int]]
    """The scope changes its statuses were counted with (`Keeper.scope`)."""
    now: datetime
    recorded: Snapshot
    """`snapshot` aligned with the goals: what the history records (`Keeper.apply` adds
    nothing it keeps) and, unless the scope changed, what `finish` tells its past."""


async def analysed(parts: Parts, history: Keeper, now: datetime) -> Analysed:
    """`analyse`, in a thread for a big board."""
    if not parts.big:
        return analyse(parts, history, now)
    return await asyncio.to_thread(analyse, parts, history, now)


async def finished(base: Analysed, history: Keeper) -> Snapshot:
    """`finish`, in a thread for a big board (re-counting its statuses takes a while)."""
    if not base.parts.big:
        return finish(base, history)
    return await asyncio.to_thread(finish, base, history)


def finish(base: Analysed, history: Keeper) -> Snapshot:
    """The snapshot, aligned with the goals and told its history. Recording a refresh can
    change which issues moved in or out of a milestone: only then are statuses counted
    again, and only the changed milestones'."""
    scope = history.scope(base.snapshot.generated_at)
    snapshot = base.snapshot
    if scope != base.scope:  # a quick look first: usually nothing moved
        none = (0, 0)  # a milestone the history has no past of: nothing moved (`statuses`)
        moved = [
            m for m in snapshot.milestones if scope.get(m.url, none) != base.scope.get(m.url, none)
        ]
        window = base.parts.config.board.window_days
        recount = analysis.statuses(moved, snapshot.issues, base.complete, base.now, window, scope)
        snapshot = replace(snapshot, status={**snapshot.status, **recount})
        return history.apply(_aligned(base.parts, snapshot, base.now))
    return history.apply(base.recorded)


def analyse(parts: Parts, history: Keeper, now: datetime) -> Analysed:
    """Merge what every source delivered with the insights and analyse it, with the scope
    changes the history recalls now."""
    board = parts.config.board
    generated = parts.generated_at or now
    # In config order, one item per URL: two sources on one repository, or a server
    # naming two milestones with one html_url, must not show (or count) anything twice.
    milestones = unique_by_url(m for d in parts.data for m in d.milestones)
    # Open milestones by due date (none last), then the closed ones: what needs eyes first.
    milestones.sort(
        key=lambda m: (m.state is State.CLOSED, m.due is None, m.due or now.date(), m.title)
    )
    issues = unique_by_url(i for d in parts.data for i in d.issues)
    complete = frozenset().union(*(d.complete for d in parts.data))
    scope = history.scope(generated)
    status = analysis.statuses(milestones, issues, complete, now, board.window_days, scope)
    labels = {s.name: s.labels for s in parts.config.sources}
    pressing = analysis.pressing_all(milestones, issues, now, labels, board.stale_days)
    loaded = parts.loaded
    known = {m.url for m in milestones} | {i.url for i in issues} | {"board"}
    known |= {f"goal:{g.id}" for g in loaded.goals}
    snapshot = Snapshot(
        generated_at=generated,
        title=board.title,
        me=board.user,
        sources=parts.sources,
        milestones=tuple(milestones),
        issues=tuple(
            i if i.url not in parts.bodies else replace(i, body=parts.bodies[i.url]) for i in issues
        ),
        insights=loaded.insights,
        status=status,
        pressing=pressing,
        new=analysis.new_since(issues, loaded.insights, parts.last_look),
        last_look=parts.last_look,
        insights_error=loaded.error,
        insights_stale=loaded.stale,
        insights_as_of=loaded.as_of,
        unmatched=tuple(i.id for i in loaded.insights if i.on not in known),
        aliases=board.me or (board.user,),
        warnings=parts.warnings,
    )
    return Analysed(parts, snapshot, complete, scope, now, _aligned(parts, snapshot, now))


def _aligned(parts: Parts, snapshot: Snapshot, now: datetime) -> Snapshot:
    return aligned(snapshot, parts.loaded, parts.audience, now, parts.config.board.window_days)
