"""The config file: TOML in, frozen dataclasses out; every problem names file, line and key.

- `model`: what a loaded config is (`Config`, `BoardConfig`, `SourceConfig`).
- `load`: finding, parsing and validating the file into `Config`.
- `rules`: the problems collector and the checks shared by `load` and `init`.
- `locator`: the line a dotted key stands on, for messages.
"""

from __future__ import annotations

from pullboard.config.load import KINDS, PROJECT, REPO, load, parse
from pullboard.config.model import (
    GITHUB_API,
    BoardConfig,
    Config,
    InsightsRepo,
    SourceConfig,
    jira_flavor,
)
from pullboard.config.rules import url_problem

__all__ = [
    "GITHUB_API",
    "KINDS",
    "PROJECT",
    "REPO",
    "BoardConfig",
    "Config",
    "InsightsRepo",
    "SourceConfig",
    "jira_flavor",
    "load",
    "parse",
    "url_problem",
]
