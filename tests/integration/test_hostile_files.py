"""Hostile and broken files, through the real `pullboard` command in child processes.

A FIFO where the insights file should be, a file of 50,000 nested `[`, a cache folder that is
a file and a disk that refuses writes: each is one sentence and an exit code, never a hang,
a traceback or a lost export. The children run with a deadline, so a hang fails the test.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.github_server import TOKEN, FakeGitHub

DEADLINE = 30
NESTED = "a = " + "[" * 50_000 + "\n"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN) as fake:
        fake.add_repo("acme/shop")
        fake.add_milestone("acme/shop", "v1.0")
        for n in range(30):
            fake.add_issue("acme/shop", f"Issue number {n} with a longish title", milestone=1)
        yield fake


def write_config(tmp_path: Path, url: str, insights: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[board]\nme = "lee"\ninsights = "{insights}"\n\n'
        f'[[source]]\nname = "shop"\nkind = "github"\nurl = "{url}"\nrepo = "acme/shop"\n'
        'token_env = "FAKE_TOKEN"\n',
        encoding="utf-8",
    )
    return config


def pullboard(*args: str, limit_file_size: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run pullboard; `limit_file_size` makes every regular-file write past it fail (EFBIG),
    as a full disk would, while stdout (a pipe) still works."""

    def refuse_big_writes() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if limit_file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    return subprocess.run(
        [sys.executable, "-m", "pullboard", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "FAKE_TOKEN": TOKEN, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=DEADLINE,
        check=False,
        preexec_fn=refuse_big_writes,
    )


def assert_one_sentence(stderr: str) -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr


@pytest.mark.parametrize("command", [["insights"], ["doctor"], ["export"]])
def test_a_fifo_as_insights_file_is_refused_not_waited_on(
    tmp_path: Path, github: FakeGitHub, command: list[str]
) -> None:
    fifo = tmp_path / "insights.toml"
    os.mkfifo(fifo)
    config = write_config(tmp_path, github.url, fifo)
    done = pullboard(*command, "--config", str(config))
    assert_one_sentence(done.stderr)
    said = done.stdout + done.stderr
    assert f"Can't read {fifo}: it is a named pipe (FIFO), not a regular file." in said
    assert done.returncode == (0 if command == ["export"] else 1), said


def test_a_fifo_as_config_is_a_config_error(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    done = pullboard("export", "--config", str(fifo))
    assert done.returncode == 2
    assert done.stderr == (
        f"pullboard: {fifo}: can't read the config: it is a named pipe (FIFO), "
        "not a regular file.\n"
    )


def test_nested_brackets_in_the_insights_file_are_one_sentence(
    tmp_path: Path, github: FakeGitHub
) -> None:
    shared = tmp_path / "insights.toml"
    shared.write_text(NESTED, encoding="utf-8")
    config = write_config(tmp_path, github.url, shared)
    done = pullboard("insights", "--config", str(config))
    assert done.returncode == 1
    assert_one_sentence(done.stderr)
    assert f"{shared} is not valid TOML: arrays or tables nested too deeply" in done.stderr
    done = pullboard("export", "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert "nested too deeply" in json.loads(done.stdout)["insights_error"]


def test_nested_brackets_in_the_config_are_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(NESTED, encoding="utf-8")
    done = pullboard("doctor", "--config", str(config))
    assert_one_sentence(done.stderr)
    assert f"✗ {config}: not valid TOML: arrays or tables nested too deeply" in done.stdout
    done = pullboard("export", "--config", str(config))
    assert done.returncode == 2
    assert_one_sentence(done.stderr)


def test_an_oversized_insights_file_is_refused_with_the_limit(
    tmp_path: Path, github: FakeGitHub
) -> None:
    shared = tmp_path / "insights.toml"
    shared.write_bytes(b"# padding\n" * 500_000)
    config = write_config(tmp_path, github.url, shared)
    done = pullboard("insights", "--config", str(config))
    assert done.returncode == 1
    assert f"Can't read {shared}: it is larger than 4 MiB, the most pullboard reads." in (
        done.stderr
    )


def test_a_cache_folder_that_is_a_file_costs_a_warning_not_the_export(
    tmp_path: Path, github: FakeGitHub
) -> None:
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "pullboard"
    cache.write_text("not a folder", encoding="utf-8")
    config = write_config(tmp_path, github.url, tmp_path / "insights.toml")
    done = pullboard("export", "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert_one_sentence(done.stderr)
    assert len(json.loads(done.stdout)["issues"]) == 30, "what was fetched is all there"
    assert done.stderr.startswith(f"pullboard: warning: Couldn't save the cache in {cache}")


def test_a_full_disk_while_caching_costs_a_warning_not_the_export(
    tmp_path: Path, github: FakeGitHub
) -> None:
    config = write_config(tmp_path, github.url, tmp_path / "insights.toml")
    done = pullboard("export", "--config", str(config), limit_file_size=2048)
    assert done.returncode == 0, done.stderr
    assert_one_sentence(done.stderr)
    assert len(json.loads(done.stdout)["issues"]) == 30
    assert "pullboard: warning: Couldn't save the cache in " in done.stderr
    assert "File too large" in done.stderr
    lines = done.stderr.splitlines()
    assert sum("Couldn't save the cache" in line for line in lines) == 1, "once, not per source"
    # the history database is in the state folder on the same full disk: its own warning
    assert len(lines) == 2 and "warning: History not saved" in lines[1]
