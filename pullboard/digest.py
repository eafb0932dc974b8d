"""`pullboard digest`: what needs attention and what changed, one line each, for pasting into
chat when push is unavoidable: goals and milestones at risk with their reason, the change feed
since WHEN (as export renders it), insights new or edited since WHEN with their why and
spread, open asks, and concerns. WHEN is the snapshot's `since` (`--since`, else the last look).

Text is made inert as in `export` (Markdown that reads as typed; JSON escapes).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pullboard.analysis import answers, spread, spread_text
from pullboard.export import cell, change_dict, change_groups, link
from pullboard.model import ASK, DETAIL, Change, Insight, Risk, Snapshot
from pullboard.text import clean, json_inert

ATTENTION = (Risk.OFF_TRACK, Risk.STALLED, Risk.AT_RISK)


def to_dict(snapshot: Snapshot) -> dict[str, Any]:
    """The digest's JSON: the same facts as the Markdown, as data (`changes[]` as export's)."""
    since = snapshot.since
    goals = [
        {"id": g.id, "title": g.title, "risk": gs.risk.value, "reason": gs.reason}
        for g in snapshot.goals
        if (gs := snapshot.goal_status[g.id]).risk in ATTENTION
    ]
    milestones = [
        {"url": m.url, "ref": m.ref, "title": m.title, "risk": st.risk.value, "reason": st.reason}
        for m in snapshot.milestones
        if (st := snapshot.status[m.url]).risk in ATTENTION
    ]
    return {
        "generated_at": snapshot.generated_at.isoformat(),
        "board": snapshot.title,
        "me": snapshot.me,
        "audience": snapshot.audience,
        "since": since.isoformat() if since else None,
        "changes": [change_dict(c) for c in _news(snapshot)],
        "goals_at_risk": goals,
        "milestones_at_risk": milestones,
        "insights": [_insight(i, snapshot) for i in _changed(snapshot, since)],
        "asks": [
            {"id": i.id, "title": i.title, "by": i.author, "answers": answers(i)}
            for i in _asks(snapshot)
        ],
        "concerns": [
            {"id": i.id, "title": i.title, "by": user, "stance": a.stance, "note": a.note}
            for i, user, a in _concerns(snapshot)
        ],
    }


def to_json(snapshot: Snapshot) -> str:
    return json_inert(json.dumps(to_dict(snapshot), indent=2, ensure_ascii=False)) + "\n"


def to_markdown(snapshot: Snapshot) -> str:
    """Short sections, one line per thing, nothing a chat client would turn into markup."""
    since = snapshot.since
    when = f"since {since:%b %d %H:%M} UTC" if since else "(first look: everything current)"
    who = f", for {cell(snapshot.audience)}" if snapshot.audience else ""
    out = [f"**{cell(snapshot.title)}: digest {when}{who}**", ""]
    out += [f"> Source failed: {cell(s.error or 'failed')}" for s in snapshot.sources if not s.ok]
    risky = [
        f"- Goal **{cell(g.title)}** {gs.risk.words}: {cell(gs.reason)}"
        for g in snapshot.goals
        if (gs := snapshot.goal_status[g.id]).risk in ATTENTION
    ]
    risky += [
        f"- {link(cell(m.ref), m.url)} {st.risk.words}: {cell(st.reason)}"
        for m in snapshot.milestones
        if (st := snapshot.status[m.url]).risk in ATTENTION
    ]
    detail = snapshot.audience is None or snapshot.audiences[snapshot.audience].depth == DETAIL
    news = _news(snapshot)
    changed = [
        line for name, lines in change_groups(snapshot, news) for line in (f"_{name}_", *lines)
    ]
    sections = [
        ("At risk", risky),
        ("What changed", changed),
        (
            "New and edited insights",
            [_line(i, snapshot, detail) for i in _changed(snapshot, since)],
        ),
        ("Open asks", [_ask(i) for i in _asks(snapshot)]),
        (
            "Concerns",
            [
                f"- {cell(u)} on **{cell(i.title)}**: {cell(a.note or a.stance)}"
                for i, u, a in _concerns(snapshot)
            ],
        ),
    ]
    for heading, lines in sections:
        out += [f"**{heading}**", *(lines or ["- nothing"]), ""]
    return clean("\n".join(out).rstrip()) + "\n"


def _changed(snapshot: Snapshot, since: datetime | None) -> list[Insight]:
    """Live insights pinned or edited since `since` (all of them without one), newest first."""
    today = snapshot.generated_at.date()
    found = [
        i
        for i in snapshot.insights
        if not i.expired(today) and (since is None or (i.updated or i.created or since) > since)
    ]
    return sorted(
        found, key=lambda i: i.updated or i.created or snapshot.generated_at, reverse=True
    )


def _asks(snapshot: Snapshot) -> list[Insight]:
    """Asks someone has not answered yet."""
    return [i for i in snapshot.insights if any(i.waits_on(u) for u in i.to)]


def _concerns(snapshot: Snapshot) -> list[tuple[Insight, str, Any]]:
    """Concerns and declines on insights' current revisions."""
    return [
        (i, user, a)
        for i in snapshot.insights
        for user, a in sorted(i.acks.items())
        if a.stance in ("concern", "decline") and i.acked_by(user)
    ]


