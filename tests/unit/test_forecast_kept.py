"""Forecasts outlive the process: the next one takes them instead of running them again, and
a kept file it can't trust costs only the time to run them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pullboard.analysis import forecast
from pullboard.board import Board
from pullboard.cache import ForecastFile
from pullboard.sources.demo import demo_config

DAILY = [3, 0, 1, 4, 0, 2, 5, 1, 0, 2, 3, 1, 0, 0]


@pytest.fixture(autouse=True)
def fresh_memo() -> None:
    """Each test starts as a new process does: nothing remembered."""
    forecast._memo.known.clear()
    forecast.known()


def test_kept_forecasts_are_taken_instead_of_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = forecast.outlook(DAILY, 40, 365, due_in=20)
    kept_file = ForecastFile(tmp_path / "forecasts.msgpack")
    kept = forecast.known()
    assert kept is not None and forecast.known() is None, "nothing new the second time"
    kept_file.keep(forecast.VERSION, kept)
    forecast._memo.known.clear()

    def no_runs(*args: object) -> list[int]:
        raise AssertionError("a kept forecast was run again")

    monkeypatch.setattr(forecast, "_runs", no_runs)
    forecast.remember(kept_file.read(forecast.VERSION))
    assert forecast.outlook(DAILY, 40, 365, due_in=20) == ran
    assert forecast.known() is None, "taking a kept forecast is nothing new to keep"


def test_forecasts_of_another_version_or_a_damaged_file_are_not_taken(tmp_path: Path) -> None:
    kept_file = ForecastFile(tmp_path / "forecasts.msgpack")
    forecast.outlook(DAILY, 40, 365)
    kept = forecast.known()
    assert kept is not None
    kept_file.keep("another simulation", kept)
    assert kept_file.read(forecast.VERSION) == []
    kept_file.keep(forecast.VERSION, kept)
    assert kept_file.read(forecast.VERSION) == kept
    (tmp_path / "forecasts.msgpack").write_bytes(b"\x93garbage")
    assert kept_file.read(forecast.VERSION) == []


@pytest.mark.parametrize(
    "pairs",
    [
        ((5, 10**12),),  # would expand to a trillion runs
        ((5, 1000), (3, 1000)),  # days out of order
        ((5, 2001), (6, -1)),  # a negative count
        ((-1, 2000),),  # a day before today
    ],
)
def test_pairs_that_cant_be_one_forecast_are_passed_over(
    pairs: tuple[tuple[int, int], ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = (tuple(sorted(DAILY)), 40, 365)
    forecast.remember([(key, pairs)])
    runs: list[object] = []
    real = forecast._runs
    monkeypatch.setattr(forecast, "_runs", lambda *a: runs.append(a) or real(*a))
    forecast.outlook(DAILY, 40, 365)
    assert runs, "the forecast was run, not taken from the bad pairs"


async def test_the_demo_started_again_takes_its_forecasts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo keeps them in its state folder (it has no snapshot cache): its second launch
    paints without running one."""
    board = Board(demo_config())
    first = await board.refresh(full=True)
    await board.aclose()
    forecast._memo.known.clear()  # a new process

    def no_runs(*args: object) -> list[int]:
        raise AssertionError("a kept forecast was run again")

    monkeypatch.setattr(forecast, "_runs", no_runs)
    board = Board(demo_config())
    again = await board.refresh(full=True)
    await board.aclose()
    forecasts = {url: s.forecast for url, s in again.status.items()}
    assert forecasts == {url: s.forecast for url, s in first.status.items()}
    assert any(forecasts.values())


def test_a_file_of_more_forecasts_than_are_kept_takes_only_the_last() -> None:
    """Each forecast expands to 2,000 runs: a tampered file must not expand 50,000."""
    whole = ((0, forecast.RUNS),)
    forecast.remember([((tuple([i]), 1, 365), whole) for i in range(forecast.KEPT + 500)])
    assert len(forecast._memo.known) == forecast.KEPT
    assert ((forecast.KEPT + 499,), 1, 365) in forecast._memo.known
