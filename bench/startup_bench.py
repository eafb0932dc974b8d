"""Time from `pullboard --demo` to a painted board in a real terminal (tmux, 80x24).

Usage: .venv/bin/python bench/startup_bench.py [--runs N]

Prints a Markdown row: median and worst time until the milestone list is on screen, and the
same for `pullboard export --demo` (no terminal) for comparison.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

TMUX = ["tmux", "-L", f"pullboard-bench-{os.getpid()}"]
READY = "1 Milestones 9"


def board_paint_seconds() -> float:
    """Start the demo board in a fresh tmux pane and poll until the list is painted."""
    state = tempfile.mkdtemp()
    command = (
        f"env XDG_STATE_HOME={state} XDG_CACHE_HOME={state} {sys.executable} -m pullboard --demo"
    )
    start = time.perf_counter()
    subprocess.run(
        [*TMUX, "new-session", "-d", "-s", "b", "-x", "80", "-y", "24", command], check=True
    )
    try:
        while time.perf_counter() - start < 30:
            screen = subprocess.run(
                [*TMUX, "capture-pane", "-p", "-t", "b"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if READY in screen:
                return time.perf_counter() - start
            time.sleep(0.005)
        raise SystemExit("the board never painted")
    finally:
        subprocess.run([*TMUX, "kill-server"], check=False, capture_output=True)


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
    paint = [board_paint_seconds() for _ in range(runs)]
    export = [export_seconds() for _ in range(runs)]
    print("| Scenario | median | worst |")
    print("|---|---:|---:|")
    print(
        f"| `pullboard --demo`: start to painted board (tmux 80x24) | "
        f"{statistics.median(paint):.2f} s | {max(paint):.2f} s |"
    )
    print(
        f"| `pullboard export --demo` (JSON, 154 issues) | "
        f"{statistics.median(export):.2f} s | {max(export):.2f} s |"
    )


if __name__ == "__main__":
    main()
