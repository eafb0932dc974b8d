"""The server's SSH host key: ed25519, made on first start, readable by its owner only."""

from __future__ import annotations

import os
from pathlib import Path

import asyncssh

from pullboard.errors import PullboardError
from pullboard.paths import state_dir


def default_path() -> Path:
    """`$XDG_STATE_HOME/pullboard/ssh_host_ed25519_key`."""
    return state_dir() / "ssh_host_ed25519_key"


def load_or_create(path: Path) -> tuple[asyncssh.SSHKey, bool]:
    """The host key in `path`, made there (mode 0600) when the file doesn't exist yet.

    Returns:
        The key, and whether it was made just now.

    Raises:
        PullboardError: the file can't be read or written, or holds no private key.
    """
    try:
        return asyncssh.read_private_key(path), False
    except FileNotFoundError:
        pass
    except (OSError, asyncssh.KeyImportError) as err:
        why = err.strerror if isinstance(err, OSError) else "it holds no usable private key"
        raise PullboardError(f"Can't read the host key {path}: {why}.") from None
    key = asyncssh.generate_private_key("ssh-ed25519", comment="pullboard serve")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key.export_private_key())
        path.with_name(path.name + ".pub").write_bytes(key.export_public_key())
    except OSError as err:
        raise PullboardError(f"Can't write the host key {path}: {err.strerror}.") from None
    return key, True
