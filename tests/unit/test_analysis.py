"""Table-driven tests for the pure analysis functions."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from msgspec.structs import replace

from pullboard import analysis
from pullboard.model import Insight, Issue, Milestone, MilestoneStatus, Risk, State

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def milestone(
    *, open_: int, closed: int, due: int | None, state: State = State.OPEN, created: int = -60
) -> Milestone:
    return Milestone(
        url=URL,
        ref="a/b@v1",
        source="s",
        title="v1",
        state=state,
        due=TODAY + timedelta(days=due) if due is not None else None,
        open_count=open_,
        closed_count=closed,
        created=NOW + timedelta(days=created),
    )


URL = "https://github.com/a/b/milestone/1"


def closes(n: int, days_ago: float = 3) -> list[datetime]:
    return [NOW - timedelta(days=days_ago)] * n


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


def work(
    open_: int,
    closes: list[float] = (),  # type: ignore[assignment]
    *,
    labels: tuple[str, ...] = (),
    priority: str | None = None,
    new: int = 0,
) -> list[Issue]:
    """A milestone's issues: `open_` open ones (the first with `labels` and `priority`), one
    closed issue per entry of `closes` (days ago), and `new` of the open ones created 2 days
    ago (the rest 40 days ago)."""
    out = []
    for n in range(open_):
        out.append(
            issue(
                url=f"{URL}/o{n}",
                ref=f"a/b#{n + 1}",
                milestone=URL,
                created=NOW - timedelta(days=2 if n < new else 40),
                labels=labels if n == 0 else (),
                priority=priority if n == 0 else None,
            )
        )
    for n, days in enumerate(closes):
        when = NOW - timedelta(days=days)
        out.append(
            issue(
                url=f"{URL}/c{n}",
                ref=f"a/b#{1000 + n}",
                milestone=URL,
                state=State.CLOSED,
                created=NOW - timedelta(days=40),
                closed_at=when,
            )
        )
    return out


def status(m: Milestone, issues: list[Issue], **kw: object) -> MilestoneStatus:
    return analysis.milestone_status(m, issues, NOW, window_days=21, **kw)  # type: ignore[arg-type]


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


def test_daily_closes_counts_each_day_of_the_window() -> None:
    times = [*closes(2, days_ago=0.5), *closes(1, days_ago=3.2), NOW - timedelta(days=21)]
    times += [NOW - timedelta(days=22), NOW + timedelta(hours=1)]  # outside: ignored
    assert analysis.daily_closes(times, NOW, 7 * 3) == [2, 0, 0, 1] + [0] * 16 + [1]


STEADY = [float(d) + 0.5 for d in range(21)]
"""One close on each of the last 21 days: 1 a day, no spread."""


@pytest.mark.parametrize(
    ("case", "m", "issues", "risk", "p50", "p85", "on_time"),
    [
        (
            "steady, early",
            milestone(open_=5, closed=21, due=10),
            work(5, STEADY),
            Risk.ON_TRACK,
            5,
            5,
            1.0,
        ),
        (
            "steady, on the day",
            milestone(open_=5, closed=21, due=5),
            work(5, STEADY),
            Risk.ON_TRACK,
            5,
            5,
            1.0,
        ),
        (
            "steady, a day short",
            milestone(open_=5, closed=21, due=4),
            work(5, STEADY),
            Risk.OFF_TRACK,
            5,
            5,
            0.0,
        ),
        # One close in 21 days, one open: a 1-in-21 chance each day, a long tail.
        (
            "one close",
            milestone(open_=1, closed=1, due=30),
            work(1, [3]),
            Risk.AT_RISK,
            15,
            39,
            0.77,
        ),
        # 21 closes on one day: the same odds per day (each day is that day or nothing).
        (
            "burst",
            milestone(open_=5, closed=21, due=30),
            work(5, [3] * 21),
            Risk.AT_RISK,
            15,
            39,
            0.77,
        ),
        (
            "burst, due far",
            milestone(open_=5, closed=21, due=90),
            work(5, [3] * 21),
            Risk.ON_TRACK,
            15,
            39,
            0.99,
        ),
    ],
)
def test_forecast_range_and_chance(
    case: str,
    m: Milestone,
    issues: list[Issue],
    risk: Risk,
    p50: int,
    p85: int,
    on_time: float,
) -> None:
    st = status(m, issues)
    assert st.risk is risk, (case, st.reason)
    assert st.forecast is not None and st.forecast_p85 is not None, case
    # A Monte Carlo estimate: within a day or two of the exact answer.
    assert abs((st.forecast - TODAY).days - p50) <= 1, (case, st.forecast)
    assert abs((st.forecast_p85 - TODAY).days - p85) <= 2, (case, st.forecast_p85)
    assert st.forecast <= st.forecast_p85
    assert st.on_time == pytest.approx(on_time, abs=0.04), case


@pytest.mark.parametrize(
    ("case", "m", "issues", "risk", "reason"),
    [
        (
            "closed",
            milestone(open_=2, closed=3, due=5, state=State.CLOSED),
            [],
            Risk.DONE,
            "All issues are closed.",
        ),
        (
            "all closed",
            milestone(open_=0, closed=3, due=5),
            work(0, [1, 2, 3]),
            Risk.DONE,
            "All issues are closed.",
        ),
        (
            "zero issues",
            milestone(open_=0, closed=0, due=5),
            [],
            Risk.UNKNOWN,
            "No issues yet, so there is nothing to forecast.",
        ),
        (
            "zero issues, no due date",
            milestone(open_=0, closed=0, due=None),
            [],
            Risk.UNKNOWN,
            "No issues yet, so there is nothing to forecast.",
        ),
        (
            "zero closes",
            milestone(open_=5, closed=0, due=30),
            work(5),
            Risk.STALLED,
            "Nothing closed in 21 d, 5 open, due Dec 21.",
        ),
        (
            "zero closes, due soon",
            milestone(open_=5, closed=0, due=3),
            work(5),
            Risk.STALLED,
            "Nothing closed in 21 d, 5 open, due Nov 24.",
        ),
        (
            "zero closes, no due date",
            milestone(open_=5, closed=0, due=None),
            work(5),
            Risk.STALLED,
            "Nothing closed in 21 d, 5 open.",
        ),
        (
            "old closes only",
            milestone(open_=5, closed=3, due=None),
            work(5, [30, 40, 50]),
            Risk.STALLED,
            "Nothing closed in 21 d, 5 open.",
        ),
        (
            "no due date",
            milestone(open_=5, closed=21, due=None),
            work(5, STEADY),
            Risk.ON_TRACK,
            "Nov 26 at 1.0 closes/day; no due date.",
        ),
        (
            "overdue",
            milestone(open_=5, closed=21, due=-4),
            work(5, STEADY),
            Risk.OFF_TRACK,
            "Overdue by 4 d with 5 open; done Nov 26 at this pace.",
        ),
        (
            "overdue, nothing closing",
            milestone(open_=2, closed=0, due=-4),
            work(2),
            Risk.OFF_TRACK,
            "Overdue by 4 d with 2 open; nothing closed in 21 d.",
        ),
        (
            "rate",
            milestone(open_=10, closed=21, due=5),
            work(10, STEADY),
            Risk.OFF_TRACK,
            "Dec 01, 0% by the due date; needs 2.0 closes/day, doing 1.0.",
        ),
        ("slow rate", milestone(open_=3, closed=2, due=10), work(3, [2, 9]), Risk.OFF_TRACK, None),
        (
            "blocker label",
            milestone(open_=5, closed=21, due=10),
            work(5, STEADY, labels=("Blocker",)),
            Risk.AT_RISK,
            "Nov 26, 100% by the due date; a/b#1 blocks it.",
        ),
        (
            "highest priority",
            milestone(open_=5, closed=21, due=10),
            work(5, STEADY, priority="Highest"),
            Risk.AT_RISK,
            "Nov 26, 100% by the due date; a/b#1 blocks it.",
        ),
        (
            "urgent is pressing, no blocker",
            milestone(open_=5, closed=21, due=10),
            work(5, STEADY, labels=("urgent",)),
            Risk.ON_TRACK,
            "Nov 26, 100% by the due date; needs 0.50 closes/day, doing 1.0.",
        ),
        (
            "blocker, no due date",
            milestone(open_=5, closed=21, due=None),
            work(5, STEADY, labels=("critical",)),
            Risk.AT_RISK,
            "Nov 26 at 1.0 closes/day; no due date; a/b#1 blocks it.",
        ),
        (
            "blocker while stalled",
            milestone(open_=5, closed=0, due=None),
            work(5, labels=("p0",)),
            Risk.STALLED,
            "Nothing closed in 21 d, 5 open; a/b#1 blocks it.",
        ),
        (
            "scope growth",
            milestone(open_=5, closed=3, due=60),
            work(5, [1, 2, 3], new=4),
            Risk.AT_RISK,
            None,
        ),
        (
            "scope growth slower than closes",
            milestone(open_=5, closed=21, due=10),
            work(5, STEADY, new=2),
            Risk.ON_TRACK,
            "Nov 26, 100% by the due date; needs 0.50 closes/day, doing 1.0.",
        ),
        (
            "a young milestone's first issues are no growth",
            milestone(open_=5, closed=21, due=10, created=-2),
            work(5, STEADY, new=5),
            Risk.ON_TRACK,
            "Nov 26, 100% by the due date; needs 0.50 closes/day, doing 1.0.",
        ),
    ],
)
def test_milestone_risk(
    case: str, m: Milestone, issues: list[Issue], risk: Risk, reason: str | None
) -> None:
    st = status(m, issues)
    assert st.risk is risk, (case, st.reason)
    if reason is not None:
        assert st.reason == reason, case
    assert st.reason.endswith("."), "the reason is a sentence"


def test_scope_growth_is_counted_and_named() -> None:
    st = status(milestone(open_=5, closed=3, due=60), work(5, [1, 2, 3], new=4))
    assert st.scope_added == 4 and st.scope_removed == 0
    assert st.reason.endswith("; +4 issues in 21 d, 3 closed.")


def test_blockers_are_listed_and_named() -> None:
    issues = work(5, STEADY, labels=("blocker",))
    issues[1] = replace(issues[1], priority="Highest")
    issues[2] = replace(issues[2], labels=("blocking",))
    st = status(milestone(open_=5, closed=21, due=10), issues)
    assert st.blockers == ("a/b#1", "a/b#2", "a/b#3")
    assert st.reason.endswith("; a/b#1 and 2 more block it.")
    closed_blocker = replace(issues[0], state=State.CLOSED, closed_at=NOW)
    assert "a/b#1" not in status(milestone(open_=5, closed=22, due=10), [closed_blocker]).blockers


def test_nothing_to_forecast_means_no_forecast() -> None:
    """The QA finding: a milestone without issues showed today's date as its forecast."""
    for m in (milestone(open_=0, closed=0, due=5), milestone(open_=0, closed=3, due=5)):
        st = status(m, [])
        assert (st.forecast, st.forecast_p85, st.on_time, st.gap_days) == (None,) * 4


