"""The snapshot cache: what is saved loads back equal (bodies left out), and a file whose
shapes were tampered with is refused whole."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import cachefiles
import pytest
from msgspec.structs import replace

from pullboard.board import Board
from pullboard.cache import SnapshotCache, SourceData
from pullboard.sources.demo import demo_config


@pytest.fixture
def saved(tmp_path: Path) -> tuple[SnapshotCache, Board]:
    board = Board(demo_config())
    asyncio.run(board.refresh(full=True))
    cache = SnapshotCache(tmp_path)
    for source in board.config.sources:
        assert cache.save(source, board._data[source.name]) is None
    return cache, board


def test_what_is_saved_loads_back_equal(saved: tuple[SnapshotCache, Board]) -> None:
    cache, board = saved
    for source in board.config.sources:
        data = board._data[source.name]
        expected = SourceData(
            data.milestones,
            tuple(replace(i, body=None) for i in data.issues),
            data.fetched_at,
            data.complete,
        )
        assert cache.load(source) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("state", 5),
        ("created", "yesterday"),
        ("created", "2026-01-02T03:04:05"),  # no zone: would break every comparison later
        ("labels", "bug"),
        ("url", ["x"]),
        ("url", ""),
        ("milestone", ""),
    ],
)
def test_a_tampered_shape_is_refused_whole(
    saved: tuple[SnapshotCache, Board], field: str, value: object
) -> None:
    cache, board = saved
    source = board.config.sources[0]
    path = cachefiles.of_source(cache.root, source.name)
    data = cachefiles.read(path)
    data["issues"][3][field] = value
    cachefiles.write(path, data)
    assert cache.load(source) is None


def test_the_ref_index_finds_items_without_reading_the_snapshot(
    saved: tuple[SnapshotCache, Board],
) -> None:
    cache, board = saved
    sources = board.config.sources
    data = [board._data[s.name] for s in sources]
    issue, milestone = data[-1].issues[-1], data[0].milestones[0]

    assert cache.find(sources, issue.ref) == issue.url
    assert cache.find(sources, milestone.ref) == milestone.url
    assert cache.find(sources, "nobody/nothing#1") is None


def test_an_index_that_outlived_its_snapshot_is_not_believed(
    saved: tuple[SnapshotCache, Board],
) -> None:
    """An older pullboard (or a failed write) rewrote the snapshot but not its index."""
    cache, board = saved
    source = board.config.sources[0]
    item = board._data[source.name].milestones[0]
    path = cachefiles.of_source(cache.root, source.name)
    path.write_bytes(path.read_bytes() + b" ")

    assert cache.find(board.config.sources, item.ref) is None


def test_a_hostile_index_gives_no_url(saved: tuple[SnapshotCache, Board]) -> None:
    cache, board = saved
    source = board.config.sources[0]
    item = board._data[source.name].milestones[0]
    for index in cache.root.glob("*.refs"):
        data = json.loads(index.read_text())
        data["refs"] = {ref: "javascript:alert(1)" for ref in data["refs"]}
        index.write_text(json.dumps(data))

    assert cache.find(board.config.sources, item.ref) is None


def test_a_json_cache_of_the_format_before_is_ignored_then_removed(
    saved: tuple[SnapshotCache, Board],
) -> None:
    """pullboard before MessagePack saved `<key>.json`: never misread, gone with the next save."""
    cache, board = saved
    source = board.config.sources[0]
    path = cachefiles.of_source(cache.root, source.name)
    old = path.with_suffix(".json")
    old.write_text(json.dumps({"format": 1, "source": cachefiles.read(path)["source"]}))
    path.unlink()

    assert cache.load(source) is None
    assert cache.missing(source).startswith("nothing cached yet")
    assert cache.save(source, board._data[source.name]) is None
    assert not old.exists() and cache.load(source) is not None


def test_a_file_of_another_format_is_ignored_not_called_unreadable(
    saved: tuple[SnapshotCache, Board],
) -> None:
    cache, board = saved
    source = board.config.sources[0]
    path = cachefiles.of_source(cache.root, source.name)
    cachefiles.write(path, {"format": 99, "source": "x", "everything": "else"})

    assert cache.load(source) is None
    assert cache.missing(source).startswith("nothing cached yet")


def test_a_fetch_time_without_its_zone_is_refused(saved: tuple[SnapshotCache, Board]) -> None:
    """The data's age is now minus this time: a naive one would crash the board later."""
    cache, board = saved
    source = board.config.sources[0]
    path = cachefiles.of_source(cache.root, source.name)
    data = cachefiles.read(path)
    data["fetched_at"] = "2026-01-02T03:04:05"
    cachefiles.write(path, data)

    assert cache.load(source) is None
    assert "could not be read" in cache.missing(source)
