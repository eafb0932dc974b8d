"""The snapshot cache's files as tests read and tamper with them: MessagePack, as plain data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec


def snapshot_files(folder: Path) -> list[Path]:
    """The snapshot files in a cache's `snapshots` folder, in name order."""
    return sorted(folder.glob("*.msgpack"))


def read(path: Path) -> dict[str, Any]:
    """A snapshot file as plain data (dates as msgspec gives them back)."""
    data: dict[str, Any] = msgspec.msgpack.decode(path.read_bytes())
    return data


def write(path: Path, data: dict[str, Any]) -> None:
    """Put plain data back as a snapshot file."""
    path.write_bytes(msgspec.msgpack.encode(data))


def of_source(folder: Path, name: str) -> Path:
    """The snapshot file of the source called `name`."""
    return next(p for p in snapshot_files(folder) if read(p)["source"].startswith(f"{name}|"))
