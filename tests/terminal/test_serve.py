"""`pullboard serve` driven by the real OpenSSH client (`ssh -tt`) inside tmux: people and
roles, one refresher for everyone, PTY sessions, limits, cleanup and SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.boards import blocked_app
from fakes.github_server import FakeGitHub
from needs import needs
from terminal_driver import Terminal

from pullboard import insights

TOKEN = "ghp_" + "serve0token0" * 3
NOW = datetime.now(UTC)
PULLBOARD = (sys.executable, "-m", "pullboard")
PEOPLE = {"lee": "lead", "sam": "member", "vic": "viewer"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(command: str) -> subprocess.CompletedProcess[str]:
    """An ssh command line run to its end, without a terminal of its own."""
    return subprocess.run(
        command,
        shell=True,
        check=False,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=20,
    )


def wait_toast(term: Terminal, text: str) -> None:
    """Wait for `text` in a toast, whose lines wrap at its own width (`▌ ` starts each)."""
    end = time.monotonic() + 10
    while True:
        lines = [
            line.split("▌", 1)[1].strip() for line in term.screen().splitlines() if "▌" in line
        ]
        if text in " ".join(lines):
            return
        if time.monotonic() > end:
            pytest.fail(f"no toast says {text!r}; the screen shows:\n{term.screen()}")
        time.sleep(0.05)


@dataclass
class Served:
    """A running `pullboard serve` and what it takes to reach it."""

    folder: Path
    port: int
    process: subprocess.Popen[bytes]
    fake: FakeGitHub
    ssh: str
    terminals: list[Terminal] = field(default_factory=list)

    def command(self, who: str, *args: str) -> str:
        return f"{self.ssh} -i {self.folder / who} -p {self.port} board@127.0.0.1 {' '.join(args)}"

    def log(self) -> str:
        return (self.folder / "serve.log").read_text(encoding="utf-8")

    def wait_log(self, text: str) -> str:
        end = time.monotonic() + 10
        while text not in (log := self.log()):
            if time.monotonic() > end:
                pytest.fail(f"{text!r} never logged:\n{log}")
            time.sleep(0.05)
        return log

    def open(self, who: str, *, width: int = 80, height: int = 24) -> Terminal:
        """`ssh -tt` as `who` in a tmux of its own; the pane stays to show how ssh ended."""
        term = Terminal(f"pb-serve-{os.getpid()}-{self.folder.name}-{len(self.terminals)}")
        self.terminals.append(term)
        term.start(
            f"sh -c '{self.command(who)}; echo \"[ssh exited $?]\"; sleep 60'",
            width=width,
            height=height,
        )
        return term

    def boards(self) -> list[int]:
        """The board processes this server started (`--session`), by pid."""
        found = []
        for entry in Path("/proc").iterdir():
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"--session" in cmdline and str(self.folder).encode() in b" ".join(cmdline):
                found.append(int(entry.name))
        return found

    def wait_no_boards(self) -> None:
        end = time.monotonic() + 10
        while self.boards():
            if time.monotonic() > end:
                pytest.fail(f"board processes left: {self.boards()}")
            time.sleep(0.05)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    keygen, _ = needs("ssh-keygen", "ssh", package="openssh-client")
    needs("tmux", package="tmux")
    for who in (*PEOPLE, "stranger"):
        subprocess.run(
            [keygen, "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", str(tmp_path / who)],
            check=True,
        )
    people = "".join(
        f'[[person]]\nname = "{who}"\nkeys = ["{(tmp_path / f"{who}.pub").read_text().strip()}"]\n'
        f'role = "{role}"\n\n'
        for who, role in PEOPLE.items()
    )
    fake = FakeGitHub(token=TOKEN).start()
    blocked_app(fake, NOW)
    port = free_port()
    (tmp_path / "config.toml").write_text(
        f'[board]\ntitle = "Team board"\ninsights = "insights.toml"\n\n'
        f'[[source]]\nname = "app"\nkind = "github"\nurl = "{fake.url}"\nrepo = "acme/app"\n'
        f'token_env = "APP_TOKEN"\n\n'
        f"[serve]\nmax_sessions = 3\n\n{people}",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    with open(tmp_path / "serve.log", "wb") as log:
        process = subprocess.Popen(
            [
                *PULLBOARD,
                "serve",
                "--config",
                f"{tmp_path}/config.toml",
                "--listen",
                f"127.0.0.1:{port}",
            ],
            env={**env, "APP_TOKEN": TOKEN},
            stdout=log,
            stderr=log,
        )
    ssh = (
        "ssh -tt -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no "
        f"-o UserKnownHostsFile={tmp_path}/known_hosts -o LogLevel=ERROR"
    )
    server = Served(tmp_path, port, process, fake, ssh)
    server.wait_log("listening on")
    yield server
    for term in server.terminals:
        term.kill()
    if process.poll() is None:
        process.terminate()
        process.wait(10)
    fake.close()


def test_lead_pins_and_the_member_sees_it_then_acknowledges(served: Served) -> None:
    """Each is themselves: the lead's pin reaches the member's screen within 2 s (the board
    polls every 2 s), the member's acknowledgement the lead's."""
    lead = served.open("lee")
    member = served.open("sam")
    lead.wait_for("acme/app@v1")
    member.wait_for("acme/app@v1")
    lead.keys("p")
    lead.wait_for("Pin an insight on acme/app@v1")
    lead.wait_for("Title (short, required)")
    lead.keys("-l", "Freeze the API")
    lead.wait_for("Freeze the API")
    lead.keys("C-s")
    wait_toast(lead, "Pinned “Freeze the API”")
    pinned = time.monotonic()
    member.wait_for("Freeze the API")
    assert time.monotonic() - pinned < 2.5
    member.keys("4")
    member.wait_for("0 back-briefs")  # the Insights view, its one insight selected
    member.keys("a")
    member.wait_for("Enter saves")  # the back-brief form; Enter saves "read"
    member.keys("Enter")
    wait_toast(member, "Acknowledged “Freeze the API”")
    lead.keys("4")
    lead.wait_for("1 back-brief")
    (stored,) = insights.load(served.folder / "insights.toml").insights
    assert stored.author == "lee" and set(stored.acks) == {"sam"}
    member.keys("p")
    wait_toast(member, "sam is a member on this board, so can't pin insights")
    served.wait_log("connect sam (member) SHA256:")


def test_a_viewer_only_reads(served: Served) -> None:
    viewer = served.open("vic")
    viewer.wait_for("acme/app@v1")
    viewer.keys("p")
    wait_toast(viewer, "vic is a viewer on this board, so can't pin insights: viewers only read")
    assert not (served.folder / "insights.toml").exists()


def test_an_unknown_key_is_turned_away(served: Served) -> None:
    done = run(served.command("stranger", "-T"))
    assert done.returncode == 255 and "Permission denied (publickey)" in done.stderr
    assert "refused 127.0.0.1:" in served.wait_log("no key a [[person]] lists (offered: SHA256:")


def test_commands_subsystems_and_forwarding_are_refused(served: Served) -> None:
    for extra in ("ls", "-T"):  # a command; a session without a terminal
        done = run(served.command("sam", extra).replace(" -tt ", " ", 1))
        assert done.returncode == 1, done
        assert done.stderr.strip() == "pullboard serve shows the board: connect with ssh -t"
    sftp = run(served.command("sam", "-s", "sftp").replace(" -tt ", " -T ", 1))
    assert sftp.returncode != 0
    forward = run(
        served.command("sam", "-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9")
    )
    assert forward.returncode == 255 and "forwarding failed" in forward.stderr
    assert not served.boards()


def test_sessions_never_hold_a_token_and_share_one_refresher(served: Served) -> None:
    """`r` in a session asks the server; the new issue shows; no session ever has the token."""
    member = served.open("sam")
    member.wait_for("acme/app@v1")
    (board,) = served.boards()
    environ = Path(f"/proc/{board}/environ").read_bytes()
    assert TOKEN.encode() not in environ and b"APP_TOKEN" not in environ
    assert b"\0TERM=tmux-256color\0" in environ, "the terminal type the client sent"
    assert b"\0LC_ALL=C.UTF-8\0" in environ
    served.fake.add_issue("acme/app", "a late arrival", milestone=1)
    before = len(served.fake.hits())
    member.keys("2")
    member.wait_for("the blocker")
    assert len(served.fake.hits()) == before, "a session never calls the tracker"
    member.keys("r")
    member.wait_for("a late arrival")
    served.wait_log("refresh asked for by sam")
    assert TOKEN not in served.log()


def test_three_at_once_a_fourth_is_told_the_board_is_full_and_resize(served: Served) -> None:
    terms = [served.open(who) for who in PEOPLE]
    for term in terms:
        term.wait_for("acme/app@v1")
    assert len(served.boards()) == 3
    full = run(served.command("lee"))
    assert full.returncode == 1 and "the board is full (3 sessions)" in full.stdout + full.stderr
    terms[0].resize(120, 30)
    end = time.monotonic() + 10
    while max(len(line.rstrip()) for line in terms[0].screen().splitlines()) <= 80:
        assert time.monotonic() < end, terms[0].screen()
        time.sleep(0.05)
    assert len(terms[0].screen().splitlines()) == 30


def test_disconnected_clients_leave_no_board_behind(served: Served) -> None:
    terms = [served.open("lee"), served.open("sam")]
    for term in terms:
        term.wait_for("acme/app@v1")
    assert len(served.boards()) == 2
    for term in terms:
        term.kill()  # the ssh client dies with its terminal
    served.wait_no_boards()
    served.wait_log("disconnect sam SHA256:")


def test_sigterm_says_goodbye_to_every_session_and_leaves_nothing(served: Served) -> None:
    terms = [served.open("lee"), served.open("vic")]
    for term in terms:
        term.wait_for("acme/app@v1")
    served.process.send_signal(signal.SIGTERM)
    for term in terms:
        screen = term.wait_for("[ssh exited 0]")
        assert "pullboard serve is stopping: goodbye." in screen
        assert "acme/app@v1" not in screen, "the client's terminal is back on its main screen"
    assert served.process.wait(10) == 0
    served.wait_no_boards()
