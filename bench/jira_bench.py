"""Benchmark the Jira source against the fake Jira server with added latency.

A script, not a test: `.venv/bin/python bench/jira_bench.py [--write] [--repeat N]`. For each
flavor (Cloud: token paging; Server / Data Center: startAt paging) it starts the fake in its
own process (so its JSON work doesn't share a GIL with the client), fills it with 3 projects
x 2,000 issues in 4 unreleased versions each, adds 50 ms to every request, and measures:

- cold load: versions and every issue of every version (`pullboard export`, or the board's
  first refresh plus opening every milestone);
- warm refresh, nothing changed: the same again on the same tracker (the TUI's auto refresh);
- warm refresh after 30 issues changed on the server;

each by pullboard's `JiraTracker` and by a plain sequential httpx client (one request after
another, no cache: it reads everything every time), in the same run. Prints a Markdown table;
`--write` also puts it under the "Jira" heading of bench/RESULTS.md, keeping the rest.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from common import ChildServer, write_section  # noqa: E402
from fakes.jira_server import BASE_TIME, FakeJira  # noqa: E402

from pullboard.config import SourceConfig  # noqa: E402
from pullboard.sources.jira import JiraTracker  # noqa: E402
from pullboard.sources.jira.errors import authorization  # noqa: E402
from pullboard.sources.jira.model import FIELDS  # noqa: E402

PROJECTS, VERSIONS, ISSUES = ("PAY", "OPS", "WEB"), 4, 2000
LATENCY = 0.050
TOKEN = "bench-token"
EMAIL = "bench@example.com"
CHANGED = 30
SINCE = datetime.now(UTC) - timedelta(days=21)


def fill(fake: FakeJira) -> None:
    """3 projects x 2,000 issues over 4 unreleased versions; a third done, some recently."""
    for key in PROJECTS:
        fake.add_project(key)
        versions = [
            fake.add_version(key, f"{n + 1}.0", release_date=date(2026, 3 + n, 1))
            for n in range(VERSIONS)
        ]
        for n in range(ISSUES):
            done = n % 3 == 0
            fake.add_issue(
                key,
                f"Issue {n} of {key}",
                versions=(versions[n % VERSIONS].id,),
                category="done" if done else ("indeterminate" if n % 3 == 1 else "new"),
                status="Done" if done else "In Progress" if n % 3 == 1 else "To Do",
                assignee="Dana Kim" if n % 2 else None,
                labels=("bug",) if n % 7 == 0 else (),
                created=BASE_TIME - timedelta(days=60 - n % 50),
                resolved=BASE_TIME - timedelta(days=n % 40) if done else None,
            )


def serve(conn: Connection, flavor: str) -> None:
    """Child process: run the fake; answer `stats`, `clear`, `touch` until told to `stop`."""
    fake = FakeJira(flavor, token=TOKEN, email=EMAIL, latency=LATENCY)
    fill(fake)
    fake.memo = True  # serve like a real site: answers cost latency, not the fake's JQL work
    with fake:
        conn.send(fake.url)
        while (command := conn.recv()) != "stop":
            if command == "stats":
                hits = fake.hits()
                conn.send((len(hits), sum(h.size for h in hits)))
            elif command == "clear":
                fake.clear_log()
                conn.send(None)
            elif command == "touch":
                for n in range(CHANGED):
                    project = PROJECTS[n % len(PROJECTS)]
                    fake.touch(f"{project}-{n * 61 + 1}", summary=f"Changed {time.time()}")
                conn.send(None)
    conn.send(None)


@dataclass
class Result:
    seconds: float
    requests: int
    size: int
    """Response body bytes the server sent."""


class Server(ChildServer):
    """The fake Jira (one flavor) in a child process."""

    def __init__(self, flavor: str) -> None:
        super().__init__(serve, flavor)
        self.flavor = flavor

    async def measure(self, work: Callable[[], Awaitable[object]]) -> Result:
        seconds, (requests, size) = await self.timed(work)
        return Result(seconds, requests, size)


# -- pullboard ----------------------------------------------------------------------------------


def tracker(server: Server) -> JiraTracker:
    config = SourceConfig(
        name="bench",
        kind="jira",
        url=server.url,
        projects=PROJECTS,
        milestones="versions",
        token_env="PULLBOARD_BENCH_TOKEN",
        email=EMAIL if server.flavor == "cloud" else "",
        flavor=server.flavor,
    )
    return JiraTracker(config)


async def everything(jira: JiraTracker) -> int:
    """What a full refresh asks of a source, as the board asks it: milestones, recent closes
    and every milestone's issues at once. Returns the number of issues, to check both clients
    saw the same."""
    jira.start_refresh()
    _, _, issues = await asyncio.gather(
        jira.milestones(), jira.recent_closed(SINCE), jira.all_issues()
    )
    return len(issues)


async def run_pullboard(server: Server) -> dict[str, Result]:
    jira = tracker(server)
    try:
        results = {"cold": await server.measure(lambda: everything(jira))}
        results["warm"] = await server.measure(lambda: everything(jira))
        server.ask("touch")
        results["changed"] = await server.measure(lambda: everything(jira))
    finally:
        await jira.aclose()
    return results


# -- a plain sequential script ------------------------------------------------------------------


def plain_search(client: httpx.Client, cloud: bool, jql: str) -> list[Any]:
    """Every issue of a search, one page after another."""
    params: dict[str, Any] = {"jql": jql, "fields": ",".join(FIELDS), "maxResults": 100}
    issues: list[Any] = []
    while True:
        response = client.get(
            "/rest/api/3/search/jql" if cloud else "/rest/api/2/search", params=params
        )
        response.raise_for_status()
        page = response.json()
        issues += page["issues"]
        if cloud:
            if page.get("isLast", True):
                return issues
            params["nextPageToken"] = page["nextPageToken"]
        else:
            params["startAt"] = page["startAt"] + len(page["issues"])
            if not page["issues"] or params["startAt"] >= page["total"]:
                return issues


def plain_everything(client: httpx.Client, cloud: bool) -> int:
    total = 0
    for key in PROJECTS:
        response = client.get(f"/rest/api/{3 if cloud else 2}/project/{key}/versions")
        response.raise_for_status()
        ids = ", ".join(v["id"] for v in response.json() if not v["released"])
        total += len(plain_search(client, cloud, f'project = "{key}" AND fixVersion in ({ids})'))
    return total


async def run_plain(server: Server) -> dict[str, Result]:
    cloud = server.flavor == "cloud"
    headers = {"Authorization": authorization(EMAIL if cloud else "", TOKEN)}
    results: dict[str, Result] = {}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:

        async def work() -> None:
            assert plain_everything(client, cloud) == len(PROJECTS) * ISSUES

        results["cold"] = await server.measure(work)
        results["warm"] = await server.measure(work)
        server.ask("touch")
        results["changed"] = await server.measure(work)
    return results


# -- report -------------------------------------------------------------------------------------

ROWS = {
    "cold": "cold load: versions + all 6,000 issues",
    "warm": "warm refresh, nothing changed",
    "changed": f"warm refresh, {CHANGED} issues changed",
}


def table(results: dict[str, tuple[dict[str, Result], dict[str, Result]]]) -> str:
    lines = [
        "| Flavor | Scenario | pullboard wall | requests | MB | plain sequential wall "
        "| requests | MB | speed-up |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for flavor, (ours, plain) in results.items():
        for key, label in ROWS.items():
            a, b = ours[key], plain[key]
            lines.append(
                f"| {flavor} | {label} | {a.seconds:.2f} s | {a.requests} | {a.size / 1e6:.1f} "
                f"| {b.seconds:.2f} s | {b.requests} | {b.size / 1e6:.1f} "
                f"| {b.seconds / a.seconds:.1f}x |"
            )
    return "\n".join(lines)


NOTES = """\
- Cloud's enhanced search pages by `nextPageToken`: a search's pages come strictly one after
  another, so pullboard splits a full load into one search per version and runs them at once.
  Server's startAt paging lets it fetch a search's remaining pages at once after the first.
  32 requests in flight per source.
