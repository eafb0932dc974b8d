"""Insight tables <-> Insight: validation that names file, line, insight and key; what is stored.

Text is cleaned where it enters (`pullboard.text`): the file is as untrusted as tracker data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from msgspec.structs import replace

from pullboard.insights.format import KEYS, Document, ordered
from pullboard.model import ANSWERS, ASK, BOARD, KINDS, STANCES, Ack, Insight
from pullboard.text import clean, has_token, one_line

_ITEM_PATHS = (
    r"/[^/]+/[^/]+/issues/\d+/?$",  # GitHub issue
    r"/[^/]+/[^/]+/milestone/\d+/?$",  # GitHub milestone
    r"/browse/[A-Z][A-Z0-9_]*-\d+/?$",  # Jira issue
    r"/projects/[A-Z][A-Z0-9_]*/versions/\d+(/.*)?$",  # Jira version
)


GOAL_ON = re.compile(r"^goal:[a-z0-9][a-z0-9_-]{0,39}$")
"""An insight pinned on a goal: `on = "goal:ID"`."""


def parse_all(doc: Document, path: Path | str) -> tuple[list[Insight], list[str]]:
    """Every valid insight, and one problem per bad value (those insights are skipped)."""
    insights: list[Insight] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, table in enumerate(doc.tables):
        insight, bad = parse_table(table, where(path, doc, index))
        problems += bad
        if insight is not None and insight.id in seen:
            problems.append(f"{where(path, doc, index)}: id: duplicate; only the first is shown")
        elif insight is not None:
            seen.add(insight.id)
            insights.append(insight)
    if reason := doc.newer(path):
        problems.append(reason)
    return insights, problems


def where(path: Path | str, doc: Document, index: int) -> str:
    """`FILE, line N: insight 'ID' (#K)`: how messages name one insight."""
    line = doc.lines[index] if index < len(doc.lines) else None
    at = f"{path}, line {line}" if line else str(path)
    ident = doc.tables[index].get("id")
    name = f"{ident!r} (#{index + 1})" if isinstance(ident, str) and ident else f"#{index + 1}"
    return f"{at}: insight {name}"


def parse_table(table: dict[str, Any], where: str) -> tuple[Insight | None, list[str]]:
    """One `[[insight]]` table as an Insight, or None and every problem it has.

    Text is cleaned here, where it enters pullboard (the file is as untrusted as tracker data).
    """
    c = Checker(table, where)
    revision, updated = c.count("revision"), c.when("updated")
    insight = Insight(
        id=c.text("id", required=True, one=True),
        on=c.target(),
        title=c.text("title", required=True, one=True),
        summary=c.text("summary", one=True),
        detail=c.text("detail"),
        why=c.text("why"),
        author=c.text("author", one=True),
        created=c.when("created"),
        updated=updated,
        updated_by=c.text("updated_by", one=True),
        expires=c.day("expires"),
        audience=c.tags("audience"),
        pinned=c.flag("pinned", default=True),
        revision=revision,
        acks=c.acks(revision, updated),
        kind=c.choice("kind", KINDS),
        to=c.tags("to"),
        extra={k: v for k, v in table.items() if k not in KEYS},
    )
    return (None, c.problems) if c.problems else (insight, [])


def on_problem(on: str) -> str | None:
    """Why `on` can't be stored: it must be `"board"`, `goal:ID` or an http(s) URL."""
    if on == BOARD or GOAL_ON.match(on):
        return None
    parts = urlsplit(on)
    if parts.scheme in ("http", "https") and parts.netloc and " " not in on:
        return None
    return f'expected the URL of a milestone or issue, "goal:ID" or "board", got {on!r}'


def target_problem(on: str) -> str | None:
    """Stricter than `on_problem`, for what people type: the URL must look like an item's page.

    GitHub issues (`.../owner/repo/issues/N`) and milestones (`.../milestone/N`), Jira issues
    (`.../browse/KEY-N`), versions (`.../projects/KEY/versions/N`) and sprints (`?sprint=N`).
    """
    if problem := on_problem(on):
        return problem
    parts = urlsplit(on)
    if on == BOARD or GOAL_ON.match(on) or re.search(r"(^|&)sprint=\d+(&|$)", parts.query):
        return None
    if any(re.search(p, parts.path, re.IGNORECASE) for p in _ITEM_PATHS):
        return None
    return (
        f"{on!r} doesn't look like a milestone or issue page (GitHub .../issues/N or "
        '.../milestone/N; Jira .../browse/KEY-N or a version or sprint page), or "board"'
    )


