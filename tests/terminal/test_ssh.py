"""Over a real SSH login (sshd on loopback, key auth): no browser, so `o` shows the link."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from needs import needs, needs_root
from terminal_driver import Terminal


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def ssh_command(tmp_path: Path) -> Iterator[str]:
    sshd, keygen, _ = needs("sshd", "ssh-keygen", "ssh", package="openssh-server")
    needs_root("it logs in over SSH as the current user, and runs sshd")
    d = tmp_path
    for name in ("host_key", "client_key"):
        subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(d / name)], check=True)
    (d / "keys").mkdir()
    user = os.environ.get("USER") or "root"
    (d / "keys" / user).write_text((d / "client_key.pub").read_text())
    Path("/run/sshd").mkdir(exist_ok=True)
    port = free_port()
    (d / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n"
        f"AuthorizedKeysFile {d}/keys/%u\nStrictModes no\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nUsePAM no\n"
    )
    server = subprocess.Popen(
        [sshd, "-D", "-e", "-f", str(d / "sshd_config")], stderr=subprocess.DEVNULL
    )
    end = time.monotonic() + 10
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    env = " ".join(
        f"{v}={os.environ[v]}" for v in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
    )
    yield (
        f"ssh -tt -i {d}/client_key -p {port} -o IdentitiesOnly=yes -o BatchMode=yes "
        f"-o StrictHostKeyChecking=no -o UserKnownHostsFile={d}/known_hosts "
        f"{user}@127.0.0.1 env {env} {sys.executable} -m pullboard --demo"
    )
    server.terminate()
    server.wait(5)


def test_demo_board_over_ssh(terminal: Terminal, ssh_command: str) -> None:
    terminal.start(ssh_command)
    terminal.wait_for("1 Milestones 10")
    terminal.keys("o")
    screen = terminal.wait_for("No browser here")
    assert "https://github.com/acme/web/milestone/6" in screen
    terminal.keys("Escape")
    terminal.wait_gone("No browser here")
    terminal.keys("q")


def test_ssh_without_t_is_told_to_ask_for_a_terminal(ssh_command: str) -> None:
    """`ssh host pullboard`: ssh runs the command without a terminal unless given -t."""
    done = subprocess.run(
        ssh_command.replace("ssh -tt ", "ssh -T ", 1),
        shell=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "the board needs a terminal, and ssh gave this session none" in done.stderr.lower()
    assert f"`ssh -t {socket.gethostname()} pullboard`" in done.stderr
