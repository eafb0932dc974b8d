"""Token lookup per source: env vars, then the gh CLI, then the keyring, then ~/.netrc.

Tokens are only ever returned to the code that asked; they are never written to the config,
cache, logs, screen or export. The order puts what a user sets on purpose for this run (the
environment) before what is stored, so an env var always overrides a stale keyring entry.
Every step is best effort: a missing gh, a broken keyring or a bad ~/.netrc is skipped. A
token that is there but can't be one (a line break, a control or non-ASCII character from a
sloppy paste) is refused where it is found, naming the place: sent on, the HTTP library would
quote the whole header, token and all, in its error.
`find_token` may block (a subprocess, D-Bus): async callers run it in a thread.
"""

from __future__ import annotations

import getpass
import netrc
import os
import shutil
import signal
import stat
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

import msgspec

from pullboard.auth import keystore
from pullboard.config import GITHUB_API, SourceConfig
from pullboard.errors import AuthFailed, PullboardError

GH_TIMEOUT = 3.0
"""Seconds `gh auth token` may take; it only reads its own config, so more means trouble."""


class Token(msgspec.Struct, frozen=True):
    """A secret and where it came from (the `where` is safe to show, the value is not)."""

    value: str
    where: str
    env: str = ""
    """The environment variable it came from, if any (it then wins over the keyring)."""

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


def web_host(source: SourceConfig) -> str:
    """The host people and the gh CLI know: `github.com` for the public API, else the url's."""
    if source.kind == "github" and source.url == GITHUB_API:
        return "github.com"
    return urlsplit(source.url).hostname or ""


def netrc_hosts(source: SourceConfig) -> list[str]:
    """Hosts looked up in ~/.netrc: the API host, then the web host when they differ."""
    api = urlsplit(source.url).hostname or ""
    return list(dict.fromkeys(h for h in (api, web_host(source)) if h))


def places(source: SourceConfig) -> list[str]:
    """Where `find_token` looks for `source`, in order, for "no token found" messages."""
    where = [f"${name}" for name in env_names(source)]
    if source.kind == "github":
        where.append(f"gh auth token --hostname {web_host(source)}")
    where.append(f"keyring ({keystore.SERVICE}/{source.name})")
    where.append(f"~/.netrc ({' or '.join(netrc_hosts(source))})")
    return where


def find_token(source: SourceConfig) -> Token | None:
    """The first token found for `source`, or None (public GitHub repos work without one)."""
    for step in _STEPS:
        token = step(source)
        if token is not None:
            return token
    return None


def token_problem(value: str) -> str | None:
    """What makes `value` unusable as a token (HTTP headers carry printable ASCII only), naming
    the character but never the value; None when it is fine."""
    for char in value:
        if char in "\r\n":
            return "contains a line break"
        if not " " <= char <= "~":
            kind = "control" if unicodedata.category(char) == "Cc" else "non-ASCII"
            name = unicodedata.name(char, "")
            return f"contains a {kind} character (U+{ord(char):04X}{' ' + name if name else ''})"
    return None


def _checked(source: SourceConfig, token: Token, place: str, fix: str) -> Token:
    """`token`, or AuthFailed naming `place` (the board shows it as the source's error)."""
    problem = token_problem(token.value)
    if problem is None:
        return token
    raise AuthFailed(f"{source.name}: {place} {problem}; {fix}.")


def _from_env(source: SourceConfig) -> Token | None:
    for name in env_names(source):
        value = os.environ.get(name, "").strip()
        if value:
            token = Token(value, f"environment variable {name}", env=name)
            fix = f"set ${name} again with the token alone, or unset it"
            return _checked(source, token, f"the token in ${name}", fix)
    return None


