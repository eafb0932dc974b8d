"""pullboard beside the libraries a script-writer would use, each a fresh process, same fakes.

A script, not a test: `.venv/bin/python bench/peers_bench.py [--write] [--repeat N]` (needs the
`bench` extra: `pip install -e '.[bench]'`). It starts the fake GitHub and the fake Jira Cloud
in child processes with 50 ms added to every request, filled as `github_bench.py` and
`jira_bench.py` fill them, and times, in the same run:

- `pullboard export --format json` as a new process (cold: empty cache; warm: the cache the
  cold run left, nothing changed upstream);
- a PyGithub 2.x script (per_page=100: every open milestone's issues, state=all) and a `jira`
  3.x script (every version's issues through the enhanced search) as new processes;
- on the cache the Jira runs left (6,000 issues), `pullboard export --offline` and `pullboard
  pin PAY-1500` (which finds the issue in the small ref index beside the cache), alone.

Prints a Markdown table with the ratio peer / pullboard; `--write` also puts it under the
"Peers" heading of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import github_bench  # noqa: E402
import jira_bench  # noqa: E402
from common import ChildServer, compiled, write_section  # noqa: E402

GITHUB_SCRIPT = """
import sys
from github import Auth, Github
url, token, repos = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
g = Github(auth=Auth.Token(token), base_url=url, per_page=100, retry=None)
count = 0
for name in repos:
    repo = g.get_repo(name, lazy=True)
    for ms in repo.get_milestones(state="open"):
        for issue in repo.get_issues(milestone=ms, state="all"):
            row = (issue.title, issue.state, issue.closed_at, [a.login for a in issue.assignees],
                   [label.name for label in issue.labels], issue.html_url)
            count += 1
print(count)
"""

JIRA_SCRIPT = """
import sys
from jira import JIRA
url, email, token, projects = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
j = JIRA(server=url, basic_auth=(email, token), options={"check_update": False})
fields = "summary,status,assignee,labels,resolutiondate,fixVersions,priority,duedate,updated"
count = 0
for key in projects:
    for version in j.project_versions(key):
        if version.released or version.archived:
            continue
        jql = f'project = {key} AND fixVersion = {version.id}'
        for issue in j.enhanced_search_issues(jql, maxResults=False, fields=fields):
            count += 1
print(count)
"""


@dataclass
class Run:
    seconds: float
    requests: int


def run(command: list[str], env: dict[str, str], server: ChildServer) -> Run:
    """Wall time of one new process, and the requests it made of `server`."""
    server.ask("clear")
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    stats = server.ask("stats")
    requests = stats[0] if isinstance(stats[0], int) else sum(stats[0].values())
    return Run(seconds, requests)


def config_text(github_url: str, jira_url: str) -> str:
    repos = ", ".join(f'"acme/repo{r:02d}"' for r in range(github_bench.REPOS))
    projects = ", ".join(f'"{p}"' for p in jira_bench.PROJECTS)
    return f"""
[board]
title = "bench"

[[source]]
name = "gh"
kind = "github"
url = "{github_url}"
repos = [{repos}]
token_env = "PULLBOARD_BENCH_TOKEN"

