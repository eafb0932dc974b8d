"""A new user on a host without a keyring (as over SSH): init, the env-var route, a board.

Runs the real `pullboard` entry point in child processes with no D-Bus session and
`keyring`'s fail backend, against the fake GitHub server, end to end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.github_server import TOKEN
from fakes.identity import GitHubWithUser


@pytest.fixture
def github() -> Iterator[GitHubWithUser]:
    with GitHubWithUser(prefix="/api/v3", token=TOKEN) as fake:
        fake.add_repo("acme/shop")
        fake.add_milestone("acme/shop", "v1.0")
        fake.add_issue("acme/shop", "First", milestone=1)
        yield fake


def pullboard(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    environment.pop("DBUS_SESSION_BUS_ADDRESS", None)
    return subprocess.run(
        [sys.executable, "-m", "pullboard", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**environment, **env},
        timeout=60,
        check=False,
    )


def test_init_then_env_token_then_board_without_keyring(
    github: GitHubWithUser, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    done = pullboard(
        "init", "--non-interactive", "--config", str(config),
        "--github", "acme/shop", "--github-url", github.url,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "pullboard auth set shop" in done.stdout

    done = pullboard("auth", "set", "shop", "--config", str(config), stdin=TOKEN + "\n")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "pullboard: Can't store the token for shop: this machine has no usable keyring "
        "(normal over SSH or without a desktop session).",
        "Set the token in the environment instead, e.g. in your shell profile:",
        "    export GH_ENTERPRISE_TOKEN=<token>",
        "pullboard reads it on every start; nothing is stored.",
    ]

    done = pullboard("auth", "status", "--config", str(config), GH_ENTERPRISE_TOKEN=TOKEN)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == (
        "✓ shop: token from environment variable GH_ENTERPRISE_TOKEN"
    )
    assert "signed in as octocat" in done.stdout

    done = pullboard("export", "--config", str(config), GH_ENTERPRISE_TOKEN=TOKEN)
    assert done.returncode == 0, done.stderr
    assert '"v1.0"' in done.stdout
    assert "Traceback" not in done.stderr
    for output in (done.stdout, done.stderr, config.read_text(encoding="utf-8")):
        assert TOKEN not in output
    cached = [p for p in Path(os.environ["XDG_CACHE_HOME"]).rglob("*") if p.is_file()]
    assert cached, "export should have cached the snapshot"
    for path in cached:
        assert TOKEN not in path.read_text(encoding="utf-8", errors="replace")
