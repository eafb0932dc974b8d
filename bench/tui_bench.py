"""A 10,000-issue board in the TUI: keystroke latency, UI-loop stalls, memory, idle CPU.

A script, not a test: `.venv/bin/python bench/tui_bench.py [--runs 3] [--write]`.

Each run is a new process (`--one` prints its numbers as JSON; the parent takes medians). It
builds one source of 200 milestones x 50 issues (an in-process fake tracker: no network, so
the numbers are the board's and the TUI's own), saves it to the snapshot cache as a first run
would, then starts the real app (`create_app`, headless Textual at 100x30) and measures:

- first frame and the cached board painted, from the app's start;
- filter keystrokes: from a key entering the app the way a terminal's keys do (the driver's
  queue, so through the key gate and the bindings) to the frame that shows its filtered list,
  one key at a time, typing and deleting in the Milestones and Pressing views;
- UI-loop stalls: a probe timer on the app's event loop that should wake every 5 ms; the
  longest it was late while 10 refreshes ran (each changes 30 issues) and while typing;
- RSS after the 10 refreshes; CPU time of the open, idle board over 10 s.

Each refresh is recorded in the board's SQLite history too (in the run's own state folder),
as a real one is.

`--write` puts the table into bench/RESULTS.md ("TUI at 10,000 issues").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from msgspec.structs import replace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import write_section

MILESTONES, PER_MILESTONE = 200, 50
SIZE = (100, 30)
PROBE = 0.005
REFRESHES = 10
IDLE_SECONDS = 10.0
TYPED = ("search", "v1")
"""Typed into the filter then deleted, one key at a time, in each of two views."""
WORDS = (
    "Cart total ignores discount",
    "Add retry to payment webhook",
    "Keyboard trap in date picker",
    "Slow search on catalogue pages",
    "Refund emails sent twice",
    "Contrast too low on buttons",
    "Settlement report misses batches",
    "Flaky checkout test",
    "Document the API",
    "Session expires during checkout",
)


class BigTracker:
    """A `Tracker` holding 10,000 issues in memory; each refresh touches 30 of them."""

    def __init__(self, name: str, now: datetime) -> None:
        from pullboard.model import Issue, Milestone, Source, State

        self.source = Source(name, "github")
        self.reuses = False
        self.marks: dict[str, str] = {}
        self.progress: Callable[[str], None] | None = None
        self.now = now
        self.round = 0
        self._milestones = []
        self._issues = []
        for m in range(MILESTONES):
            repo = f"acme/repo{m // 10:02d}"
            url = f"https://github.com/{repo}/milestone/{m % 10 + 1}"
            closed = (m * 7) % PER_MILESTONE
            self._milestones.append(
                Milestone(
                    url=url,
                    ref=f"{repo}@v{m // 10}.{m % 10}",
                    source=name,
                    title=f"v{m // 10}.{m % 10} {WORDS[m % len(WORDS)]}",
                    state=State.OPEN,
                    due=(now + timedelta(days=m % 90 - 20)).date(),
                    open_count=PER_MILESTONE - closed,
                    closed_count=closed,
                    key=str(m % 10 + 1),
                )
            )
            for n in range(PER_MILESTONE):
                number = m % 10 * PER_MILESTONE + n + 1
                done = n < closed
                self._issues.append(
                    Issue(
                        url=f"https://github.com/{repo}/issues/{number}",
                        ref=f"{repo}#{number}",
                        source=name,
                        milestone=url,
                        title=f"{WORDS[(m + n) % len(WORDS)]} ({m}.{n})",
                        state=State.CLOSED if done else State.OPEN,
                        status="Closed" if done else "Open",
                        created=now - timedelta(days=60 + n),
                        updated=now - timedelta(days=(m + n) % 30, hours=n),
                        closed_at=now - timedelta(days=n % 25) if done else None,
                        assignees=(("me",) if n % 9 == 0 else (f"dev{n % 13}",)),
                        labels=(("blocker",) if n % 97 == 0 else ("bug",) if n % 3 else ()),
                    )
                )

    def start_refresh(self, previous: Any = None) -> None:
        """Each refresh after the first: 30 issues were updated upstream."""
        if self.round:
            for k in range(30):
                at = (self.round * 331 + k * 97) % len(self._issues)
                issue = self._issues[at]
                self._issues[at] = replace(
                    issue, title=f"{issue.title}!", updated=self.now + timedelta(seconds=k)
                )
        self.round += 1

    async def milestones(self) -> list[Any]:
        return list(self._milestones)

    async def issues(self, milestone: Any) -> list[Any]:
        return [i for i in self._issues if i.milestone == milestone.url]

    async def all_issues(self) -> list[Any]:
        return list(self._issues)

    async def recent_closed(self, since: datetime) -> list[Any]:
        return [i for i in self._issues if i.closed_at is not None and i.closed_at >= since]

    async def issue_body(self, issue: Any) -> str:
        return ""

    async def aclose(self) -> None:
        return None


def _config() -> Any:
    from pullboard.config import BoardConfig, Config, SourceConfig

    source = SourceConfig(
        name="big", kind="github", url="https://api.github.com", repos=("acme/repo00",)
    )
    return Config(Path("/bench/tui.toml"), BoardConfig(title="10k", me=("me",)), (source,))


def _board(tracker: BigTracker) -> Any:
    from pullboard.board import Board

    board = Board(_config())
    # The fake tracker stands in for the one `open_tracker` would build (no network).
    board._trackers["big"] = tracker
    return board


class Probe:
    """Wakes every 5 ms on the event loop and records how late each wake-up was."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.lags = []
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            due = time.perf_counter() + PROBE
            await asyncio.sleep(PROBE)
            self.lags.append(time.perf_counter() - due)

    def stop(self) -> float:
        """The longest stall seen since `start`, in seconds."""
        assert self.task is not None
        self.task.cancel()
        return max(self.lags, default=0.0)


