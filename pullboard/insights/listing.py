"""`pullboard insights`: the insights file as a plain-text table for people, or JSON for scripts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pullboard.codec import to_jsonable
from pullboard.insights import Loaded
from pullboard.model import Insight

_COLUMNS = ("ID", "UPDATED (UTC)", "AUTHOR", "REV", "FLAGS", "TITLE")


def to_text(loaded: Loaded, today: date) -> str:
    """One row per insight, then what it is on and who acknowledged it, indented below."""
    if not loaded.insights:
        return "No insights yet. Pin one with `pullboard pin URL --title ...`.\n"
    rows = [_COLUMNS] + [_row(i, today) for i in loaded.insights]
    widths = [max(len(r[n]) for r in rows) for n in range(len(_COLUMNS) - 1)]
    indent = " " * (widths[0] + 2)
    out = [_line(rows[0], widths)]
    for insight, row in zip(loaded.insights, rows[1:], strict=True):
        out.append(_line(row, widths))
        out.append(f"{indent}on: {insight.on}")
        out.append(f"{indent}acks: {_acks(insight)}")
    return "\n".join(out) + "\n"


def to_json(loaded: Loaded, path: Path | str, today: date) -> str:
    """The file's insights with `expired` and `acked_by` (acks of the current revision) added."""
    data = {
        "file": str(path),
        "error": loaded.error,
        "problems": list(loaded.problems),
        "insights": [_json(i, today) for i in loaded.insights],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _row(insight: Insight, today: date) -> tuple[str, ...]:
    flags = ["pinned" if insight.pinned else "unpinned"]
    if insight.expired(today):
        flags.append("EXPIRED")
    elif insight.expires:
        flags.append(f"until {insight.expires.isoformat()}")
    updated = f"{insight.updated:%Y-%m-%d %H:%M}" if insight.updated else "-"
    return (
        insight.id,
        updated,
        insight.author or "-",
        str(insight.revision),
        " ".join(flags),
        insight.title,
    )


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    padded = [c.ljust(w) for c, w in zip(cells, widths, strict=False)]
    return "  ".join([*padded, cells[-1]])


def _acks(insight: Insight) -> str:
    """Who read the current revision, and who read only an older one (and should look again)."""
    if not insight.acks:
        return "none yet"
    current = sorted(u for u in insight.acks if insight.acked_by(u))
    stale = sorted(u for u in insight.acks if not insight.acked_by(u))
    parts = [_brief(u, insight) for u in current]
    parts += [f"{u} (read an older revision)" for u in stale]
    return ", ".join(parts)


def _brief(user: str, insight: Insight) -> str:
    """`lee 2026-01-05`, `sam concern 2026-01-05: "needs a reviewer"`."""
    ack = insight.acks[user]
    stance = "" if ack.stance == "read" else f" {ack.stance}"
    note = f' "{ack.note}"' if ack.note else ""
    return f"{user}{stance} {ack.at:%Y-%m-%d}{note}"


def _json(insight: Insight, today: date) -> dict[str, Any]:
    row: dict[str, Any] = to_jsonable(insight)
    row["expired"] = insight.expired(today)
    row["acked_by"] = sorted(u for u in insight.acks if insight.acked_by(u))
    return row
