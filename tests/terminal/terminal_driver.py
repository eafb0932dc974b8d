"""Driving the board in a real terminal: a private tmux server per test."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from needs import needs

DEADLINE = 15.0


class Terminal:
    """One tmux session on a private server (`tmux -L`): never touches anyone's own tmux."""

    def __init__(self, socket: str) -> None:
        (tmux,) = needs("tmux", package="tmux")
        self.base = [tmux, "-L", socket]

    def start(self, command: str, *, width: int = 80, height: int = 24) -> None:
        subprocess.run(
            [
                *self.base,
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                str(width),
                "-y",
                str(height),
                command,
            ],
            check=True,
        )

    def screen(self, *, escapes: bool = False) -> str:
        """What the pane shows; with `escapes`, with the colour codes the program sent."""
        result = subprocess.run(
            [*self.base, "capture-pane", "-p", *(["-e"] if escapes else []), "-t", "t"],
            check=False,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def wait_for(self, text: str) -> str:
        """Poll the pane until `text` shows (the board paints in well under a second here)."""
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        pytest.fail(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def wait_gone(self, text: str) -> None:
        """Poll until `text` is no longer on screen (a modal closed)."""
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            if text not in self.screen():
                return
            time.sleep(0.05)
        pytest.fail(f"{text!r} is still on screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        """Send keys. Send Escape on its own: ESC followed by a key reads as Alt+key."""
        subprocess.run([*self.base, "send-keys", "-t", "t", *keys], check=True)

    def resize(self, width: int, height: int) -> None:
        subprocess.run(
            [*self.base, "resize-window", "-t", "t", "-x", str(width), "-y", str(height)],
            check=True,
        )

    def alive(self) -> bool:
        return (
            subprocess.run(
                [*self.base, "has-session", "-t", "t"], check=False, capture_output=True
            ).returncode
            == 0
        )

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], check=False, capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(f"pullboard-test-{os.getpid()}-{tmp_path.name}")
    yield term
    term.kill()


@pytest.fixture
def board_command(isolated_env: Path) -> str:
    """`pullboard --demo` with this test's XDG dirs, as a shell command line."""
    env = " ".join(
        f"{v}={os.environ[v]}" for v in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
    )
    # COLUMNS and LINES would override the pane's size: something in the pytest process puts
    # 80 and 24 into the environment children inherit (not visible in os.environ).
    return (
        f"env -u COLUMNS -u LINES {env} TERM=xterm-256color PULLBOARD_NO_BROWSER=1 "
        f"{sys.executable} -m pullboard --demo"
    )