def normalized(insight: Insight) -> Insight:
    """What a write stores: one-line fields folded, control characters made inert."""
    return replace(
        insight,
        on=insight.on.strip(),
        title=one_line(insight.title),
        summary=one_line(insight.summary),
        detail=clean(insight.detail).rstrip(),
        why=clean(insight.why).rstrip(),
        author=one_line(insight.author),
        audience=tuple(t for t in (one_line(t) for t in insight.audience) if t),
        to=tuple(dict.fromkeys(t for t in (one_line(t) for t in insight.to) if t)),
    )


def problems_of(insight: Insight) -> list[str]:
    """What is wrong with an insight about to be written (empty when it can be saved)."""
    problems = []
    if problem := on_problem(insight.on):
        problems.append(f"on: {problem}")
    if not one_line(insight.title):
        problems.append("title: missing; every insight needs a title")
    if not one_line(insight.author):
        problems.append("author: missing; say who pinned it")
    problems += [f"audience: {t!r}: tags can't hold commas" for t in insight.audience if "," in t]
    problems += [f"to: {t!r}: names can't hold commas" for t in insight.to if "," in t]
    problems += [
        f"{name}: looks like a token (insights are shared; pullboard doesn't store tokens)"
        for name in ("title", "summary", "detail", "why")
        if has_token(getattr(insight, name))
    ]
    if insight.kind not in KINDS:
        problems.append(f"kind: expected one of {', '.join(KINDS)}, got {insight.kind!r}")
    if insight.kind == ASK and not insight.to:
        problems.append("to: an ask needs someone to ask (--ask NAME,NAME)")
    return problems


def stance_problem(insight: Insight, stance: str) -> str | None:
    """Why `stance` can't be recorded on this insight: unknown, or an answer to a non-ask."""
    if stance not in STANCES:
        return f"stance: expected one of {', '.join(STANCES)}, got {stance!r}"
    if stance in ANSWERS and insight.kind != ASK:
        return f"stance: {stance} answers an ask, and {insight.title!r} is not one"
    return None


def ack_table(ack: Ack) -> dict[str, Any]:
    """One back-brief as its `[insight.acks.NAME]` table (no empty note)."""
    row: dict[str, Any] = {"at": ack.at, "revision": ack.revision, "stance": ack.stance}
    return row | ({"note": ack.note} if ack.note else {})


def table_of(insight: Insight) -> dict[str, Any]:
    """A full table for a new insight (edits change single keys of the stored table instead)."""
    row: dict[str, Any] = {"id": insight.id, "on": insight.on}
    row |= {"kind": insight.kind} if insight.kind != "note" else {}
    row["title"] = insight.title
    row |= {"summary": insight.summary, "detail": insight.detail, "why": insight.why}
    row["author"] = insight.author
    for key in ("created", "updated", "expires"):
        if getattr(insight, key) is not None:
            row[key] = getattr(insight, key)
    if insight.updated_by:
        row["updated_by"] = insight.updated_by
    row["audience"] = list(insight.audience)
    row |= {"to": list(insight.to)} if insight.to else {}
    row |= {"pinned": insight.pinned, "revision": insight.revision}
    if insight.acks:
        row["acks"] = {user: ack_table(ack) for user, ack in insight.acks.items()}
    return ordered(row | {k: v for k, v in insight.extra.items() if k not in KEYS})


def stamp(now: datetime) -> datetime:
    """A time as the file stores it: UTC, whole seconds (naive times are taken as local)."""
    return now.astimezone(UTC).replace(microsecond=0)


