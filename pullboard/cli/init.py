"""`pullboard init`: ask for sources (or take flags) and write a starter config that loads back.

Answers are checked with the same rules `config` applies, before anything is written; the
text is then parsed by `config.parse` too, so init can never leave a config doctor rejects.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import tomli_w

from pullboard import files
from pullboard.config import GITHUB_API, PROJECT, REPO, Config, jira_flavor, parse
from pullboard.config.rules import shown, url_problem
from pullboard.errors import ConfigError, PullboardError
from pullboard.text import looks_secret

HEADER = """\
# pullboard config, written by `pullboard init`. Check it with `pullboard doctor`.
# Every key is described in the README ("Config reference").
# Tokens never go in this file: run `pullboard auth set SOURCE`, or set GH_TOKEN,
# GH_ENTERPRISE_TOKEN or JIRA_API_TOKEN in the environment (the route over SSH).
# To share insights with your team, add under [board] a shared file or a GitHub repository:
#   insights = "/shared/folder/insights.toml"
#   insights = { repo = "owner/name", path = "pullboard/insights.toml", branch = "main" }

"""

Ask = Callable[[str], str]
"""Shows a prompt and returns the typed line (`input`, or a fake in tests)."""


@dataclass(frozen=True)
class Answers:
    """What the starter config holds; flags fill it, prompts may change it."""

    title: str = "pullboard"
    me: tuple[str, ...] = ()
    github: tuple[str, ...] = ()
    """`owner/name` repositories."""
    github_url: str = GITHUB_API
    jira_url: str = ""
    jira_projects: tuple[str, ...] = ()
    jira_email: str = ""
    """Jira Cloud only: the account the API token belongs to."""
    jira_board: int | None = None
    """Set: milestones are the board's sprints; unset: the projects' versions."""
    jira_flavor: str = ""
    """`cloud` or `server`; empty: what the URL implies (Cloud lives under atlassian.net)."""
    insights_repo: str = ""
    """`owner/name` holding the shared insights file; empty: a local file."""

    @property
    def cloud(self) -> bool:
        """True when the Jira site is Jira Cloud (which takes an e-mail with the token)."""
        return (self.jira_flavor or jira_flavor(self.jira_url)) == "cloud"


SECRET_ANSWER = (
    "that looks like a token, and tokens never go in the config; store it with "
    "`pullboard auth set SOURCE`, or in GH_TOKEN / JIRA_API_TOKEN"
)
"""Said instead of echoing a token-shaped answer: the value itself is never repeated."""


def secret_flags(answers: Answers) -> list[str]:
    """The free-text flags holding a token-shaped value (a paste into the wrong flag)."""
    flags = {
        "--title": (answers.title,),
        "--me": answers.me,
        "--github": answers.github,
        "--jira-project": answers.jira_projects,
        "--jira-email": (answers.jira_email,),
    }
    return [
        f"{flag}: {SECRET_ANSWER}"
        for flag, values in flags.items()
        if any(looks_secret(v) for v in values)
    ]


def problems(answers: Answers) -> list[str]:
    """What is wrong with the answers, naming the flag to change; empty when all is well."""
    if secret := secret_flags(answers):
        return secret  # the other checks would quote the value back
    found = [
        f"--github {shown(r)}: expected owner/name" for r in answers.github if not REPO.fullmatch(r)
    ]
    if answers.github and (why := url_problem("github", answers.github_url)):
        found.append(f"--github-url: {why}")
    if answers.jira_url or answers.jira_projects:
        if why := url_problem("jira", answers.jira_url):
            found.append(f"--jira-url: {why}")
        if not answers.jira_projects:
            found.append("--jira-project: missing; expected a project key such as PAY")
        found += [
            f"--jira-project {shown(p)}: expected a project key such as PAY"
            for p in answers.jira_projects
            if not PROJECT.fullmatch(p)
        ]
    if answers.jira_email and "@" not in answers.jira_email:
        found.append(f"--jira-email {shown(answers.jira_email)}: expected an e-mail address")
    elif answers.jira_email and answers.jira_url and not answers.cloud:
        found.append(
            f"--jira-email: only Jira Cloud uses the e-mail, and {shown(answers.jira_url)} "
            "looks like Jira Server / Data Center; drop it, or add --jira-flavor cloud"
        )
    if answers.insights_repo and not REPO.fullmatch(answers.insights_repo):
        found.append(f"--insights-repo {shown(answers.insights_repo)}: expected owner/name")
    elif answers.insights_repo and not answers.github:
        found.append("--insights-repo: needs a GitHub source (--github) for its API and token")
    if not answers.github and not answers.jira_url:
        found.append("no sources: give --github OWNER/NAME, or --jira-url with --jira-project")
    return found


def document(answers: Answers) -> dict[str, Any]:
    """The TOML document as plain data (keys in the order the README describes them)."""
    board: dict[str, Any] = {"title": answers.title}
    if answers.me:
        board["me"] = _one_or_many(answers.me)
    sources: list[dict[str, Any]] = []
    if answers.github:
        github: dict[str, Any] = {"name": _github_name(answers.github), "kind": "github"}
        if answers.github_url.rstrip("/") != GITHUB_API:
            github["url"] = answers.github_url.rstrip("/")
        github["repo" if len(answers.github) == 1 else "repos"] = _one_or_many(answers.github)
        sources.append(github)
        if answers.insights_repo:
            board["insights"] = {"repo": answers.insights_repo, "source": github["name"]}
    if answers.jira_url:
        jira: dict[str, Any] = {
            "name": answers.jira_projects[0].lower(),
            "kind": "jira",
            "url": answers.jira_url.rstrip("/"),
        }
        projects = tuple(p.upper() for p in answers.jira_projects)
        jira["project" if len(projects) == 1 else "projects"] = _one_or_many(projects)
        if answers.jira_flavor and answers.jira_flavor != jira_flavor(answers.jira_url):
            jira["flavor"] = answers.jira_flavor
        if answers.jira_email and answers.cloud:
            jira["email"] = answers.jira_email
        if answers.jira_board is not None:
            jira |= {"milestones": "sprints", "board": answers.jira_board}
        sources.append(jira)
    if len(sources) == 2 and sources[0]["name"] == sources[1]["name"]:
        sources[1]["name"] += "-jira"
    return {"board": board, "source": sources}


def _one_or_many(values: tuple[str, ...]) -> str | list[str]:
    """A single value as a plain string: tomli-w spreads every array over several lines."""
    return values[0] if len(values) == 1 else list(values)


def _github_name(repos: tuple[str, ...]) -> str:
    """The repo name for one repo, the owner for one owner's repos, else `github`."""
    owners = {r.split("/")[0] for r in repos}
    if len(repos) == 1:
        return repos[0].split("/")[1]
    return owners.pop() if len(owners) == 1 else "github"


