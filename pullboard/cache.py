"""On-disk caches under `$XDG_CACHE_HOME/pullboard`: the last snapshot of each source (instant
start, and the fallback when a source fails) and HTTP validators (free revalidation).

Nothing here ever sees a token: keys are source names and URLs, values are response data.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pullboard.codec import from_jsonable, to_jsonable
from pullboard.model import Issue, Milestone
from pullboard.paths import cache_dir

FORMAT = 1
"""Bumped when the cached shape changes; older files are ignored, never misread."""


def _write_atomic(path: Path, data: Any) -> None:
    """Write JSON next to `path` then rename, so a crash never leaves half a cache file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path) -> Any:
    """The JSON in `path`, or None when it is missing, corrupt or from another format."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def _safe_name(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class SourceData:
    """What one source delivered: kept in memory by the board and on disk by the cache."""

    milestones: tuple[Milestone, ...]
    issues: tuple[Issue, ...]
    fetched_at: datetime
    complete: frozenset[str] = frozenset()
    """URLs of milestones whose full issue list has been fetched (the rest hold recent closes)."""


class SnapshotCache:
    """Per-source snapshots, one JSON file each, keyed by source name."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or cache_dir()) / "snapshots"

    def _path(self, source: str) -> Path:
        return self.root / f"{_safe_name(source)}.json"

    def load(self, source: str) -> SourceData | None:
        """The last data saved for `source`, or None."""
        data = _read(self._path(source))
        if data is None or data.get("source") != source:
            return None
        try:
            return SourceData(
                milestones=tuple(from_jsonable(Milestone, m) for m in data["milestones"]),
                issues=tuple(from_jsonable(Issue, i) for i in data["issues"]),
                fetched_at=datetime.fromisoformat(data["fetched_at"]),
                complete=frozenset(data.get("complete", ())),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def save(self, source: str, data: SourceData) -> None:
        """Replace the saved data for `source` (bodies are dropped: they are fetched on demand)."""
        payload = {
            "format": FORMAT,
            "source": source,
            "fetched_at": data.fetched_at.isoformat(),
            "complete": sorted(data.complete),
            "milestones": to_jsonable(data.milestones),
            "issues": [{**to_jsonable(i), "body": None} for i in data.issues],
        }
        _write_atomic(self._path(source), payload)


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
        self.dir = (root or cache_dir()) / "http" / _safe_name(source)

    def _path(self, url: str) -> Path:
        return self.dir / f"{_safe_name(url)}.json"

    def get(self, url: str) -> Validated | None:
        """The cached response for `url`, or None."""
        data = _read(self._path(url))
        if data is None or data.get("url") != url:
            return None
        return Validated(
            url=url,
            etag=data.get("etag"),
            last_modified=data.get("last_modified"),
            body=data.get("body", ""),
            link=data.get("link"),
        )

    def put(self, entry: Validated) -> None:
        """Store a response that carried an ETag or Last-Modified."""
        payload = {"format": FORMAT, **to_jsonable(entry)}
        _write_atomic(self._path(entry.url), payload)
