"""Fixtures every test gets: no developer config, cache, keyring or tokens leak in or out."""

from __future__ import annotations

from pathlib import Path

import pytest

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
