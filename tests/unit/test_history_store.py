"""The history database: a row per change, drift and scope from it, a year kept, several
processes writing at once, and a broken file as an error the board can turn into a warning."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pullboard.history import HistoryError, Store
from pullboard.history.recall import Memory

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
M1 = "https://github.com/acme/app/milestone/1"
M2 = "https://github.com/acme/app/milestone/2"


def milestone(due: str | None = "2026-12-20", open_: int = 5, closed: int = 1) -> dict[str, Any]:
    return {"ref": "acme/app@v1", "title": "v1", "state": "open", "due": due,
            "open": open_, "closed": closed, "forecast": None, "forecast_p85": None,
            "risk": "on_track"}  # fmt: skip


def issue(n: int, home: str | None = M1, created: datetime = NOW - timedelta(days=60)) -> Any:
    return {
        "ref": f"acme/app#{n}", "title": f"Issue {n}", "state": "open", "milestone": home,
        "assignees": [], "labels": [], "priority": None, "created": created.isoformat(),
    }  # fmt: skip


def rows(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT url, at FROM observation ORDER BY at, url").fetchall()


def test_only_changes_are_rows(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    seen = {M1: ("milestone", milestone()), "i1": ("issue", issue(1))}
    assert store.record("b", NOW - timedelta(hours=2), seen) == 2
    assert store.record("b", NOW - timedelta(hours=1), seen) == 0, "the same facts: no row"
    assert store.record("b", NOW, {**seen, M1: ("milestone", milestone(open_=4))}) == 1
    assert len(rows(store.path)) == 3
    assert store.latest("b")[M1]["open"] == 4
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_goals_are_recalled_whole_like_milestones(tmp_path: Path) -> None:
    """A goal's facts from before the moment asked for come back: the feed compares with them."""
    store = Store(tmp_path / "h.sqlite3")
    facts = {"title": "Holiday launch", "due": "2027-01-07", "risk": "on_track"}
    store.record("b", NOW - timedelta(days=30), {"goal:holiday": ("goal", facts)})
    store.record("b", NOW, {"goal:holiday": ("goal", {**facts, "risk": "at_risk"})})
    found = store.observations("b", NOW - timedelta(days=1))
    assert [(o.kind, o.facts["risk"]) for o in found] == [("goal", "on_track"), ("goal", "at_risk")]


