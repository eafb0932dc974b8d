"""One SSH session: its own board process in a pseudo-terminal, bridged to the SSH channel.

The board runs as `python -m pullboard --session` with the client's terminal type and size, in
UTF-8 whatever the client's locale, and an environment built from scratch (no token, nothing
of the server's but where its files live). The child starts its own session and takes the
PTY as its controlling terminal, so the kernel hangs it up should the server itself die.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import re
import signal
import struct
import sys
import termios
from collections.abc import Callable
from pathlib import Path

import asyncssh

from pullboard.config import Person

NO_TERMINAL = "pullboard serve shows the board: connect with ssh -t"
RESET = (
    "\x1b[<u\x1b[?1004l\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"
    "\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l"
)
"""Puts the client's terminal back as the board found it (keyboard protocol, focus, paste and
mouse reporting off, cursor shown, main screen) when the board didn't get to do it itself."""
_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
KEPT = ("HOME", "PATH", "PYTHONPATH", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
"""What a board process takes from the server's environment: where programs and pullboard's
files are. Nothing else: the server's tokens stay in the server."""
HANGUP_SECONDS = 2.0
"""How long a hung-up board may take to exit before it is killed."""


def board_environment(term: str, client: dict[str, str], address: str) -> dict[str, str]:
    """The board process's whole environment."""
    env = {k: os.environ[k] for k in KEPT if k in os.environ}
    env.update(
        TERM=term if _TERM.fullmatch(term) else "xterm-256color",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        PYTHONUTF8="1",
        PYTHONIOENCODING="utf-8",
        PULLBOARD_NO_BROWSER="1",  # a browser would open on the board host, not for the person
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        SSH_CONNECTION=address,
    )
    if client.get("COLORTERM") in ("truecolor", "24bit"):
        env["COLORTERM"] = client["COLORTERM"]
    if "NO_COLOR" in client:
        env["NO_COLOR"] = "1"
    return env


class BoardSession(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """The SSH side of one session: a PTY and a shell, or a sentence and exit 1.

    Args:
        person: who is connected.
        config: the config file the board reads.
        address: `SSH_CONNECTION` for the board (client address and port, ours).
        admit: asks the server for a place (max_sessions): None, or why there is none.
        ended: told when the session is over, to free its place.
        idle_seconds: no keystroke for this long ends the session (0: never).
    """

    def __init__(
        self,
        person: Person,
        config: Path,
        address: str,
        *,
        admit: Callable[[BoardSession], str | None],
        ended: Callable[[BoardSession], None],
        idle_seconds: float,
    ) -> None:
        self.person = person
        self.config = config
        self.address = address
        self.admit = admit
        self.ended = ended
        self.idle_seconds = idle_seconds
        self.chan: asyncssh.SSHServerChannel[bytes] | None = None
        self.term: str | None = None
        self.size = (80, 24)
        self.command: str | None = None
        self.process: asyncio.subprocess.Process | None = None
        self.master = -1
        self._pending = bytearray()
        self._idle: asyncio.TimerHandle | None = None
        self._ending: asyncio.Task[None] | None = None
        self._closed = False

    # -- what the client asks for -------------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self.chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object
    ) -> bool:
        self.term = term_type or "xterm-256color"
        self.size = (term_size[0] or 80, term_size[1] or 24)
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self.command = command  # refused once the session starts, with the sentence
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        return False  # sftp and the rest: there is nothing here but the board

    def session_started(self) -> None:
        assert self.chan is not None
        refusal = NO_TERMINAL if self.command is not None or self.term is None else None
        refusal = refusal or self.admit(self)
        if refusal:
            newline = "\r\n" if self.term else "\n"
            self.chan.write_stderr(f"{refusal}{newline}".encode())
            self.chan.exit(1)
            return
        asyncio.get_running_loop().create_task(self._run())

    def data_received(self, data: bytes, datatype: object) -> None:
        self._arm_idle()
        if self.master < 0:
            return
        self._pending += data
        self._flush_input()

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = (width or self.size[0], height or self.size[1])
        if self.master >= 0:
            _set_size(self.master, self.size)
            if self.process is not None and self.process.returncode is None:
                _signal(self.process.pid, signal.SIGWINCH)

    def eof_received(self) -> bool:
        self.end()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.chan = None
        self.end()

    def pause_writing(self) -> None:
        if self.master >= 0:
            asyncio.get_running_loop().remove_reader(self.master)

    def resume_writing(self) -> None:
        if self.master >= 0:
            asyncio.get_running_loop().add_reader(self.master, self._output)

    # -- the board process --------------------------------------------------------------------

    async def _run(self) -> None:
        """Start the board in a PTY, pass bytes both ways until it exits, then exit as it did."""
        master, slave = os.openpty()
        _set_size(slave, self.size)
        client = dict(self.chan.get_environment()) if self.chan else {}
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "pullboard",
                "--config",
                str(self.config),
                "--me",
                self.person.name,
                "--session",
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=board_environment(self.term or "", client, self.address),
                start_new_session=True,
            )
        except OSError as err:
            os.close(master)
            self._close(f"pullboard serve couldn't start the board: {err.strerror}.", 1)
            return
        finally:
            os.close(slave)
        if self._ending is not None:  # hung up while the board was starting
            os.close(master)
            _signal(self.process.pid, signal.SIGHUP)
            await self.process.wait()
            return
        self.master = master
        os.set_blocking(master, False)
        asyncio.get_running_loop().add_reader(master, self._output)
        self._arm_idle()
        status = await self.process.wait()
        if self._ending is None:  # the person quit the board: it put the terminal back itself
            self._drain()
            self._close("", 0 if status == 0 else 1)

    def _output(self) -> None:
        """The board painted: pass it on (EIO: the board closed its terminal)."""
        try:
            data = os.read(self.master, 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            asyncio.get_running_loop().remove_reader(self.master)
        elif self.chan is not None:
            self.chan.write(data)

    def _drain(self) -> None:
        """What the board wrote just before it exited (it restores the terminal last)."""
        while self.master >= 0:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            if self.chan is not None:
                self.chan.write(data)

    def _flush_input(self) -> None:
        """Keystrokes to the board; a paste larger than the PTY takes at once waits its turn."""
        loop = asyncio.get_running_loop()
        try:
            done = os.write(self.master, self._pending)
        except BlockingIOError:
            done = 0
        except OSError:
            self._pending.clear()
            return
        del self._pending[:done]
        if self._pending:
            loop.add_writer(self.master, self._writable)

    def _writable(self) -> None:
        asyncio.get_running_loop().remove_writer(self.master)
        self._flush_input()

    # -- ending -------------------------------------------------------------------------------

    def _arm_idle(self) -> None:
        if self._idle is not None:
            self._idle.cancel()
        if self.idle_seconds:
            minutes = round(self.idle_seconds / 60)
            self._idle = asyncio.get_running_loop().call_later(
                self.idle_seconds,
                self.end,
                f"No key pressed for {minutes} minutes: pullboard serve closed this session.",
            )

    def end(self, goodbye: str = "") -> asyncio.Task[None]:
        """Hang up the board, reap it, put the client's terminal back, say `goodbye`, close.
        Safe to call more than once; the returned task is done when all of that is."""
        if self._ending is None:
            self._ending = asyncio.get_running_loop().create_task(self._end(goodbye))
        return self._ending

    async def _end(self, goodbye: str) -> None:
        process = self.process
        if process is not None and process.returncode is None:
            _signal(process.pid, signal.SIGHUP)
            try:
                await asyncio.wait_for(process.wait(), HANGUP_SECONDS)
            except TimeoutError:
                _signal(process.pid, signal.SIGKILL)
                await process.wait()
        self._close(goodbye, 0, reset=process is not None)

    def _close(self, goodbye: str, status: int, *, reset: bool = False) -> None:
        """Close the PTY and the channel (once), with a last line and an exit status."""
        if self._closed:
            return
        self._closed = True
        if self._idle is not None:
            self._idle.cancel()
        if self.master >= 0:
            loop = asyncio.get_running_loop()
            loop.remove_reader(self.master)
            loop.remove_writer(self.master)
            os.close(self.master)
            self.master = -1
        if self.chan is not None:
            text = (RESET if reset else "") + (f"\r\n{goodbye}\r\n" if goodbye else "")
            if text:
                self.chan.write(text.encode())
            self.chan.exit(status)
            self.chan = None
        self.ended(self)


def _set_size(fd: int, size: tuple[int, int]) -> None:
    """TIOCSWINSZ: the board reads its size from its terminal."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))


def _signal(pid: int, sig: signal.Signals) -> None:
    """Signal the board's whole process group (it leads its own session)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)