[[source]]
name = "jira"
kind = "jira"
url = "{jira_url}"
projects = [{projects}]
milestones = "versions"
flavor = "cloud"
email = "{jira_bench.EMAIL}"
token_env = "PULLBOARD_BENCH_TOKEN"
"""


def one_source(config: str, keep: str) -> str:
    """The config with only the `[[source]]` named `keep` (each workload is one tracker)."""
    head, *tables = config.split("[[source]]")
    mine = [t for t in tables if f'name = "{keep}"' in t]
    return head + "".join(f"[[source]]{t}" for t in mine)


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PULLBOARD_"))}
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(home / var.lower())
    env["PULLBOARD_BENCH_TOKEN"] = github_bench.TOKEN
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return env


def median(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]


def measure(repeat: int) -> tuple[dict[str, tuple[Run, Run]], dict[str, Run]]:
    """{workload: (pullboard, peer)} medians over `repeat` alternating runs, and the medians
    of pullboard's own runs that have no peer (on the Jira board's cache: `export --offline`
    and `pin PAY-1500`)."""
    python = sys.executable
    github = github_bench.Server()
    jira = jira_bench.Server("cloud")
    samples: dict[str, tuple[list[Run], list[Run]]] = {}
    own: dict[str, list[Run]] = {}

    def add(name: str, ours: Run, peer: Run) -> None:
        mine, theirs = samples.setdefault(name, ([], []))
        mine.append(ours)
        theirs.append(peer)

    try:
        config = config_text(github.url, jira.url)
        repos = ",".join(f"acme/repo{r:02d}" for r in range(github_bench.REPOS))
        gh_peer = [python, "-c", GITHUB_SCRIPT, github.url, github_bench.TOKEN, repos]
        jira_peer = [
            *(python, "-c", JIRA_SCRIPT, jira.url, jira_bench.EMAIL, jira_bench.TOKEN),
            ",".join(jira_bench.PROJECTS),
        ]
        for n in range(repeat):
            for name, server, peer in (("GitHub", github, gh_peer), ("Jira", jira, jira_peer)):
                with tempfile.TemporaryDirectory() as tmp:
                    home = Path(tmp)
                    path = home / "config.toml"
                    path.write_text(one_source(config, "gh" if name == "GitHub" else "jira"))
                    env = environment(home)
                    ours = [python, "-m", "pullboard", "export", "--config", str(path)]
                    # The second export finds the first one's cache; the peer has none.
                    add(f"{name} cold export", run(ours, env, server), run(peer, env, server))
                    add(
                        f"{name} nothing changed, new process",
                        run(ours, env, server),
                        run(peer, env, server),
                    )
                    if name == "Jira":  # pullboard alone: what the cache the runs left serves
                        offline = [*ours, "--offline"]
                        own.setdefault("export --offline", []).append(run(offline, env, server))
                        pin = ["pin", "PAY-1500", "--title", f"bench {n}", "--config", str(path)]
                        command = [python, "-m", "pullboard", *pin]
                        own.setdefault("pin by ref", []).append(run(command, env, server))
            print(f"run {n + 1}/{repeat} done", file=sys.stderr)
    finally:
        github.stop()
        jira.stop()
    results = {k: (median(a), median(b)) for k, (a, b) in samples.items()}
    return results, {k: median(runs) for k, runs in own.items()}


def own_table(results: dict[str, Run]) -> str:
    lines = [
        "| pullboard alone, 6,000-issue Jira board's cache | median | requests |",
        "|---|---:|---:|",
    ]
    for name, ours in results.items():
        lines.append(f"| `{name}` | {ours.seconds:.2f} s | {ours.requests} |")
    return "\n".join(lines)


def table(results: dict[str, tuple[Run, Run]]) -> str:
    lines = [
        "| Workload | pullboard | requests | peer | requests | peer / pullboard |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, (ours, peer) in results.items():
        who = "PyGithub" if name.startswith("GitHub") else "jira"
        lines.append(
            f"| {name} | {ours.seconds:.2f} s | {ours.requests} | {who} {peer.seconds:.2f} s "
            f"| {peer.requests} | {peer.seconds / ours.seconds:.1f}x |"
        )
    return "\n".join(lines)


def setup(repeat: int) -> str:
    versions = _versions()
    return (
        f"GitHub: {github_bench.REPOS} repos x {github_bench.MILESTONES} milestones x "
        f"{github_bench.ISSUES} issues; Jira Cloud: {len(jira_bench.PROJECTS)} projects x "
        f"{jira_bench.ISSUES} issues; {github_bench.LATENCY * 1000:.0f} ms added to every "
        f"request; every run a new process. Median of {repeat}. {versions}. "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}, {datetime.now(UTC):%Y-%m-%d}."
    )


def _versions() -> str:
    from importlib.metadata import version

    names: dict[str, Any] = {"PyGithub": "PyGithub", "jira": "jira", "pullboard": "pullboard"}
    return ", ".join(f"{label} {version(dist)}" for label, dist in names.items())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="also write bench/RESULTS.md")
    parser.add_argument("--repeat", type=int, default=3, help="runs per client (median kept)")
    args = parser.parse_args()
    compiled()
    peers, own = measure(args.repeat)
    measured = f"{table(peers)}\n\n{own_table(own)}"
    print(measured)
    if args.write:
        write_section(
            "Peers",
            "Measured by `bench/peers_bench.py --write`; rerun it to refresh this section.\n\n"
            f"{setup(args.repeat)}\n\n{measured}",
        )
