"""The snapshot cache under `$XDG_CACHE_HOME/pullboard`: each source's last data, for an
instant start and as the fallback when a source fails (HTTP validators live in `sources.http`).

Nothing here ever sees a token: keys are source names and URLs, values are response data.
What is read back is cleaned again, as if a tracker had sent it: the file may come from an older
pullboard, or from anyone who can write the cache folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
from msgspec.structs import astuple, replace

from pullboard import files
from pullboard.config import SourceConfig
from pullboard.model import Issue, Item, Milestone, SourceData
from pullboard.paths import cache_dir
from pullboard.text import clean, one_line, web_url

FORMAT = 2
"""Bumped when the cached shape changes; older files are ignored, never misread."""
_URLS = ("url", "milestone")
_MULTI_LINE = ("description", "body")


NOT_CACHED = "nothing cached yet for this source; it shows once a refresh reaches it"


class Unreadable(ValueError):
    """A cache file is there but is not one pullboard wrote whole (a crash, a full disk, an
    edit); the message is the reason as a phrase."""


class _Head(msgspec.Struct):
    """What every cache file begins with, whatever its format."""

    format: int
    source: str


class _File(msgspec.Struct):
    """A cache file, decoded in one typed pass (dates, enums and tuples as the model has them)."""

    format: int
    source: str
    fetched_at: datetime
    milestones: tuple[Milestone, ...]
    issues: tuple[Issue, ...]
    complete: tuple[str, ...] = ()
    marks: dict[str, str] = {}


KeptForecasts = list[tuple[tuple[tuple[int, ...], int, int], tuple[tuple[int, int], ...]]]
"""Forecasts as `analysis.forecast.known` gives them: (close counts, open, horizon) with the
finish days as (day, runs) pairs."""


class _Forecasts(msgspec.Struct):
    """The forecasts file: remembered Monte Carlo runs, under the simulation's version."""

    version: str
    kept: KeptForecasts


def _read(path: Path) -> _File | None:
    """The cached snapshot in `path`, or None when there is none or it is from another format.

    Raises:
        Unreadable: there is a file, but it can't be read as a cache file.
    """
    try:
        raw = files.read_regular(path, files.CACHE_MAX_BYTES)[0]
    except FileNotFoundError:
        return None
    except OSError as err:
        raise Unreadable(err.strerror or type(err).__name__) from err
    try:
        return msgspec.msgpack.decode(raw, type=_File)
    except msgspec.ValidationError:
        pass
    except (msgspec.DecodeError, RecursionError) as err:
        raise Unreadable("it is not a cache file pullboard wrote whole") from err
    try:
        head = msgspec.msgpack.decode(raw, type=_Head)
    except (msgspec.ValidationError, RecursionError):
        raise Unreadable(_NOT_OURS) from None
    if head.format == FORMAT:
        raise Unreadable(_NOT_OURS)
    return None


_NOT_OURS = "it is not what pullboard writes"


class SnapshotCache:
    """Per-source snapshots, one MessagePack file each (about 40 % smaller than the JSON it
    replaced, and decoded typed in one pass), keyed by source name; a small JSON ref index
    beside each."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or cache_dir()) / "snapshots"
        self.unreadable: dict[str, str] = {}
        """Source name -> why its cache file couldn't be read, as `load` last found it."""

    def _path(self, key: str) -> Path:
        return self.root / f"{files.safe_name(key)}.msgpack"

    def _index_path(self, key: str) -> Path:
        return self.root / f"{files.safe_name(key)}.refs"

    def find(self, sources: Iterable[SourceConfig], ref: str) -> str | None:
        """The URL of the item with this short ref (`acme/shop#12`, `PAY-7`), from the small
        ref index each save writes beside its snapshot, in source order; None when no index
        knows it, or an index no longer matches its snapshot (then read the snapshot itself:
        `load`). Costs a stat and a small read per source, not the whole board."""
        for source in sources:
            key = _key(source)
            index = files.read_json(self._index_path(key))
            try:
                held = self._path(key).stat()
            except OSError:
                continue
            if not isinstance(index, dict) or index.get("snapshot") != _fingerprint(held):
                return None
            refs = index.get("refs")
            url = web_url(refs.get(ref)) if isinstance(refs, dict) else ""
            if url:
                return url
        return None

    def load(self, source: SourceConfig) -> SourceData | None:
        """The last data saved for `source`, or None: nothing saved, or a file that can't be
        read (then `missing` says why; the file is left as it is, for a look, until the next
        save replaces it)."""
        key = _key(source)
        self.unreadable.pop(source.name, None)
        try:
            data = _read(self._path(key))
            if data is None or data.source != key or data.format != FORMAT:
                return None
            return _decoded(data)
        except Unreadable as err:
            reason = str(err)
        except ValueError:
            reason = _NOT_OURS
        self.unreadable[source.name] = (
            f"this source's cache file {self._path(key)} could not be read ({reason}); "
            "a refresh fetches the data again and rewrites the file"
        )
        return None

    def missing(self, source: SourceConfig) -> str:
        """Why `load` found no data for `source`: nothing cached yet, or an unreadable file."""
        return self.unreadable.get(source.name, NOT_CACHED)

    def load_all(self, sources: Iterable[SourceConfig]) -> dict[str, SourceData | str]:
        """Each source's cached data, or why there is none (`missing`), by source name."""
        return {s.name: self.load(s) or self.missing(s) for s in sources}

    def save(self, source: SourceConfig, data: SourceData) -> str | None:
        """Replace the saved data for `source` (bodies are dropped: they are fetched on demand).

        Returns:
            None once saved; else why not, as a sentence. It never raises: a full disk or a
            cache folder that became a file costs the next start its head start, and must
            never cost the data just fetched.
        """
        key = _key(source)
        payload = _File(
            format=FORMAT,
            source=key,
            fetched_at=data.fetched_at,
            complete=tuple(sorted(data.complete)),
            marks=dict(data.marks),
            milestones=data.milestones,
            issues=tuple(i if i.body is None else replace(i, body=None) for i in data.issues),
        )
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            files.write_atomic(path, msgspec.msgpack.encode(payload))
            path.with_suffix(".json").unlink(missing_ok=True)  # the format before this one
            self._write_index(key, data)
        except OSError as err:
            return (
                f"Couldn't save the cache in {self.root.parent}: {err.strerror or err}; the board "
                "shows what was fetched, but the next start can't begin from it."
            )
        return None

    def _write_index(self, key: str, data: SourceData) -> None:
        """Ref -> URL for the snapshot just saved, with that file's size and time: an index
        that outlived its snapshot (a failed write, an older pullboard) no longer matches."""
        refs: dict[str, str] = {}
        items: list[Milestone | Issue] = [*data.milestones, *data.issues]
        for item in items:
            refs.setdefault(item.ref, item.url)  # the first, as `Snapshot.by_ref` finds it
        held = self._path(key).stat()
        files.write_json(self._index_path(key), {"snapshot": _fingerprint(held), "refs": refs})


