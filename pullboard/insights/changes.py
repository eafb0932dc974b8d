"""The shared insights file: read it, and change one insight at a time without losing anyone's.

Every write hands its one change to the store (`store.Store`), which re-reads the file (under
the lock, or from the repository), applies the change to the tables as read and stores the
result; should another writer get there first, the store re-reads and applies the same change
again. The format lives in `format`. Writes block (lock, fsync, network): the TUI runs them
in thread workers. A file that doesn't parse is never written: every write refuses with the
reason. Every function takes a `Store`, or a `Path` for the local file.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import urlsplit

import msgspec
from msgspec.structs import replace

from pullboard.errors import InsightsError
from pullboard.insights.format import Document, decode, encode
from pullboard.insights.schema import (
    normalized,
    parse_all,
    problems_of,
    stamp,
    table_of,
    target_problem,
)
from pullboard.insights.storage import locked, read_bytes, write_atomic
from pullboard.insights.store import Store, as_store
from pullboard.insights.tables import parse_audiences, parse_goals
from pullboard.insights.update import find, update, who
from pullboard.model import BOARD, Audience, Goal, Insight, utc_now
from pullboard.text import one_line

check_target = target_problem
"""`check_target(on) -> str | None`: why a typed URL isn't a milestone or issue page (CLI)."""


class Loaded(msgspec.Struct, frozen=True):
    """What reading the insights file gave."""

    insights: tuple[Insight, ...]
    problems: tuple[str, ...] = ()
    """Per-insight problems (bad date, missing key); those insights are skipped, the rest load."""
    error: str | None = None
    """Why the whole file is unusable (not TOML), with file and line; None when it loaded."""
    fingerprint: object | None = None
    """Exactly the version that was read; compare with `store.version()` to see a change."""
    stale: str | None = None
    """Why these are the last good copy's insights, not the file's as it is now (offline)."""
    as_of: datetime | None = None
    """When a stale copy was last known to be current (its age on the board)."""
    audiences: dict[str, Audience] = msgspec.field(default_factory=dict)
    """`[audiences.NAME]`: who expects which insights, at what depth."""
    goals: tuple[Goal, ...] = ()
    """`[[goal]]`: outcomes spanning milestones of any source."""


class Changes(TypedDict, total=False):
    """What `edit` may change; every other key belongs to pullboard or to the author."""

    on: str
    title: str
    summary: str
    detail: str
    why: str
    expires: date | None
    audience: tuple[str, ...]
    pinned: bool


EDITABLE = tuple(Changes.__annotations__)


class Conflict(InsightsError):
    """Someone changed the insight since the caller read it; nothing was written.

    Attributes:
        current: the insight as it is now in the file, to show before the user tries again.
    """

    def __init__(self, current: Insight) -> None:
        who = current.updated_by or current.author or "someone"
        at = f"{current.updated:%Y-%m-%d %H:%M} UTC" if current.updated else "an unknown time"
        super().__init__(
            f"Insight {current.id} was changed by {who} at {at}, reload and try again "
            f"(it is now at revision {current.revision})."
        )
        self.current = current


def load(where: Store | Path, *, fresh: bool = True) -> Loaded:
    """Read the insights file without locking; a missing file is an empty board, not an error.

    Args:
        where: the store, or the local file's path.
        fresh: False lets a remote store answer from its local copy (no network).
    """
    store = as_store(where)
    try:
        got = store.read(fresh=fresh)
    except InsightsError as err:
        return Loaded((), error=str(err))
    if got.data is None:
        return Loaded((), fingerprint=got.version, stale=got.stale, as_of=got.as_of)
    try:
        doc = decode(got.data, store.where)
    except InsightsError as err:
        return Loaded((), error=str(err), fingerprint=got.version)
    insights, problems = parse_all(doc, store.where)
    audiences, bad_audiences = parse_audiences(doc, store.where)
    goals, bad_goals = parse_goals(doc, store.where)
    return Loaded(
        tuple(insights),
        tuple(problems + bad_audiences + bad_goals),
        fingerprint=got.version,
        stale=got.stale,
        as_of=got.as_of,
        audiences=audiences,
        goals=tuple(goals),
    )


def get(where: Store | Path, insight_id: str) -> Insight:
    """One insight as it is in the file now (to edit from its current revision).

    Raises:
        InsightsError: the file is broken, or holds no valid insight with this id.
    """
    loaded = load(where)
    if loaded.error:
        raise InsightsError(loaded.error)
    if loaded.stale:
        raise InsightsError(loaded.stale)
    for insight in loaded.insights:
        if insight.id == insight_id:
            return insight
    bad = [p for p in loaded.problems if f"insight {insight_id!r} " in p]
    if bad:
        raise InsightsError(f"{'; '.join(bad)}. Fix it by hand before changing it.")
    raise InsightsError(f"There is no insight {insight_id} in {as_store(where).where}.")


def check(insight: Insight) -> list[str]:
    """What stops `pin` from saving this insight (empty when nothing): for validating forms."""
    return problems_of(insight)


