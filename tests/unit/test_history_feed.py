"""The change feed: each kind of change as one sentence, net between two moments, grouped by
milestone and newest first; and `--since WHEN`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pullboard.errors import UsageError
from pullboard.history.feed import insight_changes, ordered, tracker_changes
from pullboard.history.recall import Memory
from pullboard.history.since import parse_since
from pullboard.history.store import Observation
from pullboard.model import ASK, Ack, Insight

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
LOOK = NOW - timedelta(days=1)
BEFORE, AFTER = LOOK - timedelta(days=2), LOOK + timedelta(hours=3)
M1 = "https://github.com/acme/app/milestone/1"
M2 = "https://github.com/acme/app/milestone/2"
I1 = "https://github.com/acme/app/issues/1"


def ms(title: str = "v1", **facts: Any) -> dict[str, Any]:
    return {"ref": f"acme/app@{title}", "title": title, "state": "open", "due": "2027-01-09",
            "open": 5, "closed": 1, "forecast": "2026-12-28", "forecast_p85": "2027-01-04",
            "risk": "at_risk", **facts}  # fmt: skip


def iss(**facts: Any) -> dict[str, Any]:
    return {"ref": "acme/app#1", "title": "Fix cart", "state": "open", "milestone": M1,
            "assignees": [], "labels": [], "priority": None,
            "created": (NOW - timedelta(days=90)).isoformat(), **facts}  # fmt: skip


def feed(*rows: tuple[datetime, str, str, dict[str, Any]]) -> list[tuple[str, str]]:
    """(kind, text) of every change after LOOK; M1 and M2 and I1 are known before it."""
    known = [(BEFORE, M1, "milestone", ms()), (BEFORE, M2, "milestone", ms("v2")),
             (BEFORE, I1, "issue", iss())]  # fmt: skip
    memory = Memory.of(Observation(url, kind, at, f) for at, url, kind, f in [*known, *rows])
    return [(c.kind, c.text) for c in ordered(tracker_changes(memory, LOOK, NOW.date()))]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ((M1, "milestone", ms(due="2026-12-20")),
         ("due_moved", "v1's due date moved from Jan 09 2027 to Dec 20 (20 d earlier).")),
        ((M1, "milestone", ms(due=None)),
         ("due_moved", "v1 no longer has a due date (it was Jan 09 2027).")),
        ((M1, "milestone", ms(risk="on_track")),
         ("risk_changed", "v1 went from at risk to on track.")),
        ((M1, "milestone", ms(forecast="2027-01-02")),
         ("forecast_moved", "v1's forecast moved 5 d later, to Jan 02 2027.")),
        ((M1, "milestone", ms(title="v1 Saved carts")),
         ("retitled", "“v1” was renamed “v1 Saved carts”.")),
        ((I1, "issue", iss(state="closed")), ("closed", "acme/app#1 “Fix cart” was closed.")),
        ((I1, "issue", iss(title="Fix the cart")),
         ("retitled", "“Fix cart” was renamed “Fix the cart”.")),
        ((I1, "issue", iss(milestone=None)),
         ("scope_removed", "acme/app#1 “Fix cart” left it; was in v1.")),
    ],
)  # fmt: skip
def test_each_kind_is_one_sentence(row: tuple[str, str, dict[str, Any]], expected: Any) -> None:
    assert feed((AFTER, *row)) == [expected]


def test_a_forecast_moving_a_day_is_no_news() -> None:
    assert feed((AFTER, M1, "milestone", ms(forecast="2026-12-29"))) == []


def test_reopened_and_moved_between_milestones() -> None:
    closed = (BEFORE + timedelta(hours=1), I1, "issue", iss(state="closed"))
    assert feed(closed, (AFTER, I1, "issue", iss())) == [
        ("reopened", "acme/app#1 “Fix cart” was reopened.")
    ]
    assert feed((AFTER, I1, "issue", iss(milestone=M2))) == [
        ("scope_removed", "acme/app#1 “Fix cart” moved to v2; was in v1."),
        ("scope_added", "acme/app#1 “Fix cart” joined v2 from v1."),
    ]


def test_new_issues_in_a_watched_milestone_are_opened_or_joined() -> None:
    new = iss(ref="acme/app#7", title="New bug", created=(LOOK + timedelta(hours=1)).isoformat())
    old = iss(ref="acme/app#8", title="Old bug")
    assert feed((AFTER, "i7", "issue", new), (AFTER, "i8", "issue", old)) == [
        ("scope_added", "acme/app#8 “Old bug” joined v1."),
        ("opened", "acme/app#7 “New bug” was opened in v1."),
    ]
    # a milestone whose issues were never recorded: its list is only being seen for the first time
    first = iss(ref="acme/app#9", milestone=M2)
    assert feed((AFTER, "i9", "issue", first)) == []


def test_an_issue_first_listed_after_since_tells_what_happened_to_it_since() -> None:
    """`--since 7d` on a milestone whose issues the board first listed three days ago: the
    listing is no news, a close after it is."""
    first = iss(ref="acme/app#9", title="Late bug", milestone=M2)
    closed = {**first, "state": "closed"}
    later = AFTER + timedelta(hours=1)
    assert feed((AFTER, "i9", "issue", first), (later, "i9", "issue", closed)) == [
        ("closed", "acme/app#9 “Late bug” was closed.")
    ]


def test_changes_are_net_and_say_when_they_last_moved() -> None:
    there_and_back = [(AFTER, M1, "milestone", ms(due="2027-02-01")),
                      (AFTER + timedelta(hours=1), M1, "milestone", ms())]  # fmt: skip
    assert feed(*there_and_back) == []
    twice = [(AFTER, M1, "milestone", ms(due="2027-01-20")),
             (AFTER + timedelta(hours=1), M1, "milestone", ms(due="2027-02-01"))]  # fmt: skip
    assert feed(*twice) == [
        ("due_moved", "v1's due date moved from Jan 09 2027 to Feb 01 2027 (23 d later).")
    ]


def test_grouped_by_milestone_newest_first() -> None:
    memory = Memory.of(
        Observation(url, kind, at, f)
        for at, url, kind, f in [
            (BEFORE, M1, "milestone", ms()), (BEFORE, M2, "milestone", ms("v2")),
            (AFTER, M1, "milestone", ms(risk="off_track")),
            (AFTER + timedelta(hours=1), M2, "milestone", ms("v2", risk="stalled")),
            (AFTER + timedelta(hours=2), M1, "milestone", ms(risk="off_track", due="2027-02-01")),
        ]
    )  # fmt: skip
    changes = ordered(tracker_changes(memory, LOOK, NOW.date()))
    assert [(c.milestone, c.kind) for c in changes] == [
        (M1, "due_moved"), (M1, "risk_changed"), (M2, "risk_changed"),
    ]  # fmt: skip


def test_history_younger_than_since_starts_at_its_first_recording() -> None:
    memory = Memory.of(
        [Observation(M1, "milestone", AFTER, ms()),
         Observation(M1, "milestone", AFTER + timedelta(hours=1), ms(due="2027-01-02"))]
    )  # fmt: skip
    changes = tracker_changes(memory, NOW - timedelta(days=30), NOW.date())
    assert [c.kind for c in changes] == ["due_moved"]


CONCERN = "kim raised a concern on “Freeze” on the board: “the API isn't ready”."


def test_insights_pinned_edited_and_read() -> None:
    pinned = Insight("a1", M1, "Ship on time", author="lee", created=AFTER)
    edited = Insight("a2", "board", "Freeze", author="lee", created=BEFORE, updated=AFTER,
                     updated_by="sam", revision=3,
                     acks={"dana": Ack(AFTER, 3), "jun": Ack(BEFORE, 3, "concern", "too soon"),
                           "kim": Ack(AFTER, 3, "concern", "the API isn't ready")})  # fmt: skip
    changes = insight_changes([pinned, edited], LOOK, {M1: ("acme/app@v1", M1)}, me="dana")
    assert [(c.kind, c.by, c.milestone, c.text) for c in ordered(changes)] == [
        ("insight_pinned", "lee", M1, "lee pinned “Ship on time” on acme/app@v1."),
        ("insight_edited", "sam", None, "sam edited “Freeze” on the board (revision 3)."),
        ("ack", "dana", None, "dana read “Freeze” on the board."),
        ("ack", "kim", None, CONCERN),
    ]


G1 = "goal:holiday"


def goal(**facts: Any) -> dict[str, Any]:
    return {"title": "Holiday launch", "due": "2027-01-07", "risk": "on_track", **facts}


def test_a_goal_whose_risk_or_due_changed_says_so_in_one_sentence() -> None:
    assert feed((BEFORE, G1, "goal", goal()), (AFTER, G1, "goal", goal(risk="at_risk"))) == [
        ("goal_changed", "Goal Holiday launch went from on track to at risk.")
    ]
    moved = goal(due="2027-01-14", risk="at_risk")
    memory = Memory.of(
        Observation(G1, "goal", at, f)
        for at, f in [(BEFORE, goal()), (AFTER, goal(due="2027-01-10")),
                      (AFTER + timedelta(hours=1), moved)]
    )  # fmt: skip
    changes = ordered(tracker_changes(memory, LOOK, NOW.date()))
    assert [(c.kind, c.milestone, c.before, c.after, c.text) for c in changes] == [
        ("goal_changed", G1, "2027-01-07", "2027-01-14",
         "Goal Holiday launch's due date moved from Jan 07 2027 to Jan 14 2027 (7 d later)."),
        ("goal_changed", G1, "on_track", "at_risk", "Goal Holiday launch went from on track to "
         "at risk."),
    ]  # fmt: skip
    assert feed((AFTER, G1, "goal", goal())) == [], "a goal first seen after the look: no news"


def test_an_ask_of_me_stays_in_the_feed_until_i_answer() -> None:
    """However long ago it was asked (or last edited): it needs my answer, not my notice."""
    declined = {"sam": Ack(AFTER, 1, "decline", "busy")}
    ask = Insight("q1", "board", "Review the fix", author="lee", created=BEFORE, updated=BEFORE,
                  kind=ASK, to=("dana", "sam"), acks=declined)  # fmt: skip
    changes = insight_changes([ask], LOOK, {}, me="dana")
    assert [(c.kind, c.at, c.by, c.insight, c.text) for c in ordered(changes)] == [
        ("ack", AFTER, "sam", "q1", "sam declined “Review the fix” on the board: “busy”."),
        ("ask", BEFORE, "lee", "q1", "lee asked you “Review the fix” and is waiting for your "
         "answer."),
    ]  # fmt: skip
    assert [c.kind for c in insight_changes([ask], LOOK, {}, me="sam")] == ["ack"], "answered"
    assert [c.kind for c in insight_changes([ask], LOOK, {}, me="kim")] == ["ack"], "not asked"
    new = Insight("q2", "board", "Pair on it?", author="lee", created=AFTER, kind=ASK, to=("dana",))
    assert [c.kind for c in insight_changes([new], LOOK, {}, me="dana")] == ["ask"], "not twice"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("last-look", None),
        ("36h", NOW - timedelta(hours=36)),
        ("7d", NOW - timedelta(days=7)),
        ("2w", NOW - timedelta(weeks=2)),
        ("2026-11-02", datetime(2026, 11, 2, tzinfo=UTC)),
        ("2026-11-02T09:30", datetime(2026, 11, 2, 9, 30, tzinfo=UTC)),
        ("2026-11-02T09:30+02:00", datetime(2026, 11, 2, 7, 30, tzinfo=UTC)),
    ],
)
def test_since_when(text: str, expected: datetime | None) -> None:
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize("text", ["yesterday", "3x", "", "7 d", "-2w", "2027-01-01"])
def test_since_when_refused_with_a_sentence(text: str) -> None:
    with pytest.raises(UsageError, match=r"^--since .*(last-look|future)"):
        parse_since(text, NOW)


def test_a_close_is_dated_when_the_tracker_closed_it_not_when_the_board_saw_it() -> None:
    """The board may notice a close hours later (the demo: a day); the feed says when."""
    closed_at = LOOK + timedelta(hours=1)
    rows = [(BEFORE, M1, "milestone", ms()), (BEFORE, I1, "issue", iss()),
            (AFTER, I1, "issue", iss(state="closed", closed_at=closed_at.isoformat()))]  # fmt: skip
    memory = Memory.of(Observation(url, kind, at, f) for at, url, kind, f in rows)
    (change,) = tracker_changes(memory, LOOK, NOW.date())
    assert (change.kind, change.at) == ("closed", closed_at)


def test_a_close_older_than_since_is_dated_when_the_board_learned_it() -> None:
    """`--since 1h` must not list a time before the hour (a QA finding): a close the board
    only saw after `since` is dated when it saw it."""
    closed_at = LOOK - timedelta(hours=5)
    rows = [(BEFORE, M1, "milestone", ms()), (BEFORE, I1, "issue", iss()),
            (AFTER, I1, "issue", iss(state="closed", closed_at=closed_at.isoformat()))]  # fmt: skip
    memory = Memory.of(Observation(url, kind, at, f) for at, url, kind, f in rows)
    (change,) = tracker_changes(memory, LOOK, NOW.date())
    assert (change.kind, change.at) == ("closed", AFTER)
