"""Goals in the shared file: add, edit and remove one `[[goal]]` at a time, through the same
read-apply-write as every insight change (under the lock, or sha-checked in a repository)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypedDict

from msgspec.structs import replace

from pullboard.errors import InsightsError
from pullboard.insights.format import Document
from pullboard.insights.schema import stamp
from pullboard.insights.store import Store
from pullboard.insights.tables import goal_table, goal_where, parse_goal
from pullboard.insights.update import update, who
from pullboard.model import Goal
from pullboard.text import clean, one_line

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
"""A goal id people type (`holiday-launch`): lower case, digits, - and _, up to 40."""


class GoalChanges(TypedDict, total=False):
    """What `edit_goal` may change."""

    title: str
    outcome: str
    done: str
    why: str
    owner: str
    milestones: tuple[str, ...]
    due: date | None


def add_goal(where: Store | Path, goal: Goal, *, user: str, now: datetime) -> Goal:
    """Add a goal under its own id (refused if taken).

    Raises:
        InsightsError: a bad id or title, a taken id, an unwritable or broken file.
    """
    draft = _normal(replace(goal, updated=stamp(now), updated_by=who(user)))

    def change(doc: Document) -> tuple[Goal, bool]:
        tables = _tables(doc)
        if any(isinstance(t, dict) and t.get("id") == draft.id for t in tables):
            raise InsightsError(f"There is already a goal {draft.id}; pick another id.")
        tables.append(goal_table(draft))
        return draft, True

    return update(where, change, lambda g: f"goal add {g.id} ({draft.updated_by})")


def edit_goal(
    where: Store | Path, goal_id: str, changes: GoalChanges, *, user: str, now: datetime
) -> Goal:
    """Change some fields of one goal (the last writer's value wins, field by field).

    Raises:
        InsightsError: no such goal, a bad value, an unwritable or broken file.
    """
    editor = who(user)

    def change(doc: Document) -> tuple[Goal, bool]:
        tables = _tables(doc)
        index, current = _find(tables, goal_id)
        new = _normal(replace(current, **changes, updated=stamp(now), updated_by=editor))
        if all(getattr(new, k) == getattr(current, k) for k in changes):
            return current, False
        merged = {**tables[index], **goal_table(new)}
        for key in ("outcome", "done", "why", "owner", "due"):
            if not getattr(new, key):
                merged.pop(key, None)  # emptied: TOML has no null
        tables[index] = merged
        return new, True

    return update(where, change, lambda g: f"goal edit {g.id} ({editor})")


def remove_goal(where: Store | Path, goal_id: str, *, user: str) -> Goal:
    """Remove a goal (its milestones and their insights stay).

    Raises:
        InsightsError: no such goal, an unwritable or broken file.
    """
    by = who(user)

    def change(doc: Document) -> tuple[Goal, bool]:
        tables = _tables(doc)
        index, current = _find(tables, goal_id)
        del tables[index]
        return current, True

    return update(where, change, lambda g: f"goal rm {g.id} ({by})")


def goal_problems(goal: Goal) -> list[str]:
    """What stops a goal from being saved (empty when nothing)."""
    problems = []
    if not ID_RE.match(goal.id):
        problems.append(f"id: {goal.id!r}: use lower case letters, digits, - and _ (40 at most)")
    if not goal.title:
        problems.append("title: missing; every goal needs a title")
    problems += [f"milestones: {m!r}: one per item, no commas" for m in goal.milestones if "," in m]
    return problems


def _normal(goal: Goal) -> Goal:
    new = replace(
        goal,
        id=one_line(goal.id),
        title=one_line(goal.title),
        outcome=clean(goal.outcome).strip(),
        done=clean(goal.done).strip(),
        why=clean(goal.why).strip(),
        owner=one_line(goal.owner),
        milestones=tuple(dict.fromkeys(m for m in map(one_line, goal.milestones) if m)),
    )
    if problems := goal_problems(new):
        raise InsightsError(f"Can't save goal {new.id or new.title!r}: {'; '.join(problems)}.")
    return new


def _tables(doc: Document) -> list[Any]:
    """The file's `[[goal]]` tables, as a list this change may alter (copied: the parse cache
    may share the one read)."""
    raw = doc.top.get("goal", [])
    if not isinstance(raw, list):
        raise InsightsError("The file's `goal` is not a list of [[goal]] tables; fix it by hand.")
    doc.top["goal"] = [dict(t) if isinstance(t, dict) else t for t in raw]
    return doc.top["goal"]  # type: ignore[no-any-return]


def _find(tables: list[Any], goal_id: str) -> tuple[int, Goal]:
    """The goal with `goal_id` among the file's `[[goal]]` tables (`_tables`), and its index."""
    for index, table in enumerate(tables):
        if isinstance(table, dict) and table.get("id") == goal_id:
            goal, problems = parse_goal(table, goal_where("the insights file", [], index, table))
            if goal is None:
                raise InsightsError(f"{'; '.join(problems)}. Fix it by hand before changing it.")
            return index, goal
    raise InsightsError(f"There is no goal {goal_id} (`pullboard goal list` shows them).")