def _fingerprint(held: os.stat_result) -> list[int]:
    return [held.st_size, held.st_mtime_ns]


def _decoded(data: _File) -> SourceData:
    """A cache file as data, cleaned as if a tracker had sent it.

    Raises:
        ValueError: a URL that is not a web URL, or a shape msgspec refuses once cleaned.
    """
    if data.fetched_at.tzinfo is None:
        raise ValueError("a time without its zone")  # pullboard writes them all in UTC
    try:
        return SourceData(
            milestones=tuple(map(_checked, data.milestones)),
            issues=tuple(map(_checked, data.issues)),
            fetched_at=data.fetched_at,
            complete=frozenset(web_url(url) for url in data.complete),
            marks=data.marks,
        )
    except msgspec.ValidationError as err:
        raise ValueError(str(err)) from err


def _checked(item: Item) -> Item:
    """The item itself when its text is all printable and its URLs plain (nearly always: one
    pass over its fields, the start-up path), else a cleaned copy."""
    for value in astuple(item):
        if type(value) is str:
            if not value.isprintable():
                break
        elif type(value) is tuple and not all(v.isprintable() for v in value):
            break
        elif type(value) is datetime and value.tzinfo is None:
            raise ValueError("a time without its zone")  # pullboard writes them all in UTC
    else:
        if all(url and web_url(url) == url for url in _urls(item)):
            return item
    return msgspec.convert(_cleaned(msgspec.to_builtins(item)), type(item))


def _urls(item: Milestone | Issue) -> tuple[str, ...]:
    milestone = getattr(item, "milestone", None)
    return (item.url,) if milestone is None else (item.url, milestone)


def _key(source: SourceConfig) -> str:
    """What a source's cached snapshot belongs to: two configs may both call a source "shop"."""
    return f"{source.name}|{source.kind}|{source.url}|{','.join(source.repos + source.projects)}"


def _cleaned(raw: dict[str, Any]) -> dict[str, Any]:
    """One cached milestone or issue, cleaned the way sources clean what they map; done on
    plain data, for the rare item whose text needs it (`_checked` lets the rest through).

    Raises:
        ValueError: a URL that is not a web URL (the file is not one pullboard wrote).
    """
    out = dict(raw)
    for key, value in raw.items():
        if key in _URLS and value is not None:
            out[key] = web_url(value)
            if not out[key]:
                raise ValueError(f"{key} is not a web URL")
        elif isinstance(value, str) and not value.isprintable():
            out[key] = (clean if key in _MULTI_LINE else one_line)(value)
        elif isinstance(value, (list, tuple)):
            out[key] = [v if isinstance(v, str) and v.isprintable() else one_line(v) for v in value]
    return out


class ForecastFile:
    """Forecasts kept between processes (see `analysis.forecast`): a forecast is a head start
    only, so anything wrong with the file costs running it again, never the run.

    Args:
        path: `forecasts.msgpack` beside the snapshots; the demo's in the state folder.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self, version: str) -> KeptForecasts:
        """The forecasts kept under `version`, as `keep` was given them; [] when there are
        none, they are another version's, or the file is not one pullboard wrote."""
        try:
            raw = files.read_regular(self.path, files.CACHE_MAX_BYTES)[0]
            kept = msgspec.msgpack.decode(raw, type=_Forecasts)
        except (OSError, msgspec.DecodeError, RecursionError):
            return []
        return kept.kept if kept.version == version else []

    def keep(self, version: str, kept: KeptForecasts) -> None:
        """Keep the forecasts this process knows for the next one; a folder that can't be
        written costs the next start the time to run them again."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            files.write_atomic(self.path, msgspec.msgpack.encode(_Forecasts(version, kept)))
        except OSError:
            pass
