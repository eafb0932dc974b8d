"""The `[[source]]` tables: one per tracker, each checked for its kind (GitHub or Jira).

Its own module because a source table is most of what can go wrong in a config, and `init`
shares its patterns (`REPO`, `PROJECT`); `load` only calls `parse_sources` and collects the
problems with the rest of the file's.
"""

from __future__ import annotations

import re
from typing import Any

from pullboard.config.model import GITHUB_API, SourceConfig, jira_flavor
from pullboard.config.rules import Problems, Table, describe, named, names, shown, url_problem
from pullboard.text import looks_secret, one_line

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
REPO = re.compile(r"[\w.-]+/[\w.-]+")
"""A GitHub repository, `owner/name`."""
PROJECT = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
"""A Jira project key, e.g. `PAY`."""
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_sources(raw: Any, problems: Problems) -> tuple[SourceConfig, ...]:
    """The `[[source]]` tables, each checked; a duplicate name is a problem of the second."""
    if raw is None or raw == []:
        problems.add(
            ("source",), "no [[source]] tables; add one (`pullboard init` writes a starter)"
        )
        return ()
    if not isinstance(raw, list):
        problems.add(("source",), "expected an array of tables, written [[source]]")
        return ()
    sources: list[SourceConfig] = []
    first: dict[str, int] = {}
    for index, item in enumerate(raw):
        source = _source(item, index, problems)
        if source is None:
            continue
        if source.name and source.name in first:
            problems.add(
                ("source", index, "name"),
                f"duplicate source name {shown(source.name)} (source[{first[source.name]}] has it "
                "too); expected a name no other source uses",
            )
        first.setdefault(source.name, index)
        sources.append(source)
    return tuple(sources)


def _source(raw: Any, index: int, problems: Problems) -> SourceConfig | None:
    if not isinstance(raw, dict):
        problems.add(("source", index), f"expected a table, got {describe(raw)}")
        return None
    t = Table(raw, ("source", index), problems)
    t.unknown(SOURCE_KEYS)
    name = one_line(t.get("name", str, 'a unique name, e.g. name = "shop"', ""))
    if not name and "name" not in raw:
        t.report("name", 'missing; expected a unique name, e.g. name = "shop"')
    elif not name and isinstance(raw["name"], str):
        t.report("name", 'expected a non-empty name, e.g. name = "shop"')
    name = named(t, "name", name, 'a name such as "shop"')
    kind = t.get("kind", str, '"github" or "jira"', "")
    if kind not in KINDS:
        got = f"got {shown(kind)}" if kind else "missing"
        if "kind" not in raw or kind:
            t.report("kind", f'expected kind = "github" or kind = "jira"; {got}')
        return None
    url = t.get("url", str, "a URL", GITHUB_API if kind == "github" else "")
    problem = url_problem(kind, url)
    if problem:
        t.report("url", problem)
    token_env = t.get("token_env", str, "an environment variable name", "", secret=True)
    if token_env and (not _ENV_NAME.fullmatch(token_env) or looks_secret(token_env)):
        t.report(
            "token_env",
            "expected the NAME of an environment variable (letters, digits, _), such as "
            '"SHOP_TOKEN"; the token itself never goes in the config',
        )
    common = {
        "name": name,
        "kind": kind,
        "url": url.rstrip("/"),
        "labels": names(t, "labels", 'an array of label names, e.g. labels = ["urgent"]'),
        "token_env": token_env if not t.reported("token_env") else "",
    }
    if kind == "github":
        return _github(t, common)
    return _jira(t, common)


def _plural(
    t: Table, one: str, many: str, example: str, valid: re.Pattern[str], what: str
) -> tuple[str, ...]:
    """`repo = "a/b"` and/or `repos = ["a/b", ...]`, each value checked against `valid`."""
    if one not in t.raw and many not in t.raw:
        t.report(one, f'missing; expected {one} = "{example}" or {many} = ["{example}", ...]')
        return ()
    values: list[str] = []
    if one in t.raw:
        single = t.get(one, str, f'a string, e.g. {one} = "{example}"', "")
        values += [single] if single else []
    if many in t.raw:
        values += names(t, many, f'an array of strings, e.g. {many} = ["{example}"]')
    key = one if one in t.raw else many
    for value in values:
        if not valid.fullmatch(value):
            t.report(key, f"expected {what}, got {shown(value)}")
    values = [v for v in values if valid.fullmatch(v) and named(t, key, v, what)]
    if not values and not t.reported(one, many):
        t.report(one, f'empty; expected at least one, e.g. {one} = "{example}"')
    return tuple(dict.fromkeys(values))


def _only_for(t: Table, keys: tuple[str, ...], kind: str) -> None:
    for key in keys:
        if key in t.raw:
            t.report(key, f"only applies to {kind} sources; remove it or change kind")


def _github(t: Table, common: dict[str, Any]) -> SourceConfig:
    repos = _plural(t, "repo", "repos", "owner/name", REPO, 'a repository as "owner/name"')
    milestones = t.get("milestones", str, '"open" or "all"', "open")
    if milestones not in ("open", "all"):
        t.report("milestones", f'expected "open" or "all", got {shown(milestones)}')
    _only_for(t, ("project", "projects", "board", "jql", "email", "flavor"), "Jira")
    return SourceConfig(repos=repos, milestones=milestones, **common)


def _jira(t: Table, common: dict[str, Any]) -> SourceConfig:
    projects = _plural(t, "project", "projects", "PAY", PROJECT, 'a project key such as "PAY"')
    milestones = t.get("milestones", str, '"versions" or "sprints"', "versions")
    if milestones not in ("versions", "sprints"):
        t.report("milestones", f'expected "versions" or "sprints", got {shown(milestones)}')
    board = t.get("board", int, "an agile board id (a number)", None)
    if board is not None and board <= 0:
        t.report("board", f"expected a board id (a positive number), got {board}")
    if milestones == "sprints" and board is None and "board" not in t.raw:
        t.report(
            "board", 'missing; milestones = "sprints" needs the agile board id, e.g. board = 12'
        )
    flavor = t.get("flavor", str, '"cloud" or "server"', jira_flavor(common["url"]))
    if flavor not in ("cloud", "server"):
        t.report("flavor", f'expected "cloud" or "server", got {shown(flavor)}')
    email = t.get("email", str, "an e-mail address", "")
    if not email.isprintable():  # sent as the user name of every request: nothing invisible
        t.report(
            "email",
            "expected an e-mail address without invisible or control characters, "
            f"got {shown(email)}",
        )
    elif email and "@" not in email:
        t.report("email", f'expected an e-mail address ("you@example.com"), got {shown(email)}')
    email = named(t, "email", email if not t.reported("email") else "", "an e-mail address")
    _only_for(t, ("repo", "repos"), "GitHub")
    return SourceConfig(
        projects=projects,
        milestones=milestones,
        board=board,
        jql=one_line(t.get("jql", str, "a JQL string", "")),
        email=email,
        flavor=flavor,
        **common,
    )
