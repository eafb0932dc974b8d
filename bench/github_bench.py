"""Benchmark the GitHub source against the fake GitHub server with added latency.

A script, not a test: `.venv/bin/python bench/github_bench.py [--write]`. It starts the fake
server in its own process (so its JSON work doesn't share a GIL with the client), fills it
with 20 repos x 5 milestones x 60 issues, adds 50 ms to every request, and measures:

- cold overview: milestones + recent closes of every repo (what the board shows first);
- open one milestone: its issues;
- full export: milestones + recent closes + every milestone's issues (`pullboard export`);
- warm refresh: the full export again with the ETag cache from the previous run, nothing
  changed on the server (expect only 304s);

each done by pullboard's `GitHubTracker` and by a plain sequential httpx client (one request
after another, following Link headers, no cache), in the same run. Prints a Markdown table;
`--write` also puts it into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from common import ChildServer, write_section  # noqa: E402
from fakes.github_server import BASE_TIME, FakeGitHub  # noqa: E402

from pullboard.config import SourceConfig  # noqa: E402
from pullboard.model import Milestone, SourceData  # noqa: E402
from pullboard.sources.github import GitHubTracker  # noqa: E402

REPOS, MILESTONES, ISSUES = 20, 5, 60
LATENCY = 0.050
TOKEN = "bench-token"
SINCE = BASE_TIME - timedelta(days=21)


def fill(fake: FakeGitHub) -> None:
    """20 repos x 5 milestones x 60 issues; about a third closed, some of them recently."""
    for r in range(REPOS):
        repo = f"acme/repo{r:02d}"
        fake.add_repo(repo)
        for m in range(MILESTONES):
            due = BASE_TIME + timedelta(days=14 * (m + 1)) if m < 4 else None
            fake.add_milestone(repo, f"v{r}.{m}", due_on=due, description=f"Milestone {m}")
            for n in range(ISSUES):
                closed = n % 3 == 0
                fake.add_issue(
                    repo,
                    f"Issue {n} of milestone {m}",
                    milestone=m + 1,
                    state="closed" if closed else "open",
                    created_at=BASE_TIME - timedelta(days=60 - n % 50),
                    closed_at=BASE_TIME - timedelta(days=n % 40) if closed else None,
                    assignees=("dana",) if n % 2 else (),
                    labels=("bug", "P1") if n % 7 == 0 else ("enhancement",),
                )


def serve(conn: Connection) -> None:
    """Child process: run the fake and answer `stats` / `clear` until told to `stop`."""
    fake = FakeGitHub(latency=LATENCY, token=TOKEN)
    fill(fake)
    fake.memo = True  # serve like a real API: answers cost latency, not the fake's JSON work
    fake.start()
    conn.send(fake.url)
    while True:
        command = conn.recv()
        if command == "stats":
            hits = fake.hits()
            conn.send((Counter(h.status for h in hits), sum(h.size for h in hits)))
        elif command == "clear":
            fake.clear_log()
            conn.send(None)
        else:
            fake.close()
            conn.send(None)
            return


@dataclass
class Result:
    seconds: float
    statuses: Counter[int]
    size: int
    """Response body bytes the server sent."""

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def describe(self) -> str:
        parts = ", ".join(f"{n}x{code}" for code, n in sorted(self.statuses.items()))
        return f"{self.requests} ({parts})"

    @property
    def quota(self) -> int:
        """Requests GitHub charges to the rate limit (an authorized 304 is free)."""
        return self.requests - self.statuses[304]


class Server(ChildServer):
    """The fake GitHub in a child process."""

    def __init__(self) -> None:
        super().__init__(serve)

    async def measure(self, work: Callable[[], Awaitable[object]]) -> Result:
        seconds, (statuses, size) = await self.timed(work)
        return Result(seconds, statuses, size)


# -- pullboard ----------------------------------------------------------------------------------


def tracker(url: str) -> GitHubTracker:
    repos = tuple(f"acme/repo{r:02d}" for r in range(REPOS))
    config = SourceConfig(
        name="bench", kind="github", url=url, repos=repos, token_env="PULLBOARD_BENCH_TOKEN"
    )
    return GitHubTracker(config)


async def overview(gh: GitHubTracker) -> list[Milestone]:
    milestones, _ = await asyncio.gather(gh.milestones(), gh.recent_closed(SINCE))
    return milestones


async def export(gh: GitHubTracker, previous: SourceData | None = None) -> SourceData:
    """What `pullboard export` asks of a source, as the board asks it: milestones, recent
    closes and every milestone's issues (one `milestone=*` listing per repo), all at once,
    given what the last run kept (the board reads it from the snapshot cache)."""
    gh.start_refresh(previous)
    milestones, closed, issues = await asyncio.gather(
        gh.milestones(), gh.recent_closed(SINCE), gh.all_issues()
    )
    data = SourceData(tuple(milestones), tuple(closed), datetime.now(UTC))
    return data.with_lists((m.url for m in milestones), issues, dict(gh.marks))


async def run_pullboard(server: Server) -> dict[str, Result]:
    results: dict[str, Result] = {}
    gh = tracker(server.url)
    milestones: list[Milestone] = []

    async def first() -> None:
        milestones.extend(await overview(gh))

    results["overview"] = await server.measure(first)
    results["milestone"] = await server.measure(lambda: gh.issues(milestones[0]))
    await gh.aclose()
    kept: list[SourceData] = []

    async def run() -> None:  # the warm run starts from the export's data, new client
        gh = tracker(server.url)
        kept.append(await export(gh, kept[-1] if kept else None))
        await gh.aclose()

    for name in ("export", "warm"):
        results[name] = await server.measure(run)
    return results


# -- a plain sequential script ------------------------------------------------------------------


def plain_get_all(client: httpx.Client, url: str, params: dict[str, Any]) -> list[Any]:
    items: list[Any] = []
    response = client.get(url, params=params)
    while True:
        response.raise_for_status()
        items.extend(response.json())
        nxt = response.links.get("next", {}).get("url")
        if not nxt:
            return items
        response = client.get(nxt)


def plain_overview(client: httpx.Client) -> list[tuple[str, int]]:
    found = []
    for r in range(REPOS):
        repo = f"/repos/acme/repo{r:02d}"
        for ms in plain_get_all(client, f"{repo}/milestones", {"state": "open", "per_page": 100}):
            found.append((repo, ms["number"]))
        since = SINCE.strftime("%Y-%m-%dT00:00:00Z")
        params = {"state": "closed", "since": since, "per_page": 100}
        plain_get_all(client, f"{repo}/issues", params)
    return found


def plain_issues(client: httpx.Client, repo: str, number: int) -> list[Any]:
    params = {"milestone": number, "state": "all", "per_page": 100}
    return plain_get_all(client, f"{repo}/issues", params)


async def run_plain(server: Server) -> dict[str, Result]:
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/vnd.github+json"}
    results: dict[str, Result] = {}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        found: list[tuple[str, int]] = []

        async def first() -> None:
            found.extend(plain_overview(client))

        async def milestone() -> None:
            plain_issues(client, *found[0])

        async def everything() -> None:
            for repo, number in plain_overview(client):
                plain_issues(client, repo, number)

        results["overview"] = await server.measure(first)
        results["milestone"] = await server.measure(milestone)
        results["export"] = await server.measure(everything)
        results["warm"] = await server.measure(everything)  # no cache: the same work again
    return results


# -- report -------------------------------------------------------------------------------------

ROWS = {
    "overview": "Cold overview (milestones + recent closes, 20 repos)",
    "milestone": "Open one milestone (its issues)",
    "export": "Full export, cold (milestones, recent closes, every milestone's issues)",
    "warm": "Warm refresh of everything, nothing changed",
}


def table(ours: dict[str, Result], plain: dict[str, Result]) -> str:
    lines = [
        "| Scenario | pullboard wall | requests | quota | MB | plain sequential wall "
        "| requests | quota | MB | speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in ROWS.items():
        a, b = ours[key], plain[key]
        lines.append(
            f"| {label} | {a.seconds:.2f} s | {a.describe()} | {a.quota} | {a.size / 1e6:.1f} "
            f"| {b.seconds:.2f} s | {b.describe()} | {b.quota} | {b.size / 1e6:.1f} "
            f"| {b.seconds / a.seconds:.1f}x |"
        )
    return "\n".join(lines)


NOTES = """\
- *quota*: requests GitHub charges to the rate limit (5,000/h with a token); a 304 to an
  authorized conditional request is free. *MB*: response bodies the server sent.
