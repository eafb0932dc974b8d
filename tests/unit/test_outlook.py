"""The overview's range bar and summary line, as tables of cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rich.style import Style

from pullboard.model import Milestone, MilestoneStatus, Risk, State
from pullboard.tui.outlook import range_bar, summary

TODAY = date(2026, 11, 21)


def status(p50: int | None, p85: int | None, risk: Risk = Risk.ON_TRACK) -> MilestoneStatus:
    day = lambda n: None if n is None else TODAY + timedelta(days=n)  # noqa: E731
    return MilestoneStatus(5, 5, 0.5, 0.3, day(p50), risk, None, "", forecast_p85=day(p85))


@pytest.mark.parametrize(
    ("p50", "p85", "due", "bar"),
    [
        (10, 17, 20, "──━━━│  "),  # done well before the due date (due at cell 5)
        (18, 30, 20, "────━┿━━"),  # the range straddles the due date
        (36, 48, 18, "─────│─▸"),  # starts after the due date and runs off the bar
        (5, 12, 10, "──━━━┿━ "),  # 2 days a cell: the range crosses the due date
        (8, 16, -5, "│──━━━━━"),  # overdue: the mark at the start, the range fills the bar
        (8, None, None, "───────▸"),  # no due date, P85 beyond the horizon
        (None, None, 20, "        "),  # no range at all: blank
    ],
)
def test_range_bar(p50: int | None, p85: int | None, due: int | None, bar: str) -> None:
    day = None if due is None else TODAY + timedelta(days=due)
    assert range_bar(status(p50, p85), day, TODAY).plain == bar


def milestone(n: int, state: State = State.OPEN) -> Milestone:
    return Milestone(f"m{n}", f"r@{n}", "s", str(n), state, None, 1, 1)


@pytest.mark.parametrize(
    ("risks", "line"),
    [
        (
            [Risk.OFF_TRACK] * 3 + [Risk.AT_RISK, Risk.STALLED] + [Risk.ON_TRACK] * 4,
            "3 of 9 open milestones off track, 1 at risk, 1 stalled.",
        ),
        ([Risk.AT_RISK, Risk.ON_TRACK, Risk.DONE], "1 of 2 open milestones at risk."),
        ([Risk.ON_TRACK, Risk.ON_TRACK], "All 2 open milestones on track."),
        ([Risk.ON_TRACK, Risk.UNKNOWN], "None of the 2 open milestones is at risk."),
        ([], "No open milestones."),
    ],
)
def test_summary(risks: list[Risk], line: str) -> None:
    ms = [milestone(n) for n in range(len(risks))]
    statuses = {m.url: status(1, 2, r) for m, r in zip(ms, risks, strict=True)}
    assert summary(ms, statuses, lambda _name: Style()).plain == line
