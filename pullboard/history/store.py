"""The history database: one SQLite file in the state folder, a row per change of an item.

Several processes write it at once (the TUI, `export` from cron, a second board): WAL mode
lets readers go on while one writes, each write is one `BEGIN IMMEDIATE` transaction that
compares against the latest facts *inside* the lock, and a busy timeout waits out the others.
So two processes seeing the same change record it once, and an older view never overwrites a
newer one. Rows older than a year are pruned as the board writes.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec

from pullboard.errors import PullboardError

KEEP = timedelta(days=365)
"""How long a change is kept; the latest facts of an item still on the board stay."""
BUSY_SECONDS = 5.0
"""How long a write waits for another process's write to finish before giving up."""
SCHEMA = """
CREATE TABLE IF NOT EXISTS observation (
    id INTEGER PRIMARY KEY,
    board TEXT NOT NULL,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    facts TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS observation_board ON observation (board, kind, at);
CREATE INDEX IF NOT EXISTS observation_at ON observation (at);
CREATE TABLE IF NOT EXISTS latest (
    board TEXT NOT NULL,
    url TEXT NOT NULL,
    at TEXT NOT NULL,
    facts TEXT NOT NULL,
    PRIMARY KEY (board, url)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS board (name TEXT PRIMARY KEY, recorded TEXT NOT NULL);
"""

Facts = dict[str, Any]
"""What the board saw of one item: JSON values (strings, numbers, lists, None)."""


class HistoryError(PullboardError):
    """The history database can't be read or written; the board goes on without it."""


class Observation(msgspec.Struct, frozen=True):
    """One recorded change: the item's facts from `at` on."""

    url: str
    kind: str
    """`milestone`, `issue` or `goal` (its url `goal:ID`)."""
    at: datetime
    facts: Facts