- The warm refresh asks per repo for the milestones, the first page of the issue listing
  (newest-updated first) and the recent closes, each with `If-None-Match` from the data the
  last run kept (the board keeps it in its snapshot cache), and gets only 304s: no quota, no
  bytes, nothing mapped; the data is the kept one. Any 200 for a repo reads its listing whole.
- Opening one milestone is one request either way: there is nothing to overlap.
- pullboard's full export asks per repo for the milestones, the recent closes and every
  issue with a milestone (`issues?milestone=*`), all at once, and fetches later pages at once
  when the first names the last: 100 requests where the plain script needs 140, with 32 in
  flight per source. The plain client's JSON and mapping work shares the machine with the
  server, as pullboard's does.
"""


def setup(repeat: int) -> str:
    return (
        f"{REPOS} repos x {MILESTONES} milestones x {ISSUES} issues on the fake GitHub server "
        f"(tests/fakes/github_server.py, own process, 127.0.0.1) with {LATENCY * 1000:.0f} ms "
        f"added to every request. pullboard: one `GitHubTracker` per run, 32 requests in "
        f"flight, ETags kept with the data (as the snapshot cache keeps them). Plain: one "
        f"`httpx.Client`, one request after another, "
        f"following Link headers, no cache. Median of {repeat} alternating runs. "
        f"Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} when it finished (other work shares the "
        f"machine: expect run-to-run spread), {datetime.now(UTC):%Y-%m-%d}."
    )


def median(runs: list[dict[str, Result]]) -> dict[str, Result]:
    """Per scenario, the run with the median wall time (machines are noisy; runs alternate)."""
    return {
        key: sorted((run[key] for run in runs), key=lambda r: r.seconds)[len(runs) // 2]
        for key in runs[0]
    }


async def main(repeat: int) -> str:
    os.environ["PULLBOARD_BENCH_TOKEN"] = TOKEN
    server = Server()
    ours: list[dict[str, Result]] = []
    plain: list[dict[str, Result]] = []
    try:
        # Warm the fake's answer memo so neither client pays for the fake's first renders.
        warmup = tracker(server.url)
        await export(warmup)
        await warmup.aclose()
        for _ in range(repeat):
            ours.append(await run_pullboard(server))
            plain.append(await run_plain(server))
    finally:
        server.stop()
    return table(median(ours), median(plain))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="also write bench/RESULTS.md")
    parser.add_argument("--repeat", type=int, default=3, help="runs per client (median kept)")
    args = parser.parse_args()
    measured = asyncio.run(main(args.repeat))
    print(measured)
    if args.write:
        write_section(
            "GitHub",
            "Measured by `bench/github_bench.py --write`; rerun it to refresh this section.\n\n"
            f"{setup(args.repeat)}\n\n{measured}\n\n{NOTES}",
        )
