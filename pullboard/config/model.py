"""What a loaded config is: frozen records (msgspec Structs) every layer above reads; no I/O."""

from __future__ import annotations

import difflib
import getpass
import re
from pathlib import Path

import msgspec

from pullboard.config.rules import shown
from pullboard.errors import ConfigError

GITHUB_API = "https://api.github.com"
INSIGHTS_PATH = "pullboard/insights.toml"
"""The insights file's default path inside a GitHub repository."""
INSIGHTS_BRANCH = "main"
LISTEN = ":2222"
"""Where `pullboard serve` listens by default (every address). The loaders read defaults from
these names: a Struct class holds no field defaults as attributes, as a dataclass does."""


def jira_flavor(url: str) -> str:
    """The Jira flavor a site URL implies: Cloud sites live under atlassian.net."""
    host = re.sub(r"^[a-z]+://", "", url).split("/")[0].split(":")[0]
    return "cloud" if host.lower().endswith(".atlassian.net") else "server"


class SourceConfig(msgspec.Struct, frozen=True):
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
    """Name of an environment variable holding this source's token (looked at first)."""
    email: str = ""
    """Jira Cloud: the Atlassian account e-mail the API token is sent with."""
    flavor: str = ""
    """Jira `cloud` | `server`; GitHub leaves it empty."""

    @property
    def cloud(self) -> bool:
        """True for Jira Cloud (REST v3, e-mail + API token); else Server/Data Center."""
        return (self.flavor or jira_flavor(self.url)) == "cloud"


class InsightsRepo(msgspec.Struct, frozen=True):
    """`[board] insights = { repo, path, branch, source }`: the file in a GitHub repository."""

    repo: str
    """`owner/name`."""
    path: str = INSIGHTS_PATH
    """The file's path inside the repository."""
    branch: str = INSIGHTS_BRANCH
    source: str = ""
    """The GitHub `[[source]]` whose API url and token are used."""


class BoardConfig(msgspec.Struct, frozen=True):
    """The `[board]` table."""

    title: str = "pullboard"
    me: tuple[str, ...] = ()
    """Who "I" am: the first name is used for authorship, all of them match assignees."""
    insights: Path | None = None
    """The local insights file (unused when `insights_repo` is set)."""
    insights_repo: InsightsRepo | None = None
    """The insights file in a GitHub repository, when `insights` is a table."""
    refresh: int = 300
    """Seconds between automatic refreshes; 0 turns them off."""
    keymap: dict[str, str] = msgspec.field(default_factory=dict)
    window_days: int = 21
    """Recent window, in days, for the close rate behind forecasts."""
    stale_days: int = 14
    """An open issue not updated for this many days counts as stale."""

    @property
    def user(self) -> str:
        """The name written on insights and acknowledgements."""
        if self.me:
            return self.me[0]
        try:
            return getpass.getuser()
        except (OSError, KeyError):  # no user name in this container or sandbox
            return "me"


ROLES = ("lead", "member", "viewer")
"""What a person may change: leads pin, edit and remove insights; members acknowledge them;
viewers only read."""


class Person(msgspec.Struct, frozen=True):
    """One `[[person]]` table: someone who may connect to `pullboard serve`."""

    name: str
    """Who they are on the board: author, acknowledger, "Mine"."""
    keys: tuple[str, ...]
    """OpenSSH public keys as `TYPE BASE64` (comments dropped)."""
    role: str = "member"
    """`lead`, `member` or `viewer`."""


class ServeConfig(msgspec.Struct, frozen=True):
    """The `[serve]` table: `pullboard serve`'s SSH listener and its limits."""

    listen: str = LISTEN
    """HOST:PORT; an empty host listens on every address."""
    host_key: str = ""
    """The SSH host key file; empty: `$XDG_STATE_HOME/pullboard/ssh_host_ed25519_key`."""
    max_sessions: int = 20
    idle_minutes: int = 60
    """A session with no keystroke for this long is ended; 0 never ends one."""


class Config(msgspec.Struct, frozen=True):
    """A loaded, validated config."""

    path: Path | None
    board: BoardConfig
    sources: tuple[SourceConfig, ...]
    demo: bool = False
    """True for the embedded demo: sources are served from memory, never the network."""
    serve: ServeConfig = msgspec.field(default_factory=ServeConfig)
    people: tuple[Person, ...] = ()

    @property
    def role(self) -> str | None:
        """The role of the person "I" am (`[board] me`, `--me`), or None when no `[[person]]`
        names them: roles bind the people listed, who come in through `serve`."""
        user = self.board.user
        return next((p.role for p in self.people if p.name == user), None)

    def source(self, name: str) -> SourceConfig:
        """The source called `name`.

        Raises:
            ConfigError: no such source; the message lists the configured names.
        """
        for source in self.sources:
            if source.name == name:
                return source
        known = [s.name for s in self.sources]
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {shown(close[0])}?)" if close else ""
        listed = ", ".join(known) or "none"
        raise ConfigError(
            [f"{self.path}: no [[source]] named {shown(name)}{hint}; configured sources: {listed}"]
        )