- Jira sends no ETags for searches, so pullboard's warm refresh is incremental: per project,
  one request for the keys (up to 5,000 per page on Cloud, 1,000 on Server) and one for the
  issues updated since the last refresh (with 5 minutes of overlap); anything that joined
  without an update, and at least once an hour, a full search. The plain client reads
  everything every time.
- The fake renders each distinct answer once until its data changes, then replays it (so
  answers cost the 50 ms, not the fake's JQL and JSON work). First renders land in the cold
  loads, in the rows after a change, and in pullboard's warm refresh (its key and delta
  requests are new to the fake); the plain client's warm refresh repeats its cold requests
  and is replayed. *MB*: response bodies the server sent.
"""


def setup(repeat: int) -> str:
    return (
        f"{len(PROJECTS)} projects x {ISSUES:,} issues ({VERSIONS} versions each) on the fake "
        f"Jira server (tests/fakes/jira_server.py, own process, 127.0.0.1) with "
        f"{LATENCY * 1000:.0f} ms added to every request, for each flavor. pullboard: one "
        f"`JiraTracker` per run, 32 requests in flight. Plain: one `httpx.Client`, one request "
        f"after another, 100 issues per page. Median of {repeat} alternating runs. "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} when it finished, "
        f"{datetime.now(UTC):%Y-%m-%d}."
    )


def median(runs: list[dict[str, Result]]) -> dict[str, Result]:
    """Per scenario, the run with the median wall time."""
    return {
        key: sorted((run[key] for run in runs), key=lambda r: r.seconds)[len(runs) // 2]
        for key in runs[0]
    }


async def main(repeat: int) -> dict[str, tuple[dict[str, Result], dict[str, Result]]]:
    os.environ["PULLBOARD_BENCH_TOKEN"] = TOKEN
    results = {}
    for flavor in ("cloud", "server"):
        server = Server(flavor)
        ours: list[dict[str, Result]] = []
        plain: list[dict[str, Result]] = []
        try:
            for _ in range(repeat):
                ours.append(await run_pullboard(server))
                plain.append(await run_plain(server))
        finally:
            server.stop()
        results["Cloud" if flavor == "cloud" else "Server"] = (median(ours), median(plain))
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="also write bench/RESULTS.md")
    parser.add_argument("--repeat", type=int, default=3, help="runs per client (median kept)")
    args = parser.parse_args()
    measured = table(asyncio.run(main(args.repeat)))
    print(measured)
    if args.write:
        write_section(
            "Jira",
            "Measured by `bench/jira_bench.py --write`; rerun it to refresh this section.\n\n"
            f"{setup(args.repeat)}\n\n{measured}\n\n{NOTES}",
        )
