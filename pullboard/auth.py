"""Token lookup per source: the source's `token_env`, then the tracker's usual variables.

Tokens are only ever returned to the source that asked; never written, cached, logged or shown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from pullboard.config import GITHUB_API, SourceConfig


@dataclass(frozen=True)
class Token:
    """A secret and where it came from (the `where` is safe to show, the value is not)."""

    value: str
    where: str

    def __repr__(self) -> str:  # keep secrets out of tracebacks and logs
        return f"Token(where={self.where!r})"


def env_names(source: SourceConfig) -> list[str]:
    """Environment variables consulted for `source`, in order."""
    names = [source.token_env] if source.token_env else []
    if source.kind == "github":
        names += (
            ["GH_TOKEN", "GITHUB_TOKEN"] if source.url == GITHUB_API else ["GH_ENTERPRISE_TOKEN"]
        )
    else:
        names.append("JIRA_API_TOKEN")
    return names


def find_token(source: SourceConfig) -> Token | None:
    """The first token found for `source`, or None (public GitHub repos work without one)."""
    for name in env_names(source):
        value = os.environ.get(name, "").strip()
        if value:
            return Token(value, f"environment variable {name}")
    return None
