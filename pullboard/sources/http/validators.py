"""HTTP validators per URL (ETag, Last-Modified, Link), so a revalidation costs a 304.

Nothing here ever sees a token: keys are URLs, values are response data.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pullboard import files
from pullboard.codec import to_jsonable
from pullboard.paths import cache_dir

FORMAT = 1
"""Bumped when the cached shape changes; older files are ignored, never misread."""


@dataclass(frozen=True)
class Validated:
    """A cached HTTP response with the validators to revalidate it."""

    url: str
    etag: str | None
    last_modified: str | None
    body: str
    link: str | None = None
    """The `Link` header, so pagination works from a 304 too."""


class HttpCache:
    """ETag / Last-Modified validators and bodies per URL, one directory per source."""

    def __init__(self, source: str, root: Path | None = None) -> None:
        self.dir = (root or cache_dir()) / "http" / files.safe_name(source)

    def _path(self, url: str) -> Path:
        return self.dir / f"{files.safe_name(url)}.json"

    def get(self, url: str) -> Validated | None:
        """The cached response for `url`, or None."""
        data = files.read_json(self._path(url))
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("url") != url:
            return None
        return Validated(
            url=url,
            etag=data.get("etag"),
            last_modified=data.get("last_modified"),
            body=data.get("body", ""),
            link=data.get("link"),
        )

    def state(self, name: str) -> Any:
        """What a tracker kept under `name` between runs (`keep`), or None."""
        return files.read_json(self.dir / f"{name}.state.json")

    def keep(self, name: str, data: Any) -> None:
        """Keep a tracker's sync state for the next run (best effort, like every entry)."""
        with suppress(OSError):
            files.write_json(self.dir / f"{name}.state.json", data)

    def put(self, entry: Validated) -> None:
        """Store a response that carried an ETag or Last-Modified."""
        payload = {"format": FORMAT, **to_jsonable(entry)}
        # Best effort: a failed write only costs a full response next time, and the snapshot
        # cache beside it tells the user about the disk (`SnapshotCache.save`).
        with suppress(OSError):
            files.write_json(self._path(entry.url), payload)
