"""What a source keeps between runs beside its HTTP exchanges: a tracker's sync state.

HTTP validators (ETags) are not kept here: a validator is only worth the data it vouches for,
so trackers keep them in that data (`SourceData.marks`, saved with the snapshot), where a
refresh that failed half-way can never leave a validator newer than the data. Response bodies
are kept nowhere: a 304 means "what you hold is current", and what is held is the snapshot.
Nothing here ever sees a token: values are tracker data.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

from pullboard import files
from pullboard.paths import cache_dir

_STATE = ".state.json"


class HttpCache:
    """One directory per source for what its tracker keeps between runs."""

    def __init__(self, source: str, root: Path | None = None) -> None:
        self.dir = (root or cache_dir()) / "http" / files.safe_name(source)

    def state(self, name: str) -> Any:
        """What a tracker kept under `name` between runs (`keep`), or None."""
        return files.read_json(self.dir / f"{name}{_STATE}")

    def keep(self, name: str, data: Any) -> None:
        """Keep a tracker's sync state for the next run (best effort: a failed write costs the
        next run a full fetch, and the snapshot cache beside it tells the user about the disk)."""
        with suppress(OSError):
            files.write_json(self.dir / f"{name}{_STATE}", data)

    def forget_bodies(self) -> None:
        """Remove the response bodies older versions kept here per URL (55 MB for a big
        board), never read again; best effort, and free once they are gone."""
        with suppress(OSError):
            for path in self.dir.iterdir():
                if path.suffix == ".json" and not path.name.endswith(_STATE):
                    path.unlink(missing_ok=True)
