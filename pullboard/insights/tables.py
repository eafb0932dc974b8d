"""The insights file's other tables: `[audiences.NAME]` and `[[goal]]`, read and written.

Read like insights: text cleaned where it enters, a bad entry reported with file, line and key
and skipped (it stays in the file as it was); unknown keys kept on rewrite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pullboard.insights.format import Document
from pullboard.insights.schema import Checker
from pullboard.model import DEPTHS, Audience, Goal
from pullboard.text import clean, one_line

GOAL_KEYS = (
    "id", "title", "outcome", "done", "why", "owner", "milestones", "due", "updated",
    "updated_by",
)  # fmt: skip
"""Known `[[goal]]` keys, in the order they are written."""


def parse_audiences(doc: Document, path: Path | str) -> tuple[dict[str, Audience], list[str]]:
    """Every valid `[audiences.NAME]`, and a problem per bad one."""
    raw = doc.top.get("audiences", {})
    if not isinstance(raw, dict):
        return {}, [f"{path}: audiences: expected [audiences.NAME] tables"]
    found: dict[str, Audience] = {}
    problems: list[str] = []
    for name, table in raw.items():
        line = doc.heads.get(f"audiences.{name}", [None])[0]
        at = f"{path}, line {line}" if line else str(path)
        if not isinstance(table, dict):
            problems.append(clean(f"{at}: audiences.{name}: expected a table"))
            continue
        c = Checker(table, f"{at}: audience {name!r}")
        members, depth = c.tags("members"), c.choice("depth", DEPTHS)
        problems += c.problems
        if not c.problems:
            found[one_line(name)] = Audience(one_line(name), members, depth)
    return found, problems


def parse_goals(doc: Document, path: Path | str) -> tuple[list[Goal], list[str]]:
    """Every valid `[[goal]]`, and one problem per bad value (that goal is skipped)."""
    raw = doc.top.get("goal", [])
    if not isinstance(raw, list):
        return [], [f"{path}: goal: expected one [[goal]] table per goal"]
    lines = doc.heads.get("goal", [])
    goals: list[Goal] = []
    problems: list[str] = []
    for index, table in enumerate(raw):
        goal, bad = parse_goal(table, goal_where(path, lines, index, table))
        problems += bad
        if goal is not None and any(g.id == goal.id for g in goals):
            problems.append(f"{goal_where(path, lines, index, table)}: id: duplicate")
        elif goal is not None:
            goals.append(goal)
    return goals, problems


def goal_where(path: Path | str, lines: list[int], index: int, table: object) -> str:
    """`FILE, line N: goal 'ID'`: how messages name one goal."""
    at = f"{path}, line {lines[index]}" if index < len(lines) else str(path)
    ident = table.get("id") if isinstance(table, dict) else None
    return f"{at}: goal {ident!r}" if isinstance(ident, str) else f"{at}: goal #{index + 1}"


def parse_goal(table: object, where: str) -> tuple[Goal | None, list[str]]:
    """One `[[goal]]` table as a Goal, or None and its problems."""
    if not isinstance(table, dict):
        return None, [f"{where}: expected a [[goal]] table"]
    c = Checker(table, where)
    goal = Goal(
        id=c.text("id", required=True, one=True),
        title=c.text("title", required=True, one=True),
        outcome=c.text("outcome"),
        done=c.text("done"),
        why=c.text("why"),
        owner=c.text("owner", one=True),
        milestones=c.tags("milestones"),
        due=c.day("due"),
        updated=c.when("updated"),
        updated_by=c.text("updated_by", one=True),
        extra={k: v for k, v in table.items() if k not in GOAL_KEYS},
    )
    return (None, c.problems) if c.problems else (goal, [])


def goal_table(goal: Goal) -> dict[str, Any]:
    """A goal as its table: known keys in order (no empty ones), then the ones kept."""
    row: dict[str, Any] = {"id": goal.id, "title": goal.title}
    for key in ("outcome", "done", "why", "owner"):
        if getattr(goal, key):
            row[key] = getattr(goal, key)
    row["milestones"] = list(goal.milestones)
    for key in ("due", "updated", "updated_by"):
        if getattr(goal, key):
            row[key] = getattr(goal, key)
    return row | {k: v for k, v in goal.extra.items() if k not in GOAL_KEYS}
