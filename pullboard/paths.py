"""The one place that decides where config, cache and state live (XDG and PULLBOARD_CONFIG)."""

from __future__ import annotations

import os
from pathlib import Path

APP = "pullboard"


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var, "")
    # XDG says relative paths are invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def config_dir() -> Path:
    """Directory of the user's config (`$XDG_CONFIG_HOME/pullboard`)."""
    return _xdg("XDG_CONFIG_HOME", ".config") / APP


def cache_dir() -> Path:
    """Directory for snapshot and HTTP caches (`$XDG_CACHE_HOME/pullboard`)."""
    return _xdg("XDG_CACHE_HOME", ".cache") / APP


def state_dir() -> Path:
    """Directory for per-user state such as the last look (`$XDG_STATE_HOME/pullboard`)."""
    return _xdg("XDG_STATE_HOME", ".local/state") / APP


def default_insights_path() -> Path:
    """Where insights live when the config names no shared file: private to this user."""
    return state_dir() / "insights.toml"


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the config file: `--config`, then `$PULLBOARD_CONFIG`, then the XDG config dir.

    Args:
        explicit: the path given on the command line, if any.
    """
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("PULLBOARD_CONFIG")
    if env:
        return Path(env).expanduser()
    return config_dir() / "config.toml"
