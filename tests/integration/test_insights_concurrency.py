"""Many writers at once, and writers killed mid-write: the file always parses, no write is lost.

Writers are separate Python processes, as on a shared disk. They start together through a
ready/go handshake on their pipes, and a writer that must die at an exact point of a write
stops there and says so, so the test kills it there: no sleeps anywhere.
"""

from __future__ import annotations

import random
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

from pullboard import insights
from pullboard.model import Insight

WRITER = r"""
import os, stat, sys
from pathlib import Path
from pullboard import insights
from pullboard.insights import storage as insights_file
from pullboard.model import Insight

path, who, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
pause_at, pause_after = sys.argv[4], int(sys.argv[5])
acked = 0

def pause(point):
    # Stop at `point` of the write after `pause_after` acknowledged ones; the test kills us.
    if point == pause_at and acked >= pause_after:
        print("paused", flush=True)
        sys.stdin.readline()

real_fsync, real_replace, real_stale = os.fsync, os.replace, insights_file._remove_stale_temps

def fsync(fd):
    pause("dirsync" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync")
    real_fsync(fd)

def replace(src, dst):
    pause("replace")
    real_replace(src, dst)

def locked(target):
    pause("lock")
    real_stale(target)

os.fsync, os.replace, insights_file._remove_stale_temps = fsync, replace, locked
print("ready", flush=True)
sys.stdin.readline()
n = 0
while n != count:
    stored = insights.pin(path, Insight(id="", on="board", title=f"{who} {n}", author=who))
    acked += 1
    n += 1
    print(stored.id, flush=True)
"""


def start(
    path: Path, who: str, count: int, pause_at: str = "", after: int = 0
) -> subprocess.Popen[str]:
    """A writer process that has imported everything and waits for `go`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), who, str(count), pause_at, str(after)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n", proc.stderr.read() if proc.stderr else ""
    return proc


def go(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()


def temps(path: Path) -> list[Path]:
    return list(path.parent.glob(f".{path.name}.*.tmp"))


def test_eight_writers_pinning_fifty_each_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "insights.toml"
    path.parent.mkdir()
    writers = [start(path, f"lead{w}", 50) for w in range(8)]
    for proc in writers:
        go(proc)
    printed: list[str] = []
    for proc in writers:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        printed += out.split()

    loaded = insights.load(path)

    assert loaded.error is None and loaded.problems == ()
    assert len(printed) == len(set(printed)) == 400
    assert sorted(i.id for i in loaded.insights) == sorted(printed)
    titles = {i.title for i in loaded.insights}
    assert titles == {f"lead{w} {n}" for w in range(8) for n in range(50)}
    authors = [i.author for i in loaded.insights]
    switches = sum(a != b for a, b in pairwise(authors))
    assert switches > 7, "the writers never overlapped, so nothing was tested"
    assert temps(path) == []


def test_writers_killed_mid_write_never_break_the_file_or_lose_an_acknowledged_write(
    tmp_path: Path,
) -> None:
    path = tmp_path / "shared" / "insights.toml"
    path.parent.mkdir()
    insights.pin(path, Insight(id="", on="board", title="first", author="lee"))
    acked = {i.id for i in insights.load(path).insights}
    rng = random.Random(5)
    # Exact points first (each twice), then kills at whatever moment the writer is in.
    plan = ["lock", "fsync", "replace", "dirsync"] * 2 + [""] * 10
    for round_, point in enumerate(plan):
        proc = start(path, f"w{round_}", -1, point, after=rng.randint(0, 2))
        go(proc)
        assert proc.stdout is not None
        wanted = rng.randint(1, 3)
        while True:
            line = proc.stdout.readline().strip()
            assert line, proc.stderr.read() if proc.stderr else "writer died"
            if line == "paused":
                break
            acked.add(line)
            wanted -= 1
            if not point and wanted == 0:
                break
        proc.kill()
        proc.wait()

        loaded = insights.load(path)
        assert loaded.error is None and loaded.problems == (), (point, loaded)
        present = {i.id for i in loaded.insights}
        assert acked <= present, (point, acked - present)
        in_flight = len(present - acked)
        if point in ("lock", "fsync", "replace"):
            assert in_flight == 0, point
            assert bool(temps(path)) == (point != "lock"), point
        elif point == "dirsync":
            assert in_flight == 1
            acked |= present
        else:
            assert in_flight <= 1
            acked |= present

    insights.pin(path, Insight(id="", on="board", title="last", author="lee"))
    assert temps(path) == []
    assert len(insights.load(path).insights) == len(acked) + 1


BRIEFER = r"""
import sys
from datetime import UTC, datetime
from pathlib import Path
from pullboard import insights

path, who, ident = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
print("ready", flush=True)
sys.stdin.readline()
for n in range(20):
    stance = ("read", "agree", "commit", "concern")[n % 4]
    insights.ack(path, ident, who, datetime.now(UTC), stance=stance, note=f"{who} says {n}")
print("done", flush=True)
"""


def test_eight_processes_back_briefing_at_once_lose_nothing(tmp_path: Path) -> None:
    """Each reader rewrites its own back-brief 20 times while seven others do the same: the
    last of every reader's is there, and nobody's earlier one overwrote another's."""
    path = tmp_path / "shared" / "insights.toml"
    path.parent.mkdir()
    pinned = insights.pin(path, Insight(id="", on="board", title="freeze", author="lee"))
    readers = []
    for w in range(8):
        proc = subprocess.Popen(
            [sys.executable, "-c", BRIEFER, str(path), f"reader{w}", pinned.id],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        readers.append(proc)
    for proc in readers:
        go(proc)
    for proc in readers:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0 and out == "done\n", err

    (stored,) = insights.load(path).insights

    assert {u: (a.stance, a.note) for u, a in stored.acks.items()} == {
        f"reader{w}": ("concern", f"reader{w} says 19") for w in range(8)
    }