def _from_gh(source: SourceConfig) -> Token | None:
    gh = shutil.which("gh") if source.kind == "github" else None
    if gh is None:
        return None
    host = web_host(source)
    try:
        # Its own session, so a timeout kills gh and anything it started, pipes and all.
        with subprocess.Popen(
            [gh, "auth", "token", "--hostname", host],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        ) as proc:
            try:
                out, _ = proc.communicate(timeout=GH_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                return None
    except OSError:
        return None
    value = out.strip()
    if proc.returncode != 0 or not value or len(value.split()) != 1:
        return None
    token = Token(value, f"gh CLI (gh auth token --hostname {host})")
    place = f"the token from `gh auth token --hostname {host}`"
    return _checked(source, token, place, f"log in again with `gh auth login --hostname {host}`")


def _from_keyring(source: SourceConfig) -> Token | None:
    value = (keystore.get(source.name) or "").strip()
    if not value:
        return None
    place = f"the token stored in the keyring ({keystore.SERVICE}/{source.name})"
    fix = f"store it again with `pullboard auth set {source.name}`"
    return _checked(source, Token(value, f"keyring ({keystore.name()})"), place, fix)


def netrc_problem() -> str | None:
    """Why ~/.netrc is ignored, or None when it may be used (or there is none).

    Like ssh with its keys, a file other users can read, or that isn't this user's, is
    refused: the tokens in it may already have leaked, and must not be used silently.
    """
    path = Path.home() / ".netrc"
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return f"{path} is not a regular file, so pullboard ignores it."
    if st.st_uid != os.getuid():
        return f"{path} belongs to another user, so pullboard ignores it; it must be yours."
    if st.st_mode & 0o077:
        return (
            f"{path} can be read by other users (mode {stat.S_IMODE(st.st_mode):o}), so "
            "pullboard ignores it; run `chmod 600 ~/.netrc`."
        )
    return None


def _from_netrc(source: SourceConfig) -> Token | None:
    path = Path.home() / ".netrc"
    if not path.exists() or netrc_problem() is not None:
        return None
    try:
        entries = netrc.netrc(str(path))
    except (OSError, netrc.NetrcParseError):
        return None
    for host in netrc_hosts(source):
        found = entries.authenticators(host)
        if found and found[2]:
            token = Token(found[2], f"~/.netrc (machine {host})")
            place = f"the password for machine {host} in ~/.netrc"
            return _checked(source, token, place, "correct that line")
    return None


_STEPS: tuple[Callable[[SourceConfig], Token | None], ...] = (
    _from_env,
    _from_gh,
    _from_keyring,
    _from_netrc,
)


def headless_help(source: SourceConfig) -> str:
    """The env-var route, with the exact variable names for `source`."""
    names = env_names(source)
    first = names[0]
    others = f" (or {', '.join(names[1:])})" if len(names) > 1 else ""
    return (
        f"Set the token in the environment instead, e.g. in your shell profile:\n"
        f"    export {first}=<token>{others}\n"
        f"pullboard reads it on every start; nothing is stored."
    )


def token_advice(source: SourceConfig, *, found: bool, env: str = "") -> str:
    """How to set or replace `source`'s token, as one sentence that fits this host.

    Args:
        source: the source whose token is missing or was refused.
        found: whether a token was found (and then refused).
        env: the variable that token came from, if any.

    A variable wins over the keyring, so a bad one must be fixed or unset: storing a new
    token with `auth set` would change nothing. Over SSH or without a keyring, the variable
    is the way to set one; on a desktop, the keyring comes first.
    """
    name = source.name
    if env:
        return (
            f"Fix or unset ${env}: pullboard reads it before the keyring, so "
            f"`pullboard auth set {name}` can't replace it while it is set."
        )
    verb = "Replace it" if found else "Set a token"
    names = env_names(source)
    if why := _no_keyring():
        return (
            f"{verb} with `export {names[0]}=<token>` in your shell profile ({why}: "
            f"`pullboard auth set {name}` needs a desktop keyring)."
        )
    return f"{verb} with `pullboard auth set {name}` or the variable {' or '.join(names)}."


def _no_keyring() -> str | None:
    """Why `auth set` is the wrong first advice here, or None on a desktop with a keyring."""
    if os.environ.get("SSH_CONNECTION"):
        return "this is an SSH session"
    if keystore.problem() is not None:
        return "this host has no usable keyring"
    return None


def ensure_keyring(source: SourceConfig) -> None:
    """Fail before asking for a token that couldn't be stored.

    Raises:
        PullboardError: no usable keyring; the message shows the env-var alternative.
    """
    reason = keystore.problem()
    if reason is not None:
        raise PullboardError(
            f"Can't store the token for {source.name}: {reason}.\n{headless_help(source)}"
        )


def store(source: SourceConfig, secret: str) -> str:
    """Save `secret` in the keyring for `source`.

    Returns:
        A sentence saying where it went (and what still overrides it, if anything).

    Raises:
        PullboardError: no usable keyring; the message shows the env-var alternative.
    """
    try:
        keystore.put(source.name, secret)
    except keystore.KeyringUnavailable as err:
        raise PullboardError(
            f"Can't store the token for {source.name}: {err}.\n{headless_help(source)}"
        ) from err
    message = f"Stored the token for {source.name} in the keyring ({keystore.name()})."
    try:
        shadow = _from_env(source) or _from_gh(source)
    except AuthFailed as err:  # still looked at first, and refused every time: say so
        return f"{message} Note: {err}"
    if shadow is not None:
        message += f" Note: the token from {shadow.where} is used first while it is set."
    return message


def clear(source: SourceConfig) -> str:
    """Remove `source`'s token from the keyring; a sentence saying what happened.

    Raises:
        PullboardError: no usable keyring.
    """
    try:
        removed = keystore.delete(source.name)
    except keystore.KeyringUnavailable as err:
        raise PullboardError(f"Can't clear the token for {source.name}: {err}.") from err
    if removed:
        return f"Removed the token for {source.name} from the keyring."
    return f"No token for {source.name} was stored in the keyring."


def read_secret(source: SourceConfig, stdin: TextIO | None = None) -> str:
    """Prompt without echo on a terminal; read the first line when stdin is piped.

    Raises:
        PullboardError: when nothing was entered.
    """
    stream = stdin or sys.stdin
    if stream.isatty():
        value = getpass.getpass(f"Token for {source.name} ({web_host(source)}): ")
    else:
        value = stream.readline()
    value = value.strip()
    if not value:
        raise PullboardError(f"No token given for {source.name}; nothing was stored.")
    if problem := token_problem(value):
        raise PullboardError(f"The token given for {source.name} {problem}; nothing was stored.")
    return value
