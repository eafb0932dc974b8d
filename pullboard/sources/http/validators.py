"""Where a source's HTTP exchanges were once kept, and are now cleared away.

HTTP validators (ETags) are not kept here: a validator is only worth the data it vouches for,
so trackers keep them in that data (`SourceData.marks`, saved with the snapshot), where a
refresh that failed half-way can never leave a validator newer than the data. Response bodies
are kept nowhere: a 304 means "what you hold is current", and what is held is the snapshot.
Nothing here ever sees a token: values are tracker data.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from pullboard import files
from pullboard.paths import cache_dir


class HttpCache:
    """One directory per source, where older versions kept what trackers no longer read."""

    def __init__(self, source: str, root: Path | None = None) -> None:
        self.dir = (root or cache_dir()) / "http" / files.safe_name(source)

    def forget_bodies(self) -> None:
        """Remove what older versions kept here: response bodies per URL (55 MB for a big
        board) and Jira's sync state (every issue again, 2 MB), never read again; best effort,
        and free once they are gone."""
        with suppress(OSError):
            for path in self.dir.iterdir():
                if path.suffix == ".json":
                    path.unlink(missing_ok=True)
