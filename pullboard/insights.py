"""The shared insights file (TOML): parse and validate; writing comes with locked atomic saves."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import tomli_w

from pullboard.model import Insight
from pullboard.text import clean, one_line

VERSION = 1


@dataclass(frozen=True)
class Loaded:
    """What reading the insights file gave."""

    insights: tuple[Insight, ...]
    problems: tuple[str, ...] = ()
    """Per-insight problems (bad date, missing key); those insights are skipped, the rest load."""
    error: str | None = None
    """Why the whole file is unusable (not TOML), with file and line; None when it loaded."""


def load(path: Path) -> Loaded:
    """Read the insights file; a missing file is an empty board, never an error."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Loaded(())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        return Loaded((), error=f"{path}: {err}")
    insights, problems = [], []
    for index, raw in enumerate(data.get("insight", [])):
        try:
            insights.append(_parse(raw))
        except (KeyError, TypeError, ValueError) as err:
            problems.append(f"{path}: insight[{index}]: {err}")
    return Loaded(tuple(insights), tuple(problems))


def _parse(raw: dict[str, Any]) -> Insight:
    def when(value: Any) -> datetime | None:
        return value if isinstance(value, datetime) else None

    expires = raw.get("expires")
    return Insight(
        id=str(raw["id"]),
        on=str(raw["on"]),
        title=one_line(raw["title"]),
        summary=one_line(raw.get("summary", "")),
        detail=clean(raw.get("detail", "")),
        why=clean(raw.get("why", "")),
        author=one_line(raw.get("author", "")),
        created=when(raw.get("created")),
        updated=when(raw.get("updated")),
        expires=expires if isinstance(expires, date) else None,
        audience=tuple(raw.get("audience", ())),
        pinned=bool(raw.get("pinned", True)),
        revision=int(raw.get("revision", 1)),
        acks={str(k): v for k, v in raw.get("acks", {}).items()},
    )


def seed(path: Path, insights: list[Insight]) -> None:
    """Write a fresh file (the demo's starting insights) when none exists yet."""
    if path.exists():
        return
    rows = []
    for i in insights:
        row: dict[str, Any] = {
            "id": i.id, "on": i.on, "title": i.title, "summary": i.summary, "detail": i.detail,
            "why": i.why, "author": i.author, "audience": list(i.audience), "pinned": i.pinned,
            "revision": i.revision, "acks": i.acks,
        }  # fmt: skip
        for key in ("created", "updated", "expires"):
            if getattr(i, key) is not None:
                row[key] = getattr(i, key)
        rows.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps({"version": VERSION, "insight": rows}), encoding="utf-8")
