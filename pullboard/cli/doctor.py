"""`pullboard doctor` and `auth status`: one line per check, with a mark and what to do.

Checks never raise: every failure becomes a `Check` so one run shows everything that is wrong
(all config problems, every source, the files, the terminal) instead of stopping at the first.
"""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TextIO

from pullboard import auth, config, files, insights, wiring
from pullboard.cache import SnapshotCache
from pullboard.config import GITHUB_API, Config, SourceConfig
from pullboard.errors import AuthFailed, ConfigError, RateLimited, SourceError
from pullboard.paths import cache_dir, config_path, default_insights_path
from pullboard.sources import Transport
from pullboard.sources import whoami as identity
from pullboard.sources.http import HttpCache, host_of
from pullboard.text import one_line, redact

MIN_SIZE = (80, 24)


class Mark(Enum):
    """How a check went: passed, passed with advice, or failed (the exit code counts these)."""

    PASS = ("✓", "ok")
    WARN = ("!", "!!")
    FAIL = ("✗", "XX")


@dataclass(frozen=True)
class Check:
    """One finding: what was checked and, when it didn't pass, what to do about it."""

    mark: Mark
    what: str
    fix: str = ""

    def render(self, *, ascii_only: bool = False) -> str:
        """One line; `ascii_only` for terminals whose encoding has no ✓ and ✗."""
        symbol = self.mark.value[1 if ascii_only else 0]
        arrow = "->" if ascii_only else "→"
        return f"{symbol} {self.what}" + (f" {arrow} {self.fix}" if self.fix else "")


def failed(checks: list[Check]) -> bool:
    """True when any check failed (warnings don't count)."""
    return any(c.mark is Mark.FAIL for c in checks)


