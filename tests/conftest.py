"""Fixtures every test gets: no developer config, cache, keyring or tokens leak in or out.

Also the CI rule: with `PULLBOARD_NO_SKIP=1` (set by `.ci/run`, which installs every system
program the tests drive) a skipped test is a failed one, so nothing is quietly left untested.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

TOKEN_VARIABLES = ("GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "JIRA_API_TOKEN")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point XDG dirs at a temporary directory and drop tokens and config from the environment.

    Returns:
        The temporary root that holds the `config`, `cache` and `state` dirs.
    """
    root = tmp_path / "xdg"
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        (root / sub).mkdir(parents=True)
        monkeypatch.setenv(var, str(root / sub))
    monkeypatch.delenv("PULLBOARD_CONFIG", raising=False)
    for var in TOKEN_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return root


@pytest.fixture(autouse=True)
def no_stored_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No real keyring, ~/.netrc or `gh` login reaches a test, in this process or a child.

    HOME is a temporary folder (no ~/.netrc), a `gh` that always fails comes first on PATH
    (a developer's logged-in gh would otherwise hand out a real token), there is no D-Bus
    session, and the in-process keyring is the `fail` backend whatever an earlier test set.

    Returns:
        The temporary HOME.
    """
    home = tmp_path / "home"
    tools = tmp_path / "bin"
    home.mkdir()
    tools.mkdir()
    gh = tools / "gh"
    gh.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    gh.chmod(0o755)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    keyring.set_keyring(fail.Keyring())
    yield home
    keyring.set_keyring(fail.Keyring())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport() -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Under `PULLBOARD_NO_SKIP=1` a skip is a failure that keeps its reason (xfail stays)."""
    report = yield
    forbidden = os.environ.get("PULLBOARD_NO_SKIP") == "1"
    if forbidden and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped, and PULLBOARD_NO_SKIP=1 forbids skips: {reason}"
    return report
