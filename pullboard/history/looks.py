"""Per-user state under `$XDG_STATE_HOME/pullboard`: when each board was last looked at."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pullboard import files
from pullboard.paths import state_dir


class LookState:
    """Remembers, per board, the moment the user last looked, for "new since last look"."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_dir() / "looks.json"

    def _read(self) -> dict[str, str]:
        data = files.read_json(self.path)
        return (
            {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}
        )

    def get(self, board: str) -> datetime | None:
        """The last look at `board`, or None before the first one."""
        try:
            return datetime.fromisoformat(self._read()[board])
        except (KeyError, ValueError):
            return None

    def set(self, board: str, when: datetime) -> bool:
        """Record a look (atomically, so a crash never loses the other boards' entries).

        Returns:
            False when the state dir can't be written: "new since" is a convenience, and a
            read-only home must not stop the board from closing cleanly.
        """
        data = self._read()
        data[board] = when.isoformat()
        try:
            files.write_json(self.path, data)
        except OSError:
            return False
        return True
