"""`pullboard serve`: the team board over SSH.

- `server`: the SSH server: keys to people, sessions, limits, log lines, SIGTERM.
- `session`: one session's board process in a PTY, bridged to its SSH channel.
- `refresher`: the one process that fetches, on schedule and when a session asks.
- `feed`: the folder the server and its sessions share beside the snapshot cache.
- `follower`: the board a session runs: paints from the cache, never holds a token.
- `hostkey`: the server's ed25519 host key, made on first start.
"""

from __future__ import annotations

import asyncio

from pullboard.config import Config, listen_address
from pullboard.errors import UsageError


def run(config: Config, listen: str | None = None, host_key: str | None = None) -> int:
    """Serve the board until SIGTERM; print the host key's fingerprint first.

    Raises:
        UsageError: a `--listen` that isn't HOST:PORT, or a config made up in memory (`--demo`).
        ConfigError: nobody is listed to connect.
        PullboardError: the port or the host key can't be had.
    """
    address = listen_address(listen or config.serve.listen)
    if address is None:
        raise UsageError(f"--listen: expected HOST:PORT such as 0.0.0.0:2222, got {listen!r}.")
    if config.demo or config.path is None:
        raise UsageError("serve needs a config file with [[person]] tables; --demo has none.")
    from pullboard.serve import hostkey, server

    path = server.host_key_path(config, host_key)
    key, made = hostkey.load_or_create(path)
    if made:
        server.log(f"made a new host key {path} ({{key}})", key.get_fingerprint())
    people = server.people_keys(config)  # before listening: a bad key is a config error, exit 2
    asyncio.run(server.serve(config, *address, key, people))
    return 0
