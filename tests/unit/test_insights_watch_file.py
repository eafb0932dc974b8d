"""Told when the local insights file changes (inotify on its folder), and never on a network
filesystem, where another host's writes would go unseen."""

from __future__ import annotations

import select
import sys
from pathlib import Path

import pytest

from pullboard.insights import watch
from pullboard.insights.storage import write_atomic
from pullboard.insights.watch import FolderWatch, filesystem

MOUNTS = (
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
    "40 22 0:40 / /mnt/team\\040share rw,relatime shared:2 - nfs4 srv:/export rw\n"
    "41 22 0:41 / /mnt/team rw shared:3 - cifs //srv/team rw\n"
    "42 22 0:42 / /run/user/1000 rw shared:4 - tmpfs tmpfs rw\n"
)


def test_the_mount_holding_a_folder_is_the_longest_above_it() -> None:
    assert filesystem(Path("/home/lee/board"), MOUNTS) == "ext4"
    assert filesystem(Path("/mnt/team share/board"), MOUNTS) == "nfs4"
    assert filesystem(Path("/mnt/team/board"), MOUNTS) == "cifs"
    assert filesystem(Path("/mnt/teams"), MOUNTS) == "ext4", "a prefix of a name is not a parent"
    assert filesystem(Path("/run/user/1000"), MOUNTS) == "tmpfs"


@pytest.mark.parametrize("where", ["/mnt/team share/insights.toml", "/mnt/team/insights.toml"])
def test_a_file_on_a_network_filesystem_is_not_watched(where: str) -> None:
    assert FolderWatch.of(Path(where), MOUNTS) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_replaced_file_is_reported_and_its_neighbours_are_not(tmp_path: Path) -> None:
    path = tmp_path / "insights.toml"
    path.write_text("version = 1\n")
    mounts = f"1 0 8:1 / {tmp_path} rw - ext4 /dev/sda1 rw\n"
    watch = FolderWatch.of(path, mounts)
    assert watch is not None
    try:
        (tmp_path / "history.sqlite3").write_bytes(b"x")
        assert not _readable(watch) or not watch.changed(), "another file in the folder"
        write_atomic(path, b"version = 1\n# a colleague's pin\n")
        assert _readable(watch) and watch.changed()
        assert not watch.changed(), "read once"
    finally:
        watch.close()


def _readable(watch: FolderWatch) -> bool:
    return bool(select.select([watch.fileno()], [], [], 2.0)[0])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_symlinked_file_is_watched_where_it_really_lives(tmp_path: Path) -> None:
    """Writes replace the file where the link points (`real_path`): that folder is watched."""
    shared, mine = tmp_path / "shared", tmp_path / "mine"
    shared.mkdir()
    mine.mkdir()
    (shared / "insights.toml").write_text("version = 1\n")
    link = mine / "board.toml"
    link.symlink_to(shared / "insights.toml")
    watch = FolderWatch.of(link, f"1 0 8:1 / {tmp_path} rw - ext4 /dev/sda1 rw\n")
    assert watch is not None
    try:
        write_atomic(shared / "insights.toml", b"version = 1\n# pinned\n")
        assert _readable(watch) and watch.changed()
    finally:
        watch.close()


def test_a_mount_point_that_is_not_utf8_leaves_the_watch_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/proc/self/mountinfo holds every mount's path as bytes (an old USB stick's Latin-1)."""
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_bytes(
        f"1 0 8:1 / {tmp_path} rw - ext4 /dev/sda1 rw\n".encode()
        + b"50 1 8:17 / /media/lee/M\xfcll rw - vfat /dev/sdb1 rw\n"
    )
    monkeypatch.setattr(watch, "MOUNTINFO", mountinfo)
    (tmp_path / "insights.toml").write_text("")
    found = FolderWatch.of(tmp_path / "insights.toml")
    assert found is not None or not sys.platform.startswith("linux")
    if found is not None:
        found.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_folder_that_goes_is_reported_and_the_watch_is_lost(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    found = FolderWatch.of(folder / "insights.toml", f"1 0 8:1 / {tmp_path} rw - ext4 x rw\n")
    assert found is not None
    try:
        folder.rmdir()
        assert _readable(found) and found.changed() and found.lost
        assert not found.still_there()
    finally:
        found.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_folder_replaced_by_a_rename_is_not_still_there(tmp_path: Path) -> None:
    """A rename sends no event about the path: the look's check finds another folder there."""
    folder, fresh = tmp_path / "team", tmp_path / "fresh"
    folder.mkdir()
    fresh.mkdir()
    found = FolderWatch.of(folder / "insights.toml", f"1 0 8:1 / {tmp_path} rw - ext4 x rw\n")
    assert found is not None
    try:
        assert found.still_there()
        folder.rename(tmp_path / "old")
        fresh.rename(folder)
        assert not found.still_there()
    finally:
        found.close()
