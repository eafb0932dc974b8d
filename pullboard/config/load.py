"""Load the config TOML into frozen records; every problem names file, line and dotted key.

Validation collects every problem before raising, so `doctor` (and a user fixing a file) sees
all of them at once. Values are echoed only through `rules.shown` (redacted, cleaned); those
that may be secrets (token_env, token-like keys) are never echoed at all.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from pullboard import files
from pullboard.config import people
from pullboard.config.keymap import checked_keymap
from pullboard.config.locator import Locator, show
from pullboard.config.model import (
    INSIGHTS_BRANCH,
    INSIGHTS_PATH,
    BoardConfig,
    Config,
    InsightsRepo,
    SourceConfig,
)
from pullboard.config.rules import Problems, Table, describe, named, names, shown, within
from pullboard.config.source import REPO, SOURCE_KEYS, parse_sources
from pullboard.errors import ConfigError
from pullboard.paths import config_path, default_insights_path
from pullboard.text import one_line

BOARD_KEYS = ("title", "me", "insights", "refresh", "keymap", "window_days", "stale_days")


def load(explicit: str | Path | None = None) -> Config:
    """Read and validate the config file.

    Args:
        explicit: `--config` from the command line; else `$PULLBOARD_CONFIG`, else XDG.

    Returns:
        The validated config.

    Raises:
        ConfigError: listing every problem, each naming file, line and key.
    """
    path = config_path(explicit)
    try:
        text = files.read_regular(path)[0].decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: no config file. Run `pullboard init` to create one, or try `--demo`."]
        ) from None
    except UnicodeDecodeError as err:
        raise ConfigError(
            [f"{path}: not UTF-8 text (byte {err.start}); save it as UTF-8."]
        ) from err
    except OSError as err:
        raise ConfigError([f"{path}: can't read the config: {err.strerror or err}."]) from err
    return parse(text, path)


def parse(text: str, path: Path) -> Config:
    """Validate config text; see `load`."""
    try:
        data = files.parse_toml(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError([_toml_problem(text, path, err)]) from None
    problems = Problems(path, Locator(text))
    for key in data:
        if key not in TABLES:
            problems.add((key,), _top_level(key))
    board = _board(data.get("board", {}), path, problems)
    sources = parse_sources(data.get("source"), problems)
    board = _insights_source(board, sources, problems)
    serve = people.serve(data.get("serve"), problems)
    persons = people.people(data.get("person"), problems)
    if problems.items:
        raise ConfigError(problems.sorted())
    return Config(path=path, board=board, sources=sources, serve=serve, people=persons)


TABLES = ("board", "source", "serve", "person")


_TOML_HINTS = {
    "Invalid value": 'expected a quoted string (key = "text"), a number, true/false or an array',
    "Expected '=' after a key": "expected key = value or a [table] header",
    "Invalid statement": "expected key = value or a [table] header",
    "Cannot overwrite a value": "expected each key once; it is set again here",
    "Cannot declare": "expected each [table] once (only [[source]] repeats); merge them",
    "Unterminated string": "expected a closing quote",
    "Expected ']'": "expected a closing ] (or ]] for [[source]])",
}


def _toml_problem(text: str, path: Path, err: tomllib.TOMLDecodeError) -> str:
    """tomllib's message with the position up front, the key on that line and a hint."""
    message = str(err)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    locator = Locator(text)
    if found:
        line, where = int(found[1]), f"line {found[1]}, column {found[2]}"
        message = message[: found.start()]
    elif message.endswith(" (at end of document)"):
        message = message.removesuffix(" (at end of document)")
        line = max(len(text.splitlines()), 1)
        where = f"line {line} (end of file)"
    else:  # a problem with the file as a whole (nested too deeply): no line to name
        return f"{path}: not valid TOML: {message}"
    key_path = locator.key_at(line)
    if message.startswith(("Cannot overwrite", "Cannot declare")) and locator.repeated:
        key_path, line = locator.repeated[0]
        where = f"line {line}"
    key = f"{show(key_path)}: " if key_path else ""
    hint = next((h for start, h in _TOML_HINTS.items() if message.startswith(start)), "")
    return f"{path}, {where}: {key}not valid TOML: {message}" + (f"; {hint}" if hint else "")


def _top_level(key: str) -> str:
    if key in BOARD_KEYS:
        return f"unknown top-level key; {key!r} belongs in the [board] table"
    if key in SOURCE_KEYS:
        return f"unknown top-level key; {key!r} belongs in a [[source]] table"
    close = difflib.get_close_matches(key, TABLES, n=1)
    hint = (
        f"did you mean [{close[0]}]?"
        if close
        else "expected [board], [[source]], [serve] and [[person]] tables"
    )
    return f"unknown table or key ({hint})"