def test_counts_from_full_issue_list_override_tracker_counts() -> None:
    issues = work(1, [1, 2, 3])
    m = milestone(open_=9, closed=1, due=10)
    assert (status(m, issues).open, status(m, issues).progress) == (1, 0.75)
    partial = status(m, issues, complete=False)
    assert (partial.open, partial.closed) == (9, 1), "the tracker's counts, not the list's"


def test_the_same_input_gives_the_same_answer() -> None:
    m, issues = milestone(open_=12, closed=9, due=20), work(12, [1, 1, 4, 6, 6, 6, 9, 15, 20])
    first = status(m, issues)
    assert all(status(m, list(reversed(issues))) == first for _ in range(3))
    assert analysis.outlook([0, 3, 1], 7, 3650, 5) == analysis.outlook([1, 0, 3], 7, 3650, 5)


@pytest.mark.parametrize("open_", [10_000_000, 10**400], ids=["10M", "10**400"])
def test_a_forecast_past_the_horizon_is_no_date_but_a_reason(open_: int) -> None:
    issues = work(0, [3])
    started = time.perf_counter()
    st = status(milestone(open_=open_, closed=1, due=30), issues, complete=False)
    assert time.perf_counter() - started < 0.5, "no simulated day-by-day walk to the horizon"
    assert st.forecast is None and st.gap_days is None and st.risk is Risk.OFF_TRACK
    assert st.on_time == 0.0
    assert st.reason == f"At this pace the {open_} open issues take more than 10 years."
    undated = status(milestone(open_=open_, closed=1, due=None), issues, complete=False)
    assert undated.forecast is None and undated.risk is Risk.UNKNOWN