def stamp(when: datetime) -> str:
    """A moment as stored: UTC, fixed width, so text order is time order."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def unstamp(text: str) -> datetime:
    """A stored moment back (`fromisoformat` reads the `Z`: ten times `strptime`'s speed,
    which matters for the thousands of rows a big board recalls)."""
    return datetime.fromisoformat(text)


def encode(facts: Facts) -> str:
    """Canonical JSON, so equal facts are equal strings: keys sorted, no spaces, characters as
    they are; the text `json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
    wrote before (facts hold strings, integers, None and lists of them), in a tenth the time."""
    return _encoder.encode(facts).decode()


_encoder = msgspec.json.Encoder(order="sorted")


_decode = msgspec.json.Decoder(dict[str, Any]).decode
"""Stored facts back (msgspec: a 6,000-issue history in a third of json.loads' time)."""
Texts = Mapping[str, tuple[str, str]]
"""url -> (kind, facts as `encode` makes them): what a refresh saw, ready to compare."""
Latest = dict[str, tuple[str, str]]
"""url -> (stamp, encoded facts) of a board's `latest` rows."""
Mark = tuple[int, int, int]
"""What every write changes: (the file, its last observation id, the board's `latest` rows)."""


class Store:
    """The database at `path` (created on first write, with its folder).

    It remembers, per board, the `latest` rows its own last write left and the database's
    mark then (the last observation id and the board's count of `latest` rows): while the
    mark is unchanged no other process wrote, and the next write compares with what it
    remembers instead of reading every row again. Rows read back keep their decoded
    `Observation` by id. So a big board's refresh costs what changed, not its size.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._latest: dict[str, tuple[Mark, Latest]] = {}
        self._decoded: dict[tuple[int, int], tuple[str, Observation]] = {}
        """(file, row id) -> (its stamp, the row), as the last `observations` read it."""

    def remove(self) -> None:
        """Delete the database (the demo's, before its seed is written again).

        Raises:
            HistoryError: a file can't be removed (e.g. the state "folder" is a file).
        """
        self._latest.clear()
        self._decoded.clear()
        for suffix in ("", "-wal", "-shm"):
            try:
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            except OSError as err:
                raise HistoryError(f"{self.path}: {err.strerror or err}") from err

    @contextmanager
    def _open(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """A connection in WAL mode with a busy timeout; every SQLite or file problem becomes
        a `HistoryError` naming the file."""
        try:
            if write:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # Reads never create the file (`rw`); read-only would fail on a WAL file whose
            # shared-memory index is missing, so they open it for writing all the same.
            uri = self.path.as_uri() + ("" if write else "?mode=rw")
            with closing(
                sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS, isolation_level=None)
            ) as db:
                if write:
                    db.execute("PRAGMA journal_mode=WAL")
                    db.execute("PRAGMA synchronous=NORMAL")
                    db.executescript(SCHEMA)
                yield db
        except (sqlite3.Error, OSError) as err:
            raise HistoryError(f"{self.path}: {_reason(err)}") from err

    def record(
        self,
        board: str,
        at: datetime,
        seen: Mapping[str, tuple[str, Facts]],
        *,
        complete: frozenset[str] = frozenset(),
    ) -> int:
        """Record what one refresh saw: a row for each item whose facts changed.

        Args:
            board: which board saw it (its config path, or `demo`).
            at: when it was seen.
            seen: url -> (kind, facts) of every item the refresh delivered whole.
            complete: milestones whose whole issue list the refresh fetched: an issue last
                seen in one of them and missing now has left it (recorded with no milestone).

        Returns:
            How many rows were written.

        Raises:
            HistoryError: the database can't be opened or written (locked past the timeout,
                not a database, a read-only folder).
        """
        return self.record_all(board, [(at, seen)], complete=complete)

    def record_all(
        self,
        board: str,
        refreshes: Iterable[tuple[datetime, Mapping[str, tuple[str, Facts]]]],
        *,
        complete: frozenset[str] = frozenset(),
    ) -> int:
        """`record` for several refreshes in time order, in one transaction (the demo's seeded
        past: one connection and one commit instead of one per moment)."""
        return self.record_texts(
            board,
            (
                (at, {url: (kind, encode(facts)) for url, (kind, facts) in seen.items()})
                for at, seen in refreshes
            ),
            complete=complete,
        )

    def record_texts(
        self,
        board: str,
        refreshes: Iterable[tuple[datetime, Texts]],
        *,
        complete: frozenset[str] = frozenset(),
    ) -> int:
        """`record_all` with the facts already encoded (`encode`): a caller that keeps each
        item's text encodes only what changed."""
        written = 0
        remembered = self._latest.pop(board, None)  # back only once this write commits
        with self._open(write=True) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                latest = _still(db, board, remembered) or _read_latest(db, board)
                for at, seen in refreshes:
                    when = stamp(at)
                    written += _write(db, board, when, seen, complete, latest)
                    db.execute(
                        "INSERT INTO board VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                        "recorded = max(recorded, excluded.recorded)",
                        (board, when),
                    )
                    for url in _prune(db, board, at, seen.keys()):
                        latest.pop(url, None)
                mark = _mark(db, board)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        self._latest[board] = mark, latest
        return written

    def mark(self, board: str) -> Mark | None:
        """What any write changes (see `_mark`): equal marks, no write between them; None
        before the first write.

        Raises:
            HistoryError: the file exists but can't be read.
        """
        if not self.path.exists():
            return None
        with self._open(write=False) as db:
            return _mark(db, board)

    def latest(self, board: str) -> dict[str, Facts]:
        """The last recorded facts of every item of `board` (empty before the first write)."""
        if not self.path.exists():
            return {}
        with self._open(write=False) as db:
            found = db.execute("SELECT url, facts FROM latest WHERE board = ?", (board,))
            return {url: _decode(facts) for url, facts in found}

    def observations(self, board: str, start: datetime) -> list[Observation]:
        """What `board` recorded, oldest first: every milestone and goal row, and issue rows
        from `start` on with each issue's last row before it (its facts at `start`).

        Raises:
            HistoryError: the file exists but can't be read.
        """
        if not self.path.exists():
            return []
        begin = stamp(start)
        with self._open(write=False) as db:
            found = db.execute(
                "SELECT id, url, kind, at, facts FROM observation WHERE board = ? AND "
                "(kind IN ('milestone', 'goal') OR at >= ?) UNION ALL "
                "SELECT id, url, kind, max(at), facts FROM observation WHERE board = ? AND "
                "kind = 'issue' AND at < ? GROUP BY url ORDER BY 4, 2",
                (board, begin, board, begin),
            ).fetchall()
            file = _file(db)
        # A row never changes once written: one read before decoded it already.
        known, self._decoded = self._decoded, {}
        out = []
        for row_id, url, kind, at, text in found:
            was, row = known.get((file, row_id), ("", None))
            if row is None or (was, row.url, row.kind) != (at, url, kind):  # new, or id reused
                row = Observation(url, kind, unstamp(at), _decode(text))
            self._decoded[file, row_id] = at, row
            out.append(row)
        return out


def _still(
    db: sqlite3.Connection, board: str, remembered: tuple[Mark, Latest] | None
) -> Latest | None:
    """The `latest` rows this store's last write left, if no other process wrote since."""
    if remembered is None or remembered[0] != _mark(db, board):
        return None
    return remembered[1]


def _mark(db: sqlite3.Connection, board: str) -> Mark:
    """What any write changes: a write adds observations (only a prune could take the last
    one, and it takes `latest` rows too); the demo's database is deleted and written anew."""
    (last,) = db.execute("SELECT coalesce(max(id), 0) FROM observation").fetchone()
    (count,) = db.execute("SELECT count(*) FROM latest WHERE board = ?", (board,)).fetchone()
    return _file(db), last, count


def _file(db: sqlite3.Connection) -> int:
    """The open database file's identity (its inode)."""
    (_, _, name) = db.execute("PRAGMA database_list").fetchone()
    return os.stat(name).st_ino


def _read_latest(db: sqlite3.Connection, board: str) -> Latest:
    found = db.execute("SELECT url, at, facts FROM latest WHERE board = ?", (board,))
    return {url: (at, facts) for url, at, facts in found}


def _write(
    db: sqlite3.Connection,
    board: str,
    when: str,
    seen: Texts,
    complete: frozenset[str],
    latest: Latest,
) -> int:
    """Add a row for each item whose facts changed (`latest` follows)."""
    rows = []
    for url, (kind, text) in seen.items():
        old = latest.get(url)
        if old is None or old[1] is not text:  # the same text object: unchanged, no compare
            rows.append((url, kind, text))
    for url, (_, text) in latest.items():
        if url not in seen and complete:
            facts = _decode(text)
            if facts.get("milestone") in complete:
                rows.append((url, "issue", encode({**facts, "milestone": None})))
    changed = [
        (board, url, kind, when, text)
        for url, kind, text in rows
        # unchanged, or a newer view already recorded by another process: nothing to add
        if url not in latest or (latest[url][1] != text and latest[url][0] < when)
    ]
    db.executemany(
        "INSERT INTO observation (board, url, kind, at, facts) VALUES (?, ?, ?, ?, ?)",
        changed,
    )
    db.executemany(
        "INSERT INTO latest VALUES (?, ?, ?, ?) ON CONFLICT (board, url) DO UPDATE SET "
        "at = excluded.at, facts = excluded.facts",
        [(board, url, at, text) for board, url, _, at, text in changed],
    )
    latest.update((url, (at, text)) for _, url, _, at, text in changed)
    return len(changed)


def _prune(
    db: sqlite3.Connection, board: str, now: datetime, showing: Collection[str]
) -> list[str]:
    """Forget what is older than a year: rows superseded by a later one, items this board no
    longer shows, and every board not recorded for a year. Returns the items forgotten."""
    cutoff = stamp(now - KEEP)
    db.execute(
        "DELETE FROM observation WHERE at < ? AND NOT EXISTS (SELECT 1 FROM latest l WHERE "
        "l.board = observation.board AND l.url = observation.url AND l.at = observation.at)",
        (cutoff,),
    )
    old = db.execute(
        "SELECT url FROM latest WHERE board = ? AND at < ?", (board, cutoff)
    ).fetchall()
    gone = [(board, url) for (url,) in old if url not in showing]
    db.executemany("DELETE FROM observation WHERE board = ? AND url = ?", gone)
    db.executemany("DELETE FROM latest WHERE board = ? AND url = ?", gone)
    for table, column in (("observation", "board"), ("latest", "board"), ("board", "name")):
        db.execute(
            f"DELETE FROM {table} WHERE {column} IN "  # the names are ours
            "(SELECT name FROM board WHERE recorded < ?)",
            (cutoff,),
        )
    return [url for _, url in gone]


def _reason(err: BaseException) -> str:
    """`database is locked`, `file is not a database`, `Permission denied`."""
    if isinstance(err, OSError):
        return err.strerror or type(err).__name__
    return str(err) or type(err).__name__