def report(checks: list[Check], stream: TextIO) -> int:
    """Write one line per check; the exit code: 1 when any failed, else 0."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "✓✗→".encode(encoding)
        ascii_only = False
    except (UnicodeEncodeError, LookupError):
        ascii_only = True
    for check in checks:
        # Checks quote servers, files and the environment: the last stop before the terminal.
        stream.write(one_line(redact(check.render(ascii_only=ascii_only))) + "\n")
    return 1 if failed(checks) else 0


async def status(
    sources: Sequence[SourceConfig], *, transport: Transport | None = None
) -> list[Check]:
    """`auth status`: the token and identity checks of `sources`, concurrently."""
    found = await asyncio.gather(*(source_checks(s, transport=transport) for s in sources))
    return [check for checks in found for check in checks]


async def run(explicit: str | None = None, *, transport: Transport | None = None) -> list[Check]:
    """Every check, in the order a user would fix things.

    Args:
        explicit: `--config` from the command line.
        transport: injected by tests; None means real sockets.
    """
    checks, loaded = _config(explicit)
    if loaded is not None:
        checks += await status(loaded.sources, transport=transport)
    checks += netrc_checks()
    if loaded is not None and loaded.board.insights_repo is not None:
        checks.append(await asyncio.to_thread(_repo_insights, loaded, transport))
    else:
        insights_path = loaded.board.insights if loaded and loaded.board.insights else None
        checks.append(_insights(insights_path or default_insights_path()))
    checks.append(_cache(loaded.sources if loaded else ()))
    checks += terminal()
    return checks


def _config(explicit: str | None) -> tuple[list[Check], Config | None]:
    path = config_path(explicit)
    try:
        loaded = config.load(explicit)
    except ConfigError as err:
        return [Check(Mark.FAIL, problem) for problem in err.problems], None
    count = len(loaded.sources)
    return [
        Check(Mark.PASS, f"config {path} is valid ({count} source{'' if count == 1 else 's'})")
    ], loaded


async def source_checks(source: SourceConfig, *, transport: Transport | None = None) -> list[Check]:
    """Where the token comes from, then one request that proves reachability and the token."""
    try:
        token = await asyncio.to_thread(auth.find_token, source)
    except AuthFailed as err:  # found but unusable: asking the server would prove nothing
        return [Check(Mark.FAIL, str(err))]
    name = source.name
    checks = [_token_check(source, token)]
    try:
        who = await identity.whoami(source, token, transport=transport)
    except RateLimited as err:
        checks.append(Check(Mark.WARN, str(err)))
    except AuthFailed as err:
        checks.append(Check(Mark.FAIL, str(err)))
    except SourceError as err:
        checks.append(Check(Mark.FAIL, str(err)))
    else:
        host = _host(source)
        if who is None:
            checks.append(Check(Mark.PASS, f"{name}: {host} is reachable (anonymous access)"))
        else:
            quota = f"; {who.quota}" if who.quota else ""
            checks.append(
                Check(Mark.PASS, f"{name}: {host} accepts the token: signed in as {who.who}{quota}")
            )
    return checks


def netrc_checks() -> list[Check]:
    """A warning when ~/.netrc is there but ignored (others can read it), else nothing."""
    problem = auth.netrc_problem()
    return [Check(Mark.WARN, problem)] if problem else []


def _token_check(source: SourceConfig, token: auth.Token | None) -> Check:
    name = source.name
    if token is not None:
        return Check(Mark.PASS, f"{name}: token from {token.where}")
    fix = auth.token_advice(source, found=False)
    looked = ", ".join(auth.places(source))
    if source.kind == "github" and source.url == GITHUB_API:
        return Check(
            Mark.WARN,
            f"{name}: no token found (looked at {looked}); public repos only, 60 requests/hour",
            fix,
        )
    return Check(Mark.FAIL, f"{name}: no token found (looked at {looked})", fix)


def _host(source: SourceConfig) -> str:
    return host_of(source.url)


def _insights(path: Path) -> Check:
    """Readable, and writable or read-only by design: a reader who may not pin is fine."""
    loaded = insights.load(path)
    if loaded.error:
        return Check(Mark.FAIL, f"insights file: {loaded.error}", "fix the file or restore it")
    if problem := insights.path_problem(path):
        return Check(
            Mark.FAIL, f"insights file: {problem}", "fix the path or the folder ([board] insights)"
        )
    state = f"{len(loaded.insights)} insights" if path.exists() else "not created yet"
    state += f"; {insights.sharing(path)}"
    read_only = insights.writable(path) is not None
    access = "is read-only: you can read but not pin" if read_only else "is readable and writable"
    if loaded.problems:
        count = len(loaded.problems)
        return Check(
            Mark.WARN,
            f"insights file {path} {access} ({state}); {count} problems, "
            f"the first: {loaded.problems[0]}",
            "fix those entries; insights with problems are skipped, the rest still show",
        )
    if read_only:
        return Check(
            Mark.WARN,
            f"insights file {path} {access} ({state})",
            "fine for readers; to pin, you need write access to it, its folder and its .lock file",
        )
    return Check(Mark.PASS, f"insights file {path} {access} ({state})")


def _repo_insights(loaded: Config, transport: Transport | None) -> Check:
    """The repository store: the file readable (or not there yet), and whether the token may
    write to the repository (`permissions.push`), said either way."""
    store = wiring.open_store(loaded, transport=transport)
    try:
        found = insights.load(store)
        read_only = store.writable()
    finally:
        store.close()
    where = store.where
    if found.error or found.stale:
        fix = "check repo, path, branch and source in [board] insights, and the token"
        return Check(Mark.FAIL, f"insights: {found.error or found.stale}", fix)
    missing = found.fingerprint == (None, True)
    state = (
        "no file yet; the first pin creates it"
        if missing
        else f"{len(found.insights)} insight{'' if len(found.insights) == 1 else 's'}"
    )
    if read_only:
        fix = "fine for readers; to pin, the token needs write access to the repository"
        why = read_only[:1].lower() + read_only[1:]  # one sentence: "…; the token of …"
        return Check(Mark.WARN, f"insights in {where} are readable ({state}); {why}", fix)
    return Check(Mark.PASS, f"insights in {where} are readable and the token may write ({state})")


def _cache(sources: Sequence[SourceConfig]) -> Check:
    """A real write (bytes and fsync, not just a new file) in every folder the caches use:
    a full disk or a file where a folder belongs would otherwise pass and fail every save."""
    folders = [SnapshotCache().root, *(HttpCache(s.name).dir for s in sources)]
    for folder in folders:
        try:
            files.probe_write(folder)
        except OSError as err:
            reason = err.strerror or type(err).__name__
            return Check(
                Mark.FAIL,
                f"cache dir {err.filename or folder} is not writable: "
                f"{reason[:1].lower()}{reason[1:]}",
                _CACHE_FIXES.get(err.errno or 0, _CACHE_FIX),
            )
    return Check(Mark.PASS, f"cache dir {cache_dir()} is writable")


_CACHE_FIX = "fix its permissions, or point XDG_CACHE_HOME at a writable folder"
_CACHE_FIXES = {
    errno.ENOSPC: "free some space on that disk, or point XDG_CACHE_HOME at another disk",
    errno.EDQUOT: "free some space within your disk quota, or point XDG_CACHE_HOME elsewhere",
    errno.ENOTDIR: "move that file away (pullboard makes the folder), or point XDG_CACHE_HOME "
    "elsewhere",
}


def terminal() -> list[Check]:
    """Size, TERM and colours of the terminal doctor runs in (advice only, never failures)."""
    checks = []
    term, colorterm = os.environ.get("TERM", ""), os.environ.get("COLORTERM", "")
    if not term or term == "dumb":
        checks.append(
            Check(Mark.WARN, f"TERM is {term or 'unset'}: the board needs a real terminal",
                  "export TERM=xterm-256color (or what your terminal emulates)")
        )  # fmt: skip
    elif colorterm.lower() in ("truecolor", "24bit"):
        checks.append(Check(Mark.PASS, f"TERM={term}, COLORTERM={colorterm}: 24-bit colour"))
    elif "256" in term:
        checks.append(Check(Mark.PASS, f"TERM={term}: 256 colours"))
    else:
        checks.append(
            Check(Mark.WARN, f"TERM={term}: maybe only 16 colours",
                  "export COLORTERM=truecolor if your terminal has it, or pick an ANSI theme")
        )  # fmt: skip
    if os.environ.get("NO_COLOR"):
        checks.append(Check(Mark.WARN, "NO_COLOR is set: the board shows no colours"))
    if not sys.stdout.isatty():
        checks.append(Check(Mark.WARN, "output is not a terminal, so its size is unknown"))
        return checks
    cols, rows = shutil.get_terminal_size()
    if cols < MIN_SIZE[0] or rows < MIN_SIZE[1]:
        checks.append(
            Check(Mark.WARN, f"terminal is {cols}x{rows}, smaller than 80x24",
                  "make the window larger; the board is laid out for 80x24 and up")
        )  # fmt: skip
    else:
        checks.append(Check(Mark.PASS, f"terminal is {cols}x{rows}"))
    return checks