def test_huge_counts_that_fit_the_horizon_still_get_a_range() -> None:
    """10,000,000 open at 5,000 closes a day: about 2,000 days, in a few milliseconds."""
    daily = [5000] * 21
    started = time.perf_counter()
    seen = analysis.outlook(daily, 10_000_000, analysis.HORIZON_DAYS, 30)
    assert time.perf_counter() - started < 0.5
    assert seen == analysis.Outlook(2000, 2000, 0.0)


def test_p85_beyond_the_horizon_leaves_the_far_end_open() -> None:
    seen = analysis.outlook([1] + [0] * 20, 170, analysis.HORIZON_DAYS, None)
    assert seen.p50 is not None and seen.p85 is None and seen.on_time is None


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


@pytest.mark.parametrize(
    ("age_days", "expected_rate"),
    [(16, 9 / 16), (3, 9 / 7), (40, 9 / 21), (None, 9 / 21)],
    ids=["16 d old: its own 16 days", "3 d old: at least a week", "older: the window", "no date"],
)
def test_the_pace_is_judged_over_the_milestones_own_life(
    age_days: int | None, expected_rate: float
) -> None:
    """A 16-day-old sprint that closed 9 issues did 0.56 a day, not 9 / 21 (a QA finding)."""
    m = milestone(open_=5, closed=9, due=10, created=-age_days if age_days else -100)
    if age_days is None:
        m = replace(m, created=None)
    issues = work(5, [1, 1, 2, 2, 2, 3, 3, 3, 3])
    assert status(m, issues).close_rate == pytest.approx(expected_rate)
