"""Validation helpers behind `config`: a problems collector, typed table access, URL checks.

Kept apart from `config` so the schema there reads as a list of rules, and so `init` can
check answers with the very same rules before writing anything.
"""

from __future__ import annotations

import difflib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pullboard.config.locator import Locator, show
from pullboard.config.locator import Path as KeyPath
from pullboard.text import looks_secret, one_line, redact

SECRET_KEYS = frozenset(
    {"token", "password", "passwd", "secret", "api_token", "apitoken", "api_key", "pat"}
)
"""Keys people use when they paste a token into the config; answered with the safe routes."""


LOOKS_SECRET = (
    "that looks like a token, and tokens never go in the config; expected {what} here (store "
    "a token with `pullboard auth set SOURCE`, or name an environment variable with token_env)"
)
"""Said instead of quoting a token-shaped value where a name belongs: a name is printed as-is
on the board and in exports, so the value itself is never repeated, not even redacted."""


class Problems:
    """Collects problems so one run reports all of them (doctor shows every one at once)."""

    def __init__(self, path: Path, locator: Locator) -> None:
        self.path = path
        self.locator = locator
        self.items: list[tuple[int, str]] = []
        self.keys: set[KeyPath] = set()

    def add(self, key: KeyPath, message: str) -> None:
        """Record `message` about `key`: `FILE, line N: dotted.key: message`."""
        line = self.locator.line(key)
        where = f"{self.path}, line {line}" if line else str(self.path)
        self.items.append((line or 0, f"{where}: {show(key)}: {message}"))
        self.keys.add(key)

    def sorted(self) -> list[str]:
        """The problems in file order (those without a line first)."""
        return [text for _, text in sorted(self.items, key=lambda item: item[0])]


def shown(value: str, limit: int = 60) -> str:
    """A config value quoted back in a message. Every echo goes through here: a token pasted
    into the wrong key or a URL is redacted, and control characters are made inert."""
    text = one_line(redact(value))
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def describe(value: Any, *, secret: bool = False) -> str:
    """A value as TOML calls it, for "expected X, got Y" (secrets by type only)."""
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "true/false"),
        (str, "a string"),
        (int, "a whole number"),
        (float, "a number"),
        ((datetime, date, time), "a date"),
        (list, "an array"),
        (dict, "a table"),
    ]
    kind = next((name for t, name in kinds if isinstance(value, t)), type(value).__name__)
    if secret or isinstance(value, list | dict):
        return kind
    return f"{kind} ({shown(value) if isinstance(value, str) else shown(str(value).lower())[1:-1]})"


class Table:
    """One TOML table being validated: typed reads that report instead of raising."""

    def __init__(self, raw: dict[str, Any], prefix: KeyPath, problems: Problems) -> None:
        self.raw = raw
        self.prefix = prefix
        self.problems = problems

    def report(self, key: str | KeyPath, message: str) -> None:
        """Record a problem about `key` inside this table."""
        self.problems.add((*self.prefix, *((key,) if isinstance(key, str) else key)), message)

    def reported(self, *keys: str) -> bool:
        """Whether any of `keys` already has a problem (to avoid saying the same thing twice)."""
        return any((*self.prefix, key) in self.problems.keys for key in keys)

    def unknown(self, valid: tuple[str, ...]) -> None:
        """Report every key not in `valid`, suggesting the closest valid one."""
        for key in self.raw:
            if key in valid:
                continue
            if key.lower() in SECRET_KEYS:
                self.report(
                    key,
                    "tokens never go in the config file; store one with `pullboard auth set "
                    "SOURCE`, or name an environment variable with token_env",
                )
                continue
            close = difflib.get_close_matches(key, valid, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"valid keys: {', '.join(valid)}"
            self.report(key, f"unknown key ({hint})")

    def get(
        self, key: str, kind: type, expected: str, default: Any = None, *, secret: bool = False
    ) -> Any:
        """`raw[key]` when it has type `kind`; otherwise report and return `default`."""
        if key not in self.raw:
            return default
        value = self.raw[key]
        if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
            return value
        self.report(key, f"expected {expected}, got {describe(value, secret=secret)}")
        return default


def within(
    t: Table, key: str, default: int, least: int, most: int, expected: str, off: int | None
) -> int:
    """A whole number from `least` to `most` (or exactly `off`); else reported, and `default`."""
    value: int = t.get(key, int, "a whole number", default)
    if value == off or least <= value <= most:
        return value
    t.report(key, f"expected {expected}; got {value}")
    return default


def named(t: Table, key: str, value: str, what: str = "a name") -> str:
    """`value` where a name belongs; "" once reported when it is token-shaped (`looks_secret`)."""
    if value and looks_secret(value):
        t.report(key, LOOKS_SECRET.format(what=what))
        return ""
    return value


def names(t: Table, key: str, expected: str) -> tuple[str, ...]:
    """A string or an array of strings, as a tuple (reported and empty when neither).
    Token-shaped names are reported once and left out."""
    value = t.raw.get(key, [])
    if isinstance(value, str):
        value = [value] if value else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        found = [one_line(v) for v in value]
        if any(looks_secret(v) for v in found):
            t.report(key, LOOKS_SECRET.format(what="names"))
        return tuple(v for v in found if not looks_secret(v))
    t.report(key, f"expected {expected}, got {describe(value)}")
    return ()


def url_problem(kind: str, url: str) -> str | None:
    """What is wrong with a source `url`, as "expected ..." text; None when it is fine.

    The value is echoed only when it holds no credentials.
    """
    example = "https://api.github.com" if kind == "github" else "https://acme.atlassian.net"
    if not url:
        return f'missing; expected url = "{example}"'
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that isn't a number
    except ValueError:
        return f'expected a URL such as "{example}", got {shown(url)}'
    if parts.username is not None or parts.password is not None:
        return "expected a URL without a user name or password; tokens go in the keyring or env"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f'expected an http:// or https:// URL such as "{example}", got {shown(url)}'
    if not url.isprintable() or " " in url or parts.query or parts.fragment:
        return (
            "expected a base URL without spaces, invisible characters, ?query or #fragment, "
            f"got {shown(url)}"
        )
    host = parts.hostname.lower()
    if kind == "github" and host in ("github.com", "www.github.com"):
        return (
            'expected the API base "https://api.github.com" (github.com is the web site); '
            'Enterprise Server: "https://HOST/api/v3"'
        )
    if kind == "jira" and "/rest/" in f"{parts.path}/":
        return (
            f'expected the Jira site base such as "{example}", without /rest/..., got {shown(url)}'
        )
    return None
