"""Load the config TOML into frozen dataclasses; every problem names file, line and dotted key."""

from __future__ import annotations

import difflib
import getpass
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pullboard.errors import ConfigError
from pullboard.paths import config_path, state_dir

BOARD_KEYS = ("title", "me", "insights", "refresh", "keymap", "window_days", "stale_days")
SOURCE_KEYS = (
    "name",
    "kind",
    "url",
    "repo",
    "repos",
    "project",
    "projects",
    "milestones",
    "board",
    "jql",
    "labels",
    "token_env",
    "email",
    "flavor",
)
KINDS = ("github", "jira")
GITHUB_API = "https://api.github.com"


@dataclass(frozen=True)
class SourceConfig:
    """One `[[source]]` table. Kind-specific keys are empty for the other kind."""

    name: str
    kind: str
    """`github` or `jira`."""
    url: str
    """API base: `https://api.github.com`, `https://HOST/api/v3`, or a Jira site base."""
    repos: tuple[str, ...] = ()
    """GitHub `owner/name` repositories."""
    projects: tuple[str, ...] = ()
    """Jira project keys."""
    milestones: str = ""
    """GitHub: `open` | `all`. Jira: `versions` | `sprints`."""
    board: int | None = None
    """Jira agile board id (needed for sprints)."""
    jql: str = ""
    labels: tuple[str, ...] = ()
    """Labels that make an issue pressing, on top of the built-in blocker/critical set."""
    token_env: str = ""
    email: str = ""
    flavor: str = ""
    """Jira `cloud` | `server`; GitHub leaves it empty."""


@dataclass(frozen=True)
class BoardConfig:
    """The `[board]` table."""

    title: str = "pullboard"
    me: tuple[str, ...] = ()
    """Who "I" am: the first name is used for authorship, all of them match assignees."""
    insights: Path | None = None
    refresh: int = 300
    """Seconds between automatic refreshes; 0 turns them off."""
    keymap: dict[str, str] = field(default_factory=dict)
    window_days: int = 21
    """Recent window, in days, for the close rate behind forecasts."""
    stale_days: int = 14
    """An open issue not updated for this many days counts as stale."""

    @property
    def user(self) -> str:
        """The name written on insights and acknowledgements."""
        return self.me[0] if self.me else getpass.getuser()


@dataclass(frozen=True)
class Config:
    """A loaded, validated config."""

    path: Path | None
    board: BoardConfig
    sources: tuple[SourceConfig, ...]
    demo: bool = False
    """True for the embedded demo: sources are served from memory, never the network."""


class _Problems:
    """Collects problems so one run reports all of them (doctor shows every one at once)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.items: list[str] = []

    def add(self, key: str, message: str, *, table: tuple[str, int] | None = None) -> None:
        line = self._line_of(key, table)
        where = f"{self.path}, line {line}" if line else str(self.path)
        self.items.append(f"{where}: {key}: {message}")

    def _line_of(self, key: str, table: tuple[str, int] | None) -> int | None:
        """Best-effort line of `key` (tomllib gives no positions), searched inside its table."""
        start, end = 0, len(self.lines)
        if table is not None:
            name, index = table
            headers = [
                n
                for n, line in enumerate(self.lines)
                if re.match(rf"\s*\[\[\s*{name}\s*\]\]", line)
            ]
            if index < len(headers):
                start = headers[index]
                nxt = [n for n in range(start + 1, end) if self.lines[n].lstrip().startswith("[")]
                end = nxt[0] if nxt else end
        leaf = key.rsplit(".", 1)[-1]
        for n in range(start, end):
            if re.match(rf"\s*\"?{re.escape(leaf)}\"?\s*=", self.lines[n]):
                return n + 1
        return start + 1 if table is not None else None


def _suggest(key: str, valid: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, valid, n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (valid keys: {', '.join(valid)})"


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
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: no config file. Run `pullboard init` to create one, or try `--demo`."]
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError([f"{path}: can't read the config: {err}"]) from err
    return parse(text, path)


def parse(text: str, path: Path) -> Config:
    """Validate config text; see `load`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError([f"{path}: not valid TOML: {err}"]) from err
    problems = _Problems(path, text)
    for key in data:
        if key not in ("board", "source"):
            problems.add(key, "unknown table" + _suggest(key, ("board", "source")))
    board = _board(data.get("board", {}), path, problems)
    raw_sources = data.get("source", [])
    sources: list[SourceConfig] = []
    if not isinstance(raw_sources, list):
        problems.add("source", "must be an array of tables, written [[source]]")
        raw_sources = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_sources):
        source = _source(raw, index, problems)
        if source is None:
            continue
        if source.name in seen:
            problems.add(
                f"source[{index}].name",
                f"duplicate source name {source.name!r}; names must be unique",
                table=("source", index),
            )
        seen.add(source.name)
        sources.append(source)
    if problems.items:
        raise ConfigError(problems.items)
    return Config(path=path, board=board, sources=tuple(sources))


def _get(
    table: dict[str, Any],
    key: str,
    kind: type | tuple[type, ...],
    expected: str,
    report: Callable[[str, str], None],
    default: Any = None,
) -> Any:
    value = table.get(key, default)
    if value is default:
        return default
    if isinstance(value, bool) and kind is not bool:
        report(key, f"expected {expected}, got {value!r}")
        return default
    if not isinstance(value, kind):
        report(key, f"expected {expected}, got {type(value).__name__} {value!r}")
        return default
    return value


