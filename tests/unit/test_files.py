"""`files`: reads that open only regular files and stop at a size, and writes in shared folders."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pullboard import files


def finishes(work: Callable[[], Any], seconds: float = 10.0) -> Any:
    """Run `work` in a daemon thread; fail (rather than hang the run) when it blocks."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as err:
            outcome["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still blocked after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def test_read_regular_gives_bytes_and_the_stat_of_what_it_read(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_bytes(b"a = 1\n")
    data, seen = files.read_regular(path)
    assert data == b"a = 1\n"
    assert seen.st_ino == os.stat(path).st_ino


def test_read_regular_refuses_a_fifo_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "insights.toml"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match=r"named pipe \(FIFO\), not a regular file") as caught:
        finishes(lambda: files.read_regular(fifo))
    assert caught.value.filename == str(fifo)


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p: p.mkdir(), "a folder"),
        (lambda p: p.symlink_to("/dev/null"), "a device"),
    ],
)
def test_read_regular_refuses_other_non_regular_files(
    tmp_path: Path, make: Callable[[Path], None], kind: str
) -> None:
    path = tmp_path / "x"
    make(path)
    with pytest.raises(OSError, match=f"it is {kind}, not a regular file"):
        files.read_regular(path)


def test_read_regular_stops_at_the_limit_and_names_it(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (files.MAX_BYTES + 1))
    with pytest.raises(OSError, match=r"larger than 4 MiB, the most pullboard reads"):
        files.read_regular(path)
    path.write_bytes(b"#" * 100)
    with pytest.raises(OSError, match=r"larger than 50 bytes"):
        files.read_regular(path, limit=50)


def test_a_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        files.read_regular(tmp_path / "nothing")


def test_read_json_is_none_for_a_fifo_deep_nesting_and_a_folder(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    assert finishes(lambda: files.read_json(fifo)) is None
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000, encoding="utf-8")
    assert files.read_json(deep) is None
    assert files.read_json(tmp_path) is None


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_in_a_group_folder_is_group_writable(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    team.chmod(0o2775)
    old = os.umask(0o022)
    try:
        files.write_atomic(team / "insights.toml", b"x")
        files.write_atomic(tmp_path / "private.toml", b"x")
    finally:
        os.umask(old)
    assert mode(team / "insights.toml") == 0o664, "teammates in the group can write it"
    assert mode(tmp_path / "private.toml") == 0o644, "elsewhere the umask decides"


def test_group_write_keeps_the_umask_for_others(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    team.chmod(0o2770)
    old = os.umask(0o077)
    try:
        files.write_atomic(team / "insights.toml", b"x")
    finally:
        os.umask(old)
    assert mode(team / "insights.toml") == 0o660


def test_an_existing_file_keeps_its_mode_in_a_group_folder(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    team.chmod(0o2775)
    target = team / "insights.toml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    files.write_atomic(target, b"new")
    assert mode(target) == 0o640, "a lead who chose 640 keeps it"


def test_shared_mode_is_none_outside_group_folders(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    assert files.shared_mode(tmp_path) is None
    tmp_path.chmod(0o775)
    old = os.umask(0o002)
    try:
        assert files.shared_mode(tmp_path) == 0o664
    finally:
        os.umask(old)
