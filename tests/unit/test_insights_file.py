"""Storage: who may write, what a write leaves behind, and the fingerprint the board polls."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from filelock import FileLock

from pullboard import insights
from pullboard.errors import InsightsError
from pullboard.insights import storage as insights_file
from pullboard.model import Insight

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
NOBODY = 65534


def note(title: str = "Freeze") -> Insight:
    return Insight(id="", on="board", title=title, author="lee")


def as_someone_else(probe: Callable[[], str | None]) -> str | None:
    """Run `probe` as a user who owns none of the test files.

    Root passes every permission check, and CI runs as root: there the probe runs in a forked
    child that drops to `nobody` first, so the real kernel checks apply. Otherwise it runs in
    this process, and the mode bits the tests set bind us too.
    """
    if os.geteuid() != 0:
        return probe()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 1
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.write(write, json.dumps({"result": probe()}).encode())
            code = 0
        except BaseException as err:
            os.write(write, json.dumps({"crash": repr(err)}).encode())
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        answer = json.loads(pipe.read() or b"{}")
    os.waitpid(pid, 0)
    assert "result" in answer, answer
    result: str | None = answer["result"]
    return result


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder everyone may enter (pytest's tmp_path is private to its owner)."""
    root = Path(tempfile.mkdtemp(prefix="pullboard-shared-"))
    root.chmod(0o777)
    yield root
    for folder, _, _ in os.walk(root):
        Path(folder).chmod(0o777)
    shutil.rmtree(root)


def test_writable_when_file_folder_and_lock_allow_it(shared: Path) -> None:
    path = shared / "insights.toml"
    insights.pin(path, note(), now=NOW)
    path.chmod(0o666)
    (shared / "insights.toml.lock").chmod(0o666)

    assert as_someone_else(lambda: insights.writable(path)) is None
    assert as_someone_else(lambda: insights.writable(shared / "new.toml")) is None


def test_a_read_only_file_is_reported(shared: Path) -> None:
    path = shared / "insights.toml"
    insights.pin(path, note(), now=NOW)
    path.chmod(0o444)

    reason = as_someone_else(lambda: insights.writable(path))

    assert reason == f"{path} is read-only for you, so insights can be read but not changed."


def test_a_read_only_folder_is_reported_also_for_a_file_not_there_yet(shared: Path) -> None:
    path = shared / "insights.toml"
    insights.pin(path, note(), now=NOW)
    path.chmod(0o666)
    shared.chmod(0o555)

    for target in (path, shared / "later.toml"):
        reason = as_someone_else(partial(insights.writable, target))
        assert reason is not None
        assert reason.startswith(f"The folder {shared} is not writable for you")


def test_a_read_only_lock_file_is_reported(shared: Path) -> None:
    path = shared / "insights.toml"
    insights.pin(path, note(), now=NOW)
    path.chmod(0o666)
    (shared / "insights.toml.lock").chmod(0o444)

    reason = as_someone_else(lambda: insights.writable(path))

    assert reason is not None and "lock file" in reason


def test_writes_refuse_with_the_same_reason_and_change_nothing(shared: Path) -> None:
    path = shared / "insights.toml"
    insights.pin(path, note(), now=NOW)
    path.chmod(0o444)
    before = path.read_bytes()

    def try_to_pin() -> str | None:
        try:
            insights.pin(path, note("Mine"), now=NOW)
        except InsightsError as err:
            return str(err)
        return None

    assert as_someone_else(try_to_pin) == as_someone_else(lambda: insights.writable(path))
    assert path.read_bytes() == before


def test_a_folder_where_the_file_should_be_is_not_writable(tmp_path: Path) -> None:
    (tmp_path / "insights.toml").mkdir()

    reason = insights.writable(tmp_path / "insights.toml")

    assert reason is not None and "is not a regular file" in reason


def test_fingerprint_tracks_every_rewrite_and_matches_what_load_read(tmp_path: Path) -> None:
    path = tmp_path / "insights.toml"
    assert insights.fingerprint(path) is None

    first = insights.pin(path, note("AAAA"), now=NOW)
    seen = insights.fingerprint(path)
    assert seen is not None and insights.load(path).fingerprint == seen

    insights.edit(path, first.id, {"title": "BBBB"}, base_revision=1, user="lee", now=NOW)
    changed = insights.fingerprint(path)
    assert changed is not None and changed != seen
    assert changed.inode != seen.inode


def test_a_rewrite_keeps_the_file_mode_and_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "insights.toml"
    old = os.umask(0o027)
    try:
        insights.pin(path, note(), now=NOW)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640

    path.chmod(0o664)
    insights.pin(path, note(), now=NOW)
    assert stat.S_IMODE(path.stat().st_mode) == 0o664


def test_temp_files_of_dead_writers_are_cleared_under_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "insights.toml"
    stale = tmp_path / ".insights.toml.deadbeef.tmp"
    stale.write_text("half a file", encoding="utf-8")
    other = tmp_path / ".notes.toml.deadbeef.tmp"
    other.write_text("not ours", encoding="utf-8")

    insights.pin(path, note(), now=NOW)

    assert not stale.exists()
    assert other.exists()


def test_a_symlinked_file_is_written_where_it_lives(tmp_path: Path) -> None:
    real = tmp_path / "repo" / "insights.toml"
    real.parent.mkdir()
    link = tmp_path / "insights.toml"
    link.symlink_to(real)

    stored = insights.pin(link, note(), now=NOW)

    assert link.is_symlink()
    assert [i.id for i in insights.load(real).insights] == [stored.id]
    assert (real.parent / "insights.toml.lock").exists()


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "insights.toml"
    insights.pin(path, note(), now=NOW)
    before = path.read_bytes()

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(InsightsError, match=f"Can't save {path}: No space left on device"):
        insights.pin(path, note("Lost"), now=NOW)

    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".insights.toml.*"))


def test_a_writer_that_cannot_get_the_lock_gives_up_with_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "insights.toml"
    monkeypatch.setattr(insights_file, "LOCK_TIMEOUT", 0.05)

    with FileLock(tmp_path / "insights.toml.lock"), pytest.raises(InsightsError) as caught:
        insights.pin(path, note(), now=NOW)

    assert "Another pullboard has held" in str(caught.value)
    assert not path.exists()
