"""The burn-up's numbers and its text rendering, without Textual: empty history, one point,
no due date, a due date in the past, a range beyond the chart."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pullboard.analysis.burnup import layout, points_for, reconstruct
from pullboard.model import HistoryPoint, Issue, Milestone, MilestoneStatus, Risk, State
from pullboard.tui.widgets.burnup import BurnupData, render_burnup

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)
TODAY = NOW.date()
DAY = timedelta(days=1)


def point(days_ago: float, open_: int, closed: int, due: date | None = None) -> HistoryPoint:
    return HistoryPoint(NOW - days_ago * DAY, open_, closed, due)


def issue(n: int, created: float, closed: float | None = None) -> Issue:
    return Issue(
        url=f"u{n}", ref=f"r#{n}", source="s", milestone="m", title="t",
        state=State.CLOSED if closed is not None else State.OPEN, status="",
        created=NOW - created * DAY, updated=NOW,
        closed_at=None if closed is None else NOW - closed * DAY,
    )  # fmt: skip


def draw(
    points: tuple[HistoryPoint, ...],
    due: date | None = None,
    p50: date | None = None,
    p85: date | None = None,
    size: tuple[int, int] = (60, 7),
) -> list[str]:
    lines = render_burnup(BurnupData(points, TODAY, due, p50, p85), *size)
    assert len(lines) == (size[1] if size[0] >= 20 and size[1] >= 4 else 1)
    assert all(len(line.plain) <= size[0] for line in lines), "fits the width"
    return [line.plain for line in lines]


def test_reconstruct_counts_scope_and_closed_at_each_change() -> None:
    issues = [issue(1, 30, 10), issue(2, 30), issue(3, 5)]
    got = [(p.open, p.closed) for p in reconstruct(issues, NOW)]
    assert got == [(2, 0), (1, 1), (2, 1)]


def test_points_for_prefers_history_and_ends_at_today() -> None:
    m = Milestone("m", "r@1", "s", "1", State.OPEN, None, 3, 1)
    st = MilestoneStatus(3, 1, 0.25, 0.1, None, Risk.ON_TRACK, None, "", history=(point(9, 4, 0),))
    got = points_for(m, st, [issue(1, 5, 1)], NOW)  # created after history began
    assert [(p.open, p.closed) for p in got] == [(4, 0), (3, 1)]
    assert got[-1].at == NOW


def test_history_that_starts_late_is_preceded_by_the_rebuilt_past() -> None:
    """A new user's state folder: the board first saw the milestone today, its issues were
    created 35-39 days ago. The chart starts with the first issue, not today."""
    m = Milestone("m", "r@1", "s", "1", State.OPEN, None, 3, 2)
    issues = [issue(1, 39, 20), issue(2, 37, 10), issue(3, 36), issue(4, 35), issue(5, 35)]
    st = MilestoneStatus(3, 2, 0.4, 0.1, None, Risk.ON_TRACK, None, "", history=(point(0, 3, 2),))
    got = points_for(m, st, issues, NOW)
    assert [(p.open, p.closed) for p in got] == [
        (1, 0),
        (2, 0),
        (3, 0),
        (5, 0),
        (4, 1),
        (3, 2),
        (3, 2),
    ]
    assert got[0].at == NOW - 39 * DAY and got[-1] == st.history[-1], "then what was recorded"
    lines = render_burnup(BurnupData(got, TODAY, None, None, None), 60, 7)
    assert lines[-1].plain.split()[0] == "Oct", lines[-1].plain  # Oct 13: the first issue
    plot = [line.plain.split("│", 1)[-1].split("┤", 1)[-1] for line in lines[1:5]]
    filled = {x for row in plot for x, c in enumerate(row) if c in "█░▁▂▃▄▅▆▇"}
    assert len(filled) > 50, f"the chart is filled from the first issue on: {len(filled)} cols"


def test_history_recorded_from_the_start_is_not_mixed_with_the_rebuilt_past() -> None:
    m = Milestone("m", "r@1", "s", "1", State.OPEN, None, 1, 1)
    st = MilestoneStatus(1, 1, 0.5, 0.1, None, Risk.ON_TRACK, None, "", history=(point(40, 2, 0),))
    got = points_for(m, st, [issue(1, 30, 10), issue(2, 30)], NOW)
    assert [(p.open, p.closed) for p in got] == [(2, 0), (1, 1)]


def test_empty_history_draws_axes_and_no_data() -> None:
    lines = draw(())
    assert lines[0].startswith("█ closed  ░ open  no forecast")
    plot = "".join(lines[1:4])
    assert "█" not in plot and "░" not in plot
    assert "today" in lines[-1]


def test_one_point_fills_up_to_today_only() -> None:
    lay = layout((point(3, 2, 2),), TODAY, 40)
    assert lay.columns[-1].closed == 2 and lay.columns[-1].scope == 4
    assert lay.columns[0].closed is None, "nothing before the first point"
    lines = draw((point(3, 2, 2),))
    assert "█" in "".join(lines[1:5]) and "░" in "".join(lines[1:5])


def test_no_due_date_has_no_due_mark() -> None:
    lines = draw((point(20, 10, 0), point(1, 6, 4)), p50=TODAY + 5 * DAY, p85=TODAY + 9 * DAY)
    assert "due" not in "".join(lines)
    assert "likely done Nov 26–30" in lines[0]
    assert "▒" in "".join(lines[1:4]), "the range is drawn ahead of today"


def test_due_in_the_past_is_marked_where_it_was() -> None:
    pts = (point(30, 10, 0), point(2, 4, 6))
    lay = layout(pts, TODAY, 50, due=TODAY - 10 * DAY)
    assert lay.due is not None and lay.due < lay.today
    lines = draw(pts, due=TODAY - 10 * DAY, p50=TODAY + 4 * DAY, p85=TODAY + 8 * DAY)
    assert "due Nov 11" in lines[-1]
    assert "│" in "".join(lines[1:4]), "the due line crosses the open work"


def test_range_beyond_the_chart_runs_off_its_edge() -> None:
    pts = (point(10, 10, 0), point(1, 8, 2))
    far = TODAY + 400 * DAY
    lay = layout(pts, TODAY, 40, due=TODAY + 300 * DAY, p50=TODAY + 200 * DAY, p85=far)
    assert lay.p85_beyond and lay.due is None and lay.due_beyond
    lines = draw(pts, due=TODAY + 300 * DAY, p50=TODAY + 200 * DAY, p85=far)
    assert lines[1].rstrip().endswith("▸"), "the range leaves the chart"
    assert lines[-1].rstrip().endswith("▸"), "so does the due date"


def test_stalled_has_no_path_ahead() -> None:
    lines = draw((point(20, 8, 0),), due=TODAY + 10 * DAY)
    assert "no forecast" in lines[0]
    assert "·" not in "".join(lines[1:4]) and "▒" not in "".join(lines[1:4])


@pytest.mark.parametrize("size", [(80, 7), (120, 12), (20, 4), (19, 6), (80, 3)])
def test_any_size_fits(size: tuple[int, int]) -> None:
    pts = tuple(point(30 - d, 10 - d // 3, d // 3) for d in range(0, 30, 3))
    lines = draw(pts, due=TODAY + 5 * DAY, p50=TODAY + 8 * DAY, p85=TODAY + 12 * DAY, size=size)
    if size[0] < 20 or size[1] < 4:
        assert all("┤" not in line for line in lines), "too small for a plot: legend only"
