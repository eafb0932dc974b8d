"""Snapshot to JSON (for scripts) and Markdown (for pasting into chat).

Both go to stdout, often a terminal: text was cleaned where it entered, and is made inert once
more here (JSON spells invisible characters as escapes; Markdown shows them, and its links
carry only percent-encoded http(s) URLs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

import msgspec

from pullboard.analysis import Spread, spread
from pullboard.codec import to_jsonable
from pullboard.model import BOARD, Change, Goal, GoalStatus, MilestoneStatus, Snapshot
from pullboard.text import clean, json_inert, web_url


def to_dict(snapshot: Snapshot) -> dict[str, Any]:
    """The documented JSON shape (see README, "Export"): stable keys, ISO 8601 dates."""
    on: dict[str, list[str]] = {}
    for insight in snapshot.insights:
        on.setdefault(insight.on, []).append(insight.id)
    today = snapshot.generated_at.date()
    milestones = []
    for m in snapshot.milestones:
        st = snapshot.status[m.url]
        milestones.append(
            {
                "url": m.url,
                "ref": m.ref,
                "source": m.source,
                "title": m.title,
                "state": m.state.value,
                "due": _iso(m.due),
                "open": st.open,
                "closed": st.closed,
                "progress": st.progress,
                "close_rate": round(st.close_rate, 3),
                "forecast": _iso(st.forecast),
                "forecast_p85": _iso(st.forecast_p85),
                "on_time": st.on_time,
                "risk": st.risk.value,
                "gap_days": st.gap_days,
                "reason": st.reason,
                "blockers": list(st.blockers),
                "scope_added": st.scope_added,
                "scope_removed": st.scope_removed,
                "due_moves": st.due_moves,
                "first_due": _iso(st.first_due),
                "history": [
                    {"at": p.at.isoformat(), "open": p.open, "closed": p.closed, "due": _iso(p.due)}
                    for p in st.history
                ],
                "insights": on.get(m.url, []),
            }
        )
    issues = []
    for i in snapshot.issues:
        press = snapshot.pressing.get(i.url)
        issues.append(
            {
                "url": i.url,
                "ref": i.ref,
                "source": i.source,
                "milestone": i.milestone,
                "title": i.title,
                "state": i.state.value,
                "status": i.status,
                "assignees": list(i.assignees),
                "labels": list(i.labels),
                "priority": i.priority,
                "created": i.created.isoformat(),
                "updated": _iso(i.updated),
                "closed_at": _iso(i.closed_at),
                "due": _iso(i.due),
                "pressing": press.score if press else 0,
                "pressing_reasons": list(press.reasons) if press else [],
                "new": i.url in snapshot.new,
                "insights": on.get(i.url, []),
            }
        )
    insights = [
        {**to_jsonable(i), "expired": i.expired(today), "matched": i.id not in snapshot.unmatched}
        | _spread(spread(i, snapshot.audiences))
        for i in snapshot.insights
    ]
    for row in insights:
        row.pop("extra", None)
    return {
        "generated_at": snapshot.generated_at.isoformat(),
        "board": snapshot.title,
        "me": snapshot.me,
        "last_look": _iso(snapshot.last_look),
        "sources": [
            {
                "name": s.name,
                "kind": s.kind,
                "ok": s.ok,
                "error": s.error,
                "fetched_at": _iso(s.fetched_at),
                "from_cache": s.from_cache,
            }
            for s in snapshot.sources
        ],
        "milestones": milestones,
        "issues": issues,
        "insights": insights,
        "insights_error": snapshot.insights_error,
        "audience": snapshot.audience,
        "goals": [goal_dict(g, snapshot.goal_status.get(g.id)) for g in snapshot.goals],
        "since": _iso(snapshot.since),
        "changes": [change_dict(c) for c in snapshot.changes],
    }


def change_dict(change: Change) -> dict[str, Any]:
    """One entry of `changes[]` (export and digest): the documented keys, plus the milestone
    it is grouped under."""
    return {
        "at": change.at.isoformat(),
        "kind": change.kind,
        "url": change.url,
        "ref": change.ref,
        "title": change.title,
        "from": change.before,
        "to": change.after,
        "by": change.by,
        "text": change.text,
        "milestone": change.milestone,
    }


def goal_dict(goal: Goal, status: GoalStatus | None) -> dict[str, Any]:
    """One goal for JSON: as defined, and rolled up (nulls before the board has data)."""
    row: dict[str, Any] = {
        "id": goal.id,
        "title": goal.title,
        "outcome": goal.outcome,
        "done": goal.done,
        "why": goal.why,
        "owner": goal.owner,
        "milestones": list(status.milestones) if status else list(goal.milestones),
        "unknown": list(status.unknown) if status else [],
        "due": _iso(goal.due),
    }
    return row | {
        "progress": status.progress if status else None,
        "forecast": _iso(status.forecast) if status else None,
        "forecast_p85": _iso(status.forecast_p85) if status else None,
        "on_time": status.on_time if status else None,
        "risk": status.risk.value if status else None,
        "reason": status.reason if status else None,
    }


def _spread(s: Spread) -> dict[str, Any]:
    return {"expected": list(s.expected), "missing": list(s.missing), "stances": s.stances}


def _forecast(status: MilestoneStatus) -> str:
    """`2026-12-28 – 2027-01-09, 40% by due`: the range and the chance, or `-`."""
    if status.forecast is None:
        return "-"
    first, last = status.forecast, status.forecast_p85
    span = f"{first}" if last == first else f"{first} – {last or 'later'}"
    return span if status.on_time is None else f"{span}, {int(status.on_time * 100)}% by due"


def _iso(value: date | None) -> str | None:
    """A date or date-time as ISO 8601 (datetimes with their `+00:00`), or None."""
    return value.isoformat() if value is not None else None


def to_json(snapshot: Snapshot) -> str:
    """Pretty JSON (2-space indent), one trailing newline.

    msgspec encodes and indents it about ten times faster than the standard library, whose
    indenting encoder is pure Python; the text is the same but for numbers below 1e-4 or
    from 1e16, which it writes without the exponent's `+` and leading zero (`5e-5` for
    `5e-05`): the same JSON values.
    """
    encoded = msgspec.json.format(msgspec.json.encode(to_dict(snapshot)), indent=2)
    return json_inert(encoded.decode("utf-8")) + "\n"


_MARKDOWN = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>!|#"} | {"\n": " "})


def cell(text: str) -> str:
    """Tracker text as literal Markdown: no link, image, HTML tag, emphasis or table cell
    break can come out of a title (pasted into chat, it must read as typed)."""
    return text.translate(_MARKDOWN)


def link(text: str, url: str) -> str:
    """A Markdown link to a web URL, or just the text: parentheses would end the link early."""
    safe = web_url(url).replace("(", "%28").replace(")", "%29")
    return f"[{text}]({safe})" if safe else text


def _title_after(ref: str, title: str) -> str:
    """The title after the ref, unless the ref already is the title (Jira sprints)."""
    return "" if ref == title else f" {cell(title)}"


def to_markdown(snapshot: Snapshot, *, pressing_limit: int = 10) -> str:
    """A readable digest: sources in trouble, milestones with risk, pinned insights, top issues."""
    today = snapshot.generated_at.date()
    when = f"_As of {snapshot.generated_at:%Y-%m-%d %H:%M} UTC._"
    out = [f"# {cell(snapshot.title)}", "", when, ""]
    for s in snapshot.sources:
        if not s.ok:
            out.append(f"> **Source failed:** {cell(s.error or 'failed')}")
    out += ["", "## Milestones", "", "| Milestone | Due | Progress | Forecast | Risk |"]
    out.append("|---|---|---|---|---|")
    for m in snapshot.milestones:
        st = snapshot.status[m.url]
        done = (
            f"{st.progress:.0%} ({st.closed}/{st.open + st.closed})"
            if st.progress is not None
            else "-"
        )
        name = link(cell(m.ref), m.url) + _title_after(m.ref, m.title)
        risk = st.risk.words
        out.append(f"| {name} | {m.due or '-'} | {done} | {_forecast(st)} | {risk} |")
    live = [i for i in snapshot.insights if i.pinned and not i.expired(today)]
    if live:
        out += ["", "## Insights", ""]
        for i in live:
            target = "" if i.on == BOARD else f" ({link('item', i.on)})"
            out.append(f"- **{cell(i.title)}**: {cell(i.summary or i.why)}{target}")
    out += _changes(snapshot)
    ranked = sorted(snapshot.pressing.items(), key=lambda kv: -kv[1].score)[:pressing_limit]
    if ranked:
        out += ["", "## Most pressing", ""]
        for url, press in ranked:
            issue = snapshot.find(url)
            if issue is not None:
                out.append(
                    f"- {link(cell(issue.ref), url)} {cell(issue.title)}: "
                    f"{cell(', '.join(press.reasons))}"
                )
    return clean("\n".join(out)) + "\n"


def _changes(snapshot: Snapshot) -> list[str]:
    """The "Changes" section: one line per change, under its milestone, newest first."""
    if snapshot.since is None:
        return []
    out = ["", "## Changes", "", f"_Since {snapshot.since:%Y-%m-%d %H:%M} UTC._"]
    for group, lines in change_groups(snapshot):
        out += ["", f"**{group}**", "", *lines]
    return out if snapshot.changes else [*out, "", "Nothing changed."]


def change_groups(
    snapshot: Snapshot, changes: Iterable[Change] | None = None
) -> list[tuple[str, list[str]]]:
    """The change feed as Markdown (export's "Changes", the digest's "What changed"): per
    group, newest group first, its name and a `- sentence (Nov 30 16:29)` line per change.

    A group is a milestone by its title, with its ref when another milestone has the same
    title (`Q4 hardening (acme/web@Q4)`), a goal, or the board.
    """
    titles = Counter(m.title for m in snapshot.milestones)
    names = {
        m.url: m.title if titles[m.title] == 1 else f"{m.title} ({m.ref})"
        for m in snapshot.milestones
    }
    names |= {g.url: f"Goal {g.title}" for g in snapshot.goals}
    out: list[tuple[str, list[str]]] = []
    group: str | None = ""
    for c in snapshot.changes if changes is None else changes:
        if c.milestone != group or not out:
            group = c.milestone
            out.append((cell(names.get(group, group) if group else "The board"), []))
        out[-1][1].append(f"- {cell(c.text)} ({c.at:%b %d %H:%M})")
    return out
