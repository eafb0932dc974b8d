"""The shared insights file: read it, and change one insight at a time without losing anyone's.

Every write checks the file can be written, takes the lock, re-reads the file under it, applies
its one change to the tables as read and replaces the file atomically (`storage`); the
format lives in `format`. Writes block on the lock and on fsync: the TUI runs them in
thread workers. A file that doesn't parse is never written: every write refuses with the reason.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict, TypeVar

from pullboard.errors import InsightsError
from pullboard.insights.format import Document, decode, encode
from pullboard.insights.schema import (
    normalized,
    parse_all,
    parse_table,
    problems_of,
    stamp,
    table_of,
    target_problem,
    where,
)
from pullboard.insights.storage import (
    Fingerprint,
    locked,
    read_bytes,
    writable,
    write_atomic,
)
from pullboard.model import Insight, utc_now
from pullboard.text import one_line

T = TypeVar("T")

check_target = target_problem
"""`check_target(on) -> str | None`: why a typed URL isn't a milestone or issue page (CLI)."""


@dataclass(frozen=True)
class Loaded:
    """What reading the insights file gave."""

    insights: tuple[Insight, ...]
    problems: tuple[str, ...] = ()
    """Per-insight problems (bad date, missing key); those insights are skipped, the rest load."""
    error: str | None = None
    """Why the whole file is unusable (not TOML), with file and line; None when it loaded."""
    fingerprint: Fingerprint | None = None
    """Exactly the version that was read; compare with `fingerprint(path)` to see a change."""


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


def load(path: Path) -> Loaded:
    """Read the insights file without locking; a missing file is an empty board, not an error."""
    try:
        got = read_bytes(path)
    except InsightsError as err:
        return Loaded((), error=str(err))
    if got is None:
        return Loaded(())
    data, seen = got
    try:
        doc = decode(data, path)
    except InsightsError as err:
        return Loaded((), error=str(err), fingerprint=seen)
    insights, problems = parse_all(doc, path)
    return Loaded(tuple(insights), tuple(problems), fingerprint=seen)


def get(path: Path, insight_id: str) -> Insight:
    """One insight as it is in the file now (to edit from its current revision).

    Raises:
        InsightsError: the file is broken, or holds no valid insight with this id.
    """
    loaded = load(path)
    if loaded.error:
        raise InsightsError(loaded.error)
    for insight in loaded.insights:
        if insight.id == insight_id:
            return insight
    bad = [p for p in loaded.problems if f"insight {insight_id!r} " in p]
    if bad:
        raise InsightsError(f"{'; '.join(bad)}. Fix it by hand before changing it.")
    raise InsightsError(f"There is no insight {insight_id} in {path}.")


def check(insight: Insight) -> list[str]:
    """What stops `pin` from saving this insight (empty when nothing): for validating forms."""
    return problems_of(insight)


def pin(path: Path, insight: Insight, *, now: datetime | None = None) -> Insight:
    """Add a new insight under a fresh id.

    Args:
        path: the insights file (created when missing; its folder must exist, unless it is
            pullboard's own state folder).
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

    def change(doc: Document) -> tuple[Insight, bool]:
        stored = replace(draft, id=new_id({t.get("id") for t in doc.tables}))
        doc.add(table_of(stored))
        return stored, True

    return _update(path, change)


def edit(
    path: Path,
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
    editor = _who(user)

    def change(doc: Document) -> tuple[Insight, bool]:
        index, current = _find(doc, path, insight_id)
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
        after_acks = [t + timedelta(seconds=1) for t in current.acks.values()]
        when = max([stamp(now), *after_acks, *filter(None, [current.updated])])
        new = replace(new, updated=when, updated_by=editor, revision=current.revision + 1)
        table.update(updated=new.updated, updated_by=new.updated_by, revision=new.revision)
        return new, True

    return _update(path, change)


def unpin(path: Path, insight_id: str, *, base_revision: int | None = None) -> Insight:
    """Remove an insight from the file (to keep it but off the overview, edit `pinned`).

    Args:
        base_revision: when given, refuse if someone changed the insight since then.

    Returns:
        The insight as it was before removal.

    Raises:
        Conflict: `base_revision` given and no longer current.
        InsightsError: no such insight, unwritable or broken file.
    """

    def change(doc: Document) -> tuple[Insight, bool]:
        index, current = _find(doc, path, insight_id)
        if base_revision is not None and current.revision != base_revision:
            raise Conflict(current)
        doc.remove(index)
        return current, True

    return _update(path, change)


def ack(
    path: Path, insight_id: str, user: str, now: datetime, *, base_revision: int | None = None
) -> Insight:
    """Record that `user` has read the insight ("I have read this"); only ever explicit.

    Leaves `revision` and `updated` alone, so nobody else's acknowledgement goes stale. The
    time stored is never before the insight's `updated`: clocks on different machines disagree,
    and an acknowledgement must count for the revision it was made on.

    Args:
        base_revision: the revision the user read; refuse if it is no longer the current one.

    Raises:
        Conflict: `base_revision` given and no longer current.
        InsightsError: no such insight, unwritable or broken file.
    """
    reader = _who(user)

    def change(doc: Document) -> tuple[Insight, bool]:
        index, current = _find(doc, path, insight_id)
        if base_revision is not None and current.revision != base_revision:
            raise Conflict(current)
        when = max(stamp(now), current.updated or stamp(now))
        table = doc.changing(index)
        table["acks"] = {**table.get("acks", {}), reader: when}
        return replace(current, acks={**current.acks, reader: when}), True

    return _update(path, change)


def seed(path: Path, insights: list[Insight]) -> None:
    """Write a fresh file (the demo's starting insights) when none exists yet."""
    if path.exists():  # the common case, checked again under the lock
        return
    with locked(path) as target:
        if read_bytes(target) is not None:
            return
        doc = Document()
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


def _update(path: Path, change: Callable[[Document], tuple[T, bool]]) -> T:
    """Lock, re-read, apply `change`, write if it changed something."""
    if reason := writable(path):
        raise InsightsError(reason)
    with locked(path) as target:
        got = read_bytes(target)
        try:
            doc = Document() if got is None else decode(got[0], path)
        except InsightsError as err:
            raise InsightsError(f"Nothing was saved: {err}") from None
        if reason := doc.newer(path):
            raise InsightsError(reason)
        result, changed = change(doc)
        if changed:
            write_atomic(target, encode(doc))
    return result


def _find(doc: Document, path: Path, insight_id: str) -> tuple[int, Insight]:
    """The index and value of the insight with this id, which must be valid to be changed."""
    for index, table in enumerate(doc.tables):
        raw = table.get("id")
        if isinstance(raw, str) and one_line(raw) == insight_id:
            insight, problems = parse_table(table, where(path, doc, index))
            if insight is None:
                raise InsightsError(f"{'; '.join(problems)}. Fix it by hand before changing it.")
            return index, insight
    raise InsightsError(f"There is no insight {insight_id} in {path} (it may have been removed).")


def _store(table: dict[str, Any], key: str, value: Any) -> None:
    """Set one key as TOML holds it (no nulls in TOML: an empty expiry is a missing key)."""
    if value is None:
        table.pop(key, None)
    else:
        table[key] = list(value) if isinstance(value, tuple) else value


def _who(user: str) -> str:
    name = one_line(user)
    if not name:
        raise InsightsError("No user name: set `me` in the [board] table of the config.")
    return name
