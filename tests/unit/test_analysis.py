"""Table-driven tests for the pure analysis functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pullboard import analysis
from pullboard.model import Insight, Issue, Milestone, Risk, State

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def milestone(*, open_: int, closed: int, due: int | None, state: State = State.OPEN) -> Milestone:
    return Milestone(
        url="https://github.com/a/b/milestone/1",
        ref="a/b@v1",
        source="s",
        title="v1",
        state=state,
        due=TODAY + timedelta(days=due) if due is not None else None,
        open_count=open_,
        closed_count=closed,
    )


def closes(n: int, days_ago: float = 3) -> list[datetime]:
    return [NOW - timedelta(days=days_ago)] * n


@pytest.mark.parametrize(
    ("open_", "closed", "expected"),
    [(0, 0, None), (5, 0, 0.0), (0, 4, 1.0), (3, 1, 0.25)],
)
def test_progress(open_: int, closed: int, expected: float | None) -> None:
    assert analysis.progress(open_, closed) == expected


@pytest.mark.parametrize(
    ("times", "window", "expected"),
    [
        ([], 21, 0.0),
        (closes(21), 21, 1.0),
        (closes(7, days_ago=30), 21, 0.0),  # outside the window
        (closes(3, days_ago=1) + closes(3, days_ago=25), 10, 0.3),
        ([NOW + timedelta(days=1)], 21, 0.0),  # a clock skew in the future is ignored
    ],
)
def test_close_rate(times: list[datetime], window: int, expected: float) -> None:
    assert analysis.close_rate(times, NOW, window) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("open_", "rate", "expected"),
    [
        (0, 0.0, TODAY),
        (4, 0.0, None),
        (4, 1.0, TODAY + timedelta(days=4)),
        (5, 2.0, TODAY + timedelta(days=3)),
    ],  # 2.5 days rounds up
)
def test_forecast(open_: int, rate: float, expected: date | None) -> None:
    assert analysis.forecast(open_, rate, TODAY) == expected


@pytest.mark.parametrize(
    ("case", "m", "closed_at", "risk", "gap"),
    [
        ("closed", milestone(open_=2, closed=3, due=5, state=State.CLOSED), [], Risk.DONE, None),
        ("all closed", milestone(open_=0, closed=3, due=5), [], Risk.DONE, None),
        ("zero issues", milestone(open_=0, closed=0, due=5), [], Risk.UNKNOWN, None),
        # 3 closes in 21 days: 2 open take 14 days, so the gap is 14 + 4 days late.
        ("overdue", milestone(open_=2, closed=3, due=-4), closes(3), Risk.OFF_TRACK, 18),
        ("overdue, nothing closing", milestone(open_=2, closed=0, due=-4), [], Risk.OFF_TRACK, 4),
        ("no closes, due far", milestone(open_=5, closed=0, due=30), [], Risk.UNKNOWN, None),
        ("no closes, due soon", milestone(open_=5, closed=0, due=5), [], Risk.OFF_TRACK, None),
        ("no due date", milestone(open_=5, closed=5, due=None), closes(21), Risk.UNKNOWN, None),
        # 21 closes in 21 days = 1/day; 5 open -> 5 days.
        ("early", milestone(open_=5, closed=21, due=10), closes(21), Risk.ON_TRACK, -5),
        ("exactly on the day", milestone(open_=5, closed=21, due=5), closes(21), Risk.ON_TRACK, 0),
        ("a few days late", milestone(open_=10, closed=21, due=5), closes(21), Risk.AT_RISK, 5),
        ("a week late", milestone(open_=12, closed=21, due=5), closes(21), Risk.AT_RISK, 7),
        ("over a week late", milestone(open_=13, closed=21, due=5), closes(21), Risk.OFF_TRACK, 8),
    ],
)
def test_milestone_risk(
    case: str, m: Milestone, closed_at: list[datetime], risk: Risk, gap: int | None
) -> None:
    status = analysis.milestone_status(m, closed_at, NOW, window_days=21)
    assert (status.risk, status.gap_days) == (risk, gap), case
    assert status.reason.endswith("."), "the reason is a sentence"


def test_counts_from_full_issue_list_override_tracker_counts() -> None:
    status = analysis.milestone_status(milestone(open_=9, closed=1, due=10), [], NOW, counts=(1, 3))
    assert (status.open, status.closed, status.progress) == (1, 3, 0.75)


def issue(**changes: object) -> Issue:
    base = dict(
        url="https://github.com/a/b/issues/1",
        ref="a/b#1",
        source="s",
        milestone=None,
        title="t",
        state=State.OPEN,
        status="To do",
        created=NOW - timedelta(days=30),
        updated=NOW - timedelta(days=1),
    )
    base.update(changes)
    return Issue(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case", "item", "milestone_due", "score", "reasons"),
    [
        ("plain", issue(), None, 0, ()),
        ("closed scores nothing", issue(state=State.CLOSED, labels=("blocker",)), None, 0, ()),
        ("blocker label", issue(labels=("Blocker", "bug")), None, 3, ("Blocker",)),
        ("high priority", issue(priority="High"), None, 2, ("priority High",)),
        ("P1", issue(priority="P1"), None, 2, ("priority P1",)),
        ("low priority", issue(priority="Low"), None, 0, ()),
        ("overdue own date", issue(due=TODAY - timedelta(days=2)), None, 4, ("overdue 2 d",)),
        ("overdue milestone", issue(), TODAY - timedelta(days=1), 4, ("overdue 1 d",)),
        ("due soon", issue(), TODAY + timedelta(days=2), 2, ("due in 2 d",)),
        ("stale", issue(updated=NOW - timedelta(days=20)), None, 1, ("stale 20 d",)),
        (
            "everything",
            issue(
                labels=("critical",),
                priority="Highest",
                updated=NOW - timedelta(days=15),
                due=TODAY - timedelta(days=1),
            ),
            None,
            10,
            ("overdue 1 d", "critical", "priority Highest", "stale 15 d"),
        ),
    ],
)
def test_pressing(
    case: str, item: Issue, milestone_due: date | None, score: int, reasons: tuple[str, ...]
) -> None:
    result = analysis.pressing(item, NOW, milestone_due=milestone_due)
    assert (result.score, result.reasons) == (score, reasons), case


def test_pressing_labels_from_config() -> None:
    assert analysis.pressing(issue(labels=("customer",)), NOW, labels=["Customer"]).score == 3


def test_new_since() -> None:
    last = NOW - timedelta(days=1)
    old, fresh = issue(updated=NOW - timedelta(days=2)), issue(url="u2", updated=NOW)
    insight = Insight(id="i1", on="board", title="x", created=NOW - timedelta(hours=1))
    stale_insight = Insight(id="i2", on="board", title="y", created=NOW - timedelta(days=3))
    assert analysis.new_since([old, fresh], [insight, stale_insight], last) == {"u2", "i1"}
    assert analysis.new_since([old, fresh], [insight], None) == frozenset()


@pytest.mark.parametrize(
    ("assignees", "me", "mine"),
    [
        (("dana",), ("Dana",), True),
        (("Dana Kim",), ("dana", "dana kim"), True),
        (("lee",), ("dana",), False),
        ((), ("dana",), False),
    ],
)
def test_is_mine(assignees: tuple[str, ...], me: tuple[str, ...], mine: bool) -> None:
    assert analysis.is_mine(issue(assignees=assignees), me) is mine


@pytest.mark.parametrize("open_", [10_000_000, 10**400], ids=["10M", "10**400"])
def test_a_forecast_past_the_horizon_is_no_date_but_a_reason(open_: int) -> None:
    st = analysis.milestone_status(milestone(open_=open_, closed=1, due=30), closes(1), NOW)
    assert st.forecast is None and st.gap_days is None and st.risk is Risk.OFF_TRACK
    assert st.reason == f"At this pace the {open_} open issues take more than 10 years."
    undated = analysis.milestone_status(milestone(open_=open_, closed=1, due=None), closes(1), NOW)
    assert undated.forecast is None and undated.risk is Risk.UNKNOWN


@pytest.mark.parametrize(
    ("due", "reason"),
    [
        (5, "Forecast Nov 26, on the due date."),
        (6, "Forecast Nov 26, 1 d before the due date."),
        (4, "Forecast Nov 26, 1 d after the due date."),
    ],
)
def test_the_reason_says_on_the_due_date_for_a_gap_of_zero(due: int, reason: str) -> None:
    status = analysis.milestone_status(milestone(open_=5, closed=21, due=due), closes(21), NOW)
    assert status.reason == reason
