"""The pipeline end to end on the demo source: the same path the TUI and export take."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from pullboard import insights
from pullboard.board import Board
from pullboard.config import BoardConfig, Config
from pullboard.model import Risk, State
from pullboard.sources.demo import demo_config, demo_history

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
async def board() -> Board:
    return Board(demo_config(), clock=lambda: NOW)


async def test_demo_covers_every_risk_level(board: Board) -> None:
    snap = await board.refresh(full=True)
    risks = Counter(snap.status[m.url].risk for m in snap.milestones)
    assert set(risks) == set(Risk)
    assert len(snap.milestones) == 10
    assert len(snap.issues) == 118
    assert {s.kind for s in snap.sources} == {"github", "jira"}
    assert any(m.due is None for m in snap.milestones)
    assert any(m.due and m.due < NOW.date() and m.state is State.OPEN for m in snap.milestones)


async def test_open_milestones_by_due_date_none_last_then_closed(board: Board) -> None:
    snap = await board.refresh()
    open_ = [m for m in snap.milestones if m.state is State.OPEN]
    assert snap.milestones[: len(open_)] == tuple(open_), "closed milestones come last"
    dues = [m.due for m in open_]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated)
    assert dues[-1] is None


async def test_overview_then_full_load(board: Board) -> None:
    overview = await board.refresh()
    assert all(i.closed_at is not None for i in overview.issues), "overview holds recent closes"
    full = await board.refresh(full=True)
    assert any(i.state is State.OPEN for i in full.issues)
    for m in full.milestones:
        st = full.status[m.url]
        listed = full.issues_of(m.url)
        assert st.open + st.closed == len(listed), "counts match what the milestone view lists"


async def test_insights_seeded_and_matched(board: Board) -> None:
    snap = await board.refresh(full=True)
    assert (
        len([i for i in snap.insights if not i.expired(NOW.date())]) == 6
    )  # and the ask of dana (demo_align)
    assert snap.unmatched == ()
    assert snap.insights_error is None


async def test_open_milestone_fetches_only_that_one(board: Board) -> None:
    snap = await board.refresh()
    target = next(m for m in snap.milestones if m.state is State.OPEN)
    assert not board.has_issues(target.url)
    snap = await board.open_milestone(target.url)
    assert board.has_issues(target.url)
    assert len(snap.issues_of(target.url)) == target.open_count + target.closed_count
    others = [m for m in snap.milestones if m.url != target.url]
    assert not any(board.has_issues(m.url) for m in others)


async def test_a_board_remembers_the_last_look(tmp_path: Path) -> None:
    config = Config(path=tmp_path / "config.toml", board=BoardConfig(title="t"), sources=())
    Board(config, clock=lambda: NOW).mark_looked()
    later = Board(config, clock=lambda: NOW + timedelta(hours=1))
    assert later.last_look == NOW
    assert (await later.refresh(full=True)).new == frozenset()


async def test_the_demo_shows_the_same_new_items_every_launch(board: Board) -> None:
    """The demo shows what "new since last look" means, so its last look never moves: not
    after a quit, and not by the second that may tick while the demo data is generated."""
    first = await board.refresh(full=True)
    board.mark_looked()
    ticks = iter(NOW + timedelta(hours=1, seconds=n * 0.7) for n in range(1000))
    later = Board(demo_config(), clock=lambda: next(ticks))
    again = await later.refresh(full=True)
    assert len(first.new) == len(again.new) == 25


async def test_demo_first_run_has_something_new(board: Board) -> None:
    snap = await board.refresh(full=True)
    assert snap.last_look == NOW - timedelta(days=2, minutes=-1)
    new_items = [snap.find(url) for url in snap.new]
    new_insights = [i for i in snap.insights if i.id in snap.new]
    # 24 issues updated or closed within the two days (tests/tui lists them by ref), and the
    # one insight pinned since, on 2.0 Accessibility pass.
    assert sum(item is not None for item in new_items) == 24
    assert [snap.find(i.on).ref for i in new_insights] == ["acme/web@2.0"]
    assert len(snap.new) == 25


async def test_body_fetched_on_demand(board: Board) -> None:
    snap = await board.refresh(full=True)
    issue = snap.issues[0]
    assert issue.body is None
    assert "## Done when" in await board.body(issue)


async def test_each_source_is_painted_as_soon_as_it_finishes(board: Board) -> None:
    seen: list[set[str]] = []
    await board.refresh(partial=lambda snap: seen.append({m.source for m in snap.milestones}))
    assert len(seen) == 3
    assert len(seen[0]) == 1 and seen[-1] == {"shop", "web", "payments"}


async def test_demo_tells_one_story(board: Board) -> None:
    """The milestones a sceptical lead is shown: blocked, stalled, on track after a burst,
    slipped twice; every title distinct; each body about its own issue."""
    snap = await board.refresh(full=True)
    by_title = {(m.source, m.title): snap.status[m.url] for m in snap.milestones}
    search = by_title[("web", "2.1 Search revamp")]
    assert search.risk is Risk.AT_RISK and search.blockers == ("acme/web#434",)
    assert search.reason.endswith("acme/web#434 blocks it.")
    blocked_note = next(i for i in snap.insights if i.id == "demo-3")
    assert blocked_note.title == "acme/web#434 blocks Search revamp"
    assert by_title[("payments", "PAY 2.2")].risk is Risk.STALLED
    burst = by_title[("payments", "PAY 2.1")]
    assert burst.risk is Risk.ON_TRACK
    pay21 = next(m for m in snap.milestones if m.title == "PAY 2.1")
    closes = [i.closed_at for i in snap.issues_of(pay21.url) if i.closed_at]
    assert sum(NOW - c < timedelta(days=6) for c in closes) == 8, "the burst"
    assert sum(timedelta(days=6) <= NOW - c <= timedelta(days=21) for c in closes) == 0
    assert by_title[("web", "Q4 hardening")].risk is Risk.OFF_TRACK
    assert by_title[("shop", "Q4 hardening")].risk is Risk.DONE
    titles = [i.title for i in snap.issues]
    assert len(set(titles)) == len(titles) == 118
    body = await board.body(snap.issues[0])
    assert "signing in on a second device" in body and "v1.4 Saved carts" in body


async def test_demo_insights_numbers_match_the_data(board: Board) -> None:
    snap = await board.refresh(full=True)
    a11y = next(m for m in snap.milestones if m.title == "2.0 Accessibility pass")
    note = next(i for i in snap.insights if i.id == "demo-2")
    st = snap.status[a11y.url]
    assert f"and {st.open} are open" in note.summary and "added 6 issues" in note.summary
    assert st.scope_added == 6
    assert f"We close {st.close_rate:.2f} issues a day" in note.detail
    burst = next(i for i in snap.insights if i.id == "demo-4")
    assert burst.summary.startswith("8 issues closed in the last 6 days after 23 days")
    stalled = next(i for i in snap.insights if i.id == "demo-5")
    assert "its 8 issues" in stalled.summary


def test_demo_history_slipped_twice_and_matches_the_issues() -> None:
    """What the history store seeds for the demo: 2.0 Accessibility pass moved its due date
    twice (the last time a day ago), and every series ends at today's counts."""
    history = demo_history(NOW)
    a11y = history["https://github.com/acme/web/milestone/7"]
    dues = [p.due for p in a11y]
    moves = [(a, b) for a, b in pairwise(dues) if a != b]
    today = NOW.date()
    assert moves == [
        (today - timedelta(days=12), today + timedelta(days=4)),
        (today + timedelta(days=4), today + timedelta(days=18)),
    ]
    assert NOW - a11y[-1].at == timedelta(days=1), "the second slip is new since last look"
    assert (a11y[0].open, a11y[0].closed) == (14, 0), "first seen once planned"
    assert (a11y[-1].open, a11y[-1].closed) == (10, 10)
    assert len(history) == 10
    assert all(p.at <= NOW for points in history.values() for p in points)


