"""pullboard's own exceptions: each message is a sentence a user can act on."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit


class PullboardError(Exception):
    """Base class: the message is written for the user, never a traceback."""


class ConfigError(PullboardError):
    """The config file is missing, not TOML, or holds a bad value.

    Attributes:
        problems: every problem found, each already a full sentence naming file, line and key.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class UsageError(PullboardError):
    """The command can't run as asked (exit 2), e.g. the board without a terminal."""


class SourceError(PullboardError):
    """A tracker could not deliver; the board keeps the other sources and this one's cache."""


class SourceUnreachable(SourceError):
    """DNS, connection refused, TLS or timeout: the host never answered usefully."""


class SourceRejected(SourceError):
    """The tracker answered with an error that retrying will not fix (403, 404, 410, bad JSON)."""


class AuthFailed(SourceRejected):
    """The token is missing, wrong, expired or lacks a scope."""


class RateLimited(SourceError):
    """The tracker's rate limit is exhausted until `reset_at` (or for `retry_after` seconds)."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, reset_at: datetime | None = None
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.reset_at = reset_at


class InsightsError(PullboardError):
    """The insights file can't be read or written; the file is left exactly as it was."""


def unexpected(source: str, url: str, err: Exception) -> str:
    """A sentence for an exception no layer below turned into a `SourceError`. It names only
    the exception's type: its text may hold a request header, and so a token."""
    host = urlsplit(url).hostname or "its server"
    return (
        f"{source}: pullboard failed unexpectedly ({type(err).__name__}) while reading "
        f"{host}; this is a bug worth reporting, and the other sources are not affected."
    )
