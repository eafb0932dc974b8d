"""The insights file in a team's folder: teammates can write what the first writer created,
and a configured folder that doesn't exist is an error naming it, never a private new folder."""

from __future__ import annotations

import codecs
import grp
import json
import os
import pwd
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from needs import needs_root

from pullboard import insights
from pullboard.cli import doctor
from pullboard.errors import InsightsError
from pullboard.model import Insight
from pullboard.paths import default_insights_path

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
NOBODY = 65534
TEAM_GID = 100
"""The `users` group on Debian: the team that owns the shared folder."""


def note(title: str = "Freeze") -> Insight:
    return Insight(id="", on="board", title=title, author="lee")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def as_teammate(probe: Callable[[], str | None]) -> str | None:
    """Run `probe` in a child as another user (nobody) who is in the team's group, umask 022,
    so the kernel's real permission checks apply (the tests run as root in CI)."""
    # The child may not be able to read this Python's own files: import what it needs first.
    codecs.lookup("utf-8-sig")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 1
        try:
            os.close(read)
            os.setgroups([TEAM_GID])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.umask(0o022)
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
def team() -> Iterator[Path]:
    """`chgrp users team && chmod 2775 team`, where everyone may enter (pytest's tmp_path is
    private to its owner)."""
    root = Path(tempfile.mkdtemp(prefix="pullboard-team-"))
    root.chmod(0o755)
    folder = root / "team"
    folder.mkdir()
    if os.geteuid() == 0:
        os.chown(folder, -1, TEAM_GID)
    folder.chmod(0o2775)
    yield folder
    shutil.rmtree(root)


def test_the_first_writer_leaves_file_and_lock_writable_for_the_group(team: Path) -> None:
    path = team / "insights.toml"
    old = os.umask(0o022)
    try:
        insights.pin(path, note(), now=NOW)
    finally:
        os.umask(old)
    assert mode(path) == 0o664
    assert mode(team / "insights.toml.lock") == 0o664


def test_a_teammate_can_pin_into_what_the_first_writer_created(team: Path) -> None:
    needs_root("it switches to another user to let the kernel check permissions")
    path = team / "insights.toml"
    old = os.umask(0o022)
    try:
        insights.pin(path, note("Lead's"), now=NOW)
    finally:
        os.umask(old)

    def teammate_pins() -> str | None:
        try:
            return insights.pin(path, note("Teammate's"), now=NOW).title
        except InsightsError as err:
            return str(err)

    assert as_teammate(teammate_pins) == "Teammate's"
    assert [i.title for i in insights.load(path).insights] == ["Lead's", "Teammate's"]


def test_a_configured_folder_that_does_not_exist_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "mnt" / "team"
    path = missing / "insights.toml"
    expected = (
        f"The folder {missing} doesn't exist, so insights can't be saved there; create it, "
        "or fix `insights` in the [board] table of the config."
    )
    assert insights.writable(path) == expected
    with pytest.raises(InsightsError) as caught:
        insights.pin(path, note(), now=NOW)
    assert str(caught.value) == expected
    assert not (tmp_path / "mnt").exists(), "no private folder is made where the share should be"


def test_pullboards_own_folder_for_private_insights_is_still_created() -> None:
    path = default_insights_path()
    assert not path.parent.exists()
    assert insights.writable(path) is None
    insights.pin(path, note(), now=NOW)
    assert [i.title for i in insights.load(path).insights] == ["Freeze"]


def doctor_line(path: Path) -> str | None:
    check = doctor._insights(path)
    return f"{check.mark.name} {check.what} -> {check.fix}"


def test_doctor_warns_not_fails_for_a_reader_of_a_read_only_file(team: Path) -> None:
    needs_root("it switches to another user to let the kernel check permissions")
    path = team / "insights.toml"
    insights.pin(path, note(), now=NOW)
    path.chmod(0o644)

    line = as_teammate(lambda: doctor_line(path))

    assert line == (
        f"WARN insights file {path} is read-only: you can read but not pin (1 insights; only "
        f"{pwd.getpwuid(os.geteuid()).pw_name} can write it) -> "
        "fine for readers; to pin, you need write access to it, its folder and its .lock file"
    )


def test_doctor_says_who_else_can_write_the_file(team: Path) -> None:
    """The teammates' view, before and after the first pin, and of a private file."""
    path = team / "insights.toml"
    group = grp.getgrgid(team.stat().st_gid).gr_name
    before = doctor_line(path)
    assert before is not None and f"(not created yet; the group {group} can write files " in before
    insights.pin(path, note(), now=NOW)
    after = doctor_line(path)
    assert after is not None and f"(1 insights; the group {group} can write it too)" in after
    path.chmod(0o644)
    alone = doctor_line(path)
    assert alone is not None and "(1 insights; only " in alone and " can write it)" in alone


def test_doctor_fails_naming_a_configured_folder_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "mnt" / "team"
    line = doctor_line(missing / "insights.toml")
    assert line is not None and line.startswith(
        f"FAIL insights file: The folder {missing} doesn't exist, so insights can't be saved"
    )