async def test_a_goal_edited_between_looks_is_news_in_one_sentence() -> None:
    """Goals are recorded like milestones (under `goal:ID`): the demo's goal moved a week
    later shows in the next look's feed, grouped under the goal, and JSON says from and to."""
    now = [NOW]
    board = Board(demo_config(), clock=lambda: now[0])
    try:
        first = await board.refresh(full=True)
        (goal,) = first.goals
        assert goal.due is not None
        assert not [c for c in first.changes if c.kind == "goal_changed"], "the demo as seeded"
        later = goal.due + timedelta(days=7)
        insights.edit_goal(board.insights_store, goal.id, {"due": later}, user="lee", now=NOW)
        now[0] = NOW + timedelta(minutes=5)
        snap = await board.refresh(full=True)
    finally:
        await board.aclose()
    moved = [c for c in snap.changes if c.kind == "goal_changed" and c.after == later.isoformat()]
    assert [(c.url, c.milestone, c.before) for c in moved] == [
        (goal.url, goal.url, goal.due.isoformat())
    ]
    assert moved[0].text.startswith(f"Goal Holiday launch's due date moved from {goal.due:%b %d} ")
    assert moved[0].text.endswith(f"to {later:%b %d} 2027 (7 d later).")


async def test_snapshots_and_cache_saves_are_built_off_the_event_loop(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Analysing and caching a big board takes a good part of a second: a TUI's loop must
    not spend it (issue 11). Spies record the thread each runs on; the demo counts as big."""
    import threading

    from pullboard import analysis, assembly
    from pullboard.cache import SnapshotCache

    threads: list[str] = []
    statuses, save = analysis.statuses, SnapshotCache.save

    def spy_statuses(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread().name)
        return statuses(*args, **kwargs)

    def spy_save(self: SnapshotCache, *args: object) -> object:
        threads.append(threading.current_thread().name)
        return save(self, *args)

    monkeypatch.setattr(assembly, "THREADED_ISSUES", 0)
    monkeypatch.setattr(analysis, "statuses", spy_statuses)
    monkeypatch.setattr(SnapshotCache, "save", spy_save)
    board = Board(demo_config(), clock=lambda: NOW)
    board.cache = SnapshotCache(tmp_path)  # the demo keeps none; this one sees the saves
    await board.refresh(full=True, partial=lambda _snap: None)
    await board.aclose()
    assert len(threads) > 3 and threading.main_thread().name not in threads


async def test_a_refresh_analyses_once_and_recounts_only_what_moved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Recording a refresh can change which issues moved in or out of a milestone; only
    then are statuses counted again, and only those milestones' (issue 11: a 10,000-issue
    board's analysis takes most of a second)."""
    from pullboard import analysis

    calls: list[list[str]] = []
    statuses = analysis.statuses

    def spy(milestones: Any, *args: Any, **kwargs: Any) -> Any:
        milestones = list(milestones)
        calls.append([m.ref for m in milestones])
        return statuses(milestones, *args, **kwargs)

    monkeypatch.setattr(analysis, "statuses", spy)
    board = Board(demo_config(), clock=lambda: NOW)
    try:
        # The first records the demo's past: an issue left Q4 hardening for 2.1 (a new
        # issue: 2.1's dates already count it as growth).
        first = await board.refresh(full=True)
        assert len(calls) == 2
        assert len(calls[0]) == len(first.milestones)
        assert calls[1] == ["acme/web@Q4"]
        q4 = first.by_ref("acme/web@Q4")
        assert q4 is not None and first.status[q4.url].scope_removed == 1, "counted anew"
        assert first.status == board.snapshot().status, "as if analysed from scratch"
        calls.clear()
        again = await board.refresh(full=True)  # nothing moved
        assert len(calls) == 1
    finally:
        await board.aclose()
    assert again.status == first.status