def _str_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _board(raw: Any, path: Path, problems: _Problems) -> BoardConfig:
    if not isinstance(raw, dict):
        problems.add("board", "must be a table, written [board]")
        return BoardConfig()

    def report(key: str, message: str) -> None:
        problems.add(f"board.{key}", message)

    for key in raw:
        if key not in BOARD_KEYS:
            report(key, "unknown key" + _suggest(key, BOARD_KEYS))
    me = _str_list(raw.get("me", []))
    if me is None:
        report("me", "expected a user name or a list of names")
    insights = _get(raw, "insights", str, "a file path", report)
    keymap = _get(raw, "keymap", dict, "a table of binding id = keys", report, {})
    bad_keymap = [k for k, v in keymap.items() if not isinstance(v, str)]
    for key in bad_keymap:
        report(f"keymap.{key}", 'expected keys as a string, e.g. "j,down"')
    numbers = {}
    for key, default in (("refresh", 300), ("window_days", 21), ("stale_days", 14)):
        value = _get(raw, key, int, "a whole number", report, default)
        if value < 0 or (key != "refresh" and value == 0):
            report(key, f"expected a positive whole number, got {value}")
            value = default
        numbers[key] = value
    return BoardConfig(
        title=_get(raw, "title", str, "a string", report, "pullboard"),
        me=me or (),
        insights=_insights_path(insights, path),
        keymap={k: v for k, v in keymap.items() if k not in bad_keymap},
        **numbers,
    )


def _insights_path(value: str | None, config_file: Path) -> Path:
    """Relative insights paths are relative to the config file, so a shared repo can hold both."""
    if not value:
        return state_dir() / "insights.toml"
    insights = Path(value).expanduser()
    return insights if insights.is_absolute() else config_file.parent / insights


def _source(raw: Any, index: int, problems: _Problems) -> SourceConfig | None:
    table = ("source", index)
    if not isinstance(raw, dict):
        problems.add(f"source[{index}]", "must be a table", table=table)
        return None

    def report(key: str, message: str) -> None:
        problems.add(f"source[{index}].{key}", message, table=table)

    for key in raw:
        if key not in SOURCE_KEYS:
            report(key, "unknown key" + _suggest(key, SOURCE_KEYS))
    name = _get(raw, "name", str, "a string", report, "")
    kind = _get(raw, "kind", str, '"github" or "jira"', report, "")
    if not name:
        report("name", "missing; every source needs a unique name")
    if kind not in KINDS:
        report("kind", f'expected "github" or "jira", got {kind!r}' if kind else "missing")
        return None
    url = _get(raw, "url", str, "a URL", report, GITHUB_API if kind == "github" else "")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        report("url", f"expected an http:// or https:// URL, got {url!r}" if url else "missing")
    labels = _str_list(raw.get("labels", [])) or ()
    common = {
        "name": name,
        "kind": kind,
        "url": url.rstrip("/"),
        "labels": labels,
        "token_env": _get(raw, "token_env", str, "an environment variable name", report, ""),
    }
    if kind == "github":
        return _github(raw, common, report)
    return _jira(raw, common, report)


def _plural(
    raw: dict[str, Any], one: str, many: str, report: Callable[[str, str], None]
) -> tuple[str, ...]:
    values = _str_list(raw.get(many, [])) or ()
    if one in raw:
        single = _get(raw, one, str, "a string", report, "")
        values = (single, *values) if single else values
    if not values:
        report(one, f'missing; set {one} = "..." or {many} = [...]')
    return values


def _github(
    raw: dict[str, Any], common: dict[str, Any], report: Callable[[str, str], None]
) -> SourceConfig:
    repos = _plural(raw, "repo", "repos", report)
    for repo in repos:
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
            report("repo", f'expected "owner/name", got {repo!r}')
    milestones = _get(raw, "milestones", str, '"open" or "all"', report, "open")
    if milestones not in ("open", "all"):
        report("milestones", f'expected "open" or "all", got {milestones!r}')
    for key in ("project", "projects", "board", "jql", "email", "flavor"):
        if key in raw:
            report(key, "only applies to Jira sources")
    return SourceConfig(repos=repos, milestones=milestones, **common)


def _jira(
    raw: dict[str, Any], common: dict[str, Any], report: Callable[[str, str], None]
) -> SourceConfig:
    projects = _plural(raw, "project", "projects", report)
    milestones = _get(raw, "milestones", str, '"versions" or "sprints"', report, "versions")
    if milestones not in ("versions", "sprints"):
        report("milestones", f'expected "versions" or "sprints", got {milestones!r}')
    board = _get(raw, "board", int, "a board id (a number)", report, None)
    if milestones == "sprints" and board is None:
        report("board", 'missing; milestones = "sprints" needs the agile board id')
    host = urlsplit(common["url"]).hostname or ""
    default_flavor = "cloud" if host.endswith(".atlassian.net") else "server"
    flavor = _get(raw, "flavor", str, '"cloud" or "server"', report, default_flavor)
    if flavor not in ("cloud", "server"):
        report("flavor", f'expected "cloud" or "server", got {flavor!r}')
    if "repo" in raw or "repos" in raw:
        report("repo", "only applies to GitHub sources")
    return SourceConfig(
        projects=projects,
        milestones=milestones,
        board=board,
        jql=_get(raw, "jql", str, "a JQL string", report, ""),
        email=_get(raw, "email", str, "an e-mail address", report, ""),
        flavor=flavor,
        **common,
    )
