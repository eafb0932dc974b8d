"""Recording a refresh costs what changed (issue 11): each item's facts are encoded again only
when it changed, and the store compares with the rows its own last write left unless another
process wrote since. The rows written are the ones a full comparison writes."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from demo_board import NOW, refreshed_demo
from msgspec.structs import replace

from pullboard.history import Keeper, Observer, Store, issue_facts, milestone_facts
from pullboard.history.feed import tracker_changes
from pullboard.history.recall import Memory
from pullboard.history.store import encode, stamp
from pullboard.model import Snapshot


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    return refreshed_demo(tmp_path_factory.mktemp("demo"))


def rows(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT url, at FROM observation ORDER BY at, url").fetchall()


def complete(url: str) -> bool:
    return True


def test_an_unchanged_refresh_writes_nothing_and_a_change_exactly_its_rows(
    tmp_path: Path, snapshot: Snapshot
) -> None:
    store, observer = Store(tmp_path / "h.sqlite3"), Observer()
    seen, whole = observer.observed(snapshot, complete)
    first = store.record_texts("b", [(NOW, seen)], complete=whole)
    items = (*snapshot.milestones, *snapshot.issues, *snapshot.goals)
    assert first == len(seen) == len(items)
    again, whole = observer.observed(snapshot, complete)
    assert all(again[url][1] is seen[url][1] for url in seen), "nothing encoded again"
    assert store.record_texts("b", [(NOW + timedelta(hours=1), again)], complete=whole) == 0

    issue = snapshot.issues[3]
    changed = replace(issue, title="Renamed", assignees=("zed",))
    issues = tuple(changed if i is issue else i for i in snapshot.issues)
    later = replace(snapshot, issues=issues)
    texts, whole = observer.observed(later, complete)
    assert texts[issue.url] == ("issue", encode(issue_facts(changed)))
    at = NOW + timedelta(hours=2)
    assert store.record_texts("b", [(at, texts)], complete=whole) == 1
    assert [url for url, when in rows(store.path) if when == stamp(at)] == [issue.url]
    assert store.latest("b")[issue.url]["title"] == "Renamed"


def test_equal_items_from_a_new_fetch_are_not_encoded_again(snapshot: Snapshot) -> None:
    observer = Observer()
    seen, _ = observer.observed(snapshot, complete)
    copies = replace(snapshot, issues=tuple(replace(i) for i in snapshot.issues))
    again, _ = observer.observed(copies, complete)
    assert all(again[i.url][1] is seen[i.url][1] for i in snapshot.issues)
    m = snapshot.milestones[0]
    assert seen[m.url] == ("milestone", encode(milestone_facts(m, snapshot.status[m.url])))


def test_another_writer_in_between_is_compared_with(tmp_path: Path, snapshot: Snapshot) -> None:
    """Another process (a cron `export`) recorded a newer view; this one's next write
    compares with that, not with what it wrote itself."""
    path = tmp_path / "h.sqlite3"
    mine, other = Store(path), Store(path)
    issue = snapshot.issues[0]
    facts = issue_facts(issue)
    seen = {issue.url: ("issue", encode(facts))}
    assert mine.record_texts("b", [(NOW, seen)]) == 1
    moved = {issue.url: ("issue", encode({**facts, "title": "Elsewhere"}))}
    assert other.record_texts("b", [(NOW + timedelta(minutes=1), moved)]) == 1
    # Back to what this process saw first: a change again, against the other's row.
    assert mine.record_texts("b", [(NOW + timedelta(minutes=2), seen)]) == 1
    assert mine.latest("b")[issue.url]["title"] == issue.title
    assert mine.record_texts("b", [(NOW + timedelta(minutes=3), seen)]) == 0


def test_recalled_rows_are_decoded_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    store.record("b", NOW, {"m": ("milestone", {"due": "2026-12-01", "open": 3})})
    first = store.observations("b", NOW - timedelta(days=1))
    store.record("b", NOW + timedelta(hours=1), {"m": ("milestone", {"due": None, "open": 3})})
    second = store.observations("b", NOW - timedelta(days=1))
    assert second[0] is first[0] and len(second) == 2
    assert second[1].facts == {"due": None, "open": 3}
    store.remove()
    assert store.observations("b", NOW - timedelta(days=1)) == []


def test_a_record_that_wrote_nothing_reads_nothing_back(tmp_path: Path, snapshot: Snapshot) -> None:
    """A new process reads the history for its first snapshot; when its record then writes
    no row and nobody else wrote, that read still holds. An open board's later refreshes, a
    row written, or another process's write each read it again."""
    path = tmp_path / "h.sqlite3"
    asyncio.run(Keeper("b", path, since=None, window_days=14).record(snapshot, complete))
    keeper = Keeper("b", path, since=NOW - timedelta(days=1), window_days=14)
    reads: list[datetime] = []
    real = keeper.store.observations
    keeper.store.observations = lambda board, start: reads.append(start) or real(board, start)  # type: ignore[method-assign]

    keeper.scope(NOW)  # the first snapshot of the process
    asyncio.run(keeper.record(snapshot, complete))
    assert len(reads) == 1, "nothing written: the first read holds"

    keeper.scope(NOW)  # a later refresh of the open board
    asyncio.run(keeper.record(snapshot, complete))
    assert len(reads) == 2, "read again, so the window moves"

    issue = snapshot.issues[0]
    issues = (replace(issue, title="Renamed"), *snapshot.issues[1:])
    later = replace(snapshot, issues=issues, generated_at=NOW + timedelta(hours=1))
    other = Keeper("b", path, since=None, window_days=14)
    fresh = Keeper("b", path, since=NOW - timedelta(days=1), window_days=14)
    fresh_reads: list[datetime] = []
    real_fresh = fresh.store.observations
    fresh.store.observations = lambda board, start: (
        fresh_reads.append(start) or real_fresh(board, start)
    )  # type: ignore[method-assign]
    fresh.scope(NOW)
    asyncio.run(other.record(later, complete))  # another process records the retitle
    asyncio.run(fresh.record(later, complete))  # this one then writes nothing
    assert len(fresh_reads) == 2, "another process wrote: read again"
    assert "retitled" in [c.kind for c in fresh.apply(later).changes]