def render(answers: Answers) -> str:
    """The config file text: a commented header, `[board]`, then one `[[source]]` table each.

    tomli-w writes arrays of tables inline; people edit this file, so each source gets a
    `[[source]]` header of its own, as in the README and the example config.
    """
    doc = document(answers)
    text = HEADER + tomli_w.dumps({"board": doc["board"]})
    for source in doc["source"]:
        text += "\n[[source]]\n" + tomli_w.dumps(source)
    return text


def refuse_existing(path: Path, *, force: bool) -> None:
    """Stop before any question when a config is already there and `--force` wasn't given.

    Raises:
        PullboardError: the file exists.
    """
    if path.exists() and not force:
        raise PullboardError(
            f"{path} already exists; check it with `pullboard doctor`, or run "
            "`pullboard init --force` to replace it (the old file is kept as .bak)."
        )


def write(path: Path, answers: Answers, *, force: bool = False) -> Config:
    """Check the answers, write the config atomically and return it as `config.load` sees it.

    Raises:
        ConfigError: an answer is invalid (nothing is written).
        PullboardError: the file exists without `force`, or can't be written.
    """
    found = problems(answers)
    if found:
        raise ConfigError(found)
    text = render(answers)
    loaded = parse(text, path)  # the same rules as every later load
    refuse_existing(path, force=force)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            backup = path.with_name(path.name + ".bak")
            files.write_atomic(backup, files.read_regular(path)[0])
        files.write_atomic(path, text.encode("utf-8"))
    except OSError as err:
        raise PullboardError(f"Can't write {path}: {err.strerror or err}.") from err
    return loaded


def next_steps(loaded: Config) -> str:
    """What to run after init, with this config's source names."""
    steps = [
        (f"pullboard auth set {s.name}", "store its token in the keyring") for s in loaded.sources
    ]
    steps += [("pullboard doctor", "check config, tokens and access"), ("pullboard", "the board")]
    width = max(len(command) for command, _ in steps) + 2
    lines = [f"  {command:<{width}}# {why}" for command, why in steps]
    return "\n".join([f"Wrote {loaded.path}.", "Next:", *lines])