class Session:
    """The running app with a hook on its frames: each frame hands the screen to the driver
    (`App._display`), and a waiter is told the first frame at which its condition holds."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.frames: list[float] = []
        self.waiting: list[tuple[Callable[[], bool], asyncio.Future[float]]] = []
        self.display = app._display
        app._display = self.shown

    def shown(self, screen: Any, renderable: Any) -> None:
        self.display(screen, renderable)
        if renderable is None:
            return
        at = time.perf_counter()
        self.frames.append(at)
        for ready, future in list(self.waiting):
            if not future.done() and ready():
                future.set_result(at)
                self.waiting.remove((ready, future))

    async def frame_when(self, ready: Callable[[], bool]) -> float:
        """The time of the first frame painted once `ready()` is true."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting.append((ready, future))
        return await asyncio.wait_for(future, 30)

    def screen(self) -> Any:
        from pullboard.tui.screens.board import BoardScreen

        screen = self.app.screen
        assert isinstance(screen, BoardScreen)
        return screen

    def painted(self) -> bool:
        return bool(self.app.screen.query("ItemTable")) and self.screen().table().row_count > 0

    async def key(self, name: str, char: str, ready: Callable[[], bool]) -> float:
        """Send one key as the terminal driver does; seconds until the frame that shows it."""
        from textual import events

        await asyncio.sleep(0.03)
        sent = time.perf_counter()
        event = events.Key(name, char)
        event.set_sender(self.app)
        self.app._driver.send_message(event)
        return await self.frame_when(ready) - sent

    async def typing(self) -> list[float]:
        """Type and delete each of `TYPED` in the Milestones and the Pressing view."""
        latencies: list[float] = []
        for number, view in (("1", "milestones"), ("2", "pressing")):
            await self.key(number, number, lambda v=view: self.screen().view == v)
            await self.key("slash", "/", lambda: self.screen().focused is not None)
            for word in TYPED:
                texts = [word[:n] for n in range(1, len(word) + 1)]
                texts += [word[:n] for n in range(len(word) - 1, -1, -1)]
                for before, text in zip(["", *texts], texts, strict=False):
                    name = text[-1] if len(text) > len(before) else "backspace"
                    filtered = lambda t=text: self.screen().filter_text == t  # noqa: E731
                    latencies.append(
                        await self.key(name, name if len(name) == 1 else "\x7f", filtered)
                    )
            await self.key("escape", "\x1b", lambda: not self.screen().filter_text)
        return sorted(latencies)


