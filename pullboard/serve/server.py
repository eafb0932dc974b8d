"""`pullboard serve`: an SSH server whose only program is the board, one process per session.

Only the public keys `[[person]]` lists get in (no passwords, no keyboard-interactive, no
host-based or GSS logins); each connection is the person its key names. Port, agent and X11
forwarding and subsystems (sftp) are refused. One log line per connect and disconnect, on
stderr (the journal, under systemd).
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import asyncssh

from pullboard.board import Board
from pullboard.config import Config, Person, beside_config
from pullboard.errors import ConfigError, PullboardError
from pullboard.serve.feed import Feed
from pullboard.serve.refresher import Refresher
from pullboard.serve.session import BoardSession
from pullboard.text import clean, redact

GOODBYE = "pullboard serve is stopping: goodbye."


def log(message: str, key: str = "") -> None:
    """One line on stderr, with the time (stdout stays quiet: nothing reads it). `{key}` in
    `message` becomes `key`, a public key's fingerprint, which redaction would hide."""
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    text = clean(redact(message)).replace("{key}", key)
    print(f"{stamp} pullboard serve: {text}", file=sys.stderr, flush=True)


@dataclass
class Hub:
    """What every connection shares: who may come in, the sessions open, the limits."""

    config: Config
    keys: dict[bytes, Person]
    """Public key blob -> its person."""
    sessions: set[BoardSession] = field(default_factory=set)

    def admit(self, session: BoardSession) -> str | None:
        """A place for `session`, or why there is none."""
        most = self.config.serve.max_sessions
        if len(self.sessions) >= most:
            return f"pullboard serve: the board is full ({most} sessions); try again soon."
        self.sessions.add(session)
        return None

    def ended(self, session: BoardSession) -> None:
        self.sessions.discard(session)


class Door(asyncssh.SSHServer):
    """One connection: the key check, then sessions as the person the key names."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.person: Person | None = None
        self.key = ""
        self.tried: list[str] = []
        self.peer = "?"
        self.local = ("", 0)
        self.since = time.monotonic()

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.local = conn.get_extra_info("sockname") or ("", 0)
        self.peer_address = (str(peer[0]), int(peer[1]))
        self.peer = f"{peer[0]}:{peer[1]}"

    def connection_lost(self, exc: Exception | None) -> None:
        if self.person is not None:
            minutes = (time.monotonic() - self.since) / 60
            log(
                f"disconnect {self.person.name} {{key}} from {self.peer} after {minutes:.0f} min",
                self.key,
            )
        else:
            keys = ", ".join(self.tried) or "none"
            log(f"refused {self.peer}: no key a [[person]] lists (offered: {{key}})", keys)

    def begin_auth(self, username: str) -> bool:
        return True  # always ask for a key; the user name is ignored (the key names the person)

    def public_key_auth_supported(self) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        person = self.hub.keys.get(key.public_data)
        fingerprint = key.get_fingerprint()
        if person is None:
            if fingerprint not in self.tried:
                self.tried.append(fingerprint)
            return False
        self.person, self.key = person, fingerprint
        return True

    def auth_completed(self) -> None:
        assert self.person is not None
        self.since = time.monotonic()
        log(f"connect {self.person.name} ({self.person.role}) {{key}} from {self.peer}", self.key)

    def session_requested(self) -> BoardSession | bool:
        if self.person is None or self.hub.config.path is None:
            return False
        host, port = self.peer_address
        return BoardSession(
            self.person,
            self.hub.config.path,
            f"{host} {port} {self.local[0]} {self.local[1]}",
            admit=self.hub.admit,
            ended=self.hub.ended,
            idle_seconds=self.hub.config.serve.idle_minutes * 60,
        )

    def connection_requested(self, *args: object) -> bool:
        return False  # ssh -L

    def server_requested(self, *args: object) -> bool:
        return False  # ssh -R

    def unix_connection_requested(self, *args: object) -> bool:
        return False

    def unix_server_requested(self, *args: object) -> bool:
        return False


def people_keys(config: Config) -> dict[bytes, Person]:
    """Every listed key, parsed, to its person.

    Raises:
        ConfigError: no `[[person]]` (nobody could connect), or a key asyncssh can't read.
    """
    if not config.people:
        raise ConfigError(
            [
                f"{config.path}: no [[person]] tables, so nobody could connect; add one with "
                'name, keys = ["ssh-ed25519 AAAA..."] and role, as the README shows.'
            ]
        )
    keys: dict[bytes, Person] = {}
    for index, person in enumerate(config.people):
        for line in person.keys:
            try:
                keys[asyncssh.import_public_key(line).public_data] = person
            except (asyncssh.KeyImportError, ValueError):
                where = f"{config.path}: person[{index}].keys"
                raise ConfigError([f"{where}: a key that can't be read ({line[:20]}…)"]) from None
    return keys


async def serve(
    config: Config,
    host: str,
    port: int,
    host_key: asyncssh.SSHKey,
    people: dict[bytes, Person],
) -> None:
    """Run until SIGTERM or SIGINT: then end every session with a goodbye and return.

    Args:
        people: the `[[person]]` keys as `people_keys` read them, before listening.
    """
    hub = Hub(config, people)
    feed = Feed()
    feed.folder.mkdir(parents=True, exist_ok=True)
    board = Board(config)
    refresher = asyncio.create_task(Refresher(board, feed, config.board.refresh, log).run())
    try:
        listener = await asyncssh.create_server(
            lambda: Door(hub),
            host or None,
            port,
            server_host_keys=[host_key],
            public_key_auth=True,
            password_auth=False,
            kbdint_auth=False,
            host_based_auth=False,
            gss_kex=False,
            gss_auth=False,
            agent_forwarding=False,
            x11_forwarding=False,
            allow_scp=False,
            line_editor=False,
            encoding=None,
            keepalive_interval=60,
        )
    except OSError as err:
        refresher.cancel()
        await board.aclose()
        raise PullboardError(f"Can't listen on {host or '*'}:{port}: {err.strerror}.") from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log(f"listening on {host or '*'}:{port}; host key {{key}}", host_key.get_fingerprint())
    await stop.wait()
    log(f"stopping: ending {len(hub.sessions)} sessions")
    listener.close()
    await asyncio.gather(*(s.end(GOODBYE) for s in list(hub.sessions)))
    refresher.cancel()
    await asyncio.gather(refresher, return_exceptions=True)
    await board.aclose()
    await listener.wait_closed()


def host_key_path(config: Config, explicit: str | None) -> Path:
    """`--host-key`, else `[serve] host_key` (relative to the config file), else the state dir."""
    from pullboard.serve.hostkey import default_path

    value = explicit or config.serve.host_key
    return beside_config(value, config.path) if value else default_path()
