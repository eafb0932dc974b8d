"""The demo's alignment data: audiences, a goal spanning GitHub and Jira milestones, an ask,
and back-briefs with different stances, so `--demo` shows them all."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from msgspec.structs import replace

from pullboard.model import ASK, Ack, Insight

AUDIENCES = {
    "leads": {"members": ["lee", "priya", "dana", "marco"], "depth": "headline"},
    "team": {
        "members": ["dana", "lee", "sam", "priya", "marco", "jun", "alex"],
        "depth": "detail",
    },
}


def demo_tables(now: datetime) -> dict[str, Any]:
    """`[audiences.*]` and `[[goal]]` as the demo's insights file holds them."""
    return {
        "audiences": AUDIENCES,
        "goal": [
            {
                "id": "holiday",
                "title": "Holiday launch",
                "outcome": "Saved carts, accessibility and the 2.1 payments release live for the "
                "holiday campaign",
                "done": "All three released to 100% of users",
                "why": "Marketing's campaign starts on the due date; slipping it costs the "
                "quarter's launch slot.",
                "owner": "lee",
                "milestones": ["acme/shop@v1.4", "PAY@2.1", "acme/web@2.0"],
                "due": now.date() + timedelta(days=38),
            }
        ],
    }


def demo_briefs(insights: list[Insight], now: datetime) -> list[Insight]:
    """The demo's insights with back-briefs on the a11y slip, and one ask of me (dana), from
    before the demo's last look (so New is as the demo data makes it)."""
    out = []
    for pinned in insights:
        if pinned.id != "demo-2":
            out.append(pinned)
            continue
        at = (pinned.updated or now) + timedelta(hours=3)
        out.append(
            replace(
                pinned,
                acks={
                    "sam": Ack(at, stance="agree"),
                    "marco": Ack(at, stance="commit", note="I'd rather cut scope, but OK"),
                    "jun": Ack(
                        at,
                        stance="concern",
                        note="Two people for a week won't do: the audit keeps finding more",
                    ),
                },
            )
        )
    ask = Insight(
        id="demo-ask",
        on="board",
        title="Review the settlement fix",
        summary="PAY 2.1 needs a second payments reviewer this week",
        why="The blocker's fix has sat in review for two days.",
        author="lee",
        created=now - timedelta(days=3),
        updated=now - timedelta(days=3),
        audience=("team",),
        pinned=False,  # it is for the people asked: their Mine view, not everyone's strip
        kind=ASK,
        to=("dana", "sam"),
        acks={"sam": Ack(now - timedelta(hours=2), stance="decline", note="On call all week")},
    )
    return [*out, ask]
