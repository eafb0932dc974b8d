"""What the server and its sessions share beside the snapshot cache: one small folder.

The server writes `refreshed.json` after every refresh (when, and how each source did), after
the cache files themselves; a session that sees it change re-reads the cache. A session asks
for a refresh by rewriting `asked`, naming who asked. Files, not a socket: a session needs no
connection to anything, and a server restarted under it is picked up on the next change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pullboard import files
from pullboard.model import Snapshot, SourceStatus
from pullboard.paths import state_dir
from pullboard.text import one_line


@dataclass(frozen=True)
class Refreshed:
    """The server's last refresh as a session reads it."""

    at: datetime | None
    sources: dict[str, SourceStatus]


class Feed:
    """The folder (`$XDG_STATE_HOME/pullboard/serve`) the server and its sessions share."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or state_dir() / "serve"
        self.refreshed_path = self.folder / "refreshed.json"
        self.asked_path = self.folder / "asked"

    # -- the server's side --------------------------------------------------------------------

    def publish(self, snapshot: Snapshot) -> None:
        """Say a refresh landed (the cache is written already): every session re-reads it."""
        files.write_json(
            self.refreshed_path,
            {
                "at": snapshot.generated_at.isoformat(),
                "sources": [
                    {
                        "name": s.name,
                        "kind": s.kind,
                        "ok": s.ok,
                        "error": s.error,
                        "fetched_at": s.fetched_at.isoformat() if s.fetched_at else None,
                    }
                    for s in snapshot.sources
                ],
            },
        )

    def asked(self) -> tuple[int, str] | None:
        """When a session last asked for a refresh (ns) and who; None if none ever did."""
        try:
            with open(self.asked_path, "rb") as f:
                stamp = os.fstat(f.fileno()).st_mtime_ns
                return stamp, one_line(f.read(200).decode("utf-8", "replace"))
        except OSError:
            return None

    # -- a session's side ---------------------------------------------------------------------

    def ask(self, who: str) -> None:
        """Ask the server for a refresh (it joins one that is running)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        files.write_atomic(self.asked_path, one_line(who).encode())

    def seen(self) -> tuple[int, int] | None:
        """Identity of the last `refreshed.json` (a stat, no read), None before the first."""
        try:
            st = os.stat(self.refreshed_path)
        except OSError:
            return None
        return st.st_mtime_ns, st.st_ino

    def refreshed(self) -> Refreshed | None:
        """The server's last refresh, or None before its first (or when the file is bad)."""
        data = files.read_json(self.refreshed_path)
        if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
            return None
        return Refreshed(_when(data.get("at")), dict(_statuses(data["sources"])))


def _statuses(raw: list[Any]) -> list[tuple[str, SourceStatus]]:
    found = []
    for item in raw:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            error = item.get("error")
            status = SourceStatus(
                item["name"],
                str(item.get("kind", "")),
                ok=bool(item.get("ok")),
                error=one_line(error) if isinstance(error, str) else None,
                fetched_at=_when(item.get("fetched_at")),
                from_cache=not item.get("ok"),  # as the board says it: a failed source's last data
            )
            found.append((status.name, status))
    return found


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
