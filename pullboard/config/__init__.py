"""The config file: TOML in, frozen records out; every problem names file, line and key.

- `model`: what a loaded config is (`Config`, `BoardConfig`, `SourceConfig`).
- `load`: finding, parsing and validating the file into `Config`.
- `source`: the `[[source]]` tables, GitHub's and Jira's keys.
- `people`: `[serve]` and `[[person]]`, for `pullboard serve`.
- `rules`: the problems collector and the checks shared by `load` and `init`.
- `locator`: the line a dotted key stands on, for messages.
"""

from __future__ import annotations

from pullboard.config.load import beside_config, load, parse
from pullboard.config.model import (
    GITHUB_API,
    ROLES,
    BoardConfig,
    Config,
    InsightsRepo,
    Person,
    ServeConfig,
    SourceConfig,
    jira_flavor,
)
from pullboard.config.people import key_problem, listen_address
from pullboard.config.rules import url_problem
from pullboard.config.source import KINDS, PROJECT, REPO

__all__ = [
    "GITHUB_API",
    "KINDS",
    "PROJECT",
    "REPO",
    "ROLES",
    "BoardConfig",
    "Config",
    "InsightsRepo",
    "Person",
    "ServeConfig",
    "SourceConfig",
    "beside_config",
    "jira_flavor",
    "key_problem",
    "listen_address",
    "load",
    "parse",
    "url_problem",
]