RANGES: dict[str, tuple[int, int, int, str, int | None]] = {
    "refresh": (300, 10, 86400, "0 (no automatic refresh) or 10 to 86400 seconds", 0),
    "window_days": (21, 1, 3650, "a whole number of days from 1 to 3650", None),
    "stale_days": (14, 1, 3650, "a whole number of days from 1 to 3650", None),
}
"""key -> (default, least, most, what to expect, the one value outside that means "off").
Bounded so a slip of the finger (a year in seconds, a window of a million days) is a config
error, not an overflow deep in a forecast."""


def _board(raw: Any, config_file: Path, problems: Problems) -> BoardConfig:
    if not isinstance(raw, dict):
        problems.add(("board",), f"expected a table, written [board]; got {describe(raw)}")
        return BoardConfig()
    t = Table(raw, ("board",), problems)
    t.unknown(BOARD_KEYS)
    me = names(t, "me", 'a user name or a list of names, e.g. me = ["dana", "Dana Kim"]')
    raw_insights = raw.get("insights", "")
    repo, insights = None, ""
    if isinstance(raw_insights, dict):
        repo = _insights_repo(t, raw_insights)
    else:
        insights = t.get("insights", str, _INSIGHTS_EXPECTED, "")
    keymap = t.get("keymap", dict, 'a table of binding id = "keys"', {})
    numbers = {key: within(t, key, *rule) for key, rule in RANGES.items()}
    return BoardConfig(
        title=named(t, "title", one_line(t.get("title", str, "a string", "pullboard")), "a title"),
        me=me,
        insights=_insights_path(insights, config_file),
        insights_repo=repo,
        keymap=checked_keymap(t, keymap),
        **numbers,
    )


_INSIGHTS_EXPECTED = (
    'a file path, or a table such as { repo = "owner/name", path = "pullboard/insights.toml", '
    'branch = "main", source = "NAME" }'
)
INSIGHTS_REPO_KEYS = ("repo", "path", "branch", "source")
_BRANCH = re.compile(r"[\w./-]+")


def _insights_repo(board: Table, raw: dict[str, Any]) -> InsightsRepo | None:
    """`insights = { repo, path, branch, source }`; the source is checked once sources are read."""
    t = Table(raw, ("board", "insights"), board.problems)
    t.unknown(INSIGHTS_REPO_KEYS)
    repo = t.get("repo", str, 'a repository as "owner/name"', "")
    if not REPO.fullmatch(repo):
        got = f"got {shown(repo)}" if repo else "missing"
        if not t.reported("repo"):
            t.report("repo", f'expected the repository as repo = "owner/name"; {got}')
    path = t.get("path", str, "a path inside the repository", INSIGHTS_PATH)
    parts = path.split("/")
    bad = not path or path.startswith("/") or any(p in ("", ".", "..") for p in parts)
    if bad and not t.reported("path"):
        t.report("path", f'expected a file path inside the repository such as '
                         f'"pullboard/insights.toml", got {shown(path)}')  # fmt: skip
    branch = t.get("branch", str, "a branch name", INSIGHTS_BRANCH)
    if not _BRANCH.fullmatch(branch) and not t.reported("branch"):
        t.report("branch", f'expected a branch name such as "main", got {shown(branch)}')
    source = one_line(t.get("source", str, "the name of a GitHub [[source]]", ""))
    if t.reported(*INSIGHTS_REPO_KEYS) or any(k not in INSIGHTS_REPO_KEYS for k in raw):
        return None
    return InsightsRepo(repo=repo, path=path, branch=branch, source=source)


def _insights_source(
    board: BoardConfig, sources: tuple[SourceConfig, ...], problems: Problems
) -> BoardConfig:
    """The repository store's `source` must be a GitHub source (default: the first one)."""
    repo = board.insights_repo
    if repo is None:
        return board
    github = [s.name for s in sources if s.kind == "github"]
    key = ("board", "insights", "source")
    if not repo.source and github:
        return replace(board, insights_repo=replace(repo, source=github[0]))
    if repo.source in github:
        return board
    if not repo.source:
        problems.add(
            ("board", "insights"),
            "the repository store needs a GitHub [[source]] for its API url and token; "
            'add one, or name it with source = "NAME"',
        )
        return board
    close = difflib.get_close_matches(repo.source, github, n=1)
    hint = f" (did you mean {shown(close[0])}?)" if close else ""
    listed = ", ".join(github) or "none"
    problems.add(key, f"expected the name of a GitHub [[source]]{hint}, got "
                      f"{shown(repo.source)}; GitHub sources: {listed}")  # fmt: skip
    return board


def _insights_path(value: str, config_file: Path) -> Path:
    """Relative insights paths are relative to the config file, so a shared repo can hold both."""
    return beside_config(value, config_file) if value else default_insights_path()


def beside_config(value: str, config_file: Path | None) -> Path:
    """A path from the config: `~` expanded, a relative one taken from the config file's
    folder (insights file, host key), as written when there is no config file."""
    path = Path(value).expanduser()
    return path if path.is_absolute() or config_file is None else config_file.parent / path