def test_facts_are_encoded_as_the_rows_already_stored_spell_them(snapshot: Snapshot) -> None:
    """Rows written before the encoder changed must compare equal, or every item would be
    recorded again as changed."""
    hostile = 'é\x7f\u2028\u2029\x1b\n\t"\\ ⟨U+202E⟩ 漢字 😀'
    facts = [milestone_facts(m, snapshot.status[m.url]) for m in snapshot.milestones]
    facts += [issue_facts(i) for i in snapshot.issues]
    facts.append({"title": hostile, "labels": [hostile, "b", "a"], "open": -3, "due": None})
    for fact in facts:
        assert encode(fact) == json.dumps(
            fact, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )


def test_an_issue_opened_in_a_quiet_milestone_is_news(tmp_path: Path) -> None:
    """The milestone's older issue, unchanged for a month, is what says the board was already
    watching it: the recall must read it back, or the new issue is taken for old."""
    store = Store(tmp_path / "h.sqlite3")
    counts = {"title": "M", "open": 1, "closed": 0, "due": None}
    old = {"milestone": "m", "title": "old", "created": (NOW - timedelta(days=40)).isoformat()}
    new = {"milestone": "m", "title": "new", "created": (NOW - timedelta(hours=2)).isoformat()}
    month_ago = NOW - timedelta(days=30)
    store.record_all("b", [(month_ago, {"m": ("milestone", counts), "u/1": ("issue", old)})])
    store.record_all("b", [(NOW, {"u/2": ("issue", new)})])

    memory = Memory.of(store.observations("b", NOW - timedelta(days=14)))
    changes = tracker_changes(memory, NOW - timedelta(days=1), NOW.date())

    assert [c.url for c in changes] == ["u/2"]