class Checker:
    """Reads typed values from one table, collecting a problem per bad key instead of stopping."""

    def __init__(self, table: dict[str, Any], where: str) -> None:
        self.table = table
        self.where = where
        self.problems: list[str] = []

    def bad(self, key: str, message: str) -> None:
        self.problems.append(clean(f"{self.where}: {key}: {message}"))  # keys are file text

    def text(self, key: str, *, required: bool = False, one: bool = False) -> str:
        raw = self.table.get(key, "")
        if not isinstance(raw, str):
            self.bad(key, f"expected a string, got {_kind(raw)}")
            return ""
        value = one_line(raw) if one else clean(raw)
        if required and not value:
            self.bad(key, "missing" if key not in self.table else "is empty")
        return value

    def target(self) -> str:
        on = self.text("on", required=True, one=True)
        if on and (problem := on_problem(on)):
            self.bad("on", problem)
        return on

    def when(self, key: str, value: Any = None) -> datetime | None:
        value = self.table.get(key) if value is None else value
        if isinstance(value, str):
            value = _iso(value, datetime.fromisoformat)
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime.combine(value, time(), UTC)
        if isinstance(value, datetime):
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        if key in self.table:
            self.bad(key, f"expected a date and time such as 2025-03-01T09:30:00Z, got {value!r}")
        return None

    def day(self, key: str) -> date | None:
        value = self.table.get(key)
        if isinstance(value, str):
            value = _iso(value, date.fromisoformat)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if key in self.table:
            self.bad(key, f"expected a date such as 2025-03-01, got {value!r}")
        return None

    def tags(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        value = [value] if isinstance(value, str) else value
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(t for t in (one_line(v) for v in value) if t)
        self.bad(key, f'expected a list of tags such as ["team", "leads"], got {value!r}')
        return ()

    def flag(self, key: str, *, default: bool) -> bool:
        value = self.table.get(key, default)
        if isinstance(value, bool):
            return value
        self.bad(key, f"expected true or false, got {value!r}")
        return default

    def count(self, key: str) -> int:
        value = self.table.get(key, 1)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        self.bad(key, f"expected a whole number from 1, got {value!r}")
        return 1

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.table.get(key, allowed[0])
        if value in allowed:
            return str(value)
        self.bad(key, f"expected one of {', '.join(allowed)}, got {value!r}")
        return allowed[0]

    def acks(self, revision: int, updated: datetime | None) -> dict[str, Ack]:
        """Back-briefs: `[insight.acks.NAME]` tables, or (version 1) `NAME = time`, which
        reads as stance `read` on the revision current then (stale if before `updated`)."""
        value = self.table.get("acks", {})
        if not isinstance(value, dict):
            self.bad("acks", f"expected a table of user = back-brief, got {_kind(value)}")
            return {}
        acks = {}
        for user, raw in value.items():
            key = f"acks.{user}"
            if isinstance(raw, dict):
                ack = Checker(raw, self.where).brief(key, revision, updated, self)
            elif isinstance(raw, str | date) and (at := self.when(key, raw)):
                ack = Ack(at, _revision_at(at, revision, updated))
            else:
                self.bad(key, f"expected a back-brief table or a date and time, got {raw!r}")
                continue
            if ack is not None:
                acks[one_line(user)] = ack
        return acks

    def brief(
        self, key: str, revision: int, updated: datetime | None, outer: Checker
    ) -> Ack | None:
        """One `[insight.acks.NAME]` table; problems go to `outer`, named `acks.NAME.KEY`."""
        at = self.when("at")
        if at is None and "at" not in self.table:
            self.bad("at", "missing")
        rev = self.table.get("revision")
        if rev is not None and (isinstance(rev, bool) or not isinstance(rev, int) or rev < 0):
            self.bad("revision", f"expected a whole number, got {rev!r}")
        stance, note = self.choice("stance", STANCES), self.text("note", one=True)
        outer.problems += [
            p.replace(f"{self.where}: ", f"{self.where}: {key}.", 1) for p in self.problems
        ]
        if self.problems or at is None:
            return None
        known = rev if isinstance(rev, int) else _revision_at(at, revision, updated)
        return Ack(at, known, stance, note)


def _revision_at(at: datetime, revision: int, updated: datetime | None) -> int:
    """The revision an ack without one was made on: the current one unless it predates the
    last edit (as version 1 judged staleness, by time)."""
    return revision if updated is None or at >= updated else revision - 1


def _iso(value: str, parse: Callable[[str], object]) -> object:
    """An ISO date written as a string (hand edits quote them); the string itself if not one."""
    try:
        return parse(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return value


def _kind(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"
