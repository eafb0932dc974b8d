"""Time from `pullboard --demo` to a painted board in a real terminal (tmux), beside a bare
Textual app (what any Textual program costs) in the same run.

Usage: .venv/bin/python bench/startup_bench.py [--runs N]

Prints Markdown rows: median and worst time until the milestone list is on screen on the
demo's first launch, then on later launches (what every day brings) at 80x24 and at 100x30,
the bare app's first paint at 100x30 and the ratio of later launches to it, and `pullboard
export --demo` (no terminal) for comparison.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import compiled

RUNS = itertools.count()
"""Each run gets its own tmux server: a server being killed can't swallow the next start."""
READY = "Q4 hardening"
"""The first milestone row of the demo: the list is painted."""
BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header()
        yield Static("bare app ready")
        yield Footer()
Bare().run()
"""


def board_paint_seconds(
    size: tuple[int, int] = (80, 24), state: str | None = None, linger: float = 0.0
) -> float:
    """Start the demo board in a fresh tmux pane and poll until the list is painted: its first
    launch (a new state folder), or a later one (`state`, the folder an earlier launch left:
    the demo's history database and kept forecasts, as every launch after the first finds)."""
    state = state or tempfile.mkdtemp()
    command = (
        f"env XDG_STATE_HOME={state} XDG_CACHE_HOME={state} {sys.executable} -m pullboard --demo"
    )
    return paint_seconds(command, READY, size, linger)


def bare_paint_seconds(size: tuple[int, int]) -> float:
    """The same for a Textual app with a header, one line of text and a footer."""
    script = Path(tempfile.mkdtemp()) / "bare.py"
    script.write_text(BARE_APP, encoding="utf-8")
    return paint_seconds(f"{sys.executable} {script}", "bare app ready", size)


def paint_seconds(command: str, ready: str, size: tuple[int, int], linger: float = 0.0) -> float:
    """Seconds from starting `command` in a fresh tmux pane until `ready` is on screen; the
    program is then left `linger` seconds to finish what it does after its first paint."""
    width, height = (str(n) for n in size)
    tmux = ["tmux", "-L", f"pullboard-bench-{os.getpid()}-{next(RUNS)}"]
    start = time.perf_counter()
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "b", "-x", width, "-y", height, command], check=True
    )
    try:
        while time.perf_counter() - start < 30:
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "b"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if ready in screen:
                painted = time.perf_counter() - start
                time.sleep(linger)
                return painted
            time.sleep(0.005)
        raise SystemExit(f"{command!r} never painted")
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, capture_output=True)


def export_seconds() -> float:
    state = tempfile.mkdtemp()
    env = {**os.environ, "XDG_STATE_HOME": state, "XDG_CACHE_HOME": state}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pullboard", "export", "--demo"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    compiled()
    first = [board_paint_seconds((100, 30)) for _ in range(runs)]
    kept = tempfile.mkdtemp()
    board_paint_seconds((100, 30), kept, linger=2.0)  # leaves the state folder, whole
    paint: list[float] = []
    wide: list[float] = []
    bare: list[float] = []
    for _ in range(runs):  # in turn, so a slow spell of the machine slows both sides alike
        paint.append(board_paint_seconds((80, 24), kept))
        wide.append(board_paint_seconds((100, 30), kept))
        bare.append(bare_paint_seconds((100, 30)))
    export = [export_seconds() for _ in range(runs)]
    print("| Scenario | median | worst |")
    print("|---|---:|---:|")
    print(
        f"| `pullboard --demo`, first launch (new state folder) at 100x30 | "
        f"{statistics.median(first):.2f} s | {max(first):.2f} s |"
    )
    print(
        f"| `pullboard --demo`: start to painted board (tmux 80x24) | "
        f"{statistics.median(paint):.2f} s | {max(paint):.2f} s |"
    )
    print(f"| `pullboard --demo` at 100x30 | {statistics.median(wide):.2f} s | {max(wide):.2f} s |")
    print(
        f"| bare Textual app at 100x30 (header, a line, footer) | "
        f"{statistics.median(bare):.2f} s | {max(bare):.2f} s |"
    )
    ratio = statistics.median(wide) / statistics.median(bare)
    paired = statistics.median(w / b for w, b in zip(wide, bare, strict=True))
    print(f"| ratio pullboard / bare app (medians) | {ratio:.2f}x | |")
    print(f"| ratio pullboard / bare app (median of the runs in turn) | {paired:.2f}x | |")
    print(
        f"| `pullboard export --demo` (JSON, 154 issues) | "
        f"{statistics.median(export):.2f} s | {max(export):.2f} s |"
    )


if __name__ == "__main__":
    main()
