"""Who an insight is for, who should back-brief it, the spread; goals rolled up; WHEN."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pullboard.analysis import goal_status, spread, spread_text, visible
from pullboard.model import (
    ASK,
    Ack,
    Audience,
    Goal,
    Insight,
    Issue,
    Milestone,
    MilestoneStatus,
    Risk,
    State,
)

NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)
AUDIENCES = {
    "leads": Audience("leads", ("lee", "priya"), "headline"),
    "team": Audience("team", ("lee", "sam", "jun", "kim"), "detail"),
}


def note(**kw: object) -> Insight:
    fields: dict[str, object] = {"id": "x", "on": "board", "title": "T", "author": "lee"}
    return Insight(**(fields | kw))  # type: ignore[arg-type]


def test_spread_counts_the_expected_who_back_briefed_this_revision() -> None:
    insight = note(
        audience=("team",),
        revision=2,
        acks={
            "sam": Ack(NOW, 2, "agree"),
            "jun": Ack(NOW, 2, "concern", "QA is short"),
            "kim": Ack(NOW, 1, "agree"),  # an older revision: missing again
            "zoe": Ack(NOW, 2, "read"),  # not in the audience: counted, not expected
        },
    )

    s = spread(insight, AUDIENCES)

    assert s.expected == ("jun", "kim", "sam"), "the author is not expected"
    assert s.missing == ("kim",)
    assert s.stances == {"read": 1, "agree": 1, "concern": 1}
    assert spread_text(s) == "2 of 3 · 1 agree · 1 concern · missing: kim"


@pytest.mark.parametrize(
    ("insight", "audiences", "expected"),
    [
        (note(), {}, "0 back-briefs"),
        (note(acks={"sam": Ack(NOW)}), {}, "1 back-brief"),
        (note(audience=("team",)), {}, "0 back-briefs"),
        (note(), AUDIENCES, "0 of 4 · missing: jun, kim, priya +1"),
        (note(audience=("leads", "team")), AUDIENCES, "0 of 4 · missing: jun, kim, priya +1"),
        (note(kind=ASK, to=("sam", "ann")), AUDIENCES, "0 of 2 · missing: ann, sam"),
    ],
)
def test_spread_text(insight: Insight, audiences: dict[str, Audience], expected: str) -> None:
    assert spread_text(spread(insight, audiences)) == expected


@pytest.mark.parametrize(
    ("insight", "me", "audience", "shown"),
    [
        (note(), "sam", None, True),
        (note(audience=("all",)), "sam", "leads", True),
        (note(audience=("leads",)), "sam", None, False),
        (note(audience=("leads",)), "priya", None, True),
        (note(audience=("leads",), author="sam"), "sam", None, True),
        (note(audience=("leads",), kind=ASK, to=("sam",)), "sam", None, True),
        (note(audience=("release-crew",)), "sam", None, True),
        (note(audience=("team",)), "priya", "leads", False),
        (note(audience=("leads",)), "sam", "leads", True),
    ],
)
def test_visible(insight: Insight, me: str, audience: str | None, shown: bool) -> None:
    assert visible(insight, me, AUDIENCES, audience) is shown


def milestone(n: int, due: date | None, state: State = State.OPEN) -> Milestone:
    return Milestone(
        f"https://github.com/acme/web/milestone/{n}", f"acme/web@{n}", "web", f"M{n}",
        state, due, 0, 0,
    )  # fmt: skip


def issues_of(m: Milestone, closed: int, open_: int) -> list[Issue]:
    made = []
    for n in range(closed + open_):
        done = NOW - timedelta(days=n % 20) if n < closed else None
        made.append(
            Issue(
                f"{m.url}/i{n}", f"{m.ref}#{n}", "web", m.url, "I",
                State.CLOSED if done else State.OPEN, "Done" if done else "Open",
                NOW - timedelta(days=30), NOW, closed_at=done,
            )
        )  # fmt: skip
    return made


def status(open_: int, closed: int, risk: Risk, p50: date | None) -> MilestoneStatus:
    return MilestoneStatus(
        open_, closed, closed / (open_ + closed), 1.0, p50, risk, None, "why.", forecast_p85=p50
    )


def test_a_goal_rolls_up_its_milestones_and_names_the_weakest() -> None:
    quick, slow = milestone(1, date(2026, 2, 1)), milestone(2, date(2026, 2, 1))
    issues = issues_of(quick, 20, 2) + issues_of(slow, 5, 20)
    st = {
        quick.url: status(2, 20, Risk.ON_TRACK, date(2026, 1, 7)),
        slow.url: status(20, 5, Risk.OFF_TRACK, date(2026, 4, 1)),
    }
    goal = Goal("g", "G", milestones=(quick.ref, slow.url, "PAY@9"), due=date(2026, 2, 1))

    gs = goal_status(goal, [quick, slow], st, issues, NOW, 21)

    assert gs.milestones == (quick.url, slow.url) and gs.unknown == ("PAY@9",)
    assert (gs.open, gs.closed, gs.forecast) == (22, 25, date(2026, 4, 1))
    assert gs.on_time is not None and gs.on_time < 0.4 and gs.risk is Risk.OFF_TRACK
    assert "acme/web@2 is the weakest" in gs.reason and "not on the board: PAY@9" in gs.reason
    assert "% that all 2 milestones are done by Feb 01" in gs.reason


def test_a_goal_of_one_milestone_says_so_in_the_singular() -> None:
    quick = milestone(1, date(2026, 2, 1))
    st = {quick.url: status(2, 20, Risk.ON_TRACK, date(2026, 1, 7))}
    goal = Goal("g", "G", milestones=(quick.ref,), due=date(2026, 2, 1))
    gs = goal_status(goal, [quick], st, issues_of(quick, 20, 2), NOW, 21)
    assert "% that the 1 milestone is done by Feb 01;" in gs.reason, gs.reason


def test_a_goal_is_done_when_its_last_milestone_is() -> None:
    m = milestone(1, date(2026, 2, 1), State.CLOSED)
    st = {m.url: status(0, 5, Risk.DONE, None)}
    gs = goal_status(Goal("g", "G", milestones=(m.ref,)), [m], st, [], NOW, 21)
    assert (gs.risk, gs.progress) == (Risk.DONE, 1.0)