async def one_run() -> dict[str, float]:
    """Everything measured in one process."""
    from pullboard.cli import collector
    from pullboard.model import utc_now
    from pullboard.tui.app import create_app

    collector.settle()  # as `pullboard` does once the app is imported
    tracker = BigTracker("big", utc_now())
    warm = _board(tracker)
    await warm.refresh(full=True)  # what an earlier run left in the cache
    await warm.aclose()
    app = create_app(_config(), board=_board(tracker))
    session = Session(app)
    out: dict[str, float] = {}
    probe = Probe()
    start = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        out["first_frame"] = session.frames[0] - start if session.frames else float("nan")
        out["cache_painted"] = await session.frame_when(session.painted) - start
        await settled(app)

        probe.start()
        latencies = await session.typing()
        out["typing_stall"] = probe.stop()
        out["key_median"] = statistics.median(latencies)
        out["key_p95"] = latencies[int(0.95 * (len(latencies) - 1))]
        out["key_worst"] = latencies[-1]

        probe.start()
        walls = []
        for _ in range(REFRESHES):
            began = time.perf_counter()
            app.action_refresh()
            await settled(app)
            walls.append(time.perf_counter() - began)
        out["refresh_stall"] = probe.stop()
        out["refresh_wall"] = statistics.median(walls)
        out["rss_mb"] = _rss_mb()
        assert tracker.round == REFRESHES + 2, "the warm-up, the start and 10 refreshes"

        await pilot.pause(1.0)
        cpu = time.process_time()
        await asyncio.sleep(IDLE_SECONDS)
        out["idle_cpu"] = (time.process_time() - cpu) / IDLE_SECONDS
    return out


async def settled(app: Any) -> None:
    """Until every worker is done, those that others started included (start -> refresh ->
    building the lists)."""
    while any(not worker.is_finished for worker in app.workers):
        await app.workers.wait_for_complete()
    await asyncio.sleep(0.05)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


ROWS = (
    ("first frame (app start to first paint)", "first_frame", "ms"),
    ("board painted from the cache (200 milestones, 10,000 issues)", "cache_painted", "ms"),
    ("filter keystroke to repaint, median", "key_median", "ms"),
    ("filter keystroke to repaint, p95", "key_p95", "ms"),
    ("filter keystroke to repaint, worst", "key_worst", "ms"),
    ("longest UI-loop stall while typing", "typing_stall", "ms"),
    ("refresh (30 issues changed), wall", "refresh_wall", "ms"),
    ("longest UI-loop stall during 10 refreshes", "refresh_stall", "ms"),
    ("RSS after 10 refreshes", "rss_mb", "MB"),
    ("idle CPU of the open board over 10 s", "idle_cpu", "%"),
)
TARGETS = {
    "key_median": "≤ 30 ms",
    "key_p95": "≤ 30 ms",
    "typing_stall": "≤ 100 ms",
    "refresh_stall": "≤ 100 ms",
    "idle_cpu": "≈ 0",
}


def _cell(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:.0f} ms"
    if unit == "%":
        return f"{value * 100:.1f} %"
    return f"{value:.0f} MB"


def table(runs: list[dict[str, float]]) -> str:
    lines = ["| Measure | median | worst run | target |", "|---|---:|---:|---|"]
    for label, key, unit in ROWS:
        values = [r[key] for r in runs]
        lines.append(
            f"| {label} | {_cell(statistics.median(values), unit)} | "
            f"{_cell(max(values), unit)} | {TARGETS.get(key, '')} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(one_run())))
        return
    runs = []
    for _ in range(args.runs):
        home = tempfile.mkdtemp()
        env = {
            **os.environ,
            "XDG_STATE_HOME": f"{home}/state",
            "XDG_CACHE_HOME": f"{home}/cache",
            "XDG_CONFIG_HOME": f"{home}/config",
            "TERM": "xterm-256color",
        }
        done = subprocess.run(
            [sys.executable, __file__, "--one"],
            check=False,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(done.stderr)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    result = table(runs)
    print(result)
    if args.write:
        load = os.getloadavg()[0]
        write_section(
            "TUI at 10,000 issues",
            f"Measured by `bench/tui_bench.py --write`; rerun it to refresh this section.\n\n"
            f"One source of {MILESTONES} milestones x {PER_MILESTONE} issues from an in-process "
            f"fake tracker (no network), cached by an earlier run; the real app headless at "
            f"{SIZE[0]}x{SIZE[1]}. Keys go in through the driver's queue (the key gate and "
            f"bindings included) one at a time, typing and deleting `search` and `v1` in the "
            f"Milestones and Pressing views; a key's latency ends with the frame that shows its "
            f"list. Stalls: the most a 5 ms timer on the app's loop was late. Median of "
            f"{args.runs} runs, each a new process. Python {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, load average "
            f"{load:.1f} when it finished (other work shares the machine), "
            f"{datetime.now().date()}.\n\n{result}",
        )


if __name__ == "__main__":
    main()
