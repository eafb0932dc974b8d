"""`pullboard … | head`: a reader that stops early ends pullboard quietly (no BrokenPipeError,
no "Exception ignored" on stderr), whatever the command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest


def into_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """Run pullboard with stdout a pipe whose reader is already gone, as `| head -1` leaves
    it once head has its line (closed before the first write, so it never depends on timing)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "pullboard", *args],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--demo"],
        ["export", "--demo", "--format", "markdown"],
        ["doctor"],
        ["insights", "--demo"],
    ],
    ids=["export-json", "export-markdown", "doctor", "insights"],
)
def test_a_reader_that_stops_early_ends_pullboard_quietly(args: list[str]) -> None:
    done = into_closed_pipe(*args)
    assert done.stderr == ""
    assert done.returncode == 1


def test_the_board_over_ssh_without_a_terminal_suggests_ssh_t() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pullboard", "--demo"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "SSH_CONNECTION": "10.0.0.2 52000 10.0.0.1 22"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "pullboard: The board needs a terminal, and ssh gave this session none: connect with "
        f"`ssh -t {socket.gethostname()} pullboard`, or use `pullboard export` for scripts.\n"
    )


@pytest.mark.parametrize("args", [["export", "--demo"], ["doctor"]], ids=["export", "doctor"])
def test_a_full_disk_behind_stdout_is_one_sentence(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "pullboard", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert "couldn't write the output: No space left on device." in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_a_closed_stderr_is_no_crash() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pullboard", "export", "--demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(2),
    )
    assert result.returncode == 0
    assert result.stdout.startswith("{") and "internal error" not in result.stdout