def pin(where: Store | Path, insight: Insight, *, now: datetime | None = None) -> Insight:
    """Add a new insight under a fresh id.

    The id is drawn once: should the change be applied again (another writer got there
    first, or a lost answer), an insight already stored under it is this one, not a clash.

    Args:
        where: the store, or the insights file (created when missing; its folder must exist,
            unless it is pullboard's own state folder).
        insight: what to pin; its `id`, `revision`, `updated*` and `acks` are ignored.
        now: when it is pinned (default `insight.created`, else the clock).

    Returns:
        The insight as stored, with its new id.

    Raises:
        InsightsError: invalid insight, unwritable or broken file, lock timeout.
    """
    when = stamp(now or insight.created or utc_now())
    draft = normalized(
        replace(insight, created=when, updated=when, updated_by="", revision=1, acks={})
    )
    if problems := check(draft):
        raise InsightsError(f"Can't pin {draft.title or 'the insight'}: {'; '.join(problems)}.")

    drawn = new_id(())
    label, author = target_label(draft.on), one_line(draft.author) or "someone"

    tries = 0

    def change(doc: Document) -> tuple[Insight, bool]:
        nonlocal drawn, tries
        tries += 1
        taken = {t.get("id") for t in doc.tables}
        stored = replace(draft, id=drawn)
        if drawn in taken:
            if tries > 1 and table_of(stored) in doc.tables:  # stored by an earlier try
                return stored, False
            drawn = new_id(taken)
            stored = replace(draft, id=drawn)
        doc.add(table_of(stored))
        return stored, True

    return update(where, change, lambda stored: f"pin {stored.id} on {label} ({author})")


def edit(
    where: Store | Path,
    insight_id: str,
    changes: Changes,
    *,
    base_revision: int,
    user: str,
    now: datetime,
) -> Insight:
    """Change some fields of one insight, if nobody else changed it since `base_revision`.

    Bumps `revision`, sets `updated_by` and sets `updated` to `now`, unless that is before the
    last change or the latest acknowledgement (clocks differ between machines): then just
    after those, so every earlier acknowledgement becomes stale and readers look again.
    Changing nothing writes nothing.

    Raises:
        Conflict: the stored revision is not `base_revision` (never a silent overwrite).
        InsightsError: no such insight, invalid values, unwritable or broken file.
    """
    if unknown := sorted(set(changes) - set(EDITABLE)):
        raise InsightsError(f"Can't edit {', '.join(unknown)}; editable: {', '.join(EDITABLE)}.")
    editor = who(user)

    store = as_store(where)

    def change(doc: Document) -> tuple[Insight, bool]:
        index, current = find(doc, store, insight_id)
        if current.revision != base_revision:
            raise Conflict(current)
        new = normalized(replace(current, **changes))
        if problems := problems_of(new):
            raise InsightsError(f"Can't save insight {insight_id}: {'; '.join(problems)}.")
        fields = {k: getattr(new, k) for k in changes}
        if all(v == getattr(current, k) for k, v in fields.items()):
            return current, False
        table = doc.changing(index)
        for key, value in fields.items():
            _store(table, key, value)
        # Never before the last change, and after every acknowledgement so far, even one from
        # a machine whose clock runs ahead: an edit always asks everyone to read again.
        after_acks = [a.at + timedelta(seconds=1) for a in current.acks.values()]
        when = max([stamp(now), *after_acks, *filter(None, [current.updated])])
        new = replace(new, updated=when, updated_by=editor, revision=current.revision + 1)
        table.update(updated=new.updated, updated_by=new.updated_by, revision=new.revision)
        return new, True

    fields = ", ".join(changes)
    return update(store, change, lambda new: f"edit {new.id} ({fields}) ({editor})")


def unpin(
    where: Store | Path, insight_id: str, *, base_revision: int | None = None, user: str = ""
) -> Insight:
    """Remove an insight from the file (to keep it but off the overview, edit `pinned`).

    Args:
        base_revision: when given, refuse if someone changed the insight since then.
        user: who removes it (named in a repository's commit message).

    Returns:
        The insight as it was before removal.

    Raises:
        Conflict: `base_revision` given and no longer current.
        InsightsError: no such insight, unwritable or broken file.
    """

    store = as_store(where)

    def change(doc: Document) -> tuple[Insight, bool]:
        index, current = find(doc, store, insight_id)
        if base_revision is not None and current.revision != base_revision:
            raise Conflict(current)
        doc.remove(index)
        return current, True

    by = f" ({one_line(user)})" if one_line(user) else ""
    return update(store, change, lambda gone: f"unpin {gone.id} on {target_label(gone.on)}{by}")


def seed(path: Path, insights: list[Insight], top: dict[str, Any] | None = None) -> None:
    """Write a fresh file (the demo's starting insights, and its `top` tables: audiences,
    goals) when none exists yet."""
    if path.exists():  # the common case, checked again under the lock
        return
    with locked(path) as target:
        if read_bytes(target) is not None:
            return
        doc = Document(top=dict(top or {}))
        for insight in insights:
            doc.add(table_of(normalized(insight)))
        write_atomic(target, encode(doc))


def new_id(taken: Collection[object]) -> str:
    """Eight random hex digits: unique across machines in practice, and checked under the lock."""
    while (candidate := _draw_id()) in taken:
        pass
    return candidate


def _draw_id() -> str:
    return secrets.token_hex(4)


def target_label(on: str) -> str:
    """What an insight is on, short, for commit messages: `acme/web#12`,
    `acme/web milestone 7`, `PAY-77`, `board`; any other URL as it is."""
    if on == BOARD:
        return "the board"
    if on.startswith("goal:"):
        return f"goal {on.removeprefix('goal:')}"
    parts = urlsplit(on)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) == 4 and segments[2] in ("issues", "pull"):
        return f"{segments[0]}/{segments[1]}#{segments[3]}"
    if len(segments) == 4 and segments[2] == "milestone":
        return f"{segments[0]}/{segments[1]} milestone {segments[3]}"
    if len(segments) >= 2 and segments[-2] == "browse":
        return segments[-1]
    return one_line(on)


def _store(table: dict[str, Any], key: str, value: Any) -> None:
    """Set one key as TOML holds it (no nulls in TOML: an empty expiry is a missing key)."""
    if value is None:
        table.pop(key, None)
    else:
        table[key] = list(value) if isinstance(value, tuple) else value
