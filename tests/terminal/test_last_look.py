"""The last look is saved however the board ends: `q`, SIGTERM, or a terminal that hangs up
(ssh dropped, tmux pane killed): a real board process in a real terminal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from terminal_driver import DEADLINE, Terminal


def config(tmp_path: Path) -> Path:
    """A board whose one source can't be reached: it still runs, and has a last look to keep."""
    path = tmp_path / "config.toml"
    path.write_text(
        '[board]\ntitle = "Signals"\ninsights = "insights.toml"\n\n'
        '[[source]]\nname = "gh"\nkind = "github"\nurl = "http://127.0.0.1:9"\n'
        'repos = ["acme/app"]\n',
        encoding="utf-8",
    )
    return path


def looks(isolated_env: Path) -> dict[str, str]:
    path = isolated_env / "state" / "pullboard" / "looks.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def wait_closed(terminal: Terminal) -> None:
    end = time.monotonic() + DEADLINE
    while terminal.alive() and time.monotonic() < end:
        time.sleep(0.05)
    assert not terminal.alive(), "the board ended"


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "q"])
def test_the_last_look_is_saved_on_exit(
    how: str, terminal: Terminal, board_command: str, isolated_env: Path, tmp_path: Path
) -> None:
    cfg = config(tmp_path)
    terminal.start(board_command.replace("--demo", f"--config {cfg}"))
    terminal.wait_for("Signals")
    assert looks(isolated_env) == {}
    pid = int(
        subprocess.run(
            [*terminal.base, "list-panes", "-t", "t", "-F", "#{pane_pid}"],
            check=True, capture_output=True, text=True,
        ).stdout.split()[0]
    )  # fmt: skip
    if how == "SIGTERM":
        os.kill(pid, signal.SIGTERM)
    elif how == "SIGHUP":
        subprocess.run([*terminal.base, "kill-session", "-t", "t"], check=True)  # hangs up
    else:
        terminal.keys("q")
    wait_closed(terminal)
    end = time.monotonic() + DEADLINE
    while str(cfg) not in looks(isolated_env) and time.monotonic() < end:
        time.sleep(0.05)
    assert str(cfg) in looks(isolated_env), how
    with pytest.raises(ProcessLookupError):  # the process is gone too, not only the pane
        for _ in range(int(DEADLINE / 0.05)):
            os.kill(pid, 0)
            time.sleep(0.05)