def _news(snapshot: Snapshot) -> list[Change]:
    """The change feed for an audience: an ask waiting on the reader ("lee asked you …") is
    the reader's, and "Open asks" lists every ask with who has answered."""
    return [c for c in snapshot.changes if c.kind != "ask"]


def _sentence(text: str) -> str:
    """`text` ending as a sentence does, so the parts of one line don't run together."""
    return text if text.endswith((".", "!", "?", ":", "…")) else f"{text}."


def _line(insight: Insight, snapshot: Snapshot, detail: bool) -> str:
    verb = "edited" if insight.revision > 1 else "pinned"
    by = insight.updated_by if insight.revision > 1 else insight.author
    text = f"- **{cell(insight.title)}** ({verb} by {cell(by or 'someone')})"
    text += f": {_sentence(cell(insight.summary))}" if insight.summary else ""
    text += f" Why: {_sentence(cell(insight.why))}" if insight.why else ""
    text += f" Detail: {_sentence(cell(insight.detail))}" if detail and insight.detail else ""
    if insight.kind != ASK:
        text += f" ({cell(spread_text(spread(insight, snapshot.audiences)))})"
    return text


def _ask(insight: Insight) -> str:
    said = ", ".join(
        f"{cell(u)} {'(no answer yet)' if a == '?' else a}" for u, a in answers(insight).items()
    )
    return f"- **{cell(insight.title)}** from {cell(insight.author)}: {said}"


def _insight(insight: Insight, snapshot: Snapshot) -> dict[str, Any]:
    s = spread(insight, snapshot.audiences)
    return {
        "id": insight.id,
        "kind": insight.kind,
        "title": insight.title,
        "summary": insight.summary,
        "why": insight.why,
        "revision": insight.revision,
        "by": insight.updated_by or insight.author,
        "expected": list(s.expected),
        "missing": list(s.missing),
        "stances": s.stances,
    }


def goal_text(rows: list[dict[str, Any]]) -> str:
    """`goal list`: one block per goal: id, title, due, progress, forecast, chance, risk, why."""
    if not rows:
        return "No goals yet. Add one with `pullboard goal add ID --title ... --milestones ...`.\n"
    out = []
    for row in rows:
        done = f"{row['progress']:.0%}" if row["progress"] is not None else "-"
        chance = f"{int(row['on_time'] * 100)}% by due" if row["on_time"] is not None else ""
        span = f"{row['forecast'] or '-'} – {row['forecast_p85'] or 'later'}"
        risk = (row["risk"] or "not yet seen").replace("_", " ")
        out.append(f"{row['id']}  {row['title']}  (owner {row['owner'] or '-'})")
        out.append(f"    due {row['due'] or '-'} · {done} done · {span} {chance} · {risk}")
        if row["reason"]:
            out.append(f"    {row['reason']}")
        out.append(f"    milestones: {', '.join(row['milestones']) or 'none'}")
    return "\n".join(out) + "\n"
