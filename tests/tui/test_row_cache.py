"""Rows built once per snapshot (issue 11): a filter picks among them, and picks what the
old per-keystroke filter did in the views main grew since (the change feed, goals, asks)."""

from __future__ import annotations

import pytest
from demo_board import NOW, refreshed_demo
from msgspec.structs import replace

from pullboard.model import Snapshot
from pullboard.tui.goal_views import GOAL_KEY
from pullboard.tui.row_cache import RowCache
from pullboard.tui.views import ALL_VIEWS, ViewContext, rows


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    return refreshed_demo(tmp_path_factory.mktemp("demo"))


def context(snapshot: Snapshot, cache: RowCache, query: str = "") -> ViewContext:
    return ViewContext(snapshot, NOW, query, cache=cache)


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_a_keystroke_picks_rows_built_for_the_snapshot(snapshot: Snapshot, view: str) -> None:
    cache = RowCache()
    every = rows(view, context(snapshot, cache))
    assert every, f"the demo has {view} rows"
    word = every[-1].find.split()[0]
    picked = rows(view, context(snapshot, cache, word.upper()))
    built = {id(row) for row in cache.rows(view, context(snapshot, cache))}
    assert picked and all(id(row) in built for row in picked), "no row was built again"
    assert len(picked) <= len(every)


def test_the_change_feed_keeps_a_milestone_header_only_over_a_matching_change(
    snapshot: Snapshot,
) -> None:
    cache = RowCache()
    closed = rows("new", context(snapshot, cache, "PAY-79"))
    assert [row.key.startswith("group:") for row in closed] == [True, False]
    assert closed[0].target == "https://acme.atlassian.net/projects/PAY/versions/10200"
    assert "PAY-79" in closed[1].cells[1].plain
    assert rows("new", context(snapshot, cache, "no such change")) == []


def test_a_goal_filtered_by_its_title_keeps_its_milestones(snapshot: Snapshot) -> None:
    cache = RowCache()
    goal = snapshot.goals[0]
    shown = rows("goals", context(snapshot, cache, goal.title.lower()))
    milestones = list(snapshot.goal_status[goal.id].milestones)
    assert [row.target or row.key for row in shown] == [GOAL_KEY + goal.id, *milestones]
    assert rows("goals", context(snapshot, cache, "no such goal")) == []


def test_an_ask_in_mine_is_found_by_its_author(snapshot: Snapshot) -> None:
    ask = next(i for i in snapshot.insights if i.kind == "ask")
    shown = rows("mine", context(snapshot, RowCache(), ask.author.upper()))
    assert ask.id in [row.key for row in shown]


@pytest.mark.parametrize("view", ["pressing", "mine"])
def test_a_new_snapshot_reuses_the_rows_of_unchanged_issues(snapshot: Snapshot, view: str) -> None:
    cache = RowCache()
    before = {row.key: row for row in rows(view, context(snapshot, cache))}
    issue = next(i for i in snapshot.issues if i.url in before)
    renamed = replace(issue, title="Renamed by someone")
    later = replace(snapshot, issues=tuple(renamed if i is issue else i for i in snapshot.issues))
    after = rows(view, context(later, cache))
    fresh = rows(view, ViewContext(later, NOW))
    assert [(r.key, r.find, [str(c) for c in r.cells]) for r in after] == [
        (r.key, r.find, [str(c) for c in r.cells]) for r in fresh
    ], "the same rows a build from nothing makes"
    for row in after:
        if row.key == issue.url:
            assert row is not before[row.key] and "Renamed by someone" in str(row.cells)
        elif row.key in {i.url for i in snapshot.issues}:
            assert row is before[row.key], "an issue's row (asks are few, and built anew)"