def test_an_older_view_never_overwrites_a_newer_one(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    store.record("b", NOW, {M1: ("milestone", milestone(due="2027-01-09"))})
    assert store.record("b", NOW - timedelta(minutes=5), {M1: ("milestone", milestone())}) == 0
    assert store.latest("b")[M1]["due"] == "2027-01-09"


def test_due_drift_and_burn_up_points(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    for days, due, closed in ((20, "2026-12-11", 1), (10, "2026-12-11", 2), (5, "2026-12-15", 3),
                              (1, "2026-12-20", 3)):  # fmt: skip
        store.record(
            "b", NOW - timedelta(days=days), {M1: ("milestone", milestone(due, 5, closed))}
        )
    past = Memory.of(store.observations("b", NOW - timedelta(days=21))).pasts(NOW, 21)[M1]
    assert (past.due_moves, past.first_due) == (2, date(2026, 12, 11))
    assert [(p.closed, p.due) for p in past.points] == [
        (1, date(2026, 12, 11)), (2, date(2026, 12, 11)), (3, date(2026, 12, 15)),
        (3, date(2026, 12, 20)),
    ]  # fmt: skip
    assert past.drift(date(2026, 12, 20)) == "due moved twice (+9 d) since Nov 01"
    assert past.drift(None) == "due moved twice since Nov 01"


def test_scope_moved_in_and_out_over_the_window(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    both = {M1: ("milestone", milestone()), M2: ("milestone", milestone())}
    start = {
        "i1": ("issue", issue(1, M1)),
        "i2": ("issue", issue(2, M2)),
        "i3": ("issue", issue(3)),
    }
    store.record("b", NOW - timedelta(days=30), {**both, **start})
    # i1 moves to M2, i3 leaves for a milestone the board doesn't show (its list is whole)
    store.record("b", NOW - timedelta(days=3),
                 {**both, "i1": ("issue", issue(1, M2)), "i2": ("issue", issue(2, M2))},
                 complete=frozenset({M1, M2}))  # fmt: skip
    assert store.latest("b")["i3"]["milestone"] is None
    pasts = Memory.of(store.observations("b", NOW - timedelta(days=21))).pasts(NOW, 21)
    assert (pasts[M1].joined, pasts[M1].removed) == (0, 2)
    assert (pasts[M2].joined, pasts[M2].removed) == (1, 0)
    assert (
        Memory.of(store.observations("b", NOW - timedelta(days=2))).pasts(NOW, 2)[M1].removed == 0
    )


def test_a_year_is_kept(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    old = NOW - timedelta(days=400)
    store.record(
        "b", old, {M1: ("milestone", milestone("2026-01-01")), "gone": ("issue", issue(9))}
    )
    store.record("other", old, {M2: ("milestone", milestone())})
    store.record("b", NOW - timedelta(days=200), {M1: ("milestone", milestone("2026-02-01"))})
    store.record("b", NOW, {M1: ("milestone", milestone("2026-03-01"))})
    assert [url for url, _ in rows(store.path)] == [M1, M1], "older than a year and superseded"
    assert "gone" not in store.latest("b"), "not shown, unchanged for a year: forgotten"
    assert store.latest("other") == {}, "a board nobody has recorded for a year: forgotten"


def test_an_item_unchanged_for_a_year_keeps_its_facts(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.sqlite3")
    seen = {M1: ("milestone", milestone())}
    store.record("b", NOW - timedelta(days=500), seen)
    store.record("b", NOW, seen)
    assert len(rows(store.path)) == 1 and store.latest("b")[M1] == milestone()


def test_a_broken_file_or_folder_is_a_history_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError, match=r"junk\.sqlite3: file is not a database"):
        Store(junk).record("b", NOW, {M1: ("milestone", milestone())})
    with pytest.raises(HistoryError, match="file is not a database"):
        Store(junk).observations("b", NOW)
    (tmp_path / "file").write_text("x")
    with pytest.raises(HistoryError, match=r"file/h\.sqlite3"):
        Store(tmp_path / "file" / "h.sqlite3").record("b", NOW, {})
    assert Store(tmp_path / "none.sqlite3").observations("b", NOW) == []


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from pullboard.history import Store

    path, me, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = Store(__import__("pathlib").Path(path))
    base = datetime(2026, 11, 1, tzinfo=UTC)
    for n in range(rounds):
        # every writer sees the same shared milestone change at each round, and its own issue
        shared = {"m": ("milestone", {"open": n})}
        mine = {f"issue-{me}": ("issue", {"round": n})}
        store.record("b", base + timedelta(minutes=n, microseconds=me), {**shared, **mine})
    """
)


def test_several_processes_write_at_once(tmp_path: Path) -> None:
    path, writers, rounds = tmp_path / "h.sqlite3", 6, 40
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(me), str(rounds)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for me in range(writers)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    found = rows(path)
    with sqlite3.connect(path) as db:
        shared = [
            f for (f,) in db.execute("SELECT facts FROM observation WHERE url = 'm' ORDER BY at")
        ]
    opens = [int(f.split(":")[1].rstrip("}")) for f in shared]
    assert opens == sorted(set(opens)), "each shared change once, never an older one after"
    for me in range(writers):
        assert sum(url == f"issue-{me}" for url, _ in found) == rounds
    assert Store(path).latest("b")["m"] == {"open": rounds - 1}


async def test_a_seeded_history_under_a_file_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    """The demo empties its own database before seeding it; with the state "folder" a regular
    file, removing the old files fails with NotADirectoryError, which must become the
    board's warning like any other history problem (it crashed the refresh worker)."""
    from pullboard.history import Keeper
    from pullboard.model import Snapshot

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    keeper = Keeper(
        "demo", blocker / "demo-history.sqlite3", since=None, window_days=21, seed=lambda s: []
    )
    snapshot = Snapshot(generated_at=NOW, title="t", me="me", sources={}, milestones=(),
                        issues=(), status={}, pressing={}, insights=())  # fmt: skip
    await keeper.record(snapshot, lambda url: True)
    shown = keeper.apply(snapshot)
    assert any("History not saved" in w for w in shown.warnings), shown.warnings