def ask(ask: Ask, start: Answers) -> Answers:
    """Interactive questions; Enter keeps the default shown in brackets.

    Raises:
        ConfigError: a flag holds a token-shaped value (refused before a prompt shows it).
        PullboardError: when input ends (Ctrl-D) before the answers are complete.
    """
    if secret := secret_flags(start):
        raise ConfigError(secret)
    prompt = _Prompt(ask)
    title = prompt.text("Board title", start.title)
    me = prompt.names(
        "Your user names on the trackers, comma-separated",
        start.me or (getpass.getuser(),),
        spaces=False,
    )
    answers = replace(start, title=title, me=me)
    while True:
        answers = _github(prompt, answers)
        answers = _jira(prompt, answers)
        if answers.github or answers.jira_url:
            return answers
        prompt.say("Add at least one GitHub repository or Jira project.")


def _github(prompt: _Prompt, answers: Answers) -> Answers:
    repos = prompt.names(
        "GitHub repositories as owner/name (Enter to skip)",
        answers.github,
        check=lambda r: None if REPO.fullmatch(r) else f"{shown(r)} is not owner/name",
    )
    if not repos:
        return replace(answers, github=())
    url = prompt.text(
        "GitHub API URL (Enterprise: https://HOST/api/v3)",
        answers.github_url,
        check=lambda u: url_problem("github", u),
    )
    store = prompt.text(
        "Keep the team's insights in a GitHub repository? owner/name (Enter: a local file)",
        answers.insights_repo,
        check=lambda r: None if not r or REPO.fullmatch(r) else f"{shown(r)} is not owner/name",
    )
    return replace(answers, github=repos, github_url=url, insights_repo=store)


def _jira(prompt: _Prompt, answers: Answers) -> Answers:
    url = prompt.text(
        "Jira site URL, e.g. https://acme.atlassian.net (Enter to skip)",
        answers.jira_url,
        check=lambda u: url_problem("jira", u) if u else None,
    )
    if not url:
        return replace(answers, jira_url="", jira_projects=())
    answers = replace(answers, jira_url=url, jira_flavor=_flavor(prompt, answers, url))
    projects: tuple[str, ...] = ()
    while not projects:
        projects = prompt.names(
            "Jira project keys",
            answers.jira_projects,
            check=lambda p: None if PROJECT.fullmatch(p) else f"{shown(p)} is not a project key",
        )
    email = ""  # Server / Data Center takes a personal access token alone
    if answers.cloud:
        email = prompt.text(
            "Your Atlassian account e-mail (Jira Cloud sends it with the API token)",
            answers.jira_email,
            check=lambda e: None if not e or "@" in e else f"{shown(e)} is not an e-mail address",
        )
    board = prompt.text(
        "Agile board id, to follow its sprints (Enter to follow versions)",
        str(answers.jira_board or ""),
        check=lambda b: None if not b or b.isdigit() else f"{shown(b)} is not a number",
    )
    return replace(
        answers,
        jira_projects=projects,
        jira_email=email,
        jira_board=int(board) if board else None,
    )


def _flavor(prompt: _Prompt, answers: Answers, url: str) -> str:
    """Cloud sites live under atlassian.net; any other host may be either, so ask."""
    if jira_flavor(url) == "cloud":
        return ""
    return prompt.text(
        "Is this Jira Cloud or Jira Server / Data Center? (cloud/server)",
        answers.jira_flavor or "server",
        check=lambda f: None if f in ("cloud", "server") else f"{f!r} is not cloud or server",
    )


class _Prompt:
    """Asks until an answer passes its check; messages go through the same `ask` channel."""

    def __init__(self, ask: Ask) -> None:
        self._ask = ask

    def say(self, message: str) -> None:
        print(message)

    def text(
        self, question: str, default: str, check: Callable[[str], str | None] = lambda _: None
    ) -> str:
        shown = f" [{default}]" if default else ""
        while True:
            try:
                value = self._ask(f"{question}{shown}: ").strip() or default
            except EOFError:
                raise PullboardError(
                    "init stopped: input ended before the answers were complete."
                ) from None
            problem = SECRET_ANSWER if looks_secret(value) else check(value)
            if problem is None:
                return value
            self.say(f"  {problem}; try again.")

    def names(
        self,
        question: str,
        default: tuple[str, ...],
        check: Callable[[str], str | None] = lambda _: None,
        *,
        spaces: bool = True,
    ) -> tuple[str, ...]:
        def each(value: str) -> str | None:
            return next((p for v in _split(value, spaces) if (p := check(v))), None)

        return _split(self.text(question, ", ".join(default), each), spaces)


def _split(value: str, spaces: bool) -> tuple[str, ...]:
    """Comma-separated values (and space-separated ones when `spaces`), without repeats."""
    parts = value.replace(",", " ").split() if spaces else value.split(",")
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))
